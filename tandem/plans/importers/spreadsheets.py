"""Tandem's own spreadsheet templates: objectives with their key results, and initiatives,
as CSV or XLSX. Columns are matched by their name in any case; a column the template does
not know is an error unless the person maps it to a template column or to "ignore".

Rows carry an optional ID (kept as the entry's external reference, source "csv"); without
one, the ID is made from the title, so importing the same sheet again updates the same
entries either way."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import tablib

from tandem.domain.importing import (
    Fragment,
    Row,
    cell_choice,
    cell_date,
    cell_number,
    cell_text,
    import_key,
)
from tandem.plans.importers.tables import Table, cell

SOURCE = "csv"
IGNORE = "ignore"

OKR_COLUMNS = {
    "objective_id": "Objective ID",
    "objective": "Objective",
    "objective_description": "Objective description",
    "cycle": "Cycle",
    "team": "Team",
    "pillar": "Pillar",
    "commitment": "Commitment",
    "key_result_id": "Key result ID",
    "key_result": "Key result",
    "kind": "Kind",
    "unit": "Unit",
    "currency": "Currency",
    "start": "Start",
    "target": "Target",
    "current": "Current",
    "weight": "Weight",
}
INITIATIVE_COLUMNS = {
    "id": "ID",
    "title": "Title",
    "description": "Description",
    "roadmap": "Roadmap",
    "status": "Status",
    "horizon": "Horizon",
    "start": "Start",
    "end": "End",
    "team": "Team",
    "effort": "Effort",
    "reach": "Reach",
    "impact": "Impact",
    "confidence": "Confidence",
    "depends_on": "Depends on",
    "key_results": "Key results",
}
TEMPLATE_ROWS = {
    "okrs": [
        [
            "OBJ-1",
            "Activate new teams in their first week",
            "",
            "Q1 2027",
            "Growth",
            "",
            "committed",
            "KR-1",
            "Teams with a live workflow in week one",
            "increase",
            "percent",
            "",
            "20",
            "60",
            "20",
            "1",
        ],
        [
            "OBJ-1",
            "",
            "",
            "",
            "",
            "",
            "",
            "KR-2",
            "Median setup time in minutes",
            "decrease",
            "number",
            "",
            "45",
            "15",
            "45",
            "1",
        ],
    ],
    "initiatives": [
        [
            "INIT-1",
            "Guided setup",
            "A checklist for a new team's first week.",
            "",
            "planned",
            "next",
            "2027-01-11",
            "2027-03-05",
            "Growth",
            "6",
            "400",
            "2",
            "80",
            "",
            "KR-1",
        ],
        [
            "INIT-2",
            "Setup analytics",
            "",
            "",
            "idea",
            "later",
            "",
            "",
            "",
            "2",
            "0",
            "1",
            "50",
            "INIT-1",
            "",
        ],
    ],
}
KINDS = {"increase": "Increase to", "decrease": "Decrease to", "stay_above": "Stay above"}
KINDS |= {"stay_below": "Stay below", "milestone": "Milestone"}
UNITS = {"number": "Number", "percent": "Percent", "currency": "Currency"}
COMMITMENTS = {"committed": "Committed", "aspirational": "Aspirational"}
STATUSES = {"idea": "Idea", "planned": "Planned", "in_progress": "In progress"}
STATUSES |= {"done": "Done", "dropped": "Dropped"}
HORIZONS = {"now": "Now", "next": "Next", "later": "Later"}
SPLIT = re.compile(r"[,;\n]")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60]


@dataclass
class Columns:
    """Where each template column stands in the file."""

    at: dict[str, list[int]]
    labels: dict[str, str]

    def get(self, cells: list[str], name: str) -> str:
        return cell(cells, self.at.get(name, []))

    def label(self, name: str) -> str:
        return self.labels.get(name, name)


def match_columns(
    table: Table, known: Mapping[str, str], mapping: Mapping[str, str], fragment: Fragment
) -> Columns:
    """Each of the file's columns matched to a template column, by its name or by the
    person's mapping; unknown ones listed for mapping, and an error until mapped."""
    by_name = {label.casefold(): name for name, label in known.items()}
    by_name |= {name.casefold(): name for name in known}
    at: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    mapped: list[str] = []  # kept on offer, so the mapping goes with the next request
    for position, header in enumerate(table.headers):
        if mapping.get(header) and by_name.get(header.casefold()) is None:
            mapped.append(header)
        target = mapping.get(header) or by_name.get(header.casefold())
        if target == IGNORE or (not header and target is None):
            continue
        if target is None or target not in known:
            unknown.append(header)
            fragment.error(
                1,
                header,
                "Unknown column: map it to a template column or ignore it. Known: "
                + ", ".join(known.values())
                + ".",
            )
            continue
        at.setdefault(target, []).append(position)
        labels[target] = header
    if unknown or mapped:
        fragment.mappable["columns"] = [h for h in table.headers if h in unknown or h in mapped]
    return Columns(at, labels)


