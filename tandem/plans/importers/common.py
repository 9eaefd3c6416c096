"""What the tools' importers share: an initiative row from what a tool says of an item,
and reading a team from the labels a tool puts on it."""

from collections.abc import Iterable, Mapping

from tandem.domain.importing import Fragment, Row, cell_date, cell_text, import_key

# A tool's workflow state, by its name (any case), as an initiative's status and horizon.
STATES = {
    "backlog": ("idea", "later"),
    "triage": ("idea", "later"),
    "idea": ("idea", "later"),
    "todo": ("planned", "next"),
    "to do": ("planned", "next"),
    "open": ("planned", "next"),
    "selected for development": ("planned", "next"),
    "planned": ("planned", "next"),
    "next": ("planned", "next"),
    "unstarted": ("planned", "next"),
    "in progress": ("in_progress", "now"),
    "started": ("in_progress", "now"),
    "in review": ("in_progress", "now"),
    "now": ("in_progress", "now"),
    "done": ("done", "now"),
    "closed": ("done", "now"),
    "resolved": ("done", "now"),
    "completed": ("done", "now"),
    "canceled": ("dropped", "later"),
    "cancelled": ("dropped", "later"),
    "won't do": ("dropped", "later"),
    "paused": ("planned", "later"),
    "later": ("idea", "later"),
}
# Jira's status categories, which every workflow's statuses fall into.
CATEGORIES = {
    "new": ("planned", "next"),
    "to do": ("planned", "next"),
    "indeterminate": ("in_progress", "now"),
    "in progress": ("in_progress", "now"),
    "done": ("done", "now"),
}


def state(name: str, category: str = "") -> tuple[str, str]:
    """Status and horizon: by the state's name, else its category, else planned/next."""
    found = STATES.get(name.strip().casefold()) or CATEGORIES.get(category.strip().casefold())
    return found or ("planned", "next")


def team_of(
    labels: Iterable[str], mapping: Mapping[str, str], team_names: Iterable[str]
) -> str | None:
    """The team of the first label the person mapped to one (or, unmapped, that is a
    team's name); mapping a label to "" leaves it out."""
    teams = {name.casefold(): name for name in team_names}
    for label in labels:
        if label in mapping:
            if mapping[label]:
                return mapping[label]
            continue
        if label.casefold() in teams:
            return teams[label.casefold()]
    return None


def initiative_row(
    fragment: Fragment,
    *,
    ident: str,
    line: int,
    title: str,
    roadmap: str,
    columns: Mapping[str, str],
    url: str = "",
    description: str = "",
    status: tuple[str, str] | None = None,
    start: str | None = None,
    end: str | None = None,
    team: str | None = None,
) -> Row:
    source = fragment.source
    row = Row(
        "initiative",
        import_key(source, ident),
        line,
        fields={"source": source, "external_id": ident[:120], "url": url[:500]},
        names={"roadmap": roadmap},
        columns=dict(columns),
        label=f"{ident} {title}".strip(),
    )
    row.fields["title"] = cell_text(fragment, title, line, row.column("title"), 200)
    if not title.strip():
        fragment.error(line, row.column("title"), "This cannot be empty.")
    row.fields["description"] = cell_text(
        fragment, description, line, row.column("description"), 20_000
    )
    if status is not None:
        row.fields["status"], row.fields["horizon"] = status
    for name, text in (("start", start), ("end", end)):
        if text:
            row.fields[name] = cell_date(fragment, text, line, row.column(name))
    if team:
        row.names["team"] = team
    return row


def dependency_row(
    fragment: Fragment, line: int, initiative: str, depends_on: str, column: str
) -> Row:
    a, b = import_key(fragment.source, initiative), import_key(fragment.source, depends_on)
    return Row(
        "dependency",
        f"{a} > {b}",
        line,
        fields={"initiative": a, "depends_on": b},
        columns={"initiative": column, "depends_on": column},
        label=f"{initiative} depends on {depends_on}",
    )
