"""Forecasts for the key results a page or an API list shows: two queries whatever their
number (their check-ins, and the live work serving them), the maths in tandem.domain."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import FloatField
from django.db.models.functions import Cast

from tandem.accounts.models import Workspace
from tandem.domain.forecast import (
    NoForecast,
    Outcome,
    Work,
    forecast,
    unforecast_reason,
    weighted_likelihood,
)
from tandem.domain.plan import LIVE_INITIATIVE, CheckInFacts
from tandem.okrs.models import CheckIn, GoalStatus, KeyResult, Objective
from tandem.roadmaps.models import Contribution


def key_result_forecasts(
    workspace: Workspace | int, key_results: Sequence[KeyResult], today: datetime.date
) -> dict[int, Outcome]:
    """Each key result's forecast as of `today`; their objective and cycle must be loaded."""
    wanted = [
        kr for kr in key_results if not unforecast_reason(_live(kr), kr.objective.cycle.state)
    ]
    ids = [kr.pk for kr in wanted]
    readings: dict[int, list[CheckInFacts]] = defaultdict(list)
    work: dict[int, list[Work]] = defaultdict(list)
    if ids:
        rows = (
            CheckIn.objects.in_workspace(workspace)
            # As in the plan snapshot: a value nobody vouched for (imported, or from a data
            # source) has no confidence to blend, so the trend is of people's check-ins.
            .filter(key_result_id__in=ids, date__lte=today, confidence__isnull=False)
            .annotate(value_float=Cast("value", FloatField()))
            .values_list("key_result_id", "date", "value_float", "confidence")
        )
        for row in rows:
            readings[row[0]].append(CheckInFacts(*row))  # type: ignore[arg-type]  # confidence__isnull=False: never None
        links = (
            Contribution.objects.in_workspace(workspace)
            .filter(key_result_id__in=ids, initiative__status__in=LIVE_INITIATIVE)
            .values_list(
                "key_result_id", "initiative__end_date", "initiative__horizon", "expected_delta"
            )
        )
        for kr_id, end, horizon, delta in links:
            work[kr_id].append(Work(end, horizon, abs(float(delta)) if delta else 1.0))
    outcomes: dict[int, Outcome] = {}
    for kr in key_results:
        cycle = kr.objective.cycle
        reason = unforecast_reason(_live(kr), cycle.state)
        if reason:
            outcomes[kr.pk] = NoForecast(reason)
            continue
        outcomes[kr.pk] = forecast(
            kind=kr.kind,
            start=float(kr.start_value),
            target=float(kr.target_value),
            cycle_start=cycle.start,
            cycle_end=cycle.end,
            today=today,
            readings=readings.get(kr.pk, ()),
            work=work.get(kr.pk, ()),
        )
    return outcomes


def _live(kr: KeyResult) -> bool:
    return kr.status == GoalStatus.ACTIVE and kr.objective.status == GoalStatus.ACTIVE


def with_forecasts(
    workspace: Workspace, objectives: Iterable[Objective], today: datetime.date
) -> list[Objective]:
    """Set `.forecast` on each live key result of annotated objectives (their cycle loaded)
    and `.likely` (0..1 or None) on each objective: two queries for the lot."""
    objectives = list(objectives)
    key_results = []
    for objective in objectives:
        for kr in objective.live_key_results:  # type: ignore[attr-defined]  # set by Prefetch(to_attr=)
            kr.objective = objective
            key_results.append(kr)
    outcomes = key_result_forecasts(workspace, key_results, today)
    for objective in objectives:
        krs = objective.live_key_results  # type: ignore[attr-defined]  # set by Prefetch(to_attr=)
        for kr in krs:
            kr.forecast = outcomes[kr.pk]
        objective.likely = weighted_likelihood(  # type: ignore[attr-defined]  # read by pages and the executive view
            (kr.forecast, float(kr.weight)) for kr in krs
        )
    return objectives
