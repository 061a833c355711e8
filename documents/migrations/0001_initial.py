"""Documents in and out."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('files', '0001_attachment'),
        ('plans', '0002_reform_areas'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DocumentType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='e.g. Kế hoạch.', max_length=100, unique=True, verbose_name='name')),
                ('abbreviation', models.CharField(blank=True, help_text='Goes into the symbol, e.g. KH. Empty for công văn.', max_length=10, verbose_name='abbreviation')),
                ('order', models.PositiveIntegerField(default=0, verbose_name='display order')),
                ('is_active', models.BooleanField(default=True, verbose_name='in use')),
            ],
            options={
                'verbose_name': 'document type',
                'verbose_name_plural': 'document types',
                'ordering': ['order', 'name'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('abbreviation', ''), _negated=True), fields=('abbreviation',), name='document_type_abbreviation_unique')],
            },
        ),
        migrations.CreateModel(
            name='PlanImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256 checksum')),
                ('source_text', models.TextField(verbose_name='text read from the file')),
                ('result', models.JSONField(default=dict, verbose_name='what was read')),
                ('unit_map', models.JSONField(default=dict, verbose_name="printed unit names and the agency's units")),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.agency', verbose_name='agency')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='plans.plan', verbose_name='saved as')),
            ],
            options={
                'verbose_name': 'plan import',
                'verbose_name_plural': 'plan imports',
                'ordering': ['-created', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='SignatureCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field_name', models.CharField(blank=True, max_length=255, verbose_name='signature field')),
                ('signer_name', models.CharField(blank=True, max_length=255, verbose_name='signer')),
                ('signer_email', models.CharField(blank=True, max_length=255, verbose_name='e-mail')),
                ('signing_time', models.DateTimeField(blank=True, null=True, verbose_name='signing time')),
                ('issuer', models.CharField(blank=True, max_length=500, verbose_name='certificate issuer')),
                ('serial', models.CharField(blank=True, max_length=100, verbose_name='certificate serial number')),
                ('intact', models.BooleanField(default=False, verbose_name='document unchanged since signing')),
                ('valid', models.BooleanField(default=False, verbose_name='signature mathematically valid')),
                ('trusted', models.BooleanField(default=False, verbose_name='certificate chains to a configured trust root')),
                ('coverage', models.CharField(blank=True, max_length=100, verbose_name='coverage')),
                ('summary', models.TextField(blank=True, verbose_name='details')),
                ('checked_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='checked at')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.agency')),
                ('attachment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signature_checks', to='files.attachment', verbose_name='file')),
            ],
            options={
                'verbose_name': 'signature check',
                'verbose_name_plural': 'signature checks',
                'ordering': ['attachment', 'signing_time', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='NumberCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField()),
                ('series', models.CharField(blank=True, default='', max_length=20)),
                ('last_number', models.PositiveIntegerField(default=0)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.agency')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('agency', 'year', 'series'), name='documents_number_counter_unique')],
            },
        ),
        migrations.CreateModel(
            name='OutgoingDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('register_year', models.PositiveIntegerField(verbose_name='register year')),
                ('series', models.CharField(blank=True, default='', max_length=20, verbose_name='series')),
                ('code_number', models.PositiveIntegerField(verbose_name='number')),
                ('code_notation', models.CharField(help_text='e.g. KH-SNgV.', max_length=30, verbose_name='symbol')),
                ('type_code', models.CharField(blank=True, max_length=10, verbose_name='type abbreviation')),
                ('type_name', models.CharField(max_length=100, verbose_name='document type')),
                ('issued_date', models.DateField(verbose_name='date of the document')),
                ('subject', models.CharField(max_length=500, verbose_name='summary (trích yếu)')),
                ('signer_position', models.CharField(blank=True, max_length=100, verbose_name="signer's position")),
                ('signer_full_name', models.CharField(blank=True, max_length=150, verbose_name='signer')),
                ('to_places', models.TextField(blank=True, help_text='One per line.', verbose_name='recipients (Nơi nhận)')),
                ('archive_holder', models.CharField(blank=True, max_length=255, verbose_name='unit or person keeping the file copy')),
                ('issued_amount', models.PositiveIntegerField(default=1, verbose_name='number of copies')),
                ('sent_date', models.DateField(blank=True, null=True, verbose_name='date sent')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('source_id', models.PositiveBigIntegerField(blank=True, editable=False, null=True)),
                ('created', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outgoing_documents', to='accounts.agency', verbose_name='agency')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('source_type', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name': 'outgoing document',
                'verbose_name_plural': 'outgoing register',
                'ordering': ['-register_year', 'series', '-code_number'],
                'indexes': [models.Index(fields=['source_type', 'source_id'], name='outgoing_source_idx')],
                'constraints': [models.UniqueConstraint(fields=('agency', 'register_year', 'series', 'code_number'), name='outgoing_number_unique')],
            },
        ),
        migrations.CreateModel(
            name='RegisterSeries',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(help_text='Short name of the series, e.g. qd.', max_length=20, verbose_name='code')),
                ('name', models.CharField(max_length=150, verbose_name='name')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='register_series', to='accounts.agency', verbose_name='agency')),
                ('doc_types', models.ManyToManyField(related_name='+', to='documents.documenttype', verbose_name='document types')),
            ],
            options={
                'verbose_name': 'number series',
                'verbose_name_plural': 'number series',
                'ordering': ['code'],
                'constraints': [models.UniqueConstraint(fields=('agency', 'code'), name='register_series_code_unique')],
            },
        ),
    ]
