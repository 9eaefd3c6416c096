"""External references: where an object came from outside Tandem (a Jira epic, a Linear
project, a row of a spreadsheet, a plan file), so importing the same source again updates
what it brought in before instead of duplicating it.

One abstract model, mixed into objectives, key results, initiatives, insights and teams;
each concrete model adds `EXTERNAL_REF_CONSTRAINTS` to its Meta (Django names them per
model through `%(class)s`).
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from ninja import Field, Schema

from tandem.core.api_fields import OMITTED
from tandem.core.constraints import FieldCheck, FieldUnique

SOURCE_PATTERN = r"^[a-z][a-z0-9_-]{0,19}$"


class ExternalRef(models.Model):
    external_source = models.CharField(
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                SOURCE_PATTERN, "A source is a short lowercase name: jira, linear, github, csv..."
            )
        ],
        help_text="Where it came from: jira, linear, github, gitlab, csv, yaml...",
    )
    external_id = models.CharField(
        max_length=120, blank=True, help_text="Its key there (PROJ-12, a row id...)."
    )
    external_url = models.URLField(max_length=500, blank=True, help_text="Its page there.")

    class Meta:
        abstract = True

    @property
    def external_label(self) -> str:
        if not self.external_source:
            return ""
        return f"{self.external_source} {self.external_id}".strip()


EXTERNAL_REF_CONSTRAINTS: list[models.BaseConstraint] = [
    FieldUnique(
        fields=["workspace", "external_source", "external_id"],
        condition=~Q(external_id=""),
        field="external_id",
        name="%(class)s_external_id_unique",
        violation_error_message="Another object of this workspace has this source and id.",
    ),
    FieldCheck(
        condition=Q(external_id="") | ~Q(external_source=""),
        field="external_source",
        name="%(class)s_external_id_has_source",
        violation_error_message="Say which source the external id belongs to.",
    ),
]

SOURCE = Field(
    "",
    max_length=20,
    pattern=r"^$|" + SOURCE_PATTERN,
    description="Where it came from (jira, linear, github, gitlab, csv, yaml...); empty: none.",
)
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
EXTERNAL_ID = Field(
    "",
    max_length=120,
    pattern=ONE_LINE,
    description="Its key in that source; unique per workspace and source.",
)
URL = Field("", max_length=500, pattern=ONE_LINE, description="Its page in that source.")


class ExternalRefOut(Schema):
    """Mixed into the API's output schemas of the objects that carry a reference."""

    external_source: str = Field(description="Where it came from; empty when made in Tandem.")
    external_id: str = Field(description="Its key in that source.")
    external_url: str = Field(description="Its page in that source.")


class ExternalRefIn(Schema):
    external_source: str = SOURCE
    external_id: str = EXTERNAL_ID
    external_url: str = URL


class ExternalRefPatch(Schema):
    external_source: str = Field(OMITTED, max_length=20, pattern=r"^$|" + SOURCE_PATTERN)
    external_id: str = Field(OMITTED, max_length=120, pattern=ONE_LINE)
    external_url: str = Field(OMITTED, max_length=500, pattern=ONE_LINE)
