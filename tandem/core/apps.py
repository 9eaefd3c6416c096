import datetime

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"

    def ready(self) -> None:
        from tandem.core import worker
        from tandem.core.schedule import scheduled

        minute = datetime.timedelta(minutes=1)
        scheduled(
            "recover-stuck-tasks",
            every=minute,
            what="Queue again the tasks a dead worker left running for 2 minutes.",
        )(worker.recover_stuck_tasks)
        scheduled(
            "prune",
            every=datetime.timedelta(hours=1),
            what="Drop worker heartbeats and API rate counters older than a day.",
        )(worker.prune)
