"""The conflict inbox and the decision log as spreadsheets, filtered as their pages are."""

import datetime

from django.utils import timezone

from tandem.accounts.models import Workspace
from tandem.activity.describe import describe_change
from tandem.conflicts import selectors
from tandem.conflicts.models import Conflict
from tandem.core.spreadsheet import Cell, Sheet
from tandem.okrs.models import Cycle
from tandem.strategy.models import Team

CONFLICT_HEADERS = [
    "Severity",
    "Rule",
    "Conflict",
    "Status",
    "About",
    "Teams",
    "Cycle",
    "Detected",
    "Closed",
    "Root cause",
    "Decision",
    "Decided by",
]
DECISION_HEADERS = [
    "Decided",
    "Conflict",
    "Rule",
    "Status",
    "Root cause",
    "Root cause note",
    "Decision",
    "Decision note",
    "Decided by",
    "Stakeholders",
    "Edits made",
]


def _when(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def conflict_sheet(workspace: Workspace, filters: selectors.ConflictFilters) -> Sheet:
    """The inbox's rows, most severe first: a fixed number of queries (the inbox's, the
    teams, one per kind of entity named, the cycles and the deciders)."""
    conflicts = list(selectors.conflict_inbox(workspace, filters, counts=False).rows)
    teams = dict(Team.objects.in_workspace(workspace).values_list("pk", "name"))
    names = selectors.entities_of(
        workspace, [ref for c in conflicts for ref in selectors.refs_of(c)]
    )
    cycles = dict(Cycle.objects.in_workspace(workspace).values_list("pk", "name"))
    deciders = {
        c.pk: str(c.decided_by)
        for c in Conflict.objects.in_workspace(workspace)
        .filter(pk__in=[c.pk for c in conflicts], decided_by__isnull=False)
        .select_related("decided_by__user")
    }
    rows: list[list[Cell]] = []
    for conflict in conflicts:
        about = [names[ref].name for ref in selectors.refs_of(conflict) if ref in names]
        rows.append(
            [
                conflict.severity,
                conflict.get_rule_display(),
                conflict.sentence,
                conflict.get_status_display(),
                "; ".join(about),
                "; ".join(teams[t] for t in conflict.team_ids if t in teams),
                cycles.get(conflict.cycle_id, "") if conflict.cycle_id else "",
                _when(conflict.detected_at),
                _when(conflict.closed_at),
                conflict.get_root_cause_display(),
                conflict.get_decision_display(),
                deciders.get(conflict.pk, ""),
            ]
        )
    return Sheet("Conflicts", CONFLICT_HEADERS, rows)


def decision_sheet(workspace: Workspace, cycle: Cycle | None) -> Sheet:
    """The decision log of `cycle`, newest decision first: the log's five queries."""
    rows: list[list[Cell]] = []
    for conflict in selectors.decision_log(workspace, cycle.pk if cycle else None):
        rows.append(
            [
                _when(conflict.decided_at),
                conflict.sentence,
                conflict.get_rule_display(),
                conflict.get_status_display(),
                conflict.get_root_cause_display(),
                conflict.root_cause_note,
                conflict.get_decision_display(),
                conflict.decision_note,
                str(conflict.decided_by) if conflict.decided_by else "",
                "; ".join(
                    [str(m) for m in conflict.stakeholders.all()]
                    + [t.name for t in conflict.stakeholder_teams.all()]
                ),
                "\n".join(describe_change(e.change_event) for e in conflict.edits.all()),
            ]
        )
    title = f"Decisions {cycle.name}" if cycle else "Decisions"
    return Sheet(title, DECISION_HEADERS, rows)
