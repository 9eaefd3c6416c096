import datetime

from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "tandem.conflicts"
    label = "conflicts"

    def ready(self) -> None:
        from tandem.activity.outbox import subscribe
        from tandem.conflicts.detection import (
            changes_the_plan,
            detect_after_changes,
            redetect_daily,
        )
        from tandem.core.schedule import scheduled

        subscribe("conflicts.detect", detect_after_changes, about=changes_the_plan)
        # Pace, "at risk" and "late" depend on today's date: detect once a day, after each
        # workspace's own midnight, not only after a write.
        scheduled(
            "redetect",
            every=datetime.timedelta(minutes=15),
            what=(
                "Re-detect conflicts in every workspace once a day, in the first quarter "
                "hour after its local midnight."
            ),
        )(redetect_daily)
