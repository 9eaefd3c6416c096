"""What if: proposed edits applied to a plan snapshot in memory, and what they would change.

An `Edit` is one typed change (move, reschedule, resize or drop an initiative; set a
capacity; retarget, re-weight or drop a key result; add or remove a contribution or a
dependency). `apply_edits` checks each against the plan as edited so far (errors name the
field) and returns a new snapshot; nothing is written anywhere. `evaluate` runs the
conflict rules and the forecasts on both and says what differs: conflicts opened, closed
and changed, forecasts changed, and each team's load against its capacity per cycle.

Scenarios (tandem/scenarios) store edits and evaluate them here; a conflict's suggested
fixes are evaluated as one-edit scenarios (`fix_effects`) before they are offered.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from tandem.domain.calendar import day_words
from tandem.domain.capacity import TeamLoad, team_loads
from tandem.domain.conflicts import Conflict, Severity, Suggestion
from tandem.domain.forecast import Forecast, Outcome, key_result_forecast
from tandem.domain.graphs import loop_if_added
from tandem.domain.plan import (
    CapacityFacts,
    ContributionFacts,
    CycleFacts,
    DependencyFacts,
    InitiativeFacts,
    KeyResultFacts,
    ObjectiveFacts,
    PlanSnapshot,
)
from tandem.domain.reach import (
    diff_within_reach,
    judged_conflicts,
    part_of,
    reach_of,
    strategy_gaps,
)

HORIZONS = ("now", "next", "later")
# What a proposed edit can be, and how it reads in a list.
ACTIONS = {
    "move_initiative": "Move an initiative to another horizon",
    "reschedule_initiative": "Reschedule an initiative",
    "resize_initiative": "Change an initiative's effort",
    "drop_initiative": "Drop an initiative",
    "defer_initiatives": "Move initiatives past a cycle's end",
    "set_capacity": "Set a team's capacity in a cycle",
    "retarget_key_result": "Retarget a key result",
    "reweight_key_result": "Re-weight a key result",
    "drop_key_result": "Drop a key result",
    "mark_needs_no_initiative": "Mark a key result as needing no initiative",
    "add_contribution": "Link an initiative to a key result",
    "remove_contribution": "Unlink an initiative from a key result",
    "add_dependency": "Add a dependency",
    "remove_dependency": "Remove a dependency",
    "align_objective": "Align an objective to a pillar",
}
# Bounds the database holds too (tandem/core/bounds.py): a scenario cannot propose what
# could never be applied.
EARLIEST = datetime.date(1970, 1, 1)
LATEST = datetime.date(2200, 12, 31)
LARGEST = 10**12
RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


@dataclass(frozen=True)
class Edit:
    action: str
    params: Mapping[str, Any]  # JSON-like: ids, ISO dates, numbers


class EditError(ValueError):
    """An edit that cannot apply: `errors` maps each field to what is wrong with it;
    `index` is the edit's position in the list, when several were applied."""

    def __init__(self, errors: dict[str, str], index: int | None = None) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.index = index


# ---------------------------------------------------------------- applying edits


