"""Request and response bodies of the OKR API: cycles, objectives, key results, check-ins.

Update bodies have every field optional: only the fields sent are changed (PATCH).
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from tandem.accounts.zones import local_today
from tandem.core.api import Id
from tandem.core.api_fields import OMITTED, Date, Reason, amount, integer, text
from tandem.core.external import ExternalRefIn, ExternalRefOut, ExternalRefPatch
from tandem.core.versioning import VERSION
from tandem.domain.forecast import Forecast, NoForecast, Outcome
from tandem.domain.progress import measured_progress, objective_progress
from tandem.okrs.models import (
    CheckIn,
    Commitment,
    Cycle,
    CycleState,
    GoalStatus,
    KeyResult,
    KeyResultKind,
    Objective,
    Unit,
)
from tandem.okrs.selectors import KeyResultRow
from tandem.planning.forecasts import key_result_forecasts

REASON = Field("", description="Why, for the history; optional.")

CycleName = Annotated[str, text(Cycle, "name")]
Title = Annotated[str, text(Objective, "title")]
Markdown = Annotated[str, text(Objective, "description")]
Currency = Annotated[str, text(KeyResult, "currency")]
Value = Annotated[Decimal, amount(KeyResult, "start_value")]
Weight = Annotated[Decimal, amount(KeyResult, "weight", least="positive")]
Grade = Annotated[Decimal, amount(KeyResult, "grade", most=1)]
Note = Annotated[str, text(CheckIn, "note")]
CheckInValue = Annotated[Decimal, amount(CheckIn, "value")]
Confidence = Annotated[int, integer(CheckIn, "confidence", le=10)]


class CycleOut(Schema):
    id: int
    version: int = VERSION
    name: str
    start: datetime.date
    end: datetime.date = Field(description="The last day of the cycle.")
    state: CycleState


class CycleIn(Schema):
    name: CycleName
    start: Date
    end: Date


class CyclePatch(Schema):
    name: CycleName = OMITTED
    start: Date = OMITTED
    end: Date = OMITTED
    reason: Reason = REASON


class ReasonIn(Schema):
    reason: Reason = REASON


class ObjectiveOut(ExternalRefOut):
    id: int
    version: int = VERSION
    cycle_id: Id
    title: str
    description: str = Field(description="Markdown.")
    parent_id: Id | None
    pillar_id: Id | None
    team_id: Id | None
    owner_id: Id | None = Field(description="A member id.")
    commitment: Commitment
    status: str
    progress: float | None = Field(
        description="Weighted mean of its live key results' progress, each clamped to 0..1; "
        "key results whose progress is not known yet (null) are left out."
    )

    @staticmethod
    def resolve_progress(obj: Objective) -> float | None:
        # From the prefetched live key results, so a page of objectives costs one query more.
        key_results = getattr(obj, "live_key_results", None)
        if key_results is None:
            key_results = list(obj.key_results.filter(status=GoalStatus.ACTIVE))
        return objective_progress((_measured(kr), float(kr.weight)) for kr in key_results)


class ObjectiveIn(ExternalRefIn):
    cycle_id: Id
    title: Title
    description: Markdown = ""
    parent_id: Id | None = Field(None, description="An objective of this workspace.")
    pillar_id: Id | None = None
    team_id: Id | None = None
    owner_id: Id | None = Field(None, description="A member of this workspace.")
    commitment: Commitment = Commitment.COMMITTED


class ObjectivePatch(ExternalRefPatch):
    title: Title = OMITTED
    description: Markdown = OMITTED
    parent_id: Id | None = None
    pillar_id: Id | None = None
    team_id: Id | None = None
    owner_id: Id | None = None
    commitment: Commitment = OMITTED
    reason: Reason = REASON


class ForecastOut(Schema):
    probability: float = Field(
        ge=0, le=1, description="Chance of reaching the target by the end of the cycle."
    )
    value: float = Field(description="The expected value at the end of the cycle.")
    low: float = Field(description="The low end of the 80% band around `value`.")
    high: float = Field(description="The high end of the 80% band around `value`.")
    basis: str = Field(description="What the forecast rests on, in a sentence.")


class KeyResultOut(ExternalRefOut):
    id: int
    version: int = VERSION
    objective_id: Id
    title: str
    kind: KeyResultKind
    unit: Unit
    currency: str
    start_value: Decimal
    target_value: Decimal
    current_value: Decimal
    weight: Decimal
    owner_id: Id | None
    confidence: int | None
    last_check_in: datetime.date | None
    check_in_every_days: int | None = Field(
        description="Its check-in rhythm in days; null for the workspace's."
    )
    needs_no_initiative: bool
    status: str
    grade: Decimal | None
    progress: float | None = Field(
        description="Unclamped: 1.3 is 30% beyond the target. Null for a stay above/below key "
        "result before its first check-in: whether it holds is not known yet."
    )
    forecast: ForecastOut | None = Field(
        description="Null when there is none; `forecast_reason` says why (docs/decisions.md)."
    )
    forecast_reason: str | None = Field(
        description="Why there is no forecast (too few check-ins, a closed cycle...)."
    )

    @staticmethod
    def resolve_progress(obj: KeyResult) -> float | None:
        return _measured(obj)

    @staticmethod
    def resolve_forecast(obj: KeyResult) -> Forecast | None:
        outcome = _forecast_of(obj)
        return outcome if isinstance(outcome, Forecast) else None

    @staticmethod
    def resolve_forecast_reason(obj: KeyResult) -> str | None:
        outcome = _forecast_of(obj)
        return outcome.reason if isinstance(outcome, NoForecast) else None


# KeyResultOut's fields that a row carries as they are, in the schema's order.
_AS_STORED = [
    name for name in KeyResultOut.model_fields if name not in KeyResultOut._ninja_resolvers
]


def key_result_body(row: KeyResultRow) -> dict[str, Any]:
    """What KeyResultOut makes of a row of the API's list, ready for JSON: the same keys
    in the same order, amounts and dates written as the API's encoder writes them (str(),
    isoformat()), so the encoder calls back for none (tests/okrs/test_key_result_list.py
    holds the bytes equal). A page of rows is not validated again field by field, which
    took most of the call's time."""
    body = {name: _plain(getattr(row, name)) for name in _AS_STORED}
    outcome = row.forecast_outcome
    forecast = None
    if isinstance(outcome, Forecast):
        forecast = {
            "probability": outcome.probability,
            "value": outcome.value,
            "low": outcome.low,
            "high": outcome.high,
            "basis": outcome.basis,
        }
    body["progress"] = _measured(row)
    body["forecast"] = forecast
    body["forecast_reason"] = outcome.reason if isinstance(outcome, NoForecast) else None
    return body


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _forecast_of(kr: KeyResult) -> Outcome:
    """Set on each row by a list (two queries per page), or worked out for one."""
    outcome: Outcome | None = getattr(kr, "forecast_outcome", None)
    if outcome is None:
        today = local_today(kr.workspace)
        outcome = key_result_forecasts([kr], today)[kr.pk]
        kr.forecast_outcome = outcome  # type: ignore[attr-defined]  # read by resolve_forecast
    return outcome


