"""Baselines: a plan snapshot frozen as JSON, the comparison of two, and the drift index.

The drift index of a cycle is the share of its commitments that changed since its
baseline. Commitments are the cycle's active key results, the live initiatives that
contribute to them, and those contributions. A key result counts as changed when it was
added, removed (or no longer active) or retargeted; an initiative when it was added,
dropped, moved to another horizon or team, or rescheduled; a contribution when it was
added or removed. drift = changed / (baseline commitments + added ones), so it runs from
0.0 (exactly as planned) to 1.0 (nothing left as planned).
"""

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from tandem.domain.calendar import day_words
from tandem.domain.plan import (
    ACTIVE,
    CapacityFacts,
    ContributionFacts,
    CycleFacts,
    DependencyFacts,
    InitiativeFacts,
    KeyResultFacts,
    ObjectiveFacts,
    PillarFacts,
    PlanSnapshot,
    TeamFacts,
)

TABLES: dict[str, type] = {
    "cycles": CycleFacts,
    "pillars": PillarFacts,
    "teams": TeamFacts,
    "objectives": ObjectiveFacts,
    "key_results": KeyResultFacts,
    "initiatives": InitiativeFacts,
    "contributions": ContributionFacts,
    "dependencies": DependencyFacts,
    "capacities": CapacityFacts,
}
DATES = {"start", "end", "last_check_in", "created"}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def snapshot_to_json(plan: PlanSnapshot) -> dict[str, Any]:
    content: dict[str, Any] = {"today": plan.today.isoformat()}
    for name in TABLES:
        content[name] = [
            {k: _plain(v) for k, v in dataclasses.asdict(row).items()}
            for row in getattr(plan, name)
        ]
    return content


def _row(kind: type, data: dict[str, Any]) -> Any:
    names = {f.name for f in dataclasses.fields(kind)}
    values = {
        k: (datetime.date.fromisoformat(v) if k in DATES and isinstance(v, str) else v)
        for k, v in data.items()
        if k in names
    }
    return kind(**values)


def snapshot_from_json(content: dict[str, Any]) -> PlanSnapshot:
    tables: dict[str, Any] = {
        name: tuple(_row(kind, row) for row in content.get(name, []))
        for name, kind in TABLES.items()
    }
    return PlanSnapshot(today=datetime.date.fromisoformat(content["today"]), **tables)


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, retargeted, moved, rescheduled, dropped, linked, unlinked
    entity: str  # key_result, initiative, contribution
    id: str
    title: str
    detail: str = ""


@dataclass(frozen=True)
class Comparison:
    key_results: list[Change] = field(default_factory=list)
    initiatives: list[Change] = field(default_factory=list)
    links: list[Change] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.key_results) + len(self.initiatives) + len(self.links)


