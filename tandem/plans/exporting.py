"""The workspace's plan as a flat plan (tandem.domain.planfile): one query per table.

Keys are slugs of titles and names, made unique in the export's order, which is the same
order in any workspace the file is applied to (positions, then creation): so the keys of a
round trip come out the same.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.text import slugify

from tandem.accounts.models import Workspace
from tandem.domain.collector import collector_paused
from tandem.domain.planfile import Plan, Value, empty_plan, link_key
from tandem.domain.planfile import number as canonical
from tandem.okrs.models import Cycle, KeyResult, Objective
from tandem.roadmaps.models import Contribution, Dependency, Initiative, Roadmap, TeamCapacity
from tandem.strategy.models import Pillar, Strategy, Team

# The source of the objects a plan file created: their external id is the file's key.
PLAN_SOURCE = "plan"
NAME_UNIQUE = frozenset({"pillar", "team", "cycle", "roadmap"})


@dataclass
class PlanIndex:
    """Database ids behind the keys of an exported plan."""

    ids: dict[str, dict[str, int]] = field(default_factory=dict)

    def id(self, kind: str, key: str | None) -> int | None:
        return None if key is None else self.ids.get(kind, {}).get(key)


class _Hints:
    """Which key each object should get: the key a plan file gave it when it created it
    (kept as its external reference, source "plan"), else the key of the file being
    applied that names the same external reference or, for kinds whose names are unique,
    the same name. So an applied file's own keys match, whatever slugs it chose."""

    def __init__(self, wanted: Plan | None) -> None:
        self.by_ref: dict[str, dict[tuple[str, str], str]] = {}
        self.by_name: dict[str, dict[str, str]] = {}
        for kind, entries in (wanted or {}).items():
            for key, fields in entries.items():
                if fields.get("external_id"):
                    ref = (str(fields["source"]), str(fields["external_id"]))
                    self.by_ref.setdefault(kind, {})[ref] = key
                if kind in NAME_UNIQUE:
                    self.by_name.setdefault(kind, {})[str(fields["name"])] = key

    def keys(self, kind: str, found: list[dict[str, Any]], label: str) -> dict[int, str]:
        preferred: dict[int, str] = {}
        for row in found:
            if row.get("external_source") == PLAN_SOURCE:
                preferred[row["id"]] = row["external_id"]
            elif (
                key := self.by_ref.get(kind, {}).get(
                    (row.get("external_source", ""), row.get("external_id", ""))
                )
            ) or (kind in NAME_UNIQUE and (key := self.by_name.get(kind, {}).get(row["name"]))):
                preferred[row["id"]] = key
        keys: dict[int, str] = {}
        taken: set[str] = set()
        for row in found:
            key = preferred.get(row["id"])
            if key is not None and key not in taken:
                keys[row["id"]] = key
                taken.add(key)
        for row in found:
            if row["id"] in keys:
                continue
            base = slugify(row.get("title") or row.get("name") or "")[:60].strip("-") or label
            key, n = base, 1
            while key in taken:
                n += 1
                key = f"{base}-{n}"
            taken.add(key)
            keys[row["id"]] = key
        return {row["id"]: keys[row["id"]] for row in found}


def _date(value: datetime.date | None) -> Value:
    return value.isoformat() if value is not None else None


def _ref(keys: dict[int, str], pk: int | None) -> Value:
    return keys.get(pk) if pk is not None else None


def _external(row: dict[str, object]) -> dict[str, Value]:
    if row["external_source"] == PLAN_SOURCE:
        return {"source": "", "external_id": "", "url": ""}
    return {
        "source": str(row["external_source"]),
        "external_id": str(row["external_id"]),
        "url": str(row["external_url"]),
    }


EXTERNAL_FIELDS = ("external_source", "external_id", "external_url")


