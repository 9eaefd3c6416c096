"""A plan file's content and the diff between two plans: pure Python, no Django.

A plan is held flat: kind -> key -> field -> value, every value canonical (text, a number
as its shortest decimal text, a date as ISO text, a key of another entry, a bool or
None). The file nests key results under objectives, capacities under cycles, and
contributions and dependencies under initiatives; `read_plan` flattens it and `write_plan`
nests it back, omitting defaults, so export -> apply -> export gives the same bytes.
Comparing two flat plans is then a dictionary walk: cheap enough for a dry run of tens of
thousands of rows.
"""

import contextlib
import datetime
import decimal
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
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


# ------------------------------------------------------------------------- reading a file


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


class _Reader:
    def __init__(self) -> None:
        self.plan = empty_plan()
        self.errors: list[PlanError] = []
        self.where: dict[tuple[str, str], tuple[int, str, Located]] = {}

    def error(self, line: int, where: str, message: str) -> None:
        self.errors.append(PlanError(line, where, message))

    def value(self, spec: Spec, raw: object, line: int, where: str) -> Value:
        if raw is None:
            return None if spec.default is None else spec.default
        kind = spec.type
        if kind == "bool":
            if not isinstance(raw, bool):
                self.error(line, where, "Write true or false.")
            return bool(raw)
        if kind == "date":
            if isinstance(raw, str):  # JSON has no dates
                with contextlib.suppress(ValueError):
                    raw = datetime.date.fromisoformat(raw)
            if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
                return raw.isoformat()
            self.error(line, where, "Write a date as YYYY-MM-DD.")
            return None
        if kind in ("number", "int"):
            if isinstance(raw, bool) or not isinstance(raw, int | float | decimal.Decimal):
                self.error(line, where, "Write a number.")
                return spec.default
            exact = decimal.Decimal(str(raw))
            if not exact.is_finite() or abs(exact) >= 10**12:
                self.error(line, where, "Write a finite number below a trillion.")
                return spec.default
            if kind == "int" and (exact % 1 or exact < 0):
                self.error(line, where, "Write a whole number, zero or more.")
            return number(raw)
        if isinstance(raw, datetime.date | int | float | decimal.Decimal) and kind != "choice":
            raw = str(raw)
        if not isinstance(raw, str):
            self.error(line, where, "Write text here.")
            return spec.default
        if len(raw) > MAX_TEXT:
            self.error(line, where, f"At most {MAX_TEXT:,} characters.")
        if kind == "choice" and raw not in spec.choices:
            self.error(line, where, f"One of: {', '.join(spec.choices)}.")
        if kind == "name" and not raw.strip():
            self.error(line, where, "This cannot be empty.")
        return raw

    def entry(
        self, kind: str, data: object, where: str, line: int, extra: Mapping[str, object]
    ) -> tuple[str, Located] | None:
        if not isinstance(data, Located):
            self.error(line, where, "Expected a mapping of fields.")
            return None
        specs = KINDS[kind]
        allowed = {"key", *specs, *([NESTED[kind]] if kind in NESTED else [])}
        allowed |= {"depends_on"} if kind == "initiative" else set()
        for name in data:
            if name not in allowed and name not in extra:
                self.error(
                    data.lines.get(name, data.line),
                    f"{where}.{name}",
                    f"Unknown field. Known: {', '.join(sorted(allowed - set(extra)))}.",
                )
        key = data.get("key")
        if not isinstance(key, str) or not key.strip() or len(key) > MAX_KEY:
            line = data.lines.get("key", data.line)
            self.error(line, f"{where}.key", f"Every entry needs a key: text of 1 to {MAX_KEY}.")
            return None
        if key in self.plan[kind]:
            self.error(
                data.lines.get("key", data.line), f"{where}.key", f"Key {key!r} is repeated."
            )
            return None
        fields: dict[str, Value] = {}
        for name, spec in specs.items():
            raw = extra[name] if name in extra else data.get(name)
            line_of = data.lines.get(name, data.line)
            fields[name] = self.value(spec, raw, line_of, f"{where}.{name}")
        for name in REQUIRED.get(kind, ()):
            if fields[name] is None and data.get(name) is None:
                self.error(data.line, f"{where}.{name}", "This is required.")
        self.plan[kind][key] = fields
        self.where[(kind, key)] = (data.line, where, data)
        return key, data

    def section(self, document: Located, name: str) -> list[Any]:
        items = document.get(name)
        if items is None:
            return []
        if not isinstance(items, list):  # an empty mapping too: it is not an empty list
            self.error(document.lines.get(name, 1), name, "Expected a list.")
            return []
        return items

    def read(self, document: object) -> Plan:
        if not isinstance(document, Located):
            self.error(1, "file", "Expected a mapping with format, vision, pillars...")
            return self.plan
        known = {"format", "vision", *SECTIONS}
        for name in document:
            if name not in known:
                self.error(
                    document.lines.get(name, 1),
                    str(name),
                    f"Unknown section. Known: {', '.join(sorted(known))}.",
                )
        if document.get("format") != FORMAT:
            self.error(document.lines.get("format", 1), "format", f"Write format: {FORMAT}.")
        vision = self.value(
            Spec("text"), document.get("vision"), document.lines.get("vision", 1), "vision"
        )
        if vision:
            self.plan["strategy"]["vision"] = {"vision": vision}
            self.where[("strategy", "vision")] = (document.lines["vision"], "vision", document)
        for section, kind in SECTIONS.items():
            for index, data in enumerate(self.section(document, section)):
                self.read_entry(kind, data, f"{section}[{index}]", document.lines.get(section, 1))
        self.check_references()
        return self.plan

    def read_entry(self, kind: str, data: object, where: str, line: int) -> None:
        read = self.entry(kind, data, where, line, {})
        if read is None:
            return
        key, located = read
        if kind == "cycle":
            capacities = located.get("capacities")
            if capacities is None:
                return
            if not isinstance(capacities, Located):
                self.error(located.line, f"{where}.capacities", "Expected team: person-weeks.")
                return
            for team, weeks in capacities.items():
                self.plan["capacity"][link_key(str(team), key)] = {
                    "team": str(team),
                    "cycle": key,
                    "person_weeks": self.value(
                        Spec("number", "0"),
                        weeks,
                        capacities.lines[team],
                        f"{where}.capacities.{team}",
                    ),
                }
                self.where[("capacity", link_key(str(team), key))] = (
                    capacities.lines[team],
                    f"{where}.capacities.{team}",
                    capacities,
                )
        elif kind == "objective":
            for index, item in enumerate(self.nested(located, "key_results", where)):
                self.entry(
                    "key_result",
                    item,
                    f"{where}.key_results[{index}]",
                    located.line,
                    {"objective": key},
                )
        elif kind == "initiative":
            for index, item in enumerate(self.nested(located, "contributes", where)):
                at = f"{where}.contributes[{index}]"
                if not isinstance(item, Located) or not isinstance(item.get("key_result"), str):
                    self.error(
                        getattr(item, "line", located.line),
                        f"{at}.key_result",
                        "Name a key result's key.",
                    )
                    continue
                unknown = set(item) - {"key_result", "expected_delta", "expected_impact"}
                for name in sorted(unknown):
                    self.error(item.lines[name], f"{at}.{name}", "Unknown field.")
                link = link_key(key, item["key_result"])
                specs = KINDS["contribution"]
                self.plan["contribution"][link] = {
                    "initiative": key,
                    "key_result": item["key_result"],
                    "expected_delta": self.value(
                        specs["expected_delta"],
                        item.get("expected_delta"),
                        item.lines.get("expected_delta", item.line),
                        f"{at}.expected_delta",
                    ),
                    "expected_impact": self.value(
                        specs["expected_impact"],
                        item.get("expected_impact"),
                        item.lines.get("expected_impact", item.line),
                        f"{at}.expected_impact",
                    ),
                }
                self.where[("contribution", link)] = (item.line, at, item)
            for index, other in enumerate(self.nested(located, "depends_on", where)):
                at = f"{where}.depends_on[{index}]"
                line = located.lines.get("depends_on", located.line) + index
                if not isinstance(other, str):
                    self.error(line, at, "Name an initiative's key.")
                    continue
                link = link_key(key, other)
                self.plan["dependency"][link] = {"initiative": key, "depends_on": other}
                self.where[("dependency", link)] = (line, at, located)

    def nested(self, located: Located, name: str, where: str) -> list[Any]:
        items = located.get(name) or []
        if not isinstance(items, list):
            self.error(located.lines.get(name, located.line), f"{where}.{name}", "Expected a list.")
            return []
        return items

    def check_references(self) -> None:
        for kind, entries in self.plan.items():
            for key, fields in entries.items():
                line, where, data = self.where.get((kind, key), (1, kind, Located()))
                for name, spec in KINDS[kind].items():
                    target = spec.type.removeprefix("ref:")
                    if target == spec.type or fields[name] is None:
                        continue
                    if fields[name] not in self.plan[target]:
                        at = where if kind in ("capacity", "dependency") else f"{where}.{name}"
                        self.error(
                            data.lines.get(name, line) if isinstance(data, Located) else line,
                            at,
                            f"No {LABELS.get(target, target)} has the key {fields[name]!r} "
                            "in this file.",
                        )
                start, end = fields.get("start"), fields.get("end")
                if kind in ("cycle", "initiative") and start and end and str(end) < str(start):
                    self.error(
                        data.lines.get("end", line),
                        f"{where}.end",
                        "The end comes before the start.",
                    )
        self.check_loops()

    def check_loops(self) -> None:
        edges: dict[str, list[str]] = {}
        for fields in self.plan["dependency"].values():
            edges.setdefault(str(fields["initiative"]), []).append(str(fields["depends_on"]))
        for parent_kind in ("objective", "team"):
            parents = {k: f["parent"] for k, f in self.plan[parent_kind].items() if f["parent"]}
            for key in parents:
                seen: set[object] = {key}
                at = parents.get(key)
                while at is not None and at not in seen:
                    seen.add(at)
                    at = parents.get(str(at))
                if at == key:
                    line, where, data = self.where[(parent_kind, key)]
                    self.error(
                        data.lines.get("parent", line),
                        f"{where}.parent",
                        "The parents go round in a loop.",
                    )
        loop = find_loop(edges)
        if loop:
            line, where, _ = self.where[("dependency", link_key(loop[0], loop[1]))]
            self.error(
                line, where, "The dependencies go round in a loop: " + " → ".join(loop) + "."
            )


