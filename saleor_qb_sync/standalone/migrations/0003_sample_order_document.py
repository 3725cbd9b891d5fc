"""Sample orders' documents move to their own table, so the order table stays narrow."""

from django.db import migrations, models

COPY = """INSERT INTO qb_sync_standalone_sampleorderdocument (order_id, document)
          SELECT order_id, document FROM qb_sync_standalone_sampleorder"""
COPY_BACK = """UPDATE qb_sync_standalone_sampleorder o SET document = d.document
               FROM qb_sync_standalone_sampleorderdocument d WHERE d.order_id = o.order_id"""


class Migration(migrations.Migration):

    dependencies = [
        ('qb_sync_standalone', '0002_stored_preferences'),
    ]

    operations = [
        # nullable first, so that going back can add the column before refilling it
        migrations.AlterField(
            model_name='sampleorder',
            name='document',
            field=models.JSONField(null=True),
        ),
        migrations.CreateModel(
            name='SampleOrderDocument',
            fields=[
                ('order', models.OneToOneField(on_delete=models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='qb_sync_standalone.sampleorder')),
                ('document', models.JSONField()),
            ],
        ),
        migrations.RunSQL(COPY, COPY_BACK),
        migrations.RemoveField(
            model_name='sampleorder',
            name='document',
        ),
    ]
