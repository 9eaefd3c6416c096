"""Where a key result's value comes from: a push (a script posts it) or a pull (Tandem fetches
JSON or CSV, or queries a PostgreSQL database, on a schedule), and a record of every run."""

import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.core.constraints import FieldCheck
from tandem.core.tenancy import TenantModel, TenantQuerySet
from tandem.core.versioning import Versioned
from tandem.okrs.models import AMOUNT, KeyResult

# A source failing for longer than this is shown on its key result, the overview and in
# review agendas.
FAILING_AFTER = datetime.timedelta(days=1)


class SourceKind(models.TextChoices):
    PUSH = "push", "Push (a script posts the value)"
    JSON = "json", "Pull JSON from a URL"
    CSV = "csv", "Pull CSV from a URL"
    SQL = "sql", "Query a PostgreSQL database"


PULL_KINDS = (SourceKind.JSON, SourceKind.CSV, SourceKind.SQL)


class Every(models.TextChoices):
    HOURLY = "hourly", "Every hour"
    DAILY = "daily", "Every day"
    WEEKLY = "weekly", "Every week"


INTERVALS = {
    Every.HOURLY: datetime.timedelta(hours=1),
    Every.DAILY: datetime.timedelta(days=1),
    Every.WEEKLY: datetime.timedelta(days=7),
}


class DataSourceQuerySet(TenantQuerySet["DataSource"]):
    def failing(self, now: datetime.datetime | None = None) -> "DataSourceQuerySet":
        """Failing for more than a day, on a live key result."""
        return self.live().filter(failing_since__lte=(now or timezone.now()) - FAILING_AFTER)

    def live(self) -> "DataSourceQuerySet":
        """On a key result that still takes values: active, in an open cycle."""
        return self.filter(
            key_result__status="active", key_result__objective__status="active"
        ).exclude(key_result__objective__cycle__state="closed")

    def due(self, now: datetime.datetime) -> "DataSourceQuerySet":
        return self.live().filter(kind__in=PULL_KINDS, next_run_at__lte=now)


class DataSource(Versioned, TenantModel):
    key_result = models.OneToOneField(
        KeyResult, on_delete=models.CASCADE, related_name="data_source"
    )
    kind = models.CharField(max_length=4, choices=SourceKind.choices)
    url = models.URLField(
        max_length=2000, blank=True, help_text="JSON or CSV: the address Tandem fetches."
    )
    path = models.CharField(
        max_length=200,
        blank=True,
        help_text='JSON: where the value is, e.g. data.active_teams or results[-1]["count"].',
    )
    column = models.CharField(
        max_length=100,
        blank=True,
        help_text="CSV: the column (its header or number) of the last row.",
    )
    database = models.CharField(
        max_length=60, blank=True, help_text="SQL: one of the databases set in TANDEM_SQL_SOURCES."
    )
    query = models.TextField(
        max_length=4000,
        blank=True,
        help_text="SQL: one read-only statement; the first column of its first row is the value.",
    )
    every = models.CharField(max_length=6, choices=Every.choices, blank=True)
    # The push URL's random part, and the SHA-256 of the push secret (shown once).
    push_id = models.CharField(max_length=32, blank=True)
    secret_hash = models.CharField(max_length=64, blank=True)
    # Whose check-ins its values become: the editor who set it up.
    created_by = models.ForeignKey(
        "accounts.Member", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_value = models.DecimalField(**AMOUNT, null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = DataSourceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="source_kind"),
            FieldCheck(
                condition=~Q(kind__in=[SourceKind.JSON, SourceKind.CSV]) | ~Q(url=""),
                field="url",
                name="source_pull_url",
                violation_error_message="Give the address to fetch.",
            ),
            FieldCheck(
                condition=~Q(kind=SourceKind.CSV) | ~Q(column=""),
                field="column",
                name="source_csv_column",
                violation_error_message="Say which column of the last row holds the value.",
            ),
            FieldCheck(
                condition=~Q(kind=SourceKind.SQL) | ~Q(database=""),
                field="database",
                name="source_sql_database",
                violation_error_message="Choose the database to query.",
            ),
            FieldCheck(
                condition=~Q(kind=SourceKind.SQL) | ~Q(query=""),
                field="query",
                name="source_sql_query",
                violation_error_message="Write the query that returns the value.",
            ),
            FieldCheck(
                condition=Q(kind=SourceKind.PUSH, every="")
                | (~Q(kind=SourceKind.PUSH) & Q(every__in=Every.values)),
                field="every",
                name="source_pull_every",
                violation_error_message="Say how often to fetch: hourly, daily or weekly.",
            ),
            models.UniqueConstraint(
                fields=["push_id"], condition=~Q(push_id=""), name="source_push_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Data source ({self.kind}) of key result {self.key_result_id}"

    @property
    def is_push(self) -> bool:
        return self.kind == SourceKind.PUSH

    def failing_long(self, now: datetime.datetime | None = None) -> bool:
        return (
            self.failing_since is not None
            and self.failing_since <= (now or timezone.now()) - FAILING_AFTER
        )

    def where(self) -> str:
        """Where the value comes from, in a few words."""
        if self.kind == SourceKind.PUSH:
            return "pushed by a script"
        if self.kind == SourceKind.SQL:
            return f"a query on {self.database}"
        picked = f"{self.path or '$'}" if self.kind == SourceKind.JSON else f"column {self.column}"
        return f"{self.url} ({picked})"


class SourceRun(TenantModel):
    """One run of a source: when, the value it read, or why it read none."""

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="runs")
    at = models.DateTimeField(default=timezone.now)
    trigger = models.CharField(max_length=8)  # push, schedule, manual
    value = models.DecimalField(**AMOUNT, null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    check_in = models.ForeignKey(
        "okrs.CheckIn", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["source", "-at"], name="source_run_history")]

    def __str__(self) -> str:
        return f"{self.source} at {self.at}: {self.error or self.value}"
