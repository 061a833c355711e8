"""The standard reform areas of Resolution 76/NQ-CP, seeded once; administrators edit them afterwards."""

from django.db import migrations

AREAS = [
    ("direction", "Công tác chỉ đạo, điều hành cải cách hành chính", "Chỉ đạo, điều hành",
     "chỉ đạo\nđiều hành\ntuyên truyền\nkiểm tra\nkỷ luật, kỷ cương\nchỉ số"),
    ("institutional", "Cải cách thể chế", "Thể chế",
     "thể chế\nquy phạm pháp luật\nQPPL\nthi hành pháp luật\nphổ biến, giáo dục pháp luật"),
    ("procedures", "Cải cách thủ tục hành chính", "Thủ tục hành chính",
     "thủ tục hành chính\nTTHC\nmột cửa\ndịch vụ công\nphản ánh, kiến nghị\nbưu chính"),
    ("apparatus", "Cải cách tổ chức bộ máy hành chính nhà nước", "Tổ chức bộ máy",
     "tổ chức bộ máy\nsắp xếp\nchức năng, nhiệm vụ\nphân cấp"),
    ("civil_service", "Cải cách chế độ công vụ", "Chế độ công vụ",
     "công vụ\ncông chức\nviên chức\nvị trí việc làm\nbiên chế\nđào tạo, bồi dưỡng"),
    ("public_finance", "Cải cách tài chính công", "Tài chính công",
     "tài chính công\nngân sách\nkinh phí\ntài sản công\ntự chủ"),
    ("digital_government", "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", "Chính phủ điện tử, số",
     "chính phủ điện tử\nchính quyền điện tử\nchính phủ số\nchính quyền số\nchuyển đổi số\ncông nghệ thông tin\nISO 9001"),
    ("other", "Nhiệm vụ khác", "Khác", ""),
]


def seed(apps, schema_editor):
    ReformArea = apps.get_model("plans", "ReformArea")
    for order, (code, name, short_name, keywords) in enumerate(AREAS, start=1):
        ReformArea.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "order": order, "keywords": keywords}
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