def parse_okrs(table: Table, mapping: Mapping[str, str]) -> Fragment:
    fragment = Fragment(SOURCE)
    columns = match_columns(table, OKR_COLUMNS, mapping, fragment)
    for name in ("objective", "key_result"):
        if name not in columns.at and not fragment.errors:
            fragment.error(1, OKR_COLUMNS[name], "This column is missing.")
    if fragment.errors:
        return fragment
    objectives: dict[str, Row] = {}
    for line, cells in table.rows:
        get = columns.get
        title = get(cells, "objective")
        objective_id = get(cells, "objective_id") or slug(title)
        if not objective_id:
            fragment.error(line, columns.label("objective"), "Name the objective.")
            continue
        key = import_key(SOURCE, objective_id)
        if key not in objectives:
            objectives[key] = _objective(fragment, columns, cells, line, objective_id, title)
            fragment.rows.append(objectives[key])
        kr_title = get(cells, "key_result")
        if kr_title or get(cells, "key_result_id"):
            fragment.rows.append(_key_result(fragment, columns, cells, line, key, objective_id))
    return fragment


def _with(
    row: Row,
    fragment: Fragment,
    columns: Columns,
    cells: list[str],
    parse: dict[str, Callable[[str, int, str], object]],
) -> None:
    for name, read in parse.items():
        text = columns.get(cells, name)
        if name in columns.at and text:
            value = read(text, row.line, columns.label(name))
            if value is not None:
                row.fields[_field(name)] = value  # type: ignore[assignment]  # a cell's value: the plan format's Value once parsed
            row.columns[_field(name)] = columns.label(name)


def _field(name: str) -> str:
    return {"objective_description": "description", "key_result": "title"}.get(name, name)


def _objective(
    fragment: Fragment, columns: Columns, cells: list[str], line: int, ident: str, title: str
) -> Row:
    row = Row(
        "objective",
        import_key(SOURCE, ident),
        line,
        fields={"source": SOURCE, "external_id": ident[:120]},
        label=title or ident,
        columns={"title": columns.label("objective")},
    )
    if title:
        row.fields["title"] = cell_text(fragment, title, line, columns.label("objective"), 200)
    for name in ("cycle", "team", "pillar"):
        text = columns.get(cells, name)
        if text:
            row.names[name] = text
        row.columns[name] = columns.label(name)
    _with(
        row,
        fragment,
        columns,
        cells,
        {
            "objective_description": lambda t, n, c: cell_text(fragment, t, n, c, 20_000),
            "commitment": lambda t, n, c: cell_choice(fragment, t, n, c, COMMITMENTS),
        },
    )
    return row


def _key_result(
    fragment: Fragment, columns: Columns, cells: list[str], line: int, objective: str, oid: str
) -> Row:
    title = columns.get(cells, "key_result")
    ident = columns.get(cells, "key_result_id") or f"{oid}/{slug(title)}"
    row = Row(
        "key_result",
        import_key(SOURCE, ident),
        line,
        fields={"source": SOURCE, "external_id": ident[:120], "objective": objective},
        label=title or ident,
        columns={"objective": columns.label("objective")},
    )
    number: Callable[[str, int, str], object] = lambda t, n, c: cell_number(fragment, t, n, c)  # noqa: E731
    _with(
        row,
        fragment,
        columns,
        cells,
        {
            "key_result": lambda t, n, c: cell_text(fragment, t, n, c, 200),
            "kind": lambda t, n, c: cell_choice(fragment, t, n, c, KINDS),
            "unit": lambda t, n, c: cell_choice(fragment, t, n, c, UNITS),
            "currency": lambda t, n, c: cell_text(fragment, t, n, c, 3).upper(),
            "start": number,
            "target": number,
            "current": number,
            "weight": number,
        },
    )
    return row