def find_loop(edges: Mapping[str, list[str]]) -> list[str]:
    """One cycle of the graph (as a path that returns to its start), or []."""
    state: dict[str, int] = {}
    for root in sorted(edges):
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(edges.get(root, ())))]
        state[root] = 1
        path = [root]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return [*path[path.index(child) :], child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(edges.get(child, ()))))
    return []


Locations = dict[tuple[str, str], tuple[int, str, dict[str, int]]]


def read_plan(document: object) -> tuple[Plan, Locations]:
    """The flat plan of a parsed file (mappings as Located) and where each entry and field
    stands in the file, or PlanInvalid naming each error's line and field."""
    reader = _Reader()
    plan = reader.read(document)
    if reader.errors:
        # The first errors are what a person fixes first; thousands help nobody.
        raise PlanInvalid(sorted(reader.errors, key=lambda e: e.line)[:MAX_ERRORS])
    locations = {
        at: (line, where, dict(data.lines) if isinstance(data, Located) else {})
        for at, (line, where, data) in reader.where.items()
    }
    return plan, locations


# ------------------------------------------------------------------------- writing a file


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


# ------------------------------------------------------------------------- the diff


@dataclass(frozen=True)
class Change:
    kind: str
    key: str
    action: str  # created, changed, archived, removed
    fields: Mapping[str, tuple[Value, object]] = field(default_factory=dict)


