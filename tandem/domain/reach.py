"""The part of a plan a few edits can reach, so that what they open, close and change is
found by running the rules over tens of rows instead of the whole plan.

A conflict can differ between the plan and the plan plus edits only if one of its inputs
does. Edits name initiatives, key results, a team's capacity or an objective; from those:

- judged initiatives: the named ones and those serving a named key result (whether they
  are orphan work or serve a dropped goal depends on it);
- judged key results: the named ones, their siblings (a key result's severity reads its
  share of its objective's weight) and those the named initiatives serve (their live work,
  forecast and late delivery read those initiatives);
- judged teams: those of the named initiatives and of a changed capacity (their load).

The part holds every input of those conflicts: all the work serving a judged key result,
all the key results (with their siblings and objectives) a judged initiative serves, all of
a judged team's work and capacities, the dependencies of named initiatives, and every
cycle, pillar and team. The rules run over the part before and after the edits; a conflict
about nothing judged is computed from partial inputs and ignored, and was unchanged anyway.
The strategy-gap rule reads the whole objective tree: it is judged on the whole plan, and
only when an edit aligns an objective (no other edit moves its inputs).

`tests/domain/test_reach.py` checks the result against detection on the whole plan.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from tandem.domain.conflict_rules import ALL_RULES, detect, strategy_gap
from tandem.domain.conflicts import Conflict, Rule
from tandem.domain.plan import ContributionFacts, PlanSnapshot

LOCAL_RULES = tuple(rule for rule in ALL_RULES if rule is not strategy_gap)


class EditLike(Protocol):
    @property
    def action(self) -> str: ...
    @property
    def params(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class Reach:
    initiatives: frozenset[int]
    key_results: frozenset[int]
    teams: frozenset[int]
    named_initiatives: frozenset[int]
    objectives: frozenset[int]  # named by an edit (aligned to a pillar)
    objectives_edited: bool  # strategy gaps are then judged on the whole plan
    every_dependency: bool  # a dependency added: its loop check reads the whole graph

    def judges(self, conflict: Conflict) -> bool:
        if conflict.rule is Rule.STRATEGY_GAP:
            return False
        for kind, id in conflict.subject:
            if kind == "initiative" and id in self.initiatives:
                return True
            if kind == "key_result" and id in self.key_results:
                return True
            if kind == "team" and id in self.teams:
                return True
        return False


def _ids(value: object) -> list[int]:
    values = value if isinstance(value, list | tuple) else [value]
    ids = []
    for v in values:
        if isinstance(v, bool):
            continue
        if isinstance(v, int):
            ids.append(v)
        elif isinstance(v, str):
            try:  # as the edit reads it (whatif._id)
                ids.append(int(v))
            except ValueError:
                continue
    return ids


def reach_of(plan: PlanSnapshot, edits: Iterable[EditLike]) -> Reach:
    named_i: set[int] = set()
    named_k: set[int] = set()
    teams: set[int] = set()
    objectives: set[int] = set()
    objectives_edited = every_dependency = False
    for edit in edits:
        p = edit.params
        for name in ("initiative_id", "depends_on_id", "initiative_ids"):
            named_i.update(i for i in _ids(p.get(name)) if i in plan.initiative)
        named_k.update(k for k in _ids(p.get("key_result_id")) if k in plan.key_result)
        if edit.action == "set_capacity":
            teams.update(_ids(p.get("team_id")))
        objectives.update(o for o in _ids(p.get("objective_id")) if o in plan.objective)
        objectives_edited |= edit.action == "align_objective"
        every_dependency |= edit.action == "add_dependency"
    teams.update(t for i in named_i if (t := plan.initiative[i].team_id) is not None)
    key_results = set(named_k)
    for k in named_k:
        key_results.update(plan.key_results_of_objective.get(plan.key_result[k].objective_id, ()))
    for i in named_i:
        key_results.update(plan.key_results_of_initiative.get(i, ()))
    initiatives = set(named_i)
    for k in named_k:
        initiatives.update(plan.initiatives_of_key_result.get(k, ()))
    return Reach(
        initiatives=frozenset(initiatives),
        key_results=frozenset(key_results),
        teams=frozenset(teams),
        named_initiatives=frozenset(named_i),
        objectives=frozenset(objectives),
        objectives_edited=objectives_edited,
        every_dependency=every_dependency,
    )


def part_of(plan: PlanSnapshot, reach: Reach) -> PlanSnapshot:
    """The rows of `plan` the judged conflicts read (see the module's docstring)."""
    initiatives = set(reach.initiatives)
    for k in reach.key_results:
        initiatives.update(plan.initiatives_of_key_result.get(k, ()))
    for t in reach.teams:
        initiatives.update(plan.initiatives_of_team.get(t, ()))
    touching = tuple(
        {
            d: None
            for i in sorted(reach.named_initiatives)
            for d in plan.dependencies_of_initiative.get(i, ())
        }
    )
    for d in touching:
        initiatives.update((d.initiative_id, d.depends_on_id))
    initiatives &= plan.initiative.keys()
    key_results = set(reach.key_results)
    for i in reach.initiatives:
        key_results.update(plan.key_results_of_initiative.get(i, ()))
    key_results &= plan.key_result.keys()
    objectives = {plan.key_result[k].objective_id for k in key_results}
    for o in objectives:
        key_results.update(plan.key_results_of_objective.get(o, ()))
    impact = plan.expected_impact
    contributions = tuple(
        ContributionFacts(i, k, impact[(i, k)])
        for i in sorted(initiatives)
        for k in plan.key_results_of_initiative.get(i, ())
        if k in key_results
    )
    checked = plan.check_ins_of_key_result
    objectives.update(reach.objectives)
    return replace(
        plan,
        objectives=tuple(plan.objective[o] for o in sorted(objectives) if o in plan.objective),
        key_results=tuple(plan.key_result[k] for k in sorted(key_results)),
        initiatives=tuple(plan.initiative[i] for i in sorted(initiatives)),
        contributions=contributions,
        dependencies=plan.dependencies if reach.every_dependency else touching,
        capacities=tuple(c for c in plan.capacities if c.team_id in reach.teams),
        check_ins=tuple(c for k in sorted(key_results) for c in checked.get(k, ())),
    )


ORDER = {"high": 0, "medium": 1, "low": 2}


def _ranked(conflicts: Iterable[Conflict]) -> list[Conflict]:
    return sorted(conflicts, key=lambda c: (ORDER[c.severity.value], c.key))


def judged_conflicts(part: PlanSnapshot, reach: Reach) -> list[Conflict]:
    return [c for c in detect(part, LOCAL_RULES) if reach.judges(c)]


def diff_within_reach(
    before: Sequence[Conflict], after: Sequence[Conflict]
) -> tuple[list[Conflict], list[Conflict], list[tuple[Conflict, Conflict]]]:
    """Opened, closed and changed (severity or sentence), most severe first, as detection
    orders conflicts."""
    old = {c.key: c for c in before}
    new = {c.key: c for c in after}
    opened = _ranked(c for key, c in new.items() if key not in old)
    closed = _ranked(c for key, c in old.items() if key not in new)
    changed = sorted(
        (
            (old[key], c)
            for key, c in new.items()
            if key in old and (old[key].severity != c.severity or old[key].sentence != c.sentence)
        ),
        key=lambda pair: (ORDER[pair[1].severity.value], pair[1].key),
    )
    return opened, closed, changed


def strategy_gaps(plan: PlanSnapshot) -> list[Conflict]:
    return list(strategy_gap(plan))
