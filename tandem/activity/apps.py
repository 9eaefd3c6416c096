import datetime

from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "tandem.activity"
    label = "activity"

    def ready(self) -> None:
        from tandem.activity.digest import digests_queue
        from tandem.activity.fanout import fan_out
        from tandem.activity.outbox import drain, subscribe
        from tandem.core.schedule import scheduled
        from tandem.core.worker import every

        # Watchers hear of every change, webhooks of the ones they subscribe to.
        subscribe("activity.fan_out", fan_out)
        # What a request could not do right after its commit, the worker does.
        every(2)(drain)
        # Each member's digest is due a day or a week after their last; hourly finds it.
        scheduled(
            "digests",
            every=datetime.timedelta(hours=1),
            what="Queue the email digests that are due (each member's daily or weekly).",
        )(digests_queue)
