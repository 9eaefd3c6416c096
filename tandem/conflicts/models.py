from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.core.tenancy import TenantModel, TenantQuerySet
from tandem.core.versioning import Versioned
from tandem.domain.conflicts import RULE_LABELS, Rule


class ConflictStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


# Which states a person may move a conflict to; closing by itself is detection's job.
TRANSITIONS = {
    ConflictStatus.OPEN: {
        ConflictStatus.ACKNOWLEDGED,
        ConflictStatus.RESOLVED,
        ConflictStatus.DISMISSED,
    },
    ConflictStatus.ACKNOWLEDGED: {
        ConflictStatus.OPEN,
        ConflictStatus.RESOLVED,
        ConflictStatus.DISMISSED,
    },
    ConflictStatus.DISMISSED: {ConflictStatus.OPEN},
    ConflictStatus.RESOLVED: set(),
}
UNRESOLVED = [ConflictStatus.OPEN, ConflictStatus.ACKNOWLEDGED, ConflictStatus.DISMISSED]


class RootCause(models.TextChoices):
    MARKET_SHIFT = "market_shift", "Market shift"
    NEW_INSIGHT = "new_insight", "New insight"
    CAPACITY = "capacity", "Capacity"
    DEPENDENCY = "dependency", "Dependency"
    ESTIMATION = "estimation", "Estimation"
    STRATEGY_CHANGE = "strategy_change", "Strategy change"
    OTHER = "other", "Other"


class DecisionKind(models.TextChoices):
    REVISE_OKR = "revise_okr", "Revise the OKR"
    REVISE_ROADMAP = "revise_roadmap", "Revise the roadmap"
    BOTH = "both", "Revise both"
    ACCEPT_RISK = "accept_risk", "Accept the risk"


class ConflictQuerySet(TenantQuerySet["Conflict"]):
    def unresolved(self) -> "ConflictQuerySet":
        return self.filter(status__in=UNRESOLVED)

    def needing_attention(self) -> "ConflictQuerySet":
        return self.filter(status__in=[ConflictStatus.OPEN, ConflictStatus.ACKNOWLEDGED])


class Conflict(Versioned, TenantModel):
    """A place where OKRs and roadmap disagree, as found by a rule, and what was done."""

    key = models.CharField(max_length=200, help_text="Rule and entities; stable across runs.")
    rule = models.CharField(max_length=40, choices=[(r.value, RULE_LABELS[r]) for r in Rule])
    severity = models.CharField(max_length=10)
    status = models.CharField(
        max_length=12, choices=ConflictStatus.choices, default=ConflictStatus.OPEN
    )
    sentence = models.TextField()
    subject = models.JSONField(default=list, help_text="[[kind, id], ...] identifying it.")
    involved = models.JSONField(default=list)
    suggestions = models.JSONField(default=list)
    # Each suggestion tried on the plan, in the suggestions' order (conflicts.simulation):
    # what it would close and open; null for one that needs a choice.
    fix_effects = models.JSONField(default=list, blank=True, editable=False)
    # The plan they were worked out on ("day:newest change", as detection marks a run):
    # another mark means the plan has moved on and they are worked out again when read.
    fix_effects_of = models.CharField(max_length=40, blank=True, editable=False)
    fingerprint = models.CharField(max_length=16)
    # A hash of the detected fields, so a re-run compares one value (conflicts.detection).
    digest = models.CharField(max_length=16, blank=True, editable=False)
    # The teams owning what it is about, as detection saw them: ",3,17," (filtered with a
    # plain `contains` on every database, so the inbox needs no second look at the plan).
    teams = models.TextField(blank=True, editable=False)
    cycle = models.ForeignKey(
        "okrs.Cycle", null=True, blank=True, on_delete=models.SET_NULL, related_name="conflicts"
    )
    detected_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_note = models.TextField(blank=True, help_text="Why it closed, naming the change.")
    dismissed_reason = models.TextField(blank=True)
    dismissed_fingerprint = models.CharField(max_length=16, blank=True)
    root_cause = models.CharField(max_length=20, choices=RootCause.choices, blank=True)
    root_cause_note = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=DecisionKind.choices, blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        "accounts.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    stakeholders = models.ManyToManyField(
        "accounts.Member", blank=True, related_name="conflicts_involved_in"
    )
    stakeholder_teams = models.ManyToManyField(
        "strategy.Team", blank=True, related_name="conflicts_involved_in"
    )

    objects: ClassVar = ConflictQuerySet.as_manager()

    class Meta:
        ordering = ["-detected_at", "-id"]
        constraints = [
            # One live record per conflict key; a resolved one stays in the decision log
            # and a recurrence opens a new record.
            models.UniqueConstraint(
                fields=["workspace", "key"],
                condition=Q(status__in=UNRESOLVED),
                name="conflict_one_unresolved_per_key",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ConflictStatus.values), name="conflict_status"
            ),
            models.CheckConstraint(
                condition=~Q(status=ConflictStatus.DISMISSED) | ~Q(dismissed_reason=""),
                name="conflict_dismissal_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["workspace", "status", "rule"], name="conflict_inbox")]

    def __str__(self) -> str:
        return self.sentence[:200]

    @property
    def team_ids(self) -> list[int]:
        return [int(t) for t in self.teams.split(",") if t]

    @property
    def rule_label(self) -> str:
        return RULE_LABELS[Rule(self.rule)]


class ConflictComment(TenantModel):
    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        "accounts.Member", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(help_text="Markdown.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]


class ConflictEdit(TenantModel):
    """A change made to resolve a conflict, linking it to the ChangeEvent it produced."""

    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="edits")
    change_event = models.ForeignKey(
        "activity.ChangeEvent", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["conflict", "change_event"], name="conflict_edit_once")
        ]

    def __str__(self) -> str:
        return f"{self.conflict_id} ← {self.change_event}"