@dataclass
class PlanDiff:
    changes: list[Change]
    kept: dict[str, int]  # kind -> entries not in the file and left as they are

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def of(self, kind: str, action: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and c.action == action]

    @property
    def empty(self) -> bool:
        return not self.changes

    def summary(self) -> str:
        parts = [f"{self.count(a)} {a}" for a in ("created", "changed", "archived", "removed")]
        return "Plan: " + ", ".join(parts) + "."

    def text(self) -> str:
        """The readable diff: one line per entry, one indented line per changed field."""
        lines = [self.summary()]
        signs = {"created": "+", "changed": "~", "archived": "-", "removed": "-"}
        for change in self.changes:
            label = LABELS.get(change.kind, change.kind)
            lines.append(f"{signs[change.action]} {label} {change.key}: {change.action}")
            for name, (old, new) in change.fields.items():
                spec = KINDS[change.kind].get(name, Spec("text"))
                if change.action == "created":
                    lines.append(f"    {name}: {_show(new, spec)}")
                else:
                    lines.append(f"    {name}: {_show(old, spec)} → {_show(new, spec)}")
        for kind, count in self.kept.items():
            lines.append(
                f"  {count} {LABELS.get(kind, kind)}(s) not in the file are kept as they are."
            )
        return "\n".join(lines)


