from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "tandem.conflicts"
    label = "conflicts"

    def ready(self) -> None:
        from tandem.activity.outbox import subscribe
        from tandem.conflicts.detection import changes_the_plan, detect_after_changes

        subscribe("conflicts.detect", detect_after_changes, about=changes_the_plan)
