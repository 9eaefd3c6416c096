"""Reading the activity feed: the workspace's, a team's, or one object's ChangeEvents."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from tandem.accounts.models import Workspace
from tandem.activity.models import ChangeEvent, ChangeEventQuerySet
from tandem.core.tenancy import TenantModel
from tandem.okrs.models import KeyResult, Objective
from tandem.roadmaps.models import Initiative
from tandem.strategy.models import Team


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
