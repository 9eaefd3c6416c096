import uuid

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def give_each_delivery_its_own_uuid(
    apps: StateApps, schema_editor: BaseDatabaseSchemaEditor
) -> None:
    WebhookDelivery = apps.get_model("activity", "WebhookDelivery")
    for delivery in WebhookDelivery.objects.filter(uuid__isnull=True).only("pk"):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0003_digestpreference_webhook_webhookdelivery_watch"),
    ]

    operations = [
        # Nullable first: a default would give every existing row the same UUID.
        migrations.AddField(
            model_name="webhookdelivery",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_delivery_its_own_uuid, migrations.RunPython.noop),
    ]
