import datetime
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tandem.accounts.zones import local_today
from tandem.core.bounds import DecimalSize
from tandem.core.constraints import FieldCheck, FieldUnique
from tandem.core.external import EXTERNAL_REF_CONSTRAINTS, ExternalRef
from tandem.core.tenancy import TenantModel, TenantQuerySet
from tandem.core.versioning import Versioned
from tandem.domain.calendar import day_words

AMOUNT: DecimalSize = {"max_digits": 16, "decimal_places": 4}


class CycleState(models.TextChoices):
    PLANNING = "planning", "Planning"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class CycleQuerySet(TenantQuerySet["Cycle"]):
    def active(self) -> "CycleQuerySet":
        return self.filter(state=CycleState.ACTIVE)

    def containing(self, day: datetime.date) -> "CycleQuerySet":
        return self.filter(start__lte=day, end__gte=day)


class Cycle(Versioned, TenantModel):
    """An OKR period: a quarter by default, or any custom span (a half, a year)."""

    name = models.CharField(max_length=60)
    start = models.DateField()
    end = models.DateField(help_text="The last day of the cycle.")
    state = models.CharField(max_length=10, choices=CycleState.choices, default=CycleState.PLANNING)

    objects: ClassVar = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            FieldCheck(
                condition=Q(end__gt=F("start")),
                field="end",
                name="cycle_ends_after_start",
                violation_error_message="The end must come after the start.",
            ),
            FieldUnique(
                fields=["workspace", "name"],
                field="name",
                name="cycle_name_unique",
                violation_error_message="A cycle with this name already exists.",
            ),
            models.CheckConstraint(condition=Q(state__in=CycleState.values), name="cycle_state"),
        ]

    def __str__(self) -> str:
        return self.name


class Commitment(models.TextChoices):
    COMMITTED = "committed", "Committed"
    ASPIRATIONAL = "aspirational", "Aspirational"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DROPPED = "dropped", "Dropped"
    ARCHIVED = "archived", "Archived"


class ObjectiveQuerySet(TenantQuerySet["Objective"]):
    def in_cycle(self, cycle: Cycle) -> "ObjectiveQuerySet":
        return self.filter(cycle=cycle)

    def active(self) -> "ObjectiveQuerySet":
        return self.filter(status=GoalStatus.ACTIVE)


class Objective(ExternalRef, Versioned, TenantModel):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    pillar = models.ForeignKey(
        "strategy.Pillar",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
    )
    team = models.ForeignKey(
        "strategy.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="objectives"
    )
    owner = models.ForeignKey(
        "accounts.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
    )
    commitment = models.CharField(
        max_length=12, choices=Commitment.choices, default=Commitment.COMMITTED
    )
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            FieldCheck(
                condition=~Q(parent=F("id")),
                field="parent",
                name="objective_not_own_parent",
                violation_error_message="An objective cannot be its own parent.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=GoalStatus.values), name="objective_status"
            ),
            models.CheckConstraint(
                condition=Q(commitment__in=Commitment.values), name="objective_commitment"
            ),
            *EXTERNAL_REF_CONSTRAINTS,
        ]
        indexes = [models.Index(fields=["workspace", "cycle", "status"], name="objective_cycle")]

    def __str__(self) -> str:
        return self.title


class KeyResultKind(models.TextChoices):
    INCREASE = "increase", "Increase to"
    DECREASE = "decrease", "Decrease to"
    STAY_ABOVE = "stay_above", "Stay above"
    STAY_BELOW = "stay_below", "Stay below"
    MILESTONE = "milestone", "Milestone"


class Unit(models.TextChoices):
    NUMBER = "number", "Number"
    PERCENT = "percent", "Percent"
    CURRENCY = "currency", "Currency"


class KeyResultQuerySet(TenantQuerySet["KeyResult"]):
    def in_cycle(self, cycle: Cycle) -> "KeyResultQuerySet":
        return self.filter(objective__cycle=cycle)

    def active(self) -> "KeyResultQuerySet":
        return self.filter(status=GoalStatus.ACTIVE, objective__status=GoalStatus.ACTIVE)


