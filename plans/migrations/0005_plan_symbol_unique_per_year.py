"""A plan number may repeat across number series; its number and symbol may not."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("plans", "0004_area_keywords_for_imports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="plan",
            name="plan_number_unique_per_agency_year",
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number__isnull", False)),
                fields=("agency", "register_year", "symbol"),
                name="plan_symbol_unique_per_agency_year",
            ),
        ),
    ]
