"""A little history for the active quarter: a baseline on its first day, a few honest
changes to the plan since (with their reasons), and a baseline after the monthly review,
so the drift page and the baseline comparison have something to show.

The changes are chosen so that none of the demo's deliberate inconsistencies moves:
nothing a detected conflict names (or whose team it names) is touched, the rescheduled
work stays inside the quarter, the dropped work's key results are carried by work already
in Now, and nothing touched has dependencies.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable
from django.utils import timezone

from tandem.accounts.models import Member, Workspace
from tandem.domain.conflict_rules import detect
from tandem.okrs.models import Cycle, KeyResult
from tandem.planning.snapshot import load_plan
from tandem.reviews.baselines import baseline_take
from tandem.reviews.models import Baseline
from tandem.roadmaps.models import Dependency, Initiative, InitiativeStatus
from tandem.roadmaps.services import initiative_update


def add_drift(*, workspace: Workspace, cycle: Cycle, by: Member, today: datetime.date) -> None:
    _baseline(workspace, cycle, by, f"Start of {cycle.name}", cycle.start)
    review_day = cycle.start + datetime.timedelta(days=35)
    if review_day >= today:
        return  # a young quarter has no history yet
    spare = _spare(workspace, today)
    _drop(spare, cycle, by)
    _baseline(workspace, cycle, by, "After the monthly roadmap review", review_day)
    _reschedule(spare, cycle, by)


def _spare(workspace: Workspace, today: datetime.date) -> QuerySet[Initiative]:
    """Initiatives no conflict names, of teams no conflict names, waiting on nothing."""
    named: dict[str, set[int]] = {"initiative": set(), "team": set()}
    for conflict in detect(load_plan(workspace, today)):
        for kind, id in (*conflict.subject, *conflict.involved):
            named.setdefault(kind, set()).add(id)
    return (
        Initiative.objects.in_workspace(workspace)
        .exclude(pk__in=named["initiative"])
        .exclude(team__in=named["team"])
        .filter(_free_of_dependencies(workspace))
    )


def _baseline(
    workspace: Workspace, cycle: Cycle, by: Member, name: str, day: datetime.date
) -> None:
    baseline = baseline_take(workspace=workspace, by=by, name=name, cycle=cycle)
    taken_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Baseline.objects.filter(pk=baseline.pk).update(taken_at=taken_at)


def _free_of_dependencies(workspace: Workspace) -> Combinable:
    return ~Exists(
        Dependency.objects.filter(
            Q(initiative=OuterRef("pk")) | Q(depends_on=OuterRef("pk")), workspace=workspace
        )
    )


def _drop(spare: QuerySet[Initiative], cycle: Cycle, by: Member) -> None:
    """Drop planned work whose key results other work already carries."""
    backed = KeyResult.objects.in_cycle(cycle).filter(
        contributions__initiative__status=InitiativeStatus.IN_PROGRESS,
        contributions__initiative__horizon="now",
    )
    initiative = (
        spare.filter(
            status=InitiativeStatus.PLANNED,
            contributions__key_result__in=backed,
            contributions__key_result__objective__cycle=cycle,
        )
        .order_by("title")
        .distinct()
        .first()
    )
    if initiative is None:
        return
    initiative_update(
        initiative=initiative,
        status=InitiativeStatus.DROPPED,
        reason="Dropped at the monthly roadmap review: the work in Now already covers it.",
        by=by,
    )


def _reschedule(spare: QuerySet[Initiative], cycle: Cycle, by: Member) -> None:
    week = datetime.timedelta(days=7)
    initiative = (
        spare.filter(status=InitiativeStatus.IN_PROGRESS, horizon="now")
        .filter(end_date__lte=cycle.end - week)
        .order_by("title")
        .first()
    )
    if initiative is None or initiative.end_date is None:
        return
    initiative_update(
        initiative=initiative,
        end_date=initiative.end_date + week,
        reason="QA found two blocking bugs in the beta; one more week.",
        by=by,
    )
