"""Closing a cycle: grades, lessons, and carrying unfinished work to the next cycle."""

import decimal
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

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


def lessons_for(cycle: Cycle) -> Retrospective | None:
    """The lessons that apply to a cycle: a closed cycle's own; for one being planned or
    run, those of the latest closed cycle before it. Blank retrospectives are skipped."""
    kept = (
        Retrospective.objects.in_workspace(cycle.workspace_id)
        .exclude(went_well="", went_badly="", try_next="")
        .select_related("cycle")
    )
    if cycle.state == CycleState.CLOSED:
        return kept.filter(cycle=cycle).first()
    earlier = Q(cycle__state=CycleState.CLOSED, cycle__start__lt=cycle.start)
    return kept.filter(earlier).order_by("-cycle__start").first()


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


def chosen_carry(
    plan: ClosePlan,
    objective_ids: Collection[int] | None,
    key_result_ids: Collection[int] | None,
) -> list[Carry]:
    """The part of the plan's carry-over chosen by id: None takes every unfinished objective
    (or every unfinished key result of the chosen objectives). An id that is not unfinished
    work of this cycle, or a key result whose objective stays behind, is refused by field."""
    offered = {item.objective.pk: item for item in plan.carry}
    krs = {kr.pk: kr for item in plan.carry for kr in item.key_results}
    objectives = set(offered) if objective_ids is None else set(objective_ids)
    unknown = objectives - set(offered)
    if unknown:
        raise ValidationError(
            {
                "carry_objective_ids": f"Not an unfinished objective of {plan.cycle.name}: "
                f"{min(unknown)}."
            }
        )
    if key_result_ids is None:
        chosen = {pk for pk, kr in krs.items() if kr.objective_id in objectives}
    else:
        chosen = set(key_result_ids)
    unknown = chosen - set(krs)
    if unknown:
        raise ValidationError(
            {
                "carry_key_result_ids": f"Not an unfinished key result of {plan.cycle.name}: "
                f"{min(unknown)}."
            }
        )
    orphans = sorted(pk for pk in chosen if krs[pk].objective_id not in objectives)
    if orphans:
        kr = krs[orphans[0]]
        raise ValidationError(
            {
                "carry_key_result_ids": f"“{kr.title}” can only move with its objective "
                f"“{kr.objective.title}”: carry that too, or leave the key result behind."
            }
        )
    return [
        Carry(item.objective, [kr for kr in item.key_results if kr.pk in chosen])
        for item in plan.carry
        if item.objective.pk in objectives
    ]


@transaction.atomic
def cycle_close(
    *,
    cycle: Cycle,
    by: Member,
    grades: Mapping[int, tuple[decimal.Decimal, str]] | None = None,
    retrospective: Lessons | None = None,
    carry_over: bool | None = None,
    carry_objective_ids: Collection[int] | None = None,
    carry_key_result_ids: Collection[int] | None = None,
    reason: str = "",
) -> Closed:
    """Close a cycle, the one way every door does it: grade each live key result (the grade
    given by key result id, else the one it has, else the one its progress earns), keep the
    retrospective's lessons if given, copy unfinished objectives and key results (with the
    live initiatives behind them) into the next cycle, and archive the cycle.

    What is copied: nothing unless `carry_over` is true or ids are given; the objectives
    and key results chosen by id (each id list left out means every unfinished one), so
    `carry_over=True` alone carries all unfinished work."""
    require_role(by, Role.ADMIN)
    if cycle.state != CycleState.ACTIVE:
        raise ValidationError(
            {"state": f"Only an active cycle can be closed; {cycle.name} is {cycle.state}."}
        )
    plan = close_plan(cycle)
    chosen = carry_objective_ids is not None or carry_key_result_ids is not None
    if carry_over is False and (carry_objective_ids or carry_key_result_ids):
        raise ValidationError(
            {"carry_over": "Ids to carry over came with carry_over false: send one or the other."}
        )
    carry_over = bool(carry_over) or chosen
    carry = chosen_carry(plan, carry_objective_ids, carry_key_result_ids) if carry_over else []
    if carry and plan.next_cycle is None:
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
    if carry and plan.next_cycle is not None:
        moved = _carry_over(carry, plan.initiatives, plan.next_cycle, by)
    closed = okrs.cycle_set_state(cycle=cycle, state=CycleState.CLOSED, by=by, reason=reason)
    return Closed(closed, **moved)


def _carry_over(
    carry: list[Carry], initiatives: list[Initiative], into: Cycle, by: Member
) -> dict[str, int]:
    moved = {"objectives": 0, "key_results": 0, "initiatives": 0}
    copies: dict[int, KeyResult] = {}
    for item in carry:
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
    links = Contribution.objects.filter(key_result_id__in=list(copies), initiative__in=initiatives)
    carried = set()
    for link in links:
        roadmaps.contribution_create(
            initiative=link.initiative, key_result=copies[link.key_result_id], by=by
        )
        carried.add(link.initiative_id)
    moved["initiatives"] = len(carried)
    return moved
