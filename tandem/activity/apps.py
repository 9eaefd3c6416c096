from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "tandem.activity"
    label = "activity"

    def ready(self) -> None:
        from tandem.activity.fanout import fan_out
        from tandem.activity.outbox import subscribe

        # Watchers hear of every change, webhooks of the ones they subscribe to.
        subscribe("activity.fan_out", fan_out)