class _Draft:
    """The plan being edited: the collections an edit touches are copied into dicts on first
    use, so ten edits to a plan of 10,000 initiatives copy each collection at most once."""

    def __init__(self, plan: PlanSnapshot) -> None:
        self.plan = plan
        self._initiatives: dict[int, InitiativeFacts] | None = None
        self._key_results: dict[int, KeyResultFacts] | None = None
        self._objectives: dict[int, ObjectiveFacts] | None = None
        self._capacities: dict[tuple[int, int], CapacityFacts] | None = None
        self._contributions: dict[tuple[int, int], ContributionFacts] | None = None
        self._dependencies: dict[tuple[int, int], DependencyFacts] | None = None

    @property
    def initiatives(self) -> dict[int, InitiativeFacts]:
        if self._initiatives is None:
            self._initiatives = dict(self.plan.initiative)
        return self._initiatives

    @property
    def key_results(self) -> dict[int, KeyResultFacts]:
        if self._key_results is None:
            self._key_results = dict(self.plan.key_result)
        return self._key_results

    @property
    def objectives(self) -> dict[int, ObjectiveFacts]:
        if self._objectives is None:
            self._objectives = dict(self.plan.objective)
        return self._objectives

    @property
    def capacities(self) -> dict[tuple[int, int], CapacityFacts]:
        if self._capacities is None:
            self._capacities = {(c.team_id, c.cycle_id): c for c in self.plan.capacities}
        return self._capacities

    @property
    def contributions(self) -> dict[tuple[int, int], ContributionFacts]:
        if self._contributions is None:
            self._contributions = {
                (c.initiative_id, c.key_result_id): c for c in self.plan.contributions
            }
        return self._contributions

    @property
    def dependencies(self) -> dict[tuple[int, int], DependencyFacts]:
        if self._dependencies is None:
            self._dependencies = {
                (d.initiative_id, d.depends_on_id): d for d in self.plan.dependencies
            }
        return self._dependencies

    def snapshot(self) -> PlanSnapshot:
        changes: dict[str, object] = {}
        if self._initiatives is not None:
            changes["initiatives"] = tuple(self._initiatives.values())
        if self._key_results is not None:
            changes["key_results"] = tuple(self._key_results.values())
        if self._objectives is not None:
            changes["objectives"] = tuple(self._objectives.values())
        if self._capacities is not None:
            changes["capacities"] = tuple(self._capacities.values())
        if self._contributions is not None:
            changes["contributions"] = tuple(self._contributions.values())
        if self._dependencies is not None:
            changes["dependencies"] = tuple(self._dependencies.values())
        return replace(self.plan, **changes)  # type: ignore[arg-type]  # fields of the plan snapshot, by name


def _id(params: Mapping[str, Any], name: str, known: Mapping[int, Any], what: str) -> int:
    value = params.get(name)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise EditError({name: f"Choose {what} of this workspace."})
    try:
        number = int(value)
    except ValueError:
        raise EditError({name: f"Choose {what} of this workspace."}) from None
    if number not in known:
        raise EditError(
            {
                name: f"There is no {what.removeprefix('an ').removeprefix('a ')} "
                f"{number} in this workspace."
            }
        )
    return number


def _number(
    params: Mapping[str, Any], name: str, *, positive: bool = False, zero: bool = True
) -> float:
    value = params.get(name)
    if isinstance(value, bool) or value is None:
        raise EditError({name: "Enter a number."})
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EditError({name: "Enter a number."}) from None
    if not math.isfinite(number) or abs(number) >= LARGEST:
        raise EditError({name: "Enter a number of reasonable size."})
    if positive and (number < 0 or (number == 0 and not zero)):
        raise EditError({name: "Enter a number above zero." if not zero else "Enter zero or more."})
    return number


def _date(params: Mapping[str, Any], name: str) -> datetime.date | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    except ValueError:
        raise EditError({name: "Enter a date as YYYY-MM-DD."}) from None
    if not EARLIEST <= day <= LATEST:
        raise EditError({name: "Enter a date between 1970 and 2200."})
    return day


def _initiative(draft: _Draft, params: Mapping[str, Any], name: str = "initiative_id") -> int:
    return _id(params, name, draft.initiatives, "an initiative")


def _key_result(draft: _Draft, params: Mapping[str, Any]) -> int:
    return _id(params, "key_result_id", draft.key_results, "a key result")


def _update_initiative(draft: _Draft, id: int, **changes: Any) -> None:
    updated = replace(draft.initiatives[id], **changes)
    if updated.start is not None and updated.end is not None and updated.end < updated.start:
        raise EditError({"end_date": "The end must be on or after the start."})
    draft.initiatives[id] = updated


def _move(draft: _Draft, p: Mapping[str, Any]) -> None:
    id = _initiative(draft, p)
    if p.get("horizon") not in HORIZONS:
        raise EditError({"horizon": "Choose now, next or later."})
    _update_initiative(draft, id, horizon=p["horizon"])


