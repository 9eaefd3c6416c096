"""Reading a plan file: the flat plan of a parsed document, each error naming its line and
field (unknown fields, references to keys the file lacks, loops, an end before its start)."""

import contextlib
import datetime
import decimal
from collections.abc import Iterator, Mapping
from typing import Any

from tandem.domain.collector import collector_paused
from tandem.domain.planfile import (
    FORMAT,
    KINDS,
    LABELS,
    MAX_ERRORS,
    MAX_KEY,
    MAX_TEXT,
    NESTED,
    REQUIRED,
    SECTIONS,
    Located,
    Plan,
    PlanError,
    PlanInvalid,
    Spec,
    Value,
    empty_plan,
    link_key,
    number,
)

# (kind, key) -> the entry's line, its path in the file and the lines of its fields.
Locations = dict[tuple[str, str], tuple[int, str, dict[str, int]]]
# Per kind: the fields a file may give, and the fields that name another entry's key.
ALLOWED = {
    kind: frozenset(
        {"key", *specs, *([NESTED[kind]] if kind in NESTED else [])}
        | ({"depends_on"} if kind == "initiative" else set())
    )
    for kind, specs in KINDS.items()
}
REFS = {
    kind: [(n, s.type.removeprefix("ref:")) for n, s in specs.items() if s.type.startswith("ref:")]
    for kind, specs in KINDS.items()
}
DATED = frozenset({"cycle", "initiative"})
CONTRIBUTES = frozenset({"key_result", "expected_delta", "expected_impact"})


class _Reader:
    def __init__(self) -> None:
        self.plan = empty_plan()
        self.errors: list[PlanError] = []
        # Where each entry stands: its line, its path and the lines of its fields (the
        # parsed mapping's own, not a copy).
        self.where: Locations = {}
        # Numbers already checked, by value and type: a large plan repeats a few.
        self.numbers: dict[tuple[str, int], str] = {}

    def error(self, line: int, where: str, message: str) -> None:
        self.errors.append(PlanError(line, where, message))

    def value(self, spec: Spec, raw: object, line: int, where: str, name: str = "") -> Value:
        """The canonical value of `raw`; an error names `where` (`where.name` when a name
        is given: the path is built only for an error)."""
        if raw is None:
            return None if spec.default is None else spec.default
        kind = spec.type
        if type(raw) is str and len(raw) <= MAX_TEXT:  # most values: text as it should be
            if kind == "choice":
                if raw in spec.choices:
                    return raw
            elif kind == "name":
                if raw.strip():
                    return raw
            elif kind not in ("bool", "date", "number", "int"):
                return raw
        if name:
            where = f"{where}.{name}"
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
            # (Not a bool: True == 1.)
            known = self.numbers.get((kind, raw)) if type(raw) is int else None
            if known is not None:
                return known
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
            text = number(raw)
            if type(raw) is int:
                self.numbers[(kind, raw)] = text
            return text
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
        specs, allowed = KINDS[kind], ALLOWED[kind]
        for name in data if not data.keys() <= allowed else ():
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
            if raw is None:  # most fields of a large file are left out: their default
                fields[name] = spec.default
                continue
            fields[name] = self.value(spec, raw, data.lines.get(name, data.line), where, name)
        for name in REQUIRED.get(kind, ()):
            if fields[name] is None and data.get(name) is None:
                self.error(data.line, f"{where}.{name}", "This is required.")
        self.plan[kind][key] = fields
        self.where[(kind, key)] = (data.line, where, data.lines)
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
            self.where[("strategy", "vision")] = (
                document.lines["vision"],
                "vision",
                document.lines,
            )
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
                    capacities.lines,
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
                for name in sorted(item.keys() - CONTRIBUTES):
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
                        at,
                        "expected_delta",
                    ),
                    "expected_impact": self.value(
                        specs["expected_impact"],
                        item.get("expected_impact"),
                        item.lines.get("expected_impact", item.line),
                        at,
                        "expected_impact",
                    ),
                }
                self.where[("contribution", link)] = (item.line, at, item.lines)
            for index, other in enumerate(self.nested(located, "depends_on", where)):
                at = f"{where}.depends_on[{index}]"
                line = located.lines.get("depends_on", located.line) + index
                if not isinstance(other, str):
                    self.error(line, at, "Name an initiative's key.")
                    continue
                link = link_key(key, other)
                self.plan["dependency"][link] = {"initiative": key, "depends_on": other}
                self.where[("dependency", link)] = (line, at, located.lines)

    def nested(self, located: Located, name: str, where: str) -> list[Any]:
        items = located.get(name) or []
        if not isinstance(items, list):
            self.error(located.lines.get(name, located.line), f"{where}.{name}", "Expected a list.")
            return []
        return items

    def check_references(self) -> None:
        plan = self.plan
        for kind, entries in plan.items():
            refs, dated = REFS[kind], kind in DATED
            if not refs and not dated:
                continue
            for key, fields in entries.items():
                for name, target in refs:
                    value = fields[name]
                    if value is not None and value not in plan[target]:
                        line, where, lines = self.where.get((kind, key), (1, kind, {}))
                        at = where if kind in ("capacity", "dependency") else f"{where}.{name}"
                        self.error(
                            lines.get(name, line),
                            at,
                            f"No {LABELS.get(target, target)} has the key {value!r} in this file.",
                        )
                start, end = fields.get("start"), fields.get("end")
                if dated and start and end and str(end) < str(start):
                    line, where, lines = self.where.get((kind, key), (1, kind, {}))
                    self.error(
                        lines.get("end", line), f"{where}.end", "The end comes before the start."
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
                    line, where, lines = self.where[(parent_kind, key)]
                    self.error(
                        lines.get("parent", line),
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


def read_plan(document: object) -> tuple[Plan, Locations]:
    """The flat plan of a parsed file (mappings as Located) and where each entry and field
    stands in the file, or PlanInvalid naming each error's line and field."""
    reader = _Reader()
    with collector_paused():
        plan = reader.read(document)
    if reader.errors:
        # The first errors are what a person fixes first; thousands help nobody.
        raise PlanInvalid(sorted(reader.errors, key=lambda e: e.line)[:MAX_ERRORS])
    return plan, reader.where
