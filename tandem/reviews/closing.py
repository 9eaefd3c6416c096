"""Closing a cycle: grades, lessons, and carrying unfinished work to the next cycle."""

import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.domain.progress import progress
from tandem.okrs import services as okrs
from tandem.okrs.models import Cycle, CycleState, KeyResult, KeyResultKind
from tandem.reviews.models import Retrospective
from tandem.roadmaps import services as roadmaps
from tandem.roadmaps.models import LIVE_STATUSES, Contribution, Initiative

THRESHOLDS = {KeyResultKind.STAY_ABOVE, KeyResultKind.STAY_BELOW}


@dataclass
class Carry:
    objective: Any
    key_results: list[KeyResult] = field(default_factory=list)


@dataclass
class ClosePlan:
    cycle: Cycle
    next_cycle: Cycle | None
    key_results: list[tuple[KeyResult, float]]  # with their suggested grade
    carry: list[Carry]
    initiatives: list[Initiative]


def _share(kr: KeyResult) -> float:
    return progress(kr.kind, float(kr.start_value), float(kr.target_value), float(kr.current_value))


def next_cycle_of(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.in_workspace(cycle.workspace_id)
        .exclude(state=CycleState.CLOSED)
        .exclude(pk=cycle.pk)
        .filter(start__gt=cycle.start)
        .order_by("start")
        .first()
    )


def close_plan(cycle: Cycle) -> ClosePlan:
    """What closing would do: suggested grades, and what moves to the next cycle."""
    key_results = list(
        KeyResult.objects.in_cycle(cycle)
        .active()
        .select_related("objective")
        .order_by("objective__position", "objective_id", "position", "id")
    )
    graded = []
    carry: dict[int, Carry] = {}
    for kr in key_results:
        suggested = kr.grade if kr.grade is not None else okrs.suggested_grade(kr)
        graded.append((kr, float(suggested)))
        if _share(kr) < 1.0:
            carry.setdefault(kr.objective_id, Carry(kr.objective)).key_results.append(kr)
    unfinished = [kr.pk for c in carry.values() for kr in c.key_results]
    initiatives = list(
        Initiative.objects.filter(
            contributions__key_result_id__in=unfinished, status__in=LIVE_STATUSES
        ).distinct()
    )
    return ClosePlan(cycle, next_cycle_of(cycle), graded, list(carry.values()), initiatives)


def _copy_key_result(kr: KeyResult, objective: Any, by: Member) -> KeyResult:
    start = kr.start_value if kr.kind in THRESHOLDS else kr.current_value
    fields: dict[str, Any] = {
        "kind": kr.kind,
        "unit": kr.unit,
        "currency": kr.currency,
        "start_value": start,
        "target_value": kr.target_value,
        "current_value": kr.current_value,
        "weight": kr.weight,
        "owner": kr.owner,
        "needs_no_initiative": kr.needs_no_initiative,
    }
    return okrs.key_result_create(objective=objective, title=kr.title, by=by, **fields)


@dataclass(frozen=True)
class Lessons:
    """A retrospective's three questions."""

    went_well: str = ""
    went_badly: str = ""
    try_next: str = ""


@dataclass(frozen=True)
class Closed:
    cycle: Cycle
    objectives: int = 0  # carried over to the next cycle
    key_results: int = 0
    initiatives: int = 0


@transaction.atomic
def cycle_close(
    *,
    cycle: Cycle,
    by: Member,
    grades: Mapping[int, tuple[decimal.Decimal, str]] | None = None,
    retrospective: Lessons | None = None,
    carry_over: bool = False,
    reason: str = "",
) -> Closed:
    """Close a cycle, the one way every door does it: grade each live key result (the grade
    given by key result id, else the one it has, else the one its progress earns), keep the
    retrospective's lessons if given, copy unfinished objectives and key results (with the
    live initiatives behind them) into the next cycle if asked, and archive the cycle."""
    require_role(by, Role.ADMIN)
    if cycle.state != CycleState.ACTIVE:
        raise ValidationError(
            {"state": f"Only an active cycle can be closed; {cycle.name} is {cycle.state}."}
        )
    plan = close_plan(cycle)
    if carry_over and plan.next_cycle is None:
        raise ValidationError(
            {"carry_over": "There is no next cycle to carry work into; create it first."}
        )
    grades = grades or {}
    unknown = set(grades) - {kr.pk for kr, _ in plan.key_results}
    if unknown:
        raise ValidationError({"grades": f"Not a live key result of {cycle.name}: {min(unknown)}."})
    for kr, _ in plan.key_results:
        if kr.pk not in grades:
            continue  # closing the cycle grades it from its progress, if it has no grade
        value, comment = grades[kr.pk]
        try:
            okrs.key_result_grade(key_result=kr, grade=value, comment=comment, by=by, reason=reason)
        except ValidationError as error:
            raise ValidationError(
                {f"grade_{kr.pk}": [f"“{kr.title}”: {m}" for m in error.messages]}
            ) from error
    if retrospective is not None:
        Retrospective.objects.update_or_create(
            cycle=cycle,
            defaults={
                "workspace": cycle.workspace,
                "went_well": retrospective.went_well.strip(),
                "went_badly": retrospective.went_badly.strip(),
                "try_next": retrospective.try_next.strip(),
            },
        )
    moved = {"objectives": 0, "key_results": 0, "initiatives": 0}
    if carry_over and plan.next_cycle is not None:
        moved = _carry_over(plan, plan.next_cycle, by)
    closed = okrs.cycle_set_state(cycle=cycle, state=CycleState.CLOSED, by=by, reason=reason)
    return Closed(closed, **moved)


def _carry_over(plan: ClosePlan, into: Cycle, by: Member) -> dict[str, int]:
    moved = {"objectives": 0, "key_results": 0, "initiatives": 0}
    copies: dict[int, KeyResult] = {}
    for item in plan.carry:
        old = item.objective
        new = okrs.objective_create(
            cycle=into,
            title=old.title,
            by=by,
            description=old.description,
            pillar=old.pillar,
            team=old.team,
            owner=old.owner,
            commitment=old.commitment,
        )
        moved["objectives"] += 1
        for kr in item.key_results:
            copies[kr.pk] = _copy_key_result(kr, new, by)
            moved["key_results"] += 1
    links = Contribution.objects.filter(
        key_result_id__in=list(copies), initiative__in=plan.initiatives
    )
    carried = set()
    for link in links:
        roadmaps.contribution_create(
            initiative=link.initiative, key_result=copies[link.key_result_id], by=by
        )
        carried.add(link.initiative_id)
    moved["initiatives"] = len(carried)
    return moved
