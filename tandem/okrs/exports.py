"""The OKRs of a cycle as a spreadsheet: one row per live key result (an objective without
one still gets a row), with progress, pace, confidence and grade as the pages show them."""

import datetime

from tandem.accounts.models import Member, Workspace
from tandem.core.spreadsheet import Cell, Sheet
from tandem.okrs import selectors
from tandem.okrs.models import Cycle, KeyResult, Objective

HEADERS = [
    "Cycle",
    "Team",
    "Objective",
    "Commitment",
    "Objective owner",
    "Objective progress %",
    "Key result",
    "Kind",
    "Unit",
    "Start",
    "Target",
    "Current",
    "Progress %",
    "Pace",
    "Confidence (0-10)",
    "Grade",
    "Key result owner",
    "Last check-in",
    "Source",
    "External id",
]


def okr_sheet(
    workspace: Workspace, cycle: Cycle, today: datetime.date, mine: Member | None = None
) -> Sheet:
    """The cycle's live objectives and key results (those `mine` owns, as on My OKRs): two
    queries whatever their number."""
    share = selectors.elapsed(cycle, today)
    objectives = selectors.annotate(selectors.cycle_objectives(workspace, cycle), share)
    if mine is not None:
        objectives = selectors.mine(objectives, mine)
    objectives.sort(key=lambda o: (o.team.name if o.team else "\uffff", o.position, o.pk))
    rows: list[list[Cell]] = []
    for objective in objectives:
        head = _objective_cells(objective)
        key_results = objective.live_key_results  # type: ignore[attr-defined]  # set by Prefetch(to_attr=) in selectors.live_key_results
        if not key_results:
            rows.append(head + [None] * (len(HEADERS) - len(head)))
        rows.extend(head + _key_result_cells(kr) for kr in key_results)
    return Sheet(f"OKRs {cycle.name}", HEADERS, rows)


def _objective_cells(objective: Objective) -> list[Cell]:
    return [
        objective.cycle.name,
        objective.team.name if objective.team else "",
        objective.title,
        objective.get_commitment_display(),
        str(objective.owner) if objective.owner else "",
        objective.tracking.percent,  # type: ignore[attr-defined]  # set by selectors.annotate
    ]


def _key_result_cells(kr: KeyResult) -> list[Cell]:
    tracking = kr.tracking  # type: ignore[attr-defined]  # set by selectors.annotate
    return [
        kr.title,
        kr.get_kind_display(),
        kr.currency or kr.get_unit_display(),
        kr.start_value,
        kr.target_value,
        kr.current_value,
        tracking.percent,
        tracking.pace.value.replace("_", " ") if tracking.pace else "",
        kr.confidence,
        kr.grade,
        str(kr.owner) if kr.owner else "",
        kr.last_check_in,
        kr.external_source,
        kr.external_id,
    ]