# What an objective's progress reads of its key results (`_measured` and the weight).
PROGRESS_FIELDS = (
    "kind",
    "start_value",
    "target_value",
    "current_value",
    "last_check_in",
    "weight",
)


def _measured(kr: KeyResult | KeyResultRow) -> float | None:
    return measured_progress(
        kr.kind,
        float(kr.start_value),
        float(kr.target_value),
        float(kr.current_value),
        checked_in=kr.last_check_in is not None,
    )


Rhythm = Annotated[
    int | None,
    Field(ge=1, le=90, description="Its check-in rhythm in days; null for the workspace's."),
]


class KeyResultIn(ExternalRefIn):
    objective_id: Id
    title: Title
    kind: KeyResultKind
    unit: Unit = Unit.NUMBER
    currency: Currency = ""
    start_value: Value = Decimal(0)
    target_value: Value = Field(
        Decimal(1), description="Milestones ignore start and target (0 and 1)."
    )
    weight: Weight = Decimal(1)
    owner_id: Id | None = None
    check_in_every_days: Rhythm = None
    needs_no_initiative: bool = False


class KeyResultPatch(ExternalRefPatch):
    title: Title = OMITTED
    kind: KeyResultKind = OMITTED
    unit: Unit = OMITTED
    currency: Currency = OMITTED
    start_value: Value = OMITTED
    target_value: Value = OMITTED
    weight: Weight = OMITTED
    owner_id: Id | None = None
    check_in_every_days: Rhythm = None
    needs_no_initiative: bool = OMITTED
    grade: Grade | None = Field(None, description="Closed cycles only.")
    reason: Reason = REASON


class CheckInOut(Schema):
    id: int
    key_result_id: Id
    date: datetime.date
    value: Decimal
    confidence: int | None = Field(description="0–10; null when imported (nobody gave one).")
    imported: bool = Field(
        description="Set by an import, a plan apply or a data source, not by a person."
    )
    source: str = Field(
        description="The data source that sent it (push, json, csv, sql); empty otherwise."
    )
    note: str
    author_id: Id | None = Field(description="A member id.")


class CheckInIn(Schema):
    value: CheckInValue
    confidence: Annotated[int, integer(CheckIn, "confidence", le=10)] = Field(
        description="0 (no chance) to 10 (certain)."
    )
    note: Note = ""
    date: Date | None = Field(None, description="Today when omitted; not in the future.")


SimilarTitle = Annotated[str, Field(max_length=200, description="The title to compare.")]


class SimilarOut(Schema):
    """A title that reads like the one asked about: a possible duplicate, never a refusal."""

    id: int
    title: str
    score: float = Field(description="0 to 1; 1 is the same words in any order.")