def _reschedule(draft: _Draft, p: Mapping[str, Any]) -> None:
    id = _initiative(draft, p)
    if "start_date" not in p and "end_date" not in p:
        raise EditError({"start_date": "Give a new start date, end date or both."})
    changes = {}
    if "start_date" in p:
        changes["start"] = _date(p, "start_date")
    if "end_date" in p:
        changes["end"] = _date(p, "end_date")
    _update_initiative(draft, id, **changes)


def _resize(draft: _Draft, p: Mapping[str, Any]) -> None:
    id = _initiative(draft, p)
    _update_initiative(draft, id, effort=_number(p, "effort", positive=True))


def _drop_initiative(draft: _Draft, p: Mapping[str, Any]) -> None:
    _update_initiative(draft, _initiative(draft, p), status="dropped")


def defer_to(initiative: InitiativeFacts, cycle: CycleFacts) -> dict[str, Any]:
    """How an initiative leaves a cycle: to Next (Later when the cycle is not under way),
    and when dated, starting the day after the cycle ends with the same length."""
    changes: dict[str, Any] = {"horizon": deferred_horizon(cycle)}
    if initiative.start is not None and initiative.end is not None:
        start = cycle.end + datetime.timedelta(days=1)
        changes["start"] = start
        changes["end"] = start + (initiative.end - initiative.start)
    elif initiative.end is not None and initiative.end <= cycle.end:
        changes["end"] = None
    return changes


def deferred_horizon(cycle: CycleFacts) -> str:
    return "next" if cycle.state == "active" else "later"


def _defer(draft: _Draft, p: Mapping[str, Any]) -> None:
    cycle_id = _id(p, "cycle_id", draft.plan.cycle, "a cycle")
    ids = p.get("initiative_ids")
    if not isinstance(ids, list | tuple) or not ids:
        raise EditError({"initiative_ids": "Choose at least one initiative."})
    cycle = draft.plan.cycle[cycle_id]
    for value in ids:
        id = _id({"initiative_ids": value}, "initiative_ids", draft.initiatives, "an initiative")
        _update_initiative(draft, id, **defer_to(draft.initiatives[id], cycle))


def _set_capacity(draft: _Draft, p: Mapping[str, Any]) -> None:
    team = _id(p, "team_id", draft.plan.team, "a team")
    cycle = _id(p, "cycle_id", draft.plan.cycle, "a cycle")
    weeks = _number(p, "person_weeks", positive=True)
    draft.capacities[(team, cycle)] = CapacityFacts(team, cycle, weeks)


def _retarget(draft: _Draft, p: Mapping[str, Any]) -> None:
    id = _key_result(draft, p)
    key_result = draft.key_results[id]
    target = _number(p, "target_value")
    if key_result.kind == "milestone":
        raise EditError({"target_value": "A milestone's target is done (1): it cannot move."})
    if key_result.kind == "increase" and target <= key_result.start:
        raise EditError({"target_value": "To increase, the target must be above the start."})
    if key_result.kind == "decrease" and target >= key_result.start:
        raise EditError({"target_value": "To decrease, the target must be below the start."})
    draft.key_results[id] = replace(key_result, target=target)


def _reweight(draft: _Draft, p: Mapping[str, Any]) -> None:
    id = _key_result(draft, p)
    weight = _number(p, "weight", positive=True, zero=False)
    draft.key_results[id] = replace(draft.key_results[id], weight=weight)


def _drop_key_result(draft: _Draft, p: Mapping[str, Any]) -> None:
    id = _key_result(draft, p)
    draft.key_results[id] = replace(draft.key_results[id], status="dropped")


def _needs_no_initiative(draft: _Draft, p: Mapping[str, Any]) -> None:
    id = _key_result(draft, p)
    draft.key_results[id] = replace(draft.key_results[id], needs_no_initiative=True)


def _add_contribution(draft: _Draft, p: Mapping[str, Any]) -> None:
    initiative, key_result = _initiative(draft, p), _key_result(draft, p)
    if draft.key_results[key_result].status != "active":
        raise EditError({"key_result_id": "That key result is archived or dropped."})
    if (initiative, key_result) in draft.contributions:
        raise EditError({"key_result_id": "That initiative already counts towards it."})
    delta = _number(p, "expected_delta") if p.get("expected_delta") is not None else None
    draft.contributions[(initiative, key_result)] = ContributionFacts(initiative, key_result, delta)


