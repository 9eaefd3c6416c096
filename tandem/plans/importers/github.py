"""GitHub Projects: the JSON of `gh project item-list NUMBER --owner OWNER --format json`.

Each item becomes an initiative, keyed by its project item id (PVTI_…), linked to its
issue or pull request. The Status field (gh writes each field under its name in lower
case) maps to status and horizon: Backlog: idea/later, Todo: planned/next, In Progress:
in progress/now, Done: done/now; other names by their meaning, else planned/next.
"Start date", "Target date" (or "End date") fields give the dates, a "Team" field the team.
"""

from collections.abc import Iterable, Mapping

from tandem.domain.importing import Fragment
from tandem.domain.planfile import Located
from tandem.plans.importers.common import initiative_row, state, team_of

SOURCE = "github"
COLUMNS = {"title": "title", "description": "content.body", "start": "start date"}
COLUMNS |= {"end": "target date", "team": "team", "roadmap": "roadmap"}


def parse(
    document: object,
    fragment: Fragment,
    *,
    roadmap: str,
    teams: Mapping[str, str],
    team_names: Iterable[str],
) -> Fragment:
    team_names = list(team_names)
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        fragment.error(
            1,
            "items",
            "Not a GitHub project's item list: expected an object with an items list "
            "(gh project item-list --format json).",
        )
        return fragment
    labels: set[str] = set()
    for index, item in enumerate(document["items"]):
        line = item.line if isinstance(item, Located) else index + 1
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            fragment.error(line, f"items[{index}]", "An item needs its id.")
            continue
        fields = {str(k).casefold(): v for k, v in item.items()}
        content = item.get("content") if isinstance(item.get("content"), dict) else {}
        team = str(fields.get("team") or "")
        if team:
            labels.add(team)
        fragment.rows.append(
            initiative_row(
                fragment,
                ident=item["id"],
                line=line,
                title=str(item.get("title") or (content or {}).get("title") or ""),
                roadmap=roadmap,
                columns=COLUMNS,
                url=str((content or {}).get("url") or ""),
                description=str((content or {}).get("body") or ""),
                status=state(str(fields.get("status") or "")),
                start=_text(fields.get("start date") or fields.get("start")),
                end=_text(fields.get("target date") or fields.get("end date") or fields.get("end")),
                team=team_of([team] if team else [], teams, team_names),
            )
        )
    fragment.mappable["teams"] = sorted(labels)
    return fragment


def _text(value: object) -> str | None:
    return str(value) if value else None
