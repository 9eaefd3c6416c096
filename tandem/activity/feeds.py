"""Reading the activity feed: the workspace's, a team's, or one object's ChangeEvents.

`FeedFilters` is the feed's one filter definition: the API's feed takes it as query
parameters (?entity=initiative-12, ?team_id=3), the activity page reads it from its own
(?entity=, ?team=) and each object's feed page names its object in the path; all of them
get their feed from `activity_feed`, which refuses an object of another workspace by the
field that named it."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from ninja import Field, FilterSchema

from tandem.accounts.models import Workspace
from tandem.activity.models import ChangeEvent, ChangeEventQuerySet
from tandem.conflicts.models import Conflict
from tandem.core.api_fields import Id
from tandem.core.tenancy import TenantModel
from tandem.okrs.models import KeyResult, Objective
from tandem.reviews.models import Review
from tandem.roadmaps.models import Initiative
from tandem.strategy.models import Team

# `entity=<kind>-<id>` → the model of the object whose feed is wanted.
FEED_OBJECTS: dict[str, Any] = {
    "team": Team,
    "objective": Objective,
    "key_result": KeyResult,
    "initiative": Initiative,
    "conflict": Conflict,
    "review": Review,
}


class FeedFilters(FilterSchema):
    entity: str | None = Field(
        default=None,
        pattern=rf"^({'|'.join(FEED_OBJECTS)})-[1-9][0-9]{{0,17}}$",
        description="kind-id, e.g. initiative-12: that object's changes.",
    )
    team_id: Id | None = Field(
        default=None,
        description="A team's: the team, its objectives and their key results, its work.",
    )


# The activity page's query-string names for the fields.
PAGE_NAMES = {"entity": "entity", "team": "team_id"}


@dataclass(frozen=True)
class Feed:
    events: ChangeEventQuerySet
    subject: TenantModel | None = None  # the object or team whose feed it is
    kind: str = ""  # its key in FEED_OBJECTS


def activity_feed(workspace: Workspace, filters: FeedFilters) -> Feed:
    """The feed the filters ask for, newest first: one object's (`entity` wins), a team's,
    else the workspace's. An object that is not the workspace's is a ValidationError
    naming the field that asked for it (one query to find it)."""
    if filters.entity is not None:
        kind, _, pk = filters.entity.rpartition("-")
        obj = _find(FEED_OBJECTS[kind], workspace, int(pk), field="entity")
        return Feed(feed_of_object(obj), obj, kind)
    if filters.team_id is not None:
        team = _find(Team, workspace, filters.team_id, field="team_id")
        return Feed(feed_of_team(team), team, "team")
    return Feed(feed_of_workspace(workspace))


def _find(model: Any, workspace: Workspace, pk: int, *, field: str) -> Any:
    found = model.objects.in_workspace(workspace).filter(pk=pk).first()
    if found is None:
        name = model._meta.verbose_name
        raise ValidationError({field: f"No {name} with id {pk} in this workspace."})
    return found


def _about(model: type[models.Model], ids: Iterable[object]) -> Q:
    return Q(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    )


def feed_of_workspace(workspace: Workspace) -> ChangeEventQuerySet:
    """Every change, except that a plan apply shows as its one summary (the changes it made
    stay on each object's own feed)."""
    plan_batches = ChangeEvent.objects.in_workspace(workspace).filter(action="plan_applied")
    return (
        ChangeEvent.objects.in_workspace(workspace)
        .exclude(Q(batch__in=plan_batches.values("batch")) & ~Q(action="plan_applied"))
        .select_related("actor", "content_type")
    )


def feed_of_team(team: Team) -> ChangeEventQuerySet:
    """The team itself, its objectives and their key results, and its initiatives."""
    objectives = list(Objective.objects.filter(team=team).values_list("pk", flat=True))
    key_results = KeyResult.objects.filter(objective_id__in=objectives).values_list("pk", flat=True)
    initiatives = Initiative.objects.filter(team=team).values_list("pk", flat=True)
    return _all_of(team.workspace).filter(
        _about(Team, [team.pk])
        | _about(Objective, objectives)
        | _about(KeyResult, list(key_results))
        | _about(Initiative, list(initiatives))
    )


def feed_of_object(obj: TenantModel) -> ChangeEventQuerySet:
    return _all_of(obj.workspace).about(obj)


def _all_of(workspace: Workspace) -> ChangeEventQuerySet:
    return ChangeEvent.objects.in_workspace(workspace).select_related("actor", "content_type")
