"""The import formats: each turns a file into a Fragment (tandem.domain.importing), which
tandem.plans.importing merges into the workspace's plan and applies. No database here."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tandem.domain.importing import Fragment
from tandem.plans.importers import github, jira, linear, spreadsheets
from tandem.plans.importers.tables import Table, read_csv, read_json, read_xlsx


@dataclass(frozen=True)
class Options:
    roadmap: str = ""  # the roadmap new initiatives go on (its name), unless a row says
    team_names: tuple[str, ...] = ()  # the workspace's teams, to match labels by name
    teams: Mapping[str, str] = field(default_factory=dict)  # label -> team name ("": none)
    columns: Mapping[str, str] = field(default_factory=dict)  # column -> template column


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    help: str
    source: str
    initiatives: bool  # whether it makes initiatives (and so needs a roadmap)
    extension: str
    read: Callable[[bytes, Options], Fragment]


def _okrs(reader: Callable[[bytes], Table]) -> Callable[[bytes, Options], Fragment]:
    def read(data: bytes, options: Options) -> Fragment:
        return spreadsheets.parse_okrs(reader(data), options.columns)

    return read


def _initiatives(reader: Callable[[bytes], Table]) -> Callable[[bytes, Options], Fragment]:
    def read(data: bytes, options: Options) -> Fragment:
        table = reader(data)
        return spreadsheets.parse_initiatives(table, options.columns, options.roadmap)

    return read


def _jira_csv(data: bytes, options: Options) -> Fragment:
    fragment = Fragment(jira.SOURCE)
    issues = jira.issues_from_csv(read_csv(data), fragment)
    return jira.to_fragment(
        fragment,
        issues,
        roadmap=options.roadmap,
        teams=options.teams,
        team_names=options.team_names,
        columns=jira.COLUMNS,
    )


def _jira_json(data: bytes, options: Options) -> Fragment:
    fragment = Fragment(jira.SOURCE, unit="line")
    issues = jira.issues_from_json(read_json(data), fragment)
    columns = {"title": "fields.summary", "description": "fields.description"}
    columns |= {"start": "fields.customfield_10015 (Start date)", "end": "fields.duedate"}
    columns |= {"team": "fields.components", "roadmap": "roadmap"}
    return jira.to_fragment(
        fragment,
        issues,
        roadmap=options.roadmap,
        teams=options.teams,
        team_names=options.team_names,
        columns=columns,
    )


def _linear(data: bytes, options: Options) -> Fragment:
    return linear.parse(
        read_csv(data),
        Fragment(linear.SOURCE),
        roadmap=options.roadmap,
        teams=options.teams,
        team_names=options.team_names,
    )


def _github(data: bytes, options: Options) -> Fragment:
    return github.parse(
        read_json(data),
        Fragment(github.SOURCE, unit="line"),
        roadmap=options.roadmap,
        teams=options.teams,
        team_names=options.team_names,
    )


FORMATS = {
    f.name: f
    for f in (
        Format(
            "csv-okrs",
            "Objectives and key results (CSV)",
            "Tandem's template: one row per key result, its objective on the row.",
            "csv",
            False,
            "csv",
            _okrs(read_csv),
        ),
        Format(
            "xlsx-okrs",
            "Objectives and key results (XLSX)",
            "The same template as a workbook: its first sheet is read.",
            "csv",
            False,
            "xlsx",
            _okrs(read_xlsx),
        ),
        Format(
            "csv-initiatives",
            "Initiatives (CSV)",
            "Tandem's template: one row per initiative, with its dependencies and key results.",
            "csv",
            True,
            "csv",
            _initiatives(read_csv),
        ),
        Format(
            "xlsx-initiatives",
            "Initiatives (XLSX)",
            "The same template as a workbook: its first sheet is read.",
            "csv",
            True,
            "xlsx",
            _initiatives(read_xlsx),
        ),
        Format(
            "jira-csv",
            "Jira issue search (CSV)",
            "Export > Export CSV (all fields) of an issue search. Epics become initiatives.",
            "jira",
            True,
            "csv",
            _jira_csv,
        ),
        Format(
            "jira-json",
            "Jira issue search (JSON)",
            "The JSON of GET /rest/api/3/search?jql=…&expand=names. Epics become initiatives.",
            "jira",
            True,
            "json",
            _jira_json,
        ),
        Format(
            "linear-csv",
            "Linear projects or issues (CSV)",
            "Linear's CSV export of projects or of issues. Projects become initiatives.",
            "linear",
            True,
            "csv",
            _linear,
        ),
        Format(
            "github-project",
            "GitHub project (JSON)",
            "gh project item-list NUMBER --owner OWNER --format json. Items become initiatives.",
            "github",
            True,
            "json",
            _github,
        ),
    )
}
TEMPLATES = {"okrs": "objectives and key results", "initiatives": "initiatives"}


def read(format_name: str, data: bytes, options: Options) -> Fragment:
    """The fragment of a file; PlanInvalid when it cannot be read at all."""
    return FORMATS[format_name].read(data, options)
