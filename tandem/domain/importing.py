"""Imports: rows read from another tool's file, merged into the workspace's plan. Pure.

A parser (tandem/plans/importers/) turns a file into a Fragment: one Row per objective,
key result, initiative, dependency or contribution it found, each with the plan fields
the file sets, under a key made of its source and its id there ("jira:PROJ-12"). Merging
the fragment into the workspace's current plan gives the plan to apply: entries the
file does not name are kept as they are, an entry it names again is updated (its key is
its external reference), a new one is created with the plan's defaults. So an import is
a plan apply: one transaction, one detection, one summary, imported check-ins.
"""

import datetime
import decimal
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tandem.domain.planfile import (
    KINDS,
    LABELS,
    REQUIRED,
    Plan,
    PlanError,
    PlanInvalid,
    Value,
    link_key,
    number,
)
from tandem.domain.planfile_read import Locations, find_loop

MAX_ROWS = 5_000
LINKS = ("dependency", "contribution")
# The kinds a file may name by their name (or title) rather than by an id.
NAMED = {"team": "name", "cycle": "name", "roadmap": "name", "pillar": "name"}
NAMED |= {"objective": "title", "key_result": "title", "initiative": "title"}


@dataclass
class Row:
    """One entry a file sets: `fields` are plan fields (ref fields hold keys of other
    rows or import keys); `names` are ref fields given by the referred entry's name."""

    kind: str
    key: str
    line: int
    fields: dict[str, Value] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # plan field -> the file's column
    label: str = ""

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


@dataclass
class Fragment:
    """What a file holds, and what it could not say."""

    source: str
    unit: str = "row"  # how the file's positions are counted: row (tables) or line (JSON)
    rows: list[Row] = field(default_factory=list)
    errors: list[PlanError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what was read and left out, why
    # Values the person may map (e.g. Jira components -> teams), by mapping name.
    mappable: dict[str, list[str]] = field(default_factory=dict)

    def error(self, line: int, where: str, message: str) -> None:
        self.errors.append(PlanError(line, where, message, unit=self.unit))

    def hints(self) -> Plan:
        """The external references of the entries the file names, so the export of the
        workspace gives the objects it imported before these rows' keys."""
        plan: Plan = {}
        for row in self.rows:
            if row.fields.get("external_id"):
                plan.setdefault(row.kind, {})[row.key] = {
                    "source": row.fields["source"],
                    "external_id": row.fields["external_id"],
                }
        return plan

    def check(self) -> None:
        if self.errors:
            raise PlanInvalid(sorted(self.errors, key=lambda e: e.line)[:100])


def import_key(source: str, external_id: str) -> str:
    return f"{source}:{external_id}"


# --------------------------------------------------------------- reading cells


def cell_number(
    fragment: Fragment, text: str, line: int, column: str, *, whole: bool = False
) -> Value:
    """A cell's number as canonical text, None when empty; an error names the cell."""
    text = text.strip().replace(",", "") if text else ""
    if not text:
        return None
    try:
        value = decimal.Decimal(text.removesuffix("%"))
    except decimal.InvalidOperation:
        fragment.error(line, column, f"{text[:40]!r} is not a number.")
        return None
    if not value.is_finite() or abs(value) >= 10**12:
        fragment.error(line, column, "Write a finite number below a trillion.")
        return None
    if whole and (value % 1 or value < 0):
        fragment.error(line, column, "Write a whole number, zero or more.")
        return None
    return number(value)


DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%b/%y %I:%M %p",  # Jira: 15/Jan/27 9:30 AM
    "%d/%b/%y",
    "%d/%b/%Y",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%a %b %d %Y",  # Linear: Tue Jan 09 2024 10:37:52 GMT+0000 (...), cut at the time
)


def parse_date(text: str) -> datetime.date | None:
    text = text.strip()
    if text[:3].isalpha() and " GMT" in text:
        text = " ".join(text.split()[:4])
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def cell_date(fragment: Fragment, text: str | None, line: int, column: str) -> Value:
    if not text or not str(text).strip():
        return None
    found = parse_date(str(text))
    if found is None:
        fragment.error(line, column, f"{str(text)[:40]!r} is not a date; write YYYY-MM-DD.")
        return None
    return found.isoformat()


def cell_choice(
    fragment: Fragment, text: str, line: int, column: str, choices: Mapping[str, str]
) -> Value:
    """A choice by its value or its label, any case; None when empty."""
    wanted = text.strip().casefold().replace(" ", "_")
    if not wanted:
        return None
    for value in choices:
        if wanted in (value, choices[value].casefold().replace(" ", "_")):
            return value
    fragment.error(line, column, f"{text[:40]!r}: write one of {', '.join(choices)}.")
    return None


def cell_text(fragment: Fragment, text: str, line: int, column: str, limit: int) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        fragment.error(line, column, f"At most {limit:,} characters.")
    return text


# --------------------------------------------------------------- merging


