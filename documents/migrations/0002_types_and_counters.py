"""The document types of Decree 30 (art. 7, Phụ lục III), seeded once; and the
register counters, taken over from the plans app."""

from django.db import migrations

TYPES = [
    ("Nghị quyết", "NQ"), ("Quyết định", "QĐ"), ("Chỉ thị", "CT"), ("Quy chế", "QC"), ("Quy định", "QyĐ"),
    ("Thông cáo", "TC"), ("Thông báo", "TB"), ("Hướng dẫn", "HD"), ("Chương trình", "CTr"), ("Kế hoạch", "KH"),
    ("Phương án", "PA"), ("Đề án", "ĐA"), ("Dự án", "DA"), ("Báo cáo", "BC"), ("Biên bản", "BB"),
    ("Tờ trình", "TTr"), ("Hợp đồng", "HĐ"), ("Công điện", "CĐ"), ("Bản ghi nhớ", "BGN"),
    ("Bản thỏa thuận", "BTT"), ("Giấy ủy quyền", "GUQ"), ("Giấy mời", "GM"), ("Giấy giới thiệu", "GGT"),
    ("Giấy nghỉ phép", "GNP"), ("Phiếu gửi", "PG"), ("Phiếu chuyển", "PC"), ("Phiếu báo", "PB"),
    ("Công văn", ""), ("Thư công", ""),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for order, (name, abbreviation) in enumerate(TYPES, start=1):
        DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation, "order": order})
    Old = apps.get_model("plans", "NumberCounter")
    New = apps.get_model("documents", "NumberCounter")
    for counter in Old.objects.all():
        New.objects.update_or_create(
            agency_id=counter.agency_id,
            year=counter.year,
            series=counter.series,
            defaults={"last_number": counter.last_number},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("plans", "0002_reform_areas"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
