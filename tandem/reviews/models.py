from typing import ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from tandem.core.tenancy import TenantModel, TenantQuerySet
from tandem.core.versioning import Versioned


class ReviewKind(models.TextChoices):
    WEEKLY_CHECK_IN = "weekly_check_in", "Weekly check-in"
    ROADMAP_REVIEW = "roadmap_review", "Monthly roadmap review"
    OKR_REVIEW = "okr_review", "Quarterly OKR review"
    RETROSPECTIVE = "retrospective", "Retrospective"


class Recurrence(models.TextChoices):
    NONE = "none", "Does not repeat"
    WEEKLY = "weekly", "Every week"
    MONTHLY = "monthly", "Every month"
    QUARTERLY = "quarterly", "Every quarter"


class ReviewQuerySet(TenantQuerySet["Review"]):
    def upcoming(self) -> "ReviewQuerySet":
        return self.filter(closed_at__isnull=True)


class Review(Versioned, TenantModel):
    """A meeting of the rhythm. Opening it freezes an agenda built from the live plan."""

    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    title = models.CharField(max_length=200)
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    recurrence = models.CharField(max_length=10, choices=Recurrence.choices, default="none")
    cycle = models.ForeignKey(
        "okrs.Cycle", null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    attendees = models.ManyToManyField("accounts.Member", related_name="reviews")
    teams = models.ManyToManyField("strategy.Team", blank=True, related_name="reviews")
    agenda = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True, help_text="Markdown.")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.Member", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        indexes = [models.Index(fields=["workspace", "kind", "scheduled_at"], name="review_kind")]

    def __str__(self) -> str:
        return self.title

    @property
    def status(self) -> str:
        if self.closed_at:
            return "done"
        return "open" if self.opened_at else "scheduled"


class Decision(TenantModel):
    """What a review decided, linked to the object it changes."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.CharField(max_length=40, blank=True)
    subject_repr = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(
        "accounts.Member", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(Versioned, TenantModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        "accounts.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due", "id"]

    def __str__(self) -> str:
        return self.title


class Baseline(TenantModel):
    """The whole plan at one moment, as JSON: what later changes are measured against."""

    name = models.CharField(max_length=120)
    cycle = models.ForeignKey(
        "okrs.Cycle", null=True, blank=True, on_delete=models.SET_NULL, related_name="baselines"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        "accounts.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField()

    objects: ClassVar = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Retrospective(TenantModel):
    """A closed cycle's lessons."""

    cycle = models.OneToOneField("okrs.Cycle", on_delete=models.CASCADE, related_name="retro")
    went_well = models.TextField(blank=True)
    went_badly = models.TextField(blank=True)
    try_next = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Retrospective of {self.cycle}"


class FeedScope(models.TextChoices):
    PERSONAL = "personal", "My reviews"
    WORKSPACE = "workspace", "All reviews of the workspace"


class CalendarFeed(TenantModel):
    """A secret address a calendar app subscribes to; only its hash is stored."""

    member = models.ForeignKey(
        "accounts.Member", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    scope = models.CharField(max_length=10, choices=FeedScope.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.member}: {self.scope}"
