"""Linear: the CSV export of projects, or of issues (Settings > Import/Export > Export CSV,
or a view's Export). Projects become initiatives, keyed by Linear's project id. From an
issues export, each project its issues name becomes an initiative: its status from its
issues' states (all completed: done; any started: in progress; else planned), its dates
from the issues' cycles and due dates, its team from the issues' team (mapped to a team
of the workspace). Issues without a project are left out, and said so.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tandem.domain.importing import Fragment, parse_date
from tandem.plans.importers.common import initiative_row, state, team_of
from tandem.plans.importers.tables import Table, cell

SOURCE = "linear"
PROJECT_COLUMNS = {"title": "Name", "description": "Description", "start": "Start Date"}
PROJECT_COLUMNS |= {"end": "Target Date", "team": "Teams", "roadmap": "roadmap"}
ISSUE_COLUMNS = {"title": "Project", "start": "Cycle Start", "end": "Due Date"}
ISSUE_COLUMNS |= {"team": "Team", "roadmap": "roadmap", "description": "Project"}


def parse(
    table: Table,
    fragment: Fragment,
    *,
    roadmap: str,
    teams: Mapping[str, str],
    team_names: Iterable[str],
) -> Fragment:
    team_names = list(team_names)
    if table.has("Title") and table.has("Project ID") and table.has("Status"):
        return _issues(table, fragment, roadmap=roadmap, teams=teams, team_names=team_names)
    if table.has("Name") and table.has("ID") and table.has("Status"):
        return _projects(table, fragment, roadmap=roadmap, teams=teams, team_names=team_names)
    fragment.error(
        1,
        "header",
        "Not a Linear CSV export: a projects export has ID, Name and Status columns; an "
        "issues export has ID, Title, Status and Project ID.",
    )
    return fragment


def _projects(
    table: Table,
    fragment: Fragment,
    *,
    roadmap: str,
    teams: Mapping[str, str],
    team_names: list[str],
) -> Fragment:
    at = {
        name: table.index(*names)
        for name, names in {
            "id": ("ID",),
            "name": ("Name",),
            "description": ("Description", "Summary"),
            "status": ("Status",),
            "start": ("Start Date", "Start date"),
            "target": ("Target Date", "Target date"),
            "teams": ("Teams", "Team"),
            "url": ("URL", "Url"),
        }.items()
    }
    labels: set[str] = set()
    for line, cells in table.rows:
        ident = cell(cells, at["id"])
        if not ident:
            fragment.error(line, "ID", "Every project needs its ID.")
            continue
        project_teams = [t.strip() for t in cell(cells, at["teams"]).split(",") if t.strip()]
        labels |= set(project_teams)
        fragment.rows.append(
            initiative_row(
                fragment,
                ident=ident,
                line=line,
                title=cell(cells, at["name"]),
                roadmap=roadmap,
                columns=PROJECT_COLUMNS,
                url=cell(cells, at["url"]),
                description=cell(cells, at["description"]),
                status=state(cell(cells, at["status"])),
                start=_day(cell(cells, at["start"])),
                end=_day(cell(cells, at["target"])),
                team=team_of(project_teams, teams, team_names),
            )
        )
    fragment.mappable["teams"] = sorted(labels)
    return fragment


def _day(text: str) -> str:
    found = parse_date(text) if text else None
    return found.isoformat() if found else text


@dataclass
class _Project:
    """A Linear project as its issues' rows describe it."""

    line: int
    name: str
    states: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    start: datetime.date | None = None
    end: datetime.date | None = None


def _issues(
    table: Table,
    fragment: Fragment,
    *,
    roadmap: str,
    teams: Mapping[str, str],
    team_names: list[str],
) -> Fragment:
    at = {
        name: table.index(*names)
        for name, names in {
            "project_id": ("Project ID",),
            "project": ("Project",),
            "status": ("Status",),
            "team": ("Team",),
            "started": ("Started",),
            "completed": ("Completed",),
            "canceled": ("Canceled",),
            "cycle_start": ("Cycle Start",),
            "cycle_end": ("Cycle End",),
            "due": ("Due Date",),
        }.items()
    }
    projects: dict[str, _Project] = {}
    loose = 0
    for line, cells in table.rows:
        ident = cell(cells, at["project_id"])
        if not ident:
            loose += 1
            continue
        project = projects.setdefault(ident, _Project(line, cell(cells, at["project"])))
        status = cell(cells, at["status"])
        finished = "done" if cell(cells, at["completed"]) else ""
        finished = "canceled" if cell(cells, at["canceled"]) else finished
        project.states.append(state(finished or status)[0])
        project.teams.append(cell(cells, at["team"]))
        for column in ("cycle_start", "started"):
            day = parse_date(cell(cells, at[column])) if cell(cells, at[column]) else None
            if day is not None:
                project.start = min(day, project.start) if project.start else day
        for column in ("cycle_end", "due"):
            day = parse_date(cell(cells, at[column])) if cell(cells, at[column]) else None
            if day is not None:
                project.end = max(day, project.end) if project.end else day
    if loose:
        fragment.skipped.append(f"{loose} issue(s) without a project were left out.")
    labels: set[str] = set()
    for ident, project in projects.items():
        states = set(project.states)
        if states <= {"done", "dropped"} and "done" in states:
            status_horizon = ("done", "now")
        elif states == {"dropped"}:
            status_horizon = ("dropped", "later")
        elif "in_progress" in states or "done" in states:
            status_horizon = ("in_progress", "now")
        else:
            status_horizon = ("planned", "next")
        project_teams = [t for t in project.teams if t]
        labels |= set(project_teams)
        start, end = project.start, project.end
        fragment.rows.append(
            initiative_row(
                fragment,
                ident=ident,
                line=project.line,
                title=project.name,
                roadmap=roadmap,
                columns=ISSUE_COLUMNS,
                status=status_horizon,
                start=start.isoformat() if start else None,
                end=end.isoformat() if end else None,
                team=team_of(project_teams, teams, team_names),
            )
        )
    fragment.mappable["teams"] = sorted(labels)
    return fragment
