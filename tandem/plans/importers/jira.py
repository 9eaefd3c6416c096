"""Jira: the CSV export of an issue search ("Export CSV (all fields)") and the JSON of its
REST search (`/rest/api/3/search` or `/rest/api/3/search/jql`, with `issues[].fields`).

Epics become initiatives (their key is the external id); other issue types are left out,
and said so. Status and horizon come from the status's name or, for a workflow's own
names, its category; the start from the "Start date" field, the end from the due date;
the team from the first component or label mapped to a team; dependencies from "Blocks"
links: when A blocks B, B depends on A.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tandem.domain.importing import Fragment
from tandem.domain.planfile import Located
from tandem.plans.importers.common import dependency_row, initiative_row, state, team_of
from tandem.plans.importers.tables import Table, cell, cells

SOURCE = "jira"
REQUIRED = ("Issue key", "Summary", "Issue Type", "Status")
START_FIELD = "customfield_10015"  # Jira Cloud's "Start date", when `names` is not expanded


@dataclass
class Issue:
    line: int
    key: str
    kind: str
    summary: str
    status: str
    category: str = ""
    description: str = ""
    url: str = ""
    start: str = ""
    due: str = ""
    labels: list[str] = field(default_factory=list)  # components first, then labels
    blocks: list[str] = field(default_factory=list)
    blocked_by: list[str] = field(default_factory=list)


COLUMNS = {
    "title": "Summary",
    "description": "Description",
    "start": "Custom field (Start date)",
    "end": "Due date",
    "team": "Component/s",
    "roadmap": "roadmap",
}


def issues_from_csv(table: Table, fragment: Fragment) -> list[Issue]:
    missing = [name for name in REQUIRED if not table.has(name)]
    if missing:
        fragment.error(
            1,
            ", ".join(missing),
            "Not a Jira CSV export: these columns are missing. Export the issue search "
            "with Export > Export CSV (all fields).",
        )
        return []
    at = {
        name: table.index(*names)
        for name, names in {
            "key": ("Issue key",),
            "kind": ("Issue Type",),
            "summary": ("Summary",),
            "status": ("Status",),
            "category": ("Status Category",),
            "description": ("Description",),
            "start": ("Custom field (Start date)", "Start date"),
            "due": ("Due date", "Due Date"),
            "components": ("Component/s", "Components"),
            "labels": ("Labels",),
            "blocks": ("Outward issue link (Blocks)",),
            "blocked_by": ("Inward issue link (Blocks)",),
        }.items()
    }
    found = []
    for line, row in table.rows:
        found.append(
            Issue(
                line=line,
                key=cell(row, at["key"]),
                kind=cell(row, at["kind"]),
                summary=cell(row, at["summary"]),
                status=cell(row, at["status"]),
                category=cell(row, at["category"]),
                description=cell(row, at["description"]),
                start=cell(row, at["start"]),
                due=cell(row, at["due"]),
                labels=cells(row, at["components"]) + cells(row, at["labels"]),
                blocks=cells(row, at["blocks"]),
                blocked_by=cells(row, at["blocked_by"]),
            )
        )
    return found


def _text(node: object) -> str:
    """The plain text of an Atlassian Document Format node (API v3), or of a string (v2)."""
    if isinstance(node, str):
        return node
    if not isinstance(node, dict):
        return ""
    if node.get("type") == "text":
        return str(node.get("text", ""))
    inner = "".join(_text(child) for child in node.get("content") or [] if child)
    block = node.get("type") in ("paragraph", "heading", "listItem", "codeBlock")
    return inner + ("\n" if block else "")


def _name(value: object) -> str:
    return str(value.get("name", "")) if isinstance(value, dict) else ""


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def issues_from_json(document: object, fragment: Fragment) -> list[Issue]:
    if not isinstance(document, dict) or not isinstance(document.get("issues"), list):
        fragment.error(
            1,
            "issues",
            "Not a Jira search result: expected an object with an issues list "
            "(the JSON of /rest/api/3/search).",
        )
        return []
    names = document.get("names") if isinstance(document.get("names"), dict) else {}
    start_field = next(
        (k for k, v in (names or {}).items() if str(v).casefold() == "start date"), START_FIELD
    )
    found = []
    for index, item in enumerate(document["issues"]):
        line = item.line if isinstance(item, Located) else index + 1
        fields = item.get("fields") if isinstance(item, dict) else None
        if not isinstance(fields, dict) or not isinstance(item.get("key"), str):
            fragment.error(line, f"issues[{index}]", "An issue needs a key and fields.")
            continue
        self_url = str(item.get("self") or "")
        parts = urlsplit(self_url)
        url = f"{parts.scheme}://{parts.netloc}/browse/{item['key']}" if parts.netloc else ""
        status = _dict(fields.get("status"))
        blocks, blocked_by = [], []
        for link in _list(fields.get("issuelinks")):
            if not isinstance(link, dict) or _name(link.get("type")).casefold() != "blocks":
                continue
            if isinstance(link.get("outwardIssue"), dict):
                blocks.append(str(link["outwardIssue"].get("key", "")))
            if isinstance(link.get("inwardIssue"), dict):
                blocked_by.append(str(link["inwardIssue"].get("key", "")))
        found.append(
            Issue(
                line=line,
                key=item["key"],
                kind=_name(fields.get("issuetype")),
                summary=str(fields.get("summary") or ""),
                status=_name(status),
                category=str(_dict(status.get("statusCategory")).get("key", "")),
                description=_text(fields.get("description")).strip(),
                url=url,
                start=str(fields.get(start_field) or ""),
                due=str(fields.get("duedate") or ""),
                labels=[_name(c) for c in _list(fields.get("components")) if _name(c)]
                + [label for label in _list(fields.get("labels")) if isinstance(label, str)],
                blocks=[k for k in blocks if k],
                blocked_by=[k for k in blocked_by if k],
            )
        )
    return found


def to_fragment(
    fragment: Fragment,
    issues: Iterable[Issue],
    *,
    roadmap: str,
    teams: Mapping[str, str],
    team_names: Iterable[str],
    columns: Mapping[str, str],
) -> Fragment:
    issues = list(issues)
    epics = {i.key: i for i in issues if i.kind.casefold() == "epic"}
    others = {i.key for i in issues} - set(epics)
    if others:
        fragment.skipped.append(f"{len(others)} issue(s) that are not epics were left out.")
    team_names = list(team_names)
    fragment.mappable["teams"] = sorted({label for i in epics.values() for label in i.labels})
    pairs: dict[tuple[str, str], tuple[int, str]] = {}
    for issue in epics.values():
        fragment.rows.append(
            initiative_row(
                fragment,
                ident=issue.key,
                line=issue.line,
                title=issue.summary,
                roadmap=roadmap,
                columns=columns,
                url=issue.url,
                description=issue.description,
                status=state(issue.status, issue.category),
                start=issue.start,
                end=issue.due,
                team=team_of(issue.labels, teams, team_names),
            )
        )
        for other in issue.blocks:
            if other not in others:
                pairs.setdefault((other, issue.key), (issue.line, "Outward issue link (Blocks)"))
        for other in issue.blocked_by:
            if other not in others:
                pairs.setdefault((issue.key, other), (issue.line, "Inward issue link (Blocks)"))
    for (a, b), (line, column) in pairs.items():
        fragment.rows.append(dependency_row(fragment, line, a, b, column))
    return fragment
