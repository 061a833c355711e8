"""The register moves to the documents app (documents 0002 copied the counters)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0002_reform_areas'),
        ('documents', '0002_types_and_counters'),
    ]

    operations = [
        migrations.DeleteModel(
            name='NumberCounter',
        ),
    ]
