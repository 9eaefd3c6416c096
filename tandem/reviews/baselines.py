"""Taking baselines and measuring drift against them."""

import datetime

from django.utils import timezone

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role, Workspace
from tandem.accounts.zones import local_today
from tandem.activity.models import ChangeEvent
from tandem.activity.outbox import app_label_of
from tandem.activity.services import record_change
from tandem.domain import baselines as domain
from tandem.okrs.models import Cycle
from tandem.planning.snapshot import load_plan
from tandem.reviews.models import Baseline


def baseline_take(
    *, workspace: Workspace, by: Member | None, name: str = "", cycle: Cycle | None = None
) -> Baseline:
    """Freeze the whole plan now. `by` is None when Tandem takes it (a cycle started)."""
    if by is not None:
        require_role(by, Role.EDITOR)
    now = timezone.now()
    plan = load_plan(workspace, local_today(workspace))
    baseline = Baseline.objects.create(
        workspace=workspace,
        name=(name.strip() or f"Plan on {timezone.localtime(now):%-d %b %Y, %H:%M}")[:120],
        cycle=cycle,
        taken_at=now,
        taken_by=by,
        content=domain.snapshot_to_json(plan),
    )
    record_change(by=by, workspace=workspace, obj=baseline, action="baseline_taken")
    return baseline


def starts_a_cycle(event: ChangeEvent) -> bool:
    return event.action == "state_active" and app_label_of(event) == "okrs"


def baseline_cycle_starts(*, workspace_id: int, event_ids: list[int]) -> None:
    """Subscribed to committed changes (apps.py): a baseline for each cycle just started."""
    started = ChangeEvent.objects.filter(pk__in=event_ids).values_list("object_id", flat=True)
    cycles = Cycle.objects.filter(workspace_id=workspace_id, pk__in=[int(i) for i in started])
    for cycle in cycles.select_related("workspace"):
        baseline_take(workspace=cycle.workspace, by=None, name=f"{cycle.name} starts", cycle=cycle)


def cycle_baseline(cycle: Cycle) -> Baseline | None:
    """The baseline a cycle's drift is measured from: the first taken for it."""
    return Baseline.objects.filter(cycle=cycle).order_by("taken_at", "id").first()


def drift_points(cycle: Cycle, today: datetime.date) -> list[tuple[datetime.date, float]]:
    """Drift at each baseline taken during the cycle, and now (while it is not closed)."""
    first = cycle_baseline(cycle)
    if first is None:
        return []
    reference = domain.snapshot_from_json(first.content)
    later = Baseline.objects.filter(
        workspace_id=cycle.workspace_id, taken_at__gte=first.taken_at
    ).order_by("taken_at", "id")
    points = []
    for baseline in later:
        day = timezone.localdate(baseline.taken_at)
        if day > cycle.end:
            break
        plan = domain.snapshot_from_json(baseline.content)
        points.append((day, domain.drift_index(reference, plan, cycle.pk)))
    if cycle.state != "closed" and today <= cycle.end:
        now = load_plan(cycle.workspace, today)
        points.append((today, domain.drift_index(reference, now, cycle.pk)))
    # One point per day: the latest reading of that day.
    return sorted(dict(points).items())
