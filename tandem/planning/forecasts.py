"""Forecasts for the key results a page or an API list shows: two queries whatever their
number (their check-ins, and the live work serving them), the maths in tandem.domain.
The API's list of key results reads plain rows and passes ForecastFacts; the pages pass
their key results (with objective and cycle loaded)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from tandem.core.rows import values_rows
from tandem.domain.forecast import (
    NoForecast,
    Outcome,
    Work,
    forecast,
    unforecast_reason,
    weighted_likelihood,
)
from tandem.domain.plan import LIVE_INITIATIVE
from tandem.okrs.models import CheckIn, GoalStatus, KeyResult, Objective
from tandem.okrs.selectors import KeyResultRow
from tandem.roadmaps.models import Contribution


class ForecastFacts(NamedTuple):
    """What a key result's forecast rests on besides its readings and the work serving it
    (tuples: a page makes them by the dozen on every call)."""

    id: int
    kind: str
    start: float
    target: float
    live: bool  # it and its objective are active
    cycle_state: str
    cycle_start: datetime.date
    cycle_end: datetime.date


class _Reading(NamedTuple):
    """A check-in as tandem.domain.forecast reads one (cheaper to make than CheckInFacts)."""

    date: datetime.date
    value: float
    confidence: int


def key_result_forecasts(
    key_results: Sequence[KeyResult], today: datetime.date
) -> dict[int, Outcome]:
    """Each key result's forecast as of `today`; their objective and cycle must be loaded."""
    return forecasts(
        [
            ForecastFacts(
                kr.pk,
                kr.kind,
                float(kr.start_value),
                float(kr.target_value),
                _live(kr.status, kr.objective.status),
                kr.objective.cycle.state,
                kr.objective.cycle.start,
                kr.objective.cycle.end,
            )
            for kr in key_results
        ],
        today,
    )


def row_forecasts(rows: Sequence[KeyResultRow], today: datetime.date) -> dict[int, Outcome]:
    """The same for the plain rows of the API's list of key results."""
    return forecasts(
        [
            ForecastFacts(
                kr.id,
                kr.kind,
                float(kr.start_value),
                float(kr.target_value),
                _live(kr.status, kr.objective_status),
                kr.cycle_state,
                kr.cycle_start,
                kr.cycle_end,
            )
            for kr in rows
        ],
        today,
    )


def _live(status: str, objective_status: str) -> bool:
    return status == GoalStatus.ACTIVE and objective_status == GoalStatus.ACTIVE


def forecasts(key_results: Sequence[ForecastFacts], today: datetime.date) -> dict[int, Outcome]:
    """The forecast of each key result as of `today`, by id: two queries for the lot (their
    SQL written once, tandem.core.rows), the maths in tandem.domain.forecast. The key
    results are one workspace's, as read by the caller; their readings and work are found
    by key result alone, which the indexes serve (with the workspace in the condition too,
    SQLite's planner took the workspace's index and read every check-in of the workspace)."""
    ids = [kr.id for kr in key_results if not unforecast_reason(kr.live, kr.cycle_state)]
    readings: dict[int, list[_Reading]] = defaultdict(list)
    work: dict[int, list[Work]] = defaultdict(list)
    if ids:
        # As in the plan snapshot: a value nobody vouched for (imported, or from a data
        # source) has no confidence to blend, so the trend is of people's check-ins.
        checked = values_rows(
            CheckIn,
            columns=("key_result", "date", "value", "confidence"),
            where={
                "key_result__in": ids,
                "date__lte": today,
                "confidence__isnull": False,
            },
            floats=("value",),
        )
        for kr_id, day, value, confidence in checked:
            readings[kr_id].append(_Reading(day, value, confidence))
        links = values_rows(
            Contribution,
            columns=("key_result", "initiative.end_date", "initiative.horizon", "expected_delta"),
            where={
                "key_result__in": ids,
                "initiative.status__in": sorted(LIVE_INITIATIVE),
            },
            floats=("expected_delta",),
        )
        for kr_id, end, horizon, delta in links:
            work[kr_id].append(Work(end, horizon, abs(delta) if delta else 1.0))
    outcomes: dict[int, Outcome] = {}
    for kr in key_results:
        reason = unforecast_reason(kr.live, kr.cycle_state)
        if reason:
            outcomes[kr.id] = NoForecast(reason)
            continue
        outcomes[kr.id] = forecast(
            kind=kr.kind,
            start=kr.start,
            target=kr.target,
            cycle_start=kr.cycle_start,
            cycle_end=kr.cycle_end,
            today=today,
            readings=readings.get(kr.id, ()),
            work=work.get(kr.id, ()),
        )
    return outcomes


def with_forecasts(objectives: Iterable[Objective], today: datetime.date) -> list[Objective]:
    """Set `.forecast` on each live key result of annotated objectives (their cycle loaded)
    and `.likely` (0..1 or None) on each objective: two queries for the lot."""
    objectives = list(objectives)
    key_results = []
    for objective in objectives:
        for kr in objective.live_key_results:  # type: ignore[attr-defined]  # set by Prefetch(to_attr=)
            kr.objective = objective
            key_results.append(kr)
    outcomes = key_result_forecasts(key_results, today)
    for objective in objectives:
        krs = objective.live_key_results  # type: ignore[attr-defined]  # set by Prefetch(to_attr=)
        for kr in krs:
            kr.forecast = outcomes[kr.pk]
        objective.likely = weighted_likelihood(  # type: ignore[attr-defined]  # read by pages and the executive view
            (kr.forecast, float(kr.weight)) for kr in krs
        )
    return objectives
