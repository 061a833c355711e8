"""More keywords for reading areas out of imported plans (only lines not there yet)."""

from django.db import migrations

MORE = {
    "direction": ["tổ chức thực hiện", "khảo sát", "hài lòng", "khen thưởng"],
    "civil_service": ["tinh giản biên chế"],
    "digital_government": ["ISO", "quản lý chất lượng"],
}


def add(apps, schema_editor):
    ReformArea = apps.get_model("plans", "ReformArea")
    for code, words in MORE.items():
        area = ReformArea.objects.filter(code=code).first()
        if area is None:
            continue
        lines = [line for line in area.keywords.splitlines() if line.strip()]
        known = {line.strip().casefold() for line in lines}
        lines += [word for word in words if word.casefold() not in known]
        area.keywords = "\n".join(lines)
        area.save(update_fields=["keywords"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_number_counter_moves_to_documents")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
