"""A plan file applied on the task queue: what was asked, how far it got, what it did."""

from django.db import models
from django.utils import timezone

from tandem.core.tenancy import TenantModel


class RunState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class PlanRun(TenantModel):
    """One apply of a plan file by the worker. The file is kept until the run ends, so
    the request that uploaded it can answer at once; its steps are committed as they
    start, outside the apply's own transaction, so the page polling it sees them."""

    requested_by = models.ForeignKey(
        "accounts.Member", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.TextField(help_text="The plan file; emptied once it is applied.")
    reason = models.CharField(max_length=500, blank=True)
    # An import from another tool (the Import page, when large) instead of a plan file.
    import_format = models.CharField(max_length=40, blank=True)
    import_options = models.JSONField(default=dict, blank=True, help_text="Roadmap, mappings.")
    upload = models.BinaryField(blank=True, default=b"", help_text="The imported file, until run.")
    file_name = models.CharField(max_length=200, blank=True)
    dry_run = models.BooleanField(default=False, help_text="A preview: rolled back.")
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    step = models.PositiveSmallIntegerField(default=0)
    steps = models.PositiveSmallIntegerField(default=3)
    step_label = models.CharField(max_length=200, default="Waiting for the worker")
    summary = models.CharField(max_length=500, blank=True)
    counts = models.JSONField(default=dict)
    diff = models.TextField(blank=True)
    opened = models.JSONField(default=list, help_text="Conflicts it opens (would open).")
    closed = models.JSONField(default=list, help_text="Conflicts it closes (would close).")
    errors = models.JSONField(default=list, help_text='[{"line", "where", "message"}]')
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        what = "Import" if self.import_format else "Plan apply"
        return f"{what} #{self.pk} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (RunState.DONE, RunState.FAILED)
