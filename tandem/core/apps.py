from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"

    def ready(self) -> None:
        from tandem.core import worker

        worker.every(30)(worker.recover_stuck_tasks)
        worker.every(3600)(worker.prune)