def _field_names(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


def export_plan(
    workspace: Workspace, *, cycle: Cycle | None = None, wanted: Plan | None = None
) -> tuple[Plan, PlanIndex]:
    """The plan and the ids behind its keys; `wanted`, a file about to be applied, lends
    its keys to the objects it names (see _Hints)."""
    with collector_paused():
        return _export_plan(workspace, cycle=cycle, wanted=wanted)


def _export_plan(
    workspace: Workspace, *, cycle: Cycle | None, wanted: Plan | None
) -> tuple[Plan, PlanIndex]:
    plan, index = empty_plan(), PlanIndex()
    hints = _Hints(wanted)

    def rows(
        model: type[models.Model], columns: str, *order: str, **where: object
    ) -> list[dict[str, Any]]:
        # Only the columns the file shows (and the key hints read): a large plan's rows
        # are read for every apply and dry run, and each column costs a conversion.
        names = ["id", *columns.split()]
        names += [f for f in EXTERNAL_FIELDS if f in _field_names(model)]
        queryset = model._default_manager.filter(workspace=workspace, **where)
        return list(queryset.order_by(*order, "id").values(*names))

    numbers: dict[object, str] = {}

    def number(value: object) -> str:
        # Thousands of rows share a few values (effort 3, impact 1, confidence 80).
        text = numbers.get(value)
        if text is None:
            text = numbers[value] = canonical(value)
        return text

    def keep(kind: str, found: list[dict[str, Any]], keys: dict[int, str]) -> None:
        index.ids[kind] = {keys[int(r["id"])]: int(r["id"]) for r in found}

    strategy = Strategy.objects.filter(workspace=workspace).first()
    if strategy is not None and strategy.vision:
        plan["strategy"]["vision"] = {"vision": strategy.vision}

    pillars = rows(Pillar, "name description archived_at position", "position", "name")
    pillar_keys = hints.keys("pillar", pillars, "pillar")
    keep("pillar", pillars, pillar_keys)
    for r in pillars:
        plan["pillar"][pillar_keys[r["id"]]] = {
            "name": r["name"],
            "description": r["description"],
            "archived": r["archived_at"] is not None,
        }

    teams = rows(Team, "name parent_id color archived_at", "name")
    team_keys = hints.keys("team", teams, "team")
    keep("team", teams, team_keys)
    for r in teams:
        plan["team"][team_keys[r["id"]]] = {
            "name": r["name"],
            "parent": _ref(team_keys, r["parent_id"]),
            "color": r["color"],
            "archived": r["archived_at"] is not None,
            **_external(r),
        }

    cycle_filter = {"id": cycle.pk} if cycle is not None else {}
    cycles = rows(Cycle, "name start end state", "start", "name", **cycle_filter)
    cycle_keys = hints.keys("cycle", cycles, "cycle")
    keep("cycle", cycles, cycle_keys)
    for r in cycles:
        plan["cycle"][cycle_keys[r["id"]]] = {
            "name": r["name"],
            "start": _date(r["start"]),
            "end": _date(r["end"]),
            "state": r["state"],
        }
    cycle_order = {pk: n for n, pk in enumerate(cycle_keys)}
    capacities = rows(
        TeamCapacity,
        "team_id cycle_id person_weeks",
        "cycle__start",
        "team__name",
        cycle_id__in=list(cycle_keys),
    )
    for r in capacities:
        team, cyc = team_keys[r["team_id"]], cycle_keys[r["cycle_id"]]
        plan["capacity"][link_key(team, cyc)] = {
            "team": team,
            "cycle": cyc,
            "person_weeks": number(r["person_weeks"]),
        }

    objectives = rows(
        Objective,
        "cycle_id title description pillar_id team_id parent_id commitment status position",
        "position",
        cycle_id__in=list(cycle_keys),
    )
    objectives.sort(key=lambda r: (cycle_order[r["cycle_id"]], r["position"], r["id"]))
    objective_keys = hints.keys("objective", objectives, "objective")
    keep("objective", objectives, objective_keys)
    for r in objectives:
        plan["objective"][objective_keys[r["id"]]] = {
            "cycle": cycle_keys[r["cycle_id"]],
            "title": r["title"],
            "description": r["description"],
            "pillar": _ref(pillar_keys, r["pillar_id"]),
            "team": _ref(team_keys, r["team_id"]),
            "parent": _ref(objective_keys, r["parent_id"]),
            "commitment": r["commitment"],
            "status": r["status"],
            **_external(r),
        }
    objective_order = {pk: n for n, pk in enumerate(objective_keys)}
    key_results = rows(
        KeyResult,
        "objective_id title kind unit currency start_value target_value current_value weight"
        " needs_no_initiative status position",
        "position",
        objective_id__in=list(objective_keys),
    )
    key_results.sort(key=lambda r: (objective_order[r["objective_id"]], r["position"], r["id"]))
    kr_keys = hints.keys("key_result", key_results, "key-result")
    keep("key_result", key_results, kr_keys)
    for r in key_results:
        plan["key_result"][kr_keys[r["id"]]] = {
            "objective": objective_keys[r["objective_id"]],
            "title": r["title"],
            "kind": r["kind"],
            "unit": r["unit"],
            "currency": r["currency"],
            "start": number(r["start_value"]),
            "target": number(r["target_value"]),
            "current": number(r["current_value"]),
            "weight": number(r["weight"]),
            "needs_no_initiative": r["needs_no_initiative"],
            "status": r["status"],
            **_external(r),
        }

    roadmaps = rows(Roadmap, "name description team_id", "name")
    roadmap_keys = hints.keys("roadmap", roadmaps, "roadmap")
    keep("roadmap", roadmaps, roadmap_keys)
    for r in roadmaps:
        plan["roadmap"][roadmap_keys[r["id"]]] = {
            "name": r["name"],
            "description": r["description"],
            "team": _ref(team_keys, r["team_id"]),
        }
    roadmap_order = {pk: n for n, pk in enumerate(roadmap_keys)}
    initiatives = rows(
        Initiative,
        "roadmap_id title description status horizon start_date end_date team_id effort reach"
        " impact confidence position",
        "horizon",
        "position",
    )
    initiatives.sort(
        key=lambda r: (roadmap_order[r["roadmap_id"]], r["horizon"], r["position"], r["id"])
    )
    initiative_keys = hints.keys("initiative", initiatives, "initiative")
    keep("initiative", initiatives, initiative_keys)
    for r in initiatives:
        plan["initiative"][initiative_keys[r["id"]]] = {
            "roadmap": roadmap_keys[r["roadmap_id"]],
            "title": r["title"],
            "description": r["description"],
            "status": r["status"],
            "horizon": r["horizon"],
            "start": _date(r["start_date"]),
            "end": _date(r["end_date"]),
            "team": _ref(team_keys, r["team_id"]),
            "effort": number(r["effort"]),
            "reach": number(r["reach"]),
            "impact": number(r["impact"]),
            "confidence": number(r["confidence"]),
            **_external(r),
        }
    initiative_order = {pk: n for n, pk in enumerate(initiative_keys)}
    kr_order = {pk: n for n, pk in enumerate(kr_keys)}
    links = [
        r
        for r in rows(Contribution, "initiative_id key_result_id expected_delta expected_impact")
        if r["key_result_id"] in kr_keys
    ]
    links.sort(key=lambda r: (initiative_order[r["initiative_id"]], kr_order[r["key_result_id"]]))
    index.ids["contribution"] = {}
    for r in links:
        a, b = initiative_keys[r["initiative_id"]], kr_keys[r["key_result_id"]]
        plan["contribution"][link_key(a, b)] = {
            "initiative": a,
            "key_result": b,
            "expected_delta": None if r["expected_delta"] is None else number(r["expected_delta"]),
            "expected_impact": r["expected_impact"],
        }
        index.ids["contribution"][link_key(a, b)] = r["id"]
    dependencies = rows(Dependency, "initiative_id depends_on_id")
    dependencies.sort(
        key=lambda r: (initiative_order[r["initiative_id"]], initiative_order[r["depends_on_id"]])
    )
    index.ids["dependency"] = {}
    for r in dependencies:
        a, b = initiative_keys[r["initiative_id"]], initiative_keys[r["depends_on_id"]]
        plan["dependency"][link_key(a, b)] = {"initiative": a, "depends_on": b}
        index.ids["dependency"][link_key(a, b)] = r["id"]
    return plan, index