def _remove_contribution(draft: _Draft, p: Mapping[str, Any]) -> None:
    pair = (_initiative(draft, p), _key_result(draft, p))
    if draft.contributions.pop(pair, None) is None:
        raise EditError({"key_result_id": "That initiative does not count towards it."})


def _add_dependency(draft: _Draft, p: Mapping[str, Any]) -> None:
    dependent = _initiative(draft, p)
    prerequisite = _initiative(draft, p, "depends_on_id")
    if dependent == prerequisite:
        raise EditError({"depends_on_id": "An initiative cannot depend on itself."})
    if (dependent, prerequisite) in draft.dependencies:
        raise EditError({"depends_on_id": "It already depends on that initiative."})
    edges: dict[int, list[int]] = defaultdict(list)
    for a, b in draft.dependencies:
        edges[a].append(b)
    loop = loop_if_added(edges, dependent, prerequisite)
    if loop is not None:
        titles = " → ".join(draft.initiatives[i].title for i in loop)
        raise EditError({"depends_on_id": f"That would make a loop: {titles}."})
    draft.dependencies[(dependent, prerequisite)] = DependencyFacts(dependent, prerequisite)


def _remove_dependency(draft: _Draft, p: Mapping[str, Any]) -> None:
    pair = (_initiative(draft, p), _initiative(draft, p, "depends_on_id"))
    if draft.dependencies.pop(pair, None) is None:
        raise EditError({"depends_on_id": "There is no such dependency."})


def _align(draft: _Draft, p: Mapping[str, Any]) -> None:
    objective = _id(p, "objective_id", draft.objectives, "an objective")
    pillar = _id(p, "pillar_id", draft.plan.pillar, "a pillar")
    draft.objectives[objective] = replace(draft.objectives[objective], pillar_id=pillar)


_APPLY = {
    "move_initiative": _move,
    "reschedule_initiative": _reschedule,
    "resize_initiative": _resize,
    "drop_initiative": _drop_initiative,
    "defer_initiatives": _defer,
    "set_capacity": _set_capacity,
    "retarget_key_result": _retarget,
    "reweight_key_result": _reweight,
    "drop_key_result": _drop_key_result,
    "mark_needs_no_initiative": _needs_no_initiative,
    "add_contribution": _add_contribution,
    "remove_contribution": _remove_contribution,
    "add_dependency": _add_dependency,
    "remove_dependency": _remove_dependency,
    "align_objective": _align,
}
assert set(_APPLY) == set(ACTIONS)


def apply_edits(plan: PlanSnapshot, edits: Sequence[Edit]) -> PlanSnapshot:
    """The plan with the edits made, in order; each is checked against the plan as the
    ones before it left it. Raises EditError (with the edit's index) on the first bad one."""
    draft = _Draft(plan)
    for index, edit in enumerate(edits):
        apply = _APPLY.get(edit.action)
        if apply is None:
            raise EditError({"action": f"Unknown edit {edit.action!r}."}, index)
        try:
            apply(draft, edit.params)
        except EditError as error:
            raise EditError(error.errors, index) from None
    return draft.snapshot()


def check_edit(plan: PlanSnapshot, edits: Sequence[Edit], new: Edit) -> dict[str, str]:
    """The errors, by field, that adding `new` after `edits` would meet; {} when none."""
    try:
        apply_edits(plan, [*edits, new])
    except EditError as error:
        if error.index == len(edits):
            return error.errors
        return {"edits": f"Edit {(error.index or 0) + 1} no longer applies: {error}"}
    return {}


# ---------------------------------------------------------------- evaluating


@dataclass(frozen=True)
class ForecastChange:
    key_result: KeyResultFacts
    before: Outcome
    after: Outcome

    @property
    def delta(self) -> float | None:
        """The change in probability, when both sides have a number."""
        if isinstance(self.before, Forecast) and isinstance(self.after, Forecast):
            return self.after.probability - self.before.probability
        return None