def parse_initiatives(table: Table, mapping: Mapping[str, str], roadmap: str) -> Fragment:
    fragment = Fragment(SOURCE)
    columns = match_columns(table, INITIATIVE_COLUMNS, mapping, fragment)
    if "title" not in columns.at and not fragment.errors:
        fragment.error(1, "Title", "This column is missing.")
    if fragment.errors:
        return fragment
    links: list[Row] = []
    for line, cells in table.rows:
        title = columns.get(cells, "title")
        ident = columns.get(cells, "id") or slug(title)
        if not ident:
            fragment.error(line, columns.label("title"), "Give the initiative a title.")
            continue
        key = import_key(SOURCE, ident)
        row = Row(
            "initiative",
            key,
            line,
            fields={"source": SOURCE, "external_id": ident[:120]},
            label=title or ident,
            columns={"title": columns.label("title")},
        )
        if title:
            row.fields["title"] = cell_text(fragment, title, line, columns.label("title"), 200)
        row.names["roadmap"] = columns.get(cells, "roadmap") or roadmap
        row.columns["roadmap"] = columns.label("roadmap")
        if columns.get(cells, "team"):
            row.names["team"] = columns.get(cells, "team")
            row.columns["team"] = columns.label("team")
        number: Callable[[str, int, str], object] = lambda t, n, c: cell_number(fragment, t, n, c)  # noqa: E731
        whole: Callable[[str, int, str], object] = lambda t, n, c: cell_number(  # noqa: E731
            fragment, t, n, c, whole=True
        )
        _with(
            row,
            fragment,
            columns,
            cells,
            {
                "description": lambda t, n, c: cell_text(fragment, t, n, c, 20_000),
                "status": lambda t, n, c: cell_choice(fragment, t, n, c, STATUSES),
                "horizon": lambda t, n, c: cell_choice(fragment, t, n, c, HORIZONS),
                "start": lambda t, n, c: cell_date(fragment, t, n, c),
                "end": lambda t, n, c: cell_date(fragment, t, n, c),
                "effort": number,
                "reach": whole,
                "impact": number,
                "confidence": whole,
            },
        )
        fragment.rows.append(row)
        for other in SPLIT.split(columns.get(cells, "depends_on")):
            if other.strip():
                links.append(
                    Row(
                        "dependency",
                        f"{key} > {other.strip()}",
                        line,
                        fields={"initiative": key, "depends_on": import_key(SOURCE, other.strip())},
                        names={"depends_on": other.strip()},
                        columns={"depends_on": columns.label("depends_on")},
                        label=f"{title or ident} depends on {other.strip()}",
                    )
                )
        for target in SPLIT.split(columns.get(cells, "key_results")):
            if target.strip():
                links.append(
                    Row(
                        "contribution",
                        f"{key} > {target.strip()}",
                        line,
                        fields={
                            "initiative": key,
                            "key_result": import_key(SOURCE, target.strip()),
                        },
                        names={"key_result": target.strip()},
                        columns={"key_result": columns.label("key_results")},
                        label=f"{title or ident} contributes to {target.strip()}",
                    )
                )
    fragment.rows += links
    return fragment


def template(kind: str, file_format: str) -> tuple[bytes, str]:
    """A template with its columns and two example rows, and its media type."""
    columns = OKR_COLUMNS if kind == "okrs" else INITIATIVE_COLUMNS
    sheet = tablib.Dataset(*TEMPLATE_ROWS[kind], headers=list(columns.values()))
    sheet.title = "Objectives" if kind == "okrs" else "Initiatives"
    if file_format == "xlsx":
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return bytes(sheet.export("xlsx")), media
    return str(sheet.export("csv")).encode(), "text/csv; charset=utf-8"
