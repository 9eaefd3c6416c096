from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tandem.core.bounds import DecimalSize
from tandem.core.constraints import FieldCheck, FieldUnique
from tandem.core.external import EXTERNAL_REF_CONSTRAINTS, ExternalRef
from tandem.core.tenancy import TenantModel, TenantQuerySet
from tandem.core.versioning import Versioned

EFFORT: DecimalSize = {"max_digits": 8, "decimal_places": 2}


class Roadmap(Versioned, TenantModel):
    """A roadmap per product or team."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, help_text="Markdown.")
    team = models.ForeignKey(
        "strategy.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="roadmaps"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            FieldUnique(
                fields=["workspace", "name"],
                field="name",
                name="roadmap_name_unique",
                violation_error_message="A roadmap with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class InitiativeStatus(models.TextChoices):
    IDEA = "idea", "Idea"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


LIVE_STATUSES = [InitiativeStatus.PLANNED, InitiativeStatus.IN_PROGRESS]


class Horizon(models.TextChoices):
    NOW = "now", "Now"
    NEXT = "next", "Next"
    LATER = "later", "Later"


class InitiativeQuerySet(TenantQuerySet["Initiative"]):
    def live(self) -> "InitiativeQuerySet":
        return self.filter(status__in=LIVE_STATUSES)

    def on_board(self) -> "InitiativeQuerySet":
        return self.order_by("horizon", "position", "id")


class Initiative(ExternalRef, Versioned, TenantModel):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown.")
    status = models.CharField(
        max_length=12, choices=InitiativeStatus.choices, default=InitiativeStatus.IDEA
    )
    horizon = models.CharField(max_length=5, choices=Horizon.choices, default=Horizon.LATER)
    position = models.PositiveIntegerField(default=0, help_text="Order within its board column.")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    team = models.ForeignKey(
        "strategy.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
    )
    owner = models.ForeignKey(
        "accounts.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
    )
    effort = models.DecimalField(**EFFORT, default=0, help_text="Person-weeks.")
    # RICE inputs: reach per quarter, impact 0.25..3, confidence in percent.
    reach = models.PositiveIntegerField(default=0)
    impact = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    confidence = models.PositiveSmallIntegerField(default=80)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["horizon", "position", "id"]
        constraints = [
            FieldCheck(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                field="end_date",
                name="initiative_ends_after_start",
                violation_error_message="The end date cannot come before the start date.",
            ),
            FieldCheck(
                condition=Q(effort__gte=0),
                field="effort",
                name="initiative_effort_not_negative",
                violation_error_message="Effort cannot be below zero.",
            ),
            FieldCheck(
                condition=Q(impact__gte=0, impact__lte=3),
                field="impact",
                name="initiative_impact_0_to_3",
                violation_error_message="Impact runs from 0 to 3 (3 = massive).",
            ),
            FieldCheck(
                condition=Q(confidence__lte=100),
                field="confidence",
                name="initiative_confidence_percent",
                violation_error_message="Confidence is a percentage from 0 to 100.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatus.values), name="initiative_status"
            ),
            models.CheckConstraint(
                condition=Q(horizon__in=Horizon.values), name="initiative_horizon"
            ),
            *EXTERNAL_REF_CONSTRAINTS,
        ]
        indexes = [
            models.Index(fields=["workspace", "horizon", "position"], name="initiative_board"),
            models.Index(fields=["workspace", "start_date"], name="initiative_timeline"),
        ]

    def __str__(self) -> str:
        return self.title


class Contribution(TenantModel):
    """An initiative's expected contribution to a key result."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="contributions"
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult", on_delete=models.CASCADE, related_name="contributions"
    )
    expected_impact = models.TextField(blank=True)
    expected_delta = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Expected change, in the key result's unit.",
    )

    objects: ClassVar = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            FieldUnique(
                fields=["initiative", "key_result"],
                field="key_result",
                name="contribution_once",
                violation_error_message="This initiative already contributes to that key result.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} → {self.key_result}"


class Dependency(TenantModel):
    """`initiative` cannot finish (or start) before `depends_on` ends."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="dependencies"
    )
    depends_on = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="dependents")

    class Meta:
        verbose_name_plural = "dependencies"
        constraints = [
            FieldUnique(
                fields=["initiative", "depends_on"],
                field="depends_on",
                name="dependency_once",
                violation_error_message="This dependency already exists.",
            ),
            FieldCheck(
                condition=~Q(initiative=F("depends_on")),
                field="depends_on",
                name="dependency_not_on_itself",
                violation_error_message="An initiative cannot depend on itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} depends on {self.depends_on}"


class InsightKind(models.TextChoices):
    CUSTOMER_FEEDBACK = "customer_feedback", "Customer feedback"
    MARKET_RESEARCH = "market_research", "Market research"


class InsightStatus(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    ARCHIVED = "archived", "Archived"


class Insight(ExternalRef, Versioned, TenantModel):
    """Evidence for the roadmap: what customers said or what research found."""

    kind = models.CharField(max_length=20, choices=InsightKind.choices)
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True, help_text="Markdown.")
    source = models.CharField(max_length=120, blank=True, help_text="Sales call, survey, ...")
    customer = models.CharField(max_length=120, blank=True, help_text="Customer or segment.")
    importance = models.PositiveSmallIntegerField(default=3, help_text="1 (nice) to 5 (critical).")
    link = models.URLField(blank=True)
    status = models.CharField(
        max_length=10, choices=InsightStatus.choices, default=InsightStatus.NEW
    )
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="insights")
    created_by = models.ForeignKey(
        "accounts.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            FieldCheck(
                condition=Q(importance__gte=1, importance__lte=5),
                field="importance",
                name="insight_importance_1_to_5",
                violation_error_message="Importance runs from 1 to 5.",
            ),
            models.CheckConstraint(condition=Q(kind__in=InsightKind.values), name="insight_kind"),
            *EXTERNAL_REF_CONSTRAINTS,
        ]

    def __str__(self) -> str:
        return self.title


class TeamCapacity(Versioned, TenantModel):
    """How many person-weeks a team can give in a cycle."""

    team = models.ForeignKey("strategy.Team", on_delete=models.CASCADE, related_name="capacities")
    cycle = models.ForeignKey("okrs.Cycle", on_delete=models.CASCADE, related_name="capacities")
    person_weeks = models.DecimalField(**EFFORT)

    class Meta:
        verbose_name_plural = "team capacities"
        constraints = [
            FieldUnique(
                fields=["team", "cycle"],
                field="cycle",
                name="capacity_once_per_team_and_cycle",
                violation_error_message="This team already has a capacity for that cycle.",
            ),
            FieldCheck(
                condition=Q(person_weeks__gte=0),
                field="person_weeks",
                name="capacity_not_negative",
                violation_error_message="Capacity cannot be below zero.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} in {self.cycle}: {self.person_weeks} person-weeks"