@dataclass(frozen=True)
class CapacityChange:
    team_id: int
    team: str
    cycle_id: int
    cycle: str
    capacity_before: float | None
    capacity_after: float | None
    load_before: float
    load_after: float

    @property
    def over_before(self) -> bool:
        return _over(self.load_before, self.capacity_before)

    @property
    def over_after(self) -> bool:
        return _over(self.load_after, self.capacity_after)

    @property
    def changed(self) -> bool:
        return (
            abs(self.load_after - self.load_before) > 0.05
            or self.capacity_after != self.capacity_before
        )


def _over(load: float, capacity: float | None) -> bool:
    return capacity is not None and load - capacity > 0.05


@dataclass(frozen=True)
class Evaluation:
    opened: list[Conflict]
    closed: list[Conflict]
    changed: list[tuple[Conflict, Conflict]]  # (before, after): severity or sentence moved
    forecasts: list[ForecastChange]
    capacity: list[CapacityChange]  # every team and open cycle with a capacity or a load


def evaluate(plan: PlanSnapshot, edits: Sequence[Edit]) -> Evaluation:
    """Plan and plan-plus-edits side by side. Raises EditError as apply_edits does."""
    edited = apply_edits(plan, edits)
    opened, closed, changed = conflict_changes(plan, edits, edited)
    return Evaluation(
        opened=opened,
        closed=closed,
        changed=changed,
        forecasts=forecast_changes(plan, edited, _touched_key_results(plan, edited, edits)),
        capacity=capacity_changes(plan, edited),
    )


def conflict_changes(
    plan: PlanSnapshot, edits: Sequence[Edit], edited: PlanSnapshot | None = None
) -> tuple[list[Conflict], list[Conflict], list[tuple[Conflict, Conflict]]]:
    """The conflicts the edits open, close and change (severity or sentence), as detection on
    the whole plan would find them, found by running the rules over only the part of the plan
    the edits reach (`tandem.domain.reach`). `edited` is the whole plan with the edits, when
    the caller has it. Raises EditError as apply_edits does."""
    if edited is None and any(e.action == "add_dependency" for e in edits):
        edited = apply_edits(plan, edits)  # a loop is found on the whole graph only
    reach = reach_of(plan, edits)
    part = part_of(plan, reach)
    before = judged_conflicts(part, reach)
    after = judged_conflicts(apply_edits(part, edits), reach)
    if reach.objectives_edited:
        before += strategy_gaps(plan)
        after += strategy_gaps(edited if edited is not None else apply_edits(plan, edits))
    return diff_within_reach(before, after)


def _touched_key_results(
    plan: PlanSnapshot, edited: PlanSnapshot, edits: Sequence[Edit]
) -> set[int]:
    """The key results whose forecast an edit can move: those edited, and those served
    (before or after) by an edited initiative or a changed link. A forecast reads only the
    key result, its cycle, its check-ins and the live work serving it."""
    touched: set[int] = set()
    initiatives: set[int] = set()
    for edit in edits:
        p = edit.params
        if "key_result_id" in p:
            touched.add(int(p["key_result_id"]))
        if "initiative_id" in p:
            initiatives.add(int(p["initiative_id"]))
        if "depends_on_id" in p:
            initiatives.add(int(p["depends_on_id"]))
        initiatives.update(int(i) for i in p.get("initiative_ids", ()))
    for snapshot in (plan, edited):
        for initiative in initiatives:
            touched.update(snapshot.key_results_of_initiative.get(initiative, ()))
    return touched


def forecast_changes(
    plan: PlanSnapshot, edited: PlanSnapshot, key_result_ids: Iterable[int]
) -> list[ForecastChange]:
    changes = []
    for id in sorted(key_result_ids):
        old, new = plan.key_result.get(id), edited.key_result.get(id)
        if old is None or new is None:
            continue
        before, after = key_result_forecast(plan, old), key_result_forecast(edited, new)
        if before != after:
            changes.append(ForecastChange(new, before, after))
    return changes