class _Merger:
    def __init__(self, current: Plan, fragment: Fragment) -> None:
        self.current, self.fragment = current, fragment
        self.wanted: Plan = {kind: dict(entries) for kind, entries in current.items()}
        self.errors: list[PlanError] = list(fragment.errors)
        self.locations: Locations = {}
        self.by_ref: dict[str, dict[str, str]] = {}
        self.by_name: dict[str, dict[str, list[str]]] = {}
        for kind, entries in current.items():
            for key, fields in entries.items():
                if fields.get("external_id"):
                    ref = import_key(str(fields["source"]), str(fields["external_id"]))
                    self.by_ref.setdefault(kind, {})[ref] = key
                if kind in NAMED and fields.get(NAMED[kind]):
                    name = str(fields[NAMED[kind]]).strip().casefold()
                    self.by_name.setdefault(kind, {}).setdefault(name, []).append(key)
        self.in_file: dict[str, set[str]] = {}
        for row in fragment.rows:
            if row.kind not in LINKS:
                self.in_file.setdefault(row.kind, set()).add(row.key)

    def error(self, row: Row, name: str, message: str) -> None:
        self.errors.append(PlanError(row.line, row.column(name), message, unit=self.fragment.unit))

    def resolve(self, row: Row, name: str, target: str) -> Value:
        """A ref field's key: the import key of a row of this file or of an entry imported
        before, else (when the file gave one) the entry of that name."""
        label = LABELS.get(target, target)
        value, text = row.fields.get(name), row.names.get(name)
        if value is not None:
            if value in self.in_file.get(target, ()):
                return value
            if str(value) in self.by_ref.get(target, {}):
                return self.by_ref[target][str(value)]
            if text is None:
                shown = str(value).split(":", 1)[-1]
                self.error(row, name, f"No {label} {shown!r} in this file or imported before.")
                return None
        if text is None:
            return None
        keys = self.by_name.get(target, {}).get(text.strip().casefold(), [])
        if len(keys) == 1:
            return keys[0]
        if keys:
            self.error(row, name, f"Several {label}s are named {text!r}; rename one.")
        else:
            where = "in this file or " if value is not None else ""
            self.error(row, name, f"No {label} {text!r} {where}in this workspace.")
        return None

    def merge(self) -> tuple[Plan, Locations]:
        seen: dict[tuple[str, str], int] = {}
        for row in self.fragment.rows:
            fields = dict(row.fields)
            for name, spec in KINDS[row.kind].items():
                if spec.type.startswith("ref:") and (name in row.names or name in fields):
                    fields[name] = self.resolve(row, name, spec.type.removeprefix("ref:"))
            key = row.key
            if row.kind == "dependency":
                key = link_key(str(fields["initiative"]), str(fields["depends_on"]))
            elif row.kind == "contribution":
                key = link_key(str(fields["initiative"]), str(fields["key_result"]))
            if row.kind in LINKS:
                row.key = key  # its key in the plan, for the preview
            if (row.kind, key) in seen:
                self.error(row, "", f"Repeats {self.fragment.unit} {seen[(row.kind, key)]}.")
                continue
            seen[(row.kind, key)] = row.line
            existing = self.current[row.kind].get(key)
            if existing is not None and existing.get("external_id") != fields.get(
                "external_id", existing.get("external_id")
            ):
                self.error(row, "", f"The key {key!r} is taken by another entry.")
                continue
            if existing is None:
                merged = {n: spec.default for n, spec in KINDS[row.kind].items()}
                for name in REQUIRED.get(row.kind, ()):
                    if fields.get(name) is None and name not in row.names:
                        self.error(row, name, "This is required.")
            else:
                merged = dict(existing)
            merged.update(fields)
            start, end = merged.get("start"), merged.get("end")
            if row.kind == "initiative" and start and end and str(end) < str(start):
                self.error(row, "end", "The end comes before the start.")
            self.wanted[row.kind][key] = merged
            self.locations[(row.kind, key)] = (row.line, "", {n: row.line for n in merged})
        self.check_loops()
        if self.errors:
            raise PlanInvalid(sorted(self.errors, key=lambda e: e.line)[:100])
        return self.wanted, self.locations

    def check_loops(self) -> None:
        edges: dict[str, list[str]] = {}
        for fields in self.wanted["dependency"].values():
            edges.setdefault(str(fields["initiative"]), []).append(str(fields["depends_on"]))
        loop = find_loop(edges)
        if not loop:
            return
        line = min(
            (
                self.locations[("dependency", link_key(a, b))][0]
                for a, b in itertools.pairwise(loop)
                if ("dependency", link_key(a, b)) in self.locations
            ),
            default=1,
        )
        titles = [str(self.wanted["initiative"].get(k, {}).get("title", k)) for k in loop]
        self.errors.append(
            PlanError(
                line,
                "dependencies",
                "The dependencies go round in a loop: " + " → ".join(titles) + ".",
                unit=self.fragment.unit,
            )
        )


def merge_import(current: Plan, fragment: Fragment) -> tuple[Plan, Locations]:
    """The plan to apply: `current` with the fragment's rows created or updated, and where
    each row stands in the file; PlanInvalid naming each row and column at fault."""
    return _Merger(current, fragment).merge()


@dataclass(frozen=True)
class PreviewRow:
    line: int
    kind: str
    label: str
    action: str  # created, changed, unchanged
    fields: tuple[str, ...]

    @property
    def what(self) -> str:
        return LABELS.get(self.kind, self.kind).capitalize()


def preview_rows(
    fragment: Fragment, changes: Iterable[tuple[str, str, str, Iterable[str]]]
) -> list[PreviewRow]:
    """Per row of the file, what the import does with it; `changes` are (kind, key, action,
    fields) of the diff."""
    by_key = {(kind, key): (action, tuple(fields)) for kind, key, action, fields in changes}
    found: list[PreviewRow] = []
    for row in fragment.rows:
        action, fields = by_key.get((row.kind, row.key), ("unchanged", ()))
        label = row.label or str(row.fields.get("title") or row.key)
        found.append(PreviewRow(row.line, row.kind, label, action, fields))
    return found
