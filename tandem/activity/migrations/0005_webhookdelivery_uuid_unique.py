import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    # Separate from 0004: PostgreSQL will not alter a table in the transaction that
    # just updated its rows.
    dependencies = [
        ("activity", "0004_webhookdelivery_uuid"),
    ]

    operations = [
        migrations.AlterField(
            model_name="webhookdelivery",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