def _show(value: object, spec: Spec) -> str:
    """Text quoted (and cut short), numbers, dates, keys and choices as they are."""
    if value is None:
        return "none"
    text = str(value).replace("\n", " ")
    if spec.type not in ("text", "name"):
        return text.lower() if isinstance(value, bool) else text
    return repr(text[:60] + "…" if len(text) > 60 else text)


def diff_plans(current: Plan, wanted: Plan, *, cycles_in_scope: set[str] | None = None) -> PlanDiff:
    """What applying `wanted` to `current` does. An entry missing from `wanted` is archived
    (or removed, for links) per ON_MISSING; objectives and key results only within the
    cycles `wanted` lists, so a one-cycle file leaves the other cycles alone."""
    scope = set(wanted["cycle"]) if cycles_in_scope is None else cycles_in_scope
    changes: list[Change] = []
    kept: dict[str, int] = {}
    for kind in KINDS:
        have, want = current[kind], wanted[kind]
        for key, fields in want.items():
            old = have.get(key)
            if old is None:
                shown: dict[str, tuple[Value, object]] = {
                    n: (None, v) for n, v in fields.items() if v != KINDS[kind][n].default
                }
                changes.append(Change(kind, key, "created", shown))
                continue
            moved = {n: (old.get(n), v) for n, v in fields.items() if old.get(n) != v}
            if moved:
                changes.append(Change(kind, key, "changed", moved))
        for key, fields in have.items():
            if key in want:
                continue
            missing = ON_MISSING.get(kind)
            in_scope = _in_scope(kind, fields, current, scope)
            if missing is None or not in_scope:
                kept[kind] = kept.get(kind, 0) + 1
                continue
            name, value = missing
            if name == "removed":
                changes.append(Change(kind, key, "removed"))
            elif fields[name] != value:
                changes.append(Change(kind, key, "archived", {name: (fields[name], value)}))
    return PlanDiff(changes, kept)


def _in_scope(kind: str, fields: Mapping[str, Value], current: Plan, scope: set[str]) -> bool:
    if kind == "objective":
        return fields["cycle"] in scope
    if kind == "key_result":
        objective = current["objective"].get(str(fields["objective"]))
        return objective is not None and objective["cycle"] in scope
    if kind == "contribution":
        key_result = current["key_result"].get(str(fields["key_result"]))
        return key_result is not None and _in_scope("key_result", key_result, current, scope)
    return True
