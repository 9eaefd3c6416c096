from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from tandem.core.constraints import FieldCheck, FieldUnique
from tandem.core.external import EXTERNAL_REF_CONSTRAINTS, ExternalRef
from tandem.core.tenancy import TenantModel
from tandem.core.versioning import Versioned


class Strategy(Versioned, TenantModel):
    """The workspace's vision: the long view that pillars and objectives serve."""

    vision = models.TextField(blank=True, help_text="Markdown.")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="one_strategy_per_workspace")
        ]

    def __str__(self) -> str:
        return f"Strategy of {self.workspace}"


class Pillar(Versioned, TenantModel):
    """A long-lived strategic theme that outlasts quarters."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, help_text="Markdown.")
    position = models.PositiveIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            FieldUnique(
                fields=["workspace", "name"],
                field="name",
                name="pillar_name_unique",
                violation_error_message="A pillar with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(ExternalRef, Versioned, TenantModel):
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    members = models.ManyToManyField("accounts.Member", blank=True, related_name="teams")
    color = models.CharField(
        max_length=7,
        default="#4f6bed",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")],
    )
    lead = models.ForeignKey(
        "accounts.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams_led",
        help_text="Who speaks for the team; one of its members.",
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            FieldUnique(
                fields=["workspace", "name"],
                field="name",
                name="team_name_unique",
                violation_error_message="A team with this name already exists.",
            ),
            FieldCheck(
                condition=~models.Q(parent=models.F("id")),
                field="parent",
                name="team_not_own_parent",
                violation_error_message="A team cannot be its own parent.",
            ),
            *EXTERNAL_REF_CONSTRAINTS,
        ]

    def __str__(self) -> str:
        return self.name
