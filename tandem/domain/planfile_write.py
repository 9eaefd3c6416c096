"""Writing a plan file: the nested document of a flat plan, defaults left out, in the plan's
order, so export -> apply -> export gives the same bytes."""

from collections.abc import Mapping
from typing import Any

from tandem.domain.planfile import (
    FORMAT,
    KINDS,
    SECTIONS,
    Plan,
    Value,
)


def _shown(kind: str, fields: Mapping[str, Value], omit: tuple[str, ...]) -> dict[str, Value]:
    return {
        name: value
        for name, value in fields.items()
        if name not in omit and value != KINDS[kind][name].default
    }


def write_plan(plan: Plan) -> dict[str, Any]:
    """The nested document of a flat plan, defaults left out, in the plan's order."""
    document: dict[str, Any] = {"format": FORMAT}
    if "vision" in plan["strategy"] and plan["strategy"]["vision"]["vision"]:
        document["vision"] = plan["strategy"]["vision"]["vision"]
    capacities: dict[str, dict[str, Value]] = {}
    for fields in plan["capacity"].values():
        capacities.setdefault(str(fields["cycle"]), {})[str(fields["team"])] = fields[
            "person_weeks"
        ]
    key_results: dict[str, list[dict[str, Value]]] = {}
    for key, fields in plan["key_result"].items():
        key_results.setdefault(str(fields["objective"]), []).append(
            {"key": key, **_shown("key_result", fields, ("objective",))}
        )
    contributes: dict[str, list[dict[str, Value]]] = {}
    for fields in plan["contribution"].values():
        contributes.setdefault(str(fields["initiative"]), []).append(
            _shown("contribution", fields, ("initiative",))
        )
    depends: dict[str, list[Value]] = {}
    for fields in plan["dependency"].values():
        depends.setdefault(str(fields["initiative"]), []).append(fields["depends_on"])
    for section, kind in SECTIONS.items():
        entries = []
        for key, fields in plan[kind].items():
            entry: dict[str, Any] = {"key": key, **_shown(kind, fields, ())}
            if kind == "cycle" and key in capacities:
                entry["capacities"] = capacities[key]
            if kind == "objective" and key in key_results:
                entry["key_results"] = key_results[key]
            if kind == "initiative" and key in contributes:
                entry["contributes"] = contributes[key]
            if kind == "initiative" and key in depends:
                entry["depends_on"] = depends[key]
            entries.append(entry)
        if entries:
            document[section] = entries
    return document
