from django.db import migrations


class Migration(migrations.Migration):
    # The outbox (0004_outbox) and the delivery UUID (0004, 0005) landed side by side;
    # they touch different columns, so either order is right.
    dependencies = [
        ("activity", "0004_outbox"),
        ("activity", "0005_webhookdelivery_uuid_unique"),
    ]

    operations = []
