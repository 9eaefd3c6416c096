from django.core.management.base import BaseCommand

from tandem.core.models import ScheduledJob
from tandem.core.schedule import jobs


class Command(BaseCommand):
    help = "The scheduled jobs `tandem worker` runs: next due, last run and last error."

    def handle(self, *args: object, **options: object) -> None:
        rows = {row.name: row for row in ScheduledJob.objects.all()}
        for job in jobs():
            row = rows.get(job.name)
            due = f"{row.due_at:%Y-%m-%d %H:%M:%S} UTC" if row else "at the first worker's look"
            self.stdout.write(f"{job.name}: every {job.every}, next {due}")
            self.stdout.write(f"  {job.what}")
            if row and row.last_started_at:
                outcome = f"failed: {row.last_error}" if row.last_error else "ok"
                self.stdout.write(
                    f"  last run {row.last_started_at:%Y-%m-%d %H:%M:%S} UTC by "
                    f"{row.last_worker}: {outcome} ({row.runs} runs)"
                )