def _fmt(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return day_words(value)
    return str(value)


def _key_result_changes(old: PlanSnapshot, new: PlanSnapshot, ids: set[int]) -> list[Change]:
    changes = []
    for kr_id in sorted(ids):
        before, after = old.key_result.get(kr_id), new.key_result.get(kr_id)
        if before is None:
            if after is not None and after.status == ACTIVE:
                changes.append(Change("added", "key_result", str(kr_id), after.title))
        elif after is None:
            changes.append(Change("removed", "key_result", str(kr_id), before.title))
        elif before.status == ACTIVE and after.status != ACTIVE:
            changes.append(Change("removed", "key_result", str(kr_id), before.title, after.status))
        elif (before.target, before.kind) != (after.target, after.kind):
            detail = f"target {_fmt(before.target)} → {_fmt(after.target)}"
            changes.append(Change("retargeted", "key_result", str(kr_id), after.title, detail))
    return changes


def _initiative_changes(old: PlanSnapshot, new: PlanSnapshot, ids: set[int]) -> list[Change]:
    changes = []
    for i_id in sorted(ids):
        before, after = old.initiative.get(i_id), new.initiative.get(i_id)
        if before is None and after is not None:
            changes.append(Change("added", "initiative", str(i_id), after.title))
        elif before is None:
            continue
        elif after is None or (after.status == "dropped" and before.status != "dropped"):
            changes.append(Change("dropped", "initiative", str(i_id), before.title))
        else:
            if (before.horizon, before.team_id) != (after.horizon, after.team_id):
                detail = f"{before.horizon} → {after.horizon}"
                if before.team_id != after.team_id:
                    team_before = old.team.get(before.team_id or 0)
                    team_after = new.team.get(after.team_id or 0)
                    detail = (
                        f"team {team_before.name if team_before else 'none'} → "
                        f"{team_after.name if team_after else 'none'}"
                    )
                changes.append(Change("moved", "initiative", str(i_id), after.title, detail))
            if (before.start, before.end) != (after.start, after.end):
                detail = f"ends {_fmt(before.end)} → {_fmt(after.end)}"
                changes.append(Change("rescheduled", "initiative", str(i_id), after.title, detail))
    return changes


def _link_changes(old: PlanSnapshot, new: PlanSnapshot, cycle_krs: set[int] | None) -> list[Change]:
    def links(plan: PlanSnapshot) -> set[tuple[int, int]]:
        return {
            (c.initiative_id, c.key_result_id)
            for c in plan.contributions
            if cycle_krs is None or c.key_result_id in cycle_krs
        }

    before, after = links(old), links(new)

    def title(pair: tuple[int, int]) -> str:
        plan = new if pair in after else old
        initiative = plan.initiative.get(pair[0])
        key_result = plan.key_result.get(pair[1])
        i_title = initiative.title if initiative else f"initiative {pair[0]}"
        return f"{i_title} → {key_result.title if key_result else f'key result {pair[1]}'}"

    return [
        Change("linked", "contribution", f"{p[0]}-{p[1]}", title(p)) for p in sorted(after - before)
    ] + [
        Change("unlinked", "contribution", f"{p[0]}-{p[1]}", title(p))
        for p in sorted(before - after)
    ]


def _cycle_key_results(plan: PlanSnapshot, cycle_id: int) -> set[int]:
    objectives = {o.id for o in plan.objectives if o.cycle_id == cycle_id}
    return {k.id for k in plan.key_results if k.objective_id in objectives}


def compare(old: PlanSnapshot, new: PlanSnapshot, cycle_id: int | None = None) -> Comparison:
    """What changed from old to new: of one cycle's commitments, or of the whole plan."""
    if cycle_id is None:
        kr_ids = set(old.key_result) | set(new.key_result)
        initiative_ids = set(old.initiative) | set(new.initiative)
        cycle_krs = None
    else:
        cycle_krs = _cycle_key_results(old, cycle_id) | _cycle_key_results(new, cycle_id)
        kr_ids = cycle_krs
        initiative_ids = {
            c.initiative_id
            for plan in (old, new)
            for c in plan.contributions
            if c.key_result_id in cycle_krs
        }
    return Comparison(
        key_results=_key_result_changes(old, new, kr_ids),
        initiatives=_initiative_changes(old, new, initiative_ids),
        links=_link_changes(old, new, cycle_krs),
    )


def commitments(plan: PlanSnapshot, cycle_id: int) -> set[str]:
    """The cycle's commitments as keys: its active key results, the live initiatives
    contributing to them, and those contributions."""
    krs = {k for k in _cycle_key_results(plan, cycle_id) if plan.key_result[k].status == ACTIVE}
    links = [c for c in plan.contributions if c.key_result_id in krs]
    initiatives = {
        c.initiative_id
        for c in links
        if c.initiative_id in plan.initiative and plan.initiative[c.initiative_id].live
    }
    return (
        {f"key_result:{k}" for k in krs}
        | {f"initiative:{i}" for i in initiatives}
        | {f"contribution:{c.initiative_id}-{c.key_result_id}" for c in links}
    )


def drift_index(baseline: PlanSnapshot, now: PlanSnapshot, cycle_id: int) -> float:
    """The share of the cycle's commitments changed since the baseline (see module doc)."""
    planned = commitments(baseline, cycle_id)
    comparison = compare(baseline, now, cycle_id)
    changed = {f"{c.entity}:{c.id}" for c in comparison.key_results}
    changed |= {f"{c.entity}:{c.id}" for c in comparison.initiatives}
    changed |= {f"{c.entity}:{c.id}" for c in comparison.links}
    universe = planned | changed
    if not universe:
        return 0.0
    return len(changed) / len(universe)


def drift_plot(
    points: list[tuple[datetime.date, float]],
    start: datetime.date,
    end: datetime.date,
    *,
    width: int = 600,
    height: int = 160,
    pad: int = 44,
) -> dict[str, Any]:
    """Coordinates for an SVG line of drift over the cycle: x by date, y by share (0..1)."""
    days = max((end - start).days, 1)
    inner_w, inner_h = width - 2 * pad, height - 2 * pad

    def x(day: datetime.date) -> float:
        return round(pad + inner_w * min(max((day - start).days / days, 0.0), 1.0), 1)

    def y(share: float) -> float:
        return round(pad + inner_h * (1 - min(max(share, 0.0), 1.0)), 1)

    coords = [(x(d), y(s), d, s) for d, s in sorted(points)]
    return {
        "width": width,
        "height": height,
        "left": pad,
        "right": width - pad,
        "top": pad,
        "bottom": height - pad,
        "middle": y(0.5),
        "points": " ".join(f"{cx},{cy}" for cx, cy, _, _ in coords),
        "dots": [
            {"x": cx, "y": cy, "day": d, "percent": round(s * 100)} for cx, cy, d, s in coords
        ],
    }