def capacity_changes(plan: PlanSnapshot, edited: PlanSnapshot) -> list[CapacityChange]:
    open_cycles = [c for c in plan.cycles if c.state != "closed"]
    loads: dict[tuple[int, int], list[TeamLoad]] = {}
    for snapshot in (plan, edited):
        for load in team_loads(
            teams=snapshot.teams,
            cycles=open_cycles,
            initiatives=snapshot.initiatives,
            capacities=snapshot.capacities,
            active_cycle=snapshot.active_cycle,
        ):
            loads.setdefault((load.team.id, load.cycle.id), []).append(load)
    rows = []
    for (team_id, cycle_id), (old, new) in loads.items():
        if old.capacity is None and new.capacity is None and not old.load and not new.load:
            continue
        rows.append(
            CapacityChange(
                team_id,
                old.team.name,
                cycle_id,
                old.cycle.name,
                old.capacity,
                new.capacity,
                round(old.load, 1),
                round(new.load, 1),
            )
        )
    rows.sort(key=lambda r: (plan.cycle[r.cycle_id].start, r.team, r.team_id))
    return rows


# ---------------------------------------------------------------- fixes, simulated


@dataclass(frozen=True)
class Effects:
    """What applying one suggested fix would do to the plan's conflicts."""

    opened: list[Conflict]
    closed: list[Conflict]
    closes_it: bool  # it closes the conflict it was suggested for
    one_click: bool  # it closes it and opens nothing as severe

    @property
    def worst_opened(self) -> Severity | None:
        return min((c.severity for c in self.opened), key=RANK.__getitem__, default=None)


# Fixes that need a person's choice (which initiative, which pillar) before they are an
# edit: they cannot be simulated until then.
NEEDS_CHOICE = {
    "add_contribution": ("initiative_id", "key_result_id"),
    "align_objective": ("pillar_id",),
}


def suggestion_edit(suggestion: Suggestion) -> Edit | None:
    """The edit a suggested fix makes, or None when it needs a choice first."""
    params = dict(suggestion.params)
    if suggestion.action not in ACTIONS:
        return None
    if any(name not in params for name in NEEDS_CHOICE.get(suggestion.action, ())):
        return None
    return Edit(suggestion.action, params)


def fix_effects(plan: PlanSnapshot, conflict: Conflict) -> list[Effects | None]:
    """Each of the conflict's suggestions as a one-edit scenario: what it closes and opens,
    and whether it may be offered in one click (None: it needs a choice, or no longer
    applies to the plan). Each is judged within the part of the plan its edit reaches, so
    simulating every conflict's fixes costs about as much as one detection."""
    results: list[Effects | None] = []
    for suggestion in conflict.suggestions:
        edit = suggestion_edit(suggestion)
        if edit is None:
            results.append(None)
            continue
        try:
            opened, closed, _ = conflict_changes(plan, [edit])
        except EditError:
            results.append(None)
            continue
        closes_it = any(c.key == conflict.key for c in closed)
        worst = RANK[conflict.severity]
        results.append(
            Effects(
                opened=opened,
                closed=closed,
                closes_it=closes_it,
                one_click=closes_it and all(RANK[c.severity] > worst for c in opened),
            )
        )
    return results


