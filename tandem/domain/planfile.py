"""A plan file's content and the diff between two plans: pure Python, no Django.

A plan is held flat: kind -> key -> field -> value, every value canonical (text, a number
as its shortest decimal text, a date as ISO text, a key of another entry, a bool or
None). The file nests key results under objectives, capacities under cycles, and
contributions and dependencies under initiatives; `read_plan` flattens it and `write_plan`
nests it back, omitting defaults, so export -> apply -> export gives the same bytes.
Comparing two flat plans is then a dictionary walk: cheap enough for a dry run of tens of
thousands of rows.

This module holds the format (kinds, fields, keys) and its errors; planfile_read reads and
checks a parsed file, planfile_write nests a plan back into a document, planfile_diff
compares two plans.
"""

import decimal
from dataclasses import dataclass
from typing import Any

FORMAT = 1
Value = str | bool | None
Plan = dict[str, dict[str, dict[str, Value]]]


class Located(dict[str, Any]):
    """A mapping read from a file, with the line of each of its values (1-based)."""

    line: int = 0
    lines: dict[str, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}


@dataclass(frozen=True)
class Spec:
    type: str  # text, name, date, number, int, bool, ref:<kind>, choice
    default: Value = ""
    choices: tuple[str, ...] = ()


EXTERNAL = {"source": Spec("text"), "external_id": Spec("text"), "url": Spec("text")}
STATUS = ("active", "dropped", "archived")

# Kinds in the order they are written and applied: what a kind refers to comes first.
KINDS: dict[str, dict[str, Spec]] = {
    "strategy": {"vision": Spec("text")},
    "pillar": {"name": Spec("name"), "description": Spec("text"), "archived": Spec("bool", False)},
    "team": {
        "name": Spec("name"),
        "parent": Spec("ref:team", None),
        "color": Spec("text", "#4f6bed"),
        "archived": Spec("bool", False),
        **EXTERNAL,
    },
    "cycle": {
        "name": Spec("name"),
        "start": Spec("date", None),
        "end": Spec("date", None),
        "state": Spec("choice", "planning", ("planning", "active", "closed")),
    },
    "capacity": {
        "team": Spec("ref:team", None),
        "cycle": Spec("ref:cycle", None),
        "person_weeks": Spec("number", "0"),
    },
    "objective": {
        "cycle": Spec("ref:cycle", None),
        "title": Spec("name"),
        "description": Spec("text"),
        "pillar": Spec("ref:pillar", None),
        "team": Spec("ref:team", None),
        "parent": Spec("ref:objective", None),
        "commitment": Spec("choice", "committed", ("committed", "aspirational")),
        "status": Spec("choice", "active", STATUS),
        **EXTERNAL,
    },
    "key_result": {
        "objective": Spec("ref:objective", None),
        "title": Spec("name"),
        "kind": Spec(
            "choice", "increase", ("increase", "decrease", "stay_above", "stay_below", "milestone")
        ),
        "unit": Spec("choice", "number", ("number", "percent", "currency")),
        "currency": Spec("text"),
        "start": Spec("number", "0"),
        "target": Spec("number", None),
        "current": Spec("number", "0"),
        "weight": Spec("number", "1"),
        "needs_no_initiative": Spec("bool", False),
        "status": Spec("choice", "active", STATUS),
        **EXTERNAL,
    },
    "roadmap": {"name": Spec("name"), "description": Spec("text"), "team": Spec("ref:team", None)},
    "initiative": {
        "roadmap": Spec("ref:roadmap", None),
        "title": Spec("name"),
        "description": Spec("text"),
        "status": Spec("choice", "idea", ("idea", "planned", "in_progress", "done", "dropped")),
        "horizon": Spec("choice", "later", ("now", "next", "later")),
        "start": Spec("date", None),
        "end": Spec("date", None),
        "team": Spec("ref:team", None),
        "effort": Spec("number", "0"),
        "reach": Spec("int", "0"),
        "impact": Spec("number", "1"),
        "confidence": Spec("int", "80"),
        **EXTERNAL,
    },
    "contribution": {
        "initiative": Spec("ref:initiative", None),
        "key_result": Spec("ref:key_result", None),
        "expected_delta": Spec("number", None),
        "expected_impact": Spec("text"),
    },
    "dependency": {
        "initiative": Spec("ref:initiative", None),
        "depends_on": Spec("ref:initiative", None),
    },
}
SECTIONS = {
    "pillars": "pillar",
    "teams": "team",
    "cycles": "cycle",
    "objectives": "objective",
    "roadmaps": "roadmap",
    "initiatives": "initiative",
}
NESTED = {"cycle": "capacities", "objective": "key_results", "initiative": "contributes"}
REQUIRED = {
    "cycle": ("start", "end"),
    "objective": ("cycle",),
    "key_result": ("target",),
    "initiative": ("roadmap",),
}
# What becomes of an entry the file no longer lists; other kinds are kept as they are.
ON_MISSING = {
    "pillar": ("archived", True),
    "team": ("archived", True),
    "objective": ("status", "archived"),
    "key_result": ("status", "archived"),
    "initiative": ("status", "dropped"),
    "contribution": ("removed", None),
    "dependency": ("removed", None),
}
LABELS = {"key_result": "key result", "strategy": "vision"}
MAX_TEXT = 20_000
MAX_KEY = 120
MAX_ERRORS = 100


def empty_plan() -> Plan:
    return {kind: {} for kind in KINDS}


def link_key(a: str, b: str) -> str:
    return f"{a} > {b}"


def number(value: object) -> str:
    """The shortest decimal text of a number: 40.0000 -> "40", 0.50 -> "0.5"."""
    exact = decimal.Decimal(str(value)).normalize()
    return format(exact if exact != 0 else decimal.Decimal(0), "f")


@dataclass(frozen=True)
class PlanError:
    line: int
    where: str
    message: str
    unit: str = "line"  # or "row", in a table

    def __str__(self) -> str:
        return f"{self.unit} {self.line}, {self.where}: {self.message}"


class PlanInvalid(Exception):
    def __init__(self, errors: list[PlanError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
