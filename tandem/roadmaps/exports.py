"""The roadmap's initiatives as a spreadsheet, filtered as the board is: one row per
initiative with its RICE inputs and score and the key results it contributes to."""

from collections import defaultdict

from tandem.accounts.models import Workspace
from tandem.core.spreadsheet import Cell, Sheet
from tandem.domain.prioritisation import Rice
from tandem.roadmaps import selectors
from tandem.roadmaps.filters import InitiativeFilters, board_initiatives
from tandem.roadmaps.models import Contribution, Initiative

HEADERS = [
    "Initiative",
    "Roadmap",
    "Team",
    "Status",
    "Horizon",
    "Start",
    "End",
    "Effort (person-weeks)",
    "Reach",
    "Impact",
    "Confidence %",
    "RICE score",
    "Insights",
    "Contributions",
    "Key results served",
    "Source",
    "External id",
    "URL",
]


def initiative_sheet(workspace: Workspace, filters: InitiativeFilters) -> Sheet:
    """Three queries whatever the number of initiatives."""
    evidence = selectors.evidence_by_initiative(workspace)
    contributions = _contributions(workspace)
    rows = [
        _cells(i, evidence.get(i.pk, selectors.Evidence()).count, contributions.get(i.pk, []))
        for i in board_initiatives(workspace, filters)
    ]
    return Sheet("Initiatives", HEADERS, rows)


def _contributions(workspace: Workspace) -> dict[int, list[str]]:
    """initiative id → 'Key result (Objective): +delta', in the order they were linked."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        Contribution.objects.in_workspace(workspace)
        .order_by("id")
        .values_list(
            "initiative_id", "key_result__title", "key_result__objective__title", "expected_delta"
        )
    )
    for initiative_id, key_result, objective, delta in rows:
        text = f"{key_result} ({objective})"
        if delta is not None:
            text += f": {delta.normalize():+f}"
        found[initiative_id].append(text)
    return found


def _cells(initiative: Initiative, insights: int, contributions: list[str]) -> list[Cell]:
    rice = Rice(
        initiative.reach,
        float(initiative.impact),
        initiative.confidence,
        float(initiative.effort),
    )
    return [
        initiative.title,
        initiative.roadmap.name,
        initiative.team.name if initiative.team else "",
        initiative.get_status_display(),
        initiative.get_horizon_display(),
        initiative.start_date,
        initiative.end_date,
        initiative.effort,
        initiative.reach,
        initiative.impact,
        initiative.confidence,
        None if rice.score is None else round(rice.score, 2),
        insights,
        "; ".join(contributions),
        len(contributions),
        initiative.external_source,
        initiative.external_id,
        initiative.external_url,
    ]