def describe(plan: PlanSnapshot, edit: Edit) -> str:
    """The edit in words, with the titles it concerns (checked edits only)."""
    p = edit.params

    def initiative(name: str = "initiative_id") -> str:
        found = plan.initiative.get(int(p[name]))
        return f"'{found.title}'" if found else f"initiative {p[name]}"

    def key_result() -> str:
        found = plan.key_result.get(int(p["key_result_id"]))
        return f"'{found.title}'" if found else f"key result {p['key_result_id']}"

    match edit.action:
        case "move_initiative":
            return f"Move {initiative()} to {str(p['horizon']).capitalize()}"
        case "reschedule_initiative":
            # In words, as pages write a day (the params keep ISO for the API).
            dates = [
                f"{w} {day_words(datetime.date.fromisoformat(str(p[n]))) if p[n] else 'undated'}"
                for w, n in (("start", "start_date"), ("end", "end_date"))
                if n in p
            ]
            return f"Reschedule {initiative()}: " + ", ".join(dates)
        case "resize_initiative":
            return f"Set the effort of {initiative()} to {_figure(p['effort'])} person-weeks"
        case "drop_initiative":
            return f"Drop {initiative()}"
        case "defer_initiatives":
            cycle = plan.cycle.get(int(p["cycle_id"]))
            names = ", ".join(initiative_title(plan, i) for i in p["initiative_ids"])
            return f"Move {names} after {cycle.name if cycle else 'the cycle'} ends"
        case "set_capacity":
            team = plan.team.get(int(p["team_id"]))
            cycle = plan.cycle.get(int(p["cycle_id"]))
            return (
                f"Set the capacity of '{team.name if team else p['team_id']}' in "
                f"{cycle.name if cycle else p['cycle_id']} to {_figure(p['person_weeks'])} "
                "person-weeks"
            )
        case "retarget_key_result":
            return f"Retarget {key_result()} to {_figure(p['target_value'])}"
        case "reweight_key_result":
            return f"Set the weight of {key_result()} to {_figure(p['weight'])}"
        case "drop_key_result":
            return f"Drop {key_result()}"
        case "mark_needs_no_initiative":
            return f"Mark {key_result()} as needing no initiative"
        case "add_contribution":
            return f"Count {initiative()} towards {key_result()}"
        case "remove_contribution":
            return f"Stop counting {initiative()} towards {key_result()}"
        case "add_dependency":
            return f"Make {initiative()} depend on {initiative('depends_on_id')}"
        case "remove_dependency":
            return f"Remove the dependency of {initiative()} on {initiative('depends_on_id')}"
        case "align_objective":
            objective = plan.objective.get(int(p["objective_id"]))
            pillar = plan.pillar.get(int(p["pillar_id"]))
            return (
                f"Align '{objective.title if objective else p['objective_id']}' to "
                f"'{pillar.name if pillar else p['pillar_id']}'"
            )
    return ACTIONS.get(edit.action, edit.action)


def initiative_title(plan: PlanSnapshot, id: object) -> str:
    found = plan.initiative.get(int(id))  # type: ignore[call-overload]  # the edit's id, checked by int()
    return f"'{found.title}'" if found else f"initiative {id}"


def _figure(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]  # a number from the edit's params, checked by float()
    return f"{number:g}"


def normalised(plan: PlanSnapshot, edit: Edit) -> dict[str, Any]:
    """The edit's params as stored: ids as integers, dates as ISO strings, numbers as
    numbers, and only the params its action reads (checked edits only)."""
    wanted = PARAMS[edit.action]
    out: dict[str, Any] = {}
    for name in wanted:
        if name not in edit.params:
            continue
        value = edit.params[name]
        if name.endswith("_ids"):
            out[name] = [int(v) for v in value]
        elif name.endswith("_id"):
            out[name] = int(value)
        elif name.endswith("_date"):
            out[name] = _date(edit.params, name).isoformat() if value not in (None, "") else None  # type: ignore[union-attr]  # a date when the value is not empty
        elif name == "horizon":
            out[name] = value
        else:
            out[name] = float(value) if value is not None else None
    return out


PARAMS: dict[str, tuple[str, ...]] = {
    "move_initiative": ("initiative_id", "horizon"),
    "reschedule_initiative": ("initiative_id", "start_date", "end_date"),
    "resize_initiative": ("initiative_id", "effort"),
    "drop_initiative": ("initiative_id",),
    "defer_initiatives": ("initiative_ids", "cycle_id"),
    "set_capacity": ("team_id", "cycle_id", "person_weeks"),
    "retarget_key_result": ("key_result_id", "target_value"),
    "reweight_key_result": ("key_result_id", "weight"),
    "drop_key_result": ("key_result_id",),
    "mark_needs_no_initiative": ("key_result_id",),
    "add_contribution": ("initiative_id", "key_result_id", "expected_delta"),
    "remove_contribution": ("initiative_id", "key_result_id"),
    "add_dependency": ("initiative_id", "depends_on_id"),
    "remove_dependency": ("initiative_id", "depends_on_id"),
    "align_objective": ("objective_id", "pillar_id"),
}