class KeyResult(ExternalRef, Versioned, TenantModel):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=KeyResultKind.choices)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.NUMBER)
    currency = models.CharField(
        max_length=3, blank=True, help_text="ISO code when unit is currency."
    )
    start_value = models.DecimalField(**AMOUNT, default=0)
    target_value = models.DecimalField(**AMOUNT)
    current_value = models.DecimalField(**AMOUNT, default=0)
    # The latest check-in by date, kept here so analyses need not scan every check-in.
    last_check_in = models.DateField(null=True, blank=True)
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    owner = models.ForeignKey(
        "accounts.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_results",
    )
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    check_in_every_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Its check-in rhythm in days; empty for the workspace's.",
    )
    needs_no_initiative = models.BooleanField(
        default=False, help_text="Met by running the business, not by roadmap work."
    )
    grade = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    grade_comment = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = KeyResultQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            FieldCheck(
                condition=~Q(kind=KeyResultKind.INCREASE) | Q(target_value__gt=F("start_value")),
                field="target_value",
                name="kr_increase_target_above_start",
                violation_error_message="To increase, the target must be above the start.",
            ),
            FieldCheck(
                condition=~Q(kind=KeyResultKind.DECREASE) | Q(target_value__lt=F("start_value")),
                field="target_value",
                name="kr_decrease_target_below_start",
                violation_error_message="To decrease, the target must be below the start.",
            ),
            FieldCheck(
                condition=~Q(kind=KeyResultKind.MILESTONE)
                | Q(start_value=0, target_value=1, current_value__in=[0, 1]),
                field="current_value",
                name="kr_milestone_done_or_not",
                violation_error_message="A milestone is either done (1) or not (0).",
            ),
            FieldCheck(
                condition=~Q(unit=Unit.CURRENCY) | ~Q(currency=""),
                field="currency",
                name="kr_currency_has_code",
                violation_error_message="Give the currency's ISO code, e.g. EUR.",
            ),
            FieldCheck(
                condition=Q(weight__gt=0),
                field="weight",
                name="kr_weight_positive",
                violation_error_message="The weight must be above zero.",
            ),
            FieldCheck(
                condition=Q(grade__isnull=True) | Q(grade__gte=0, grade__lte=1),
                field="grade",
                name="kr_grade_0_to_1",
                violation_error_message="A grade lies between 0.0 and 1.0.",
            ),
            models.CheckConstraint(condition=Q(kind__in=KeyResultKind.values), name="kr_kind"),
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="kr_unit"),
            models.CheckConstraint(condition=Q(status__in=GoalStatus.values), name="kr_status"),
            *EXTERNAL_REF_CONSTRAINTS,
        ]

    def __str__(self) -> str:
        return self.title


class CheckInQuerySet(TenantQuerySet["CheckIn"]):
    def latest_first(self) -> "CheckInQuerySet":
        return self.order_by("-date", "-created_at", "-id")


class CheckIn(TenantModel):
    """A weekly reading of a key result: the value, how confident its owner is, and why."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="check_ins")
    date = models.DateField()
    value = models.DecimalField(**AMOUNT)
    confidence = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="0 (no chance) to 10 (certain); unknown when imported."
    )
    note = models.TextField(blank=True)
    # Set by an import or a plan apply rather than told by a person: nobody vouched for a
    # confidence, so it stays unknown.
    imported = models.BooleanField(default=False)
    # Which kind of data source sent it (push, json, csv, sql); empty when a person did.
    source = models.CharField(max_length=10, blank=True)
    author = models.ForeignKey(
        "accounts.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="check_ins",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["date", "created_at", "id"]
        constraints = [
            FieldCheck(
                condition=Q(confidence__gte=0, confidence__lte=10),
                field="confidence",
                name="checkin_confidence_0_to_10",
                violation_error_message="Confidence runs from 0 to 10.",
            ),
        ]
        indexes = [models.Index(fields=["key_result", "date"], name="checkin_history")]

    def __str__(self) -> str:
        # Also the check-in's name in history and feeds: a day as pages write it.
        on = day_words(self.date) if isinstance(self.date, datetime.date) else self.date
        return f"{self.key_result} on {on}: {self.value}"

    def clean(self) -> None:
        super().clean()
        # The latest check-in by date is the key result's current reading: one dated ahead
        # would stay "current" over every real one until that day.
        today = local_today(self.workspace, self.author)
        if isinstance(self.date, datetime.date) and self.date > today:
            raise ValidationError({"date": "A check-in cannot be dated in the future."})
