"""The JSON Schema of a plan file, made from the same field table the reader checks."""

from typing import Any

from tandem.domain.planfile import EXTERNAL, FORMAT, KINDS, NESTED, REQUIRED, SECTIONS, Spec


def _property(spec: Spec) -> dict[str, Any]:
    kind = spec.type
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "date":
        return {"type": "string", "format": "date"}
    if kind == "number":
        return {"type": "number"}
    if kind == "int":
        return {"type": "integer", "minimum": 0}
    if kind == "choice":
        return {"enum": list(spec.choices)}
    if kind.startswith("ref:"):
        return {"type": ["string", "null"], "description": f"The key of a {kind[4:]}."}
    return {"type": "string"}


def _entry(kind: str, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    properties: dict[str, Any] = {"key": {"type": "string", "minLength": 1}}
    properties |= {n: _property(s) for n, s in KINDS[kind].items() if n not in skip}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["key", *[n for n in REQUIRED.get(kind, ()) if n not in skip]],
        "properties": properties,
    }


def plan_json_schema() -> dict[str, Any]:
    entries = {kind: _entry(kind) for kind in SECTIONS.values()}
    entries["cycle"]["properties"][NESTED["cycle"]] = {
        "type": "object",
        "description": "Team key: person-weeks.",
        "additionalProperties": {"type": "number", "minimum": 0},
    }
    entries["objective"]["properties"]["key_results"] = {
        "type": "array",
        "items": _entry("key_result", ("objective",)),
    }
    contribution = _entry("contribution", ("initiative",))
    contribution["required"] = ["key_result"]
    del contribution["properties"]["key"]
    entries["initiative"]["properties"]["contributes"] = {"type": "array", "items": contribution}
    entries["initiative"]["properties"]["depends_on"] = {
        "type": "array",
        "items": {"type": "string"},
        "description": "Keys of the initiatives this one waits for.",
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Tandem plan file",
        "description": "See docs/plan-format.md. External references: " + ", ".join(EXTERNAL) + ".",
        "type": "object",
        "additionalProperties": False,
        "required": ["format"],
        "properties": {
            "format": {"const": FORMAT},
            "vision": {"type": "string"},
            **{
                section: {"type": "array", "items": entries[kind]}
                for section, kind in SECTIONS.items()
            },
        },
    }
