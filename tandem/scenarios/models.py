"""Scenarios: named sets of proposed edits kept apart from the plan, evaluated in memory
(tandem/domain/whatif.py), discussed, then discarded or applied as one change set."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.core.tenancy import TenantModel, TenantQuerySet
from tandem.core.versioning import Versioned
from tandem.domain.whatif import ACTIONS


class ScenarioStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPLIED = "applied", "Applied"
    DISCARDED = "discarded", "Discarded"


class ScenarioQuerySet(TenantQuerySet["Scenario"]):
    def drafts(self) -> "ScenarioQuerySet":
        return self.filter(status=ScenarioStatus.DRAFT)


class Scenario(Versioned, TenantModel):
    """Its version moves with every write to it or its edits (If-Match, decision 17)."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    author = models.ForeignKey(
        "accounts.Member", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ScenarioStatus.choices, default=ScenarioStatus.DRAFT
    )
    # The plan it was made against: the last change to the plan (a ChangeEvent of a plan
    # app) when it was made, or when someone last confirmed the changes since.
    base_event_id = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_reason = models.TextField(blank=True, max_length=500)

    objects: ClassVar = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ScenarioStatus.values), name="scenario_status"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == ScenarioStatus.DRAFT


class ScenarioEdit(TenantModel):
    """One proposed edit, in the order made: the engine applies them in this order."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="edits")
    action = models.CharField(max_length=40, choices=list(ACTIONS.items()))
    params = models.JSONField(default=dict)
    label = models.CharField(max_length=300, help_text="The edit in words, as it was made.")
    author = models.ForeignKey(
        "accounts.Member", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class ScenarioComment(TenantModel):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        "accounts.Member", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]


class ScenarioChange(TenantModel):
    """A change an applied scenario made to the plan, linking it to its ChangeEvent."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="changes")
    change_event = models.ForeignKey(
        "activity.ChangeEvent", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "change_event"], name="scenario_change_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} ← {self.change_event_id}"
