"""The roadmap board: Now / Next / Later columns in swimlanes by team, pillar or objective,
filtered, with drag and drop (roadmap.js, through the API's move) and a Move menu for the
keyboard and without JavaScript (initiative_move here). Both carry the version of the card
as shown, so a move over someone else's change is refused and the current board shown. In
scenario mode both add the move to the scenario instead, through the doors every scenario
edit takes, with the scenario's version as shown."""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tandem.accounts.access import TandemRequest, workspace_view
from tandem.accounts.models import Role, Workspace
from tandem.conflicts.badges import conflict_badges
from tandem.core.params import id_param, int_param
from tandem.core.spreadsheet import download, export_format
from tandem.core.tenancy import get_in_workspace_or_404
from tandem.core.versioning import StaleVersion
from tandem.roadmaps import selectors, services
from tandem.roadmaps.exports import initiative_sheet
from tandem.roadmaps.filters import (
    OFF_BOARD_STATUSES,
    Place,
    board_filters,
    board_initiatives,
    board_places,
)
from tandem.roadmaps.models import Horizon, Initiative, InitiativeStatus, Roadmap
from tandem.roadmaps.selectors import Evidence, Served
from tandem.scenarios.models import Scenario
from tandem.scenarios.selectors import scenario_plan

LANE_KINDS = {"team": "Team", "pillar": "Pillar", "objective": "Objective", "none": "None"}
NO_EVIDENCE = Evidence()
# A cell shows its first cards; a plan of thousands stays a board one can read (and a page
# that renders fast). ?all=1 shows every card.
WINDOW = 8
# And its first lanes: the others are listed below them, each a link to the board filtered
# to it (?all=1 shows every lane and card).
LANE_WINDOW = 12


@dataclass
class Card:
    initiative: Initiative | Place  # a Place until the card is shown
    served: list[Served]
    evidence: Evidence
    blocked_by: int
    lane: object = None
    previous: Initiative | Place | None = None
    following: Initiative | Place | None = None
    badge: object = None
    url: str = ""
    move_url: str = ""  # the Move menu's form
    drag_url: str = ""  # the API a drag calls: the move, or in scenario mode the edits
    proposed: bool = False  # moved, rescheduled or resized by the scenario shown
    just_moved: bool = False  # the card the mover just moved: kept in view, highlighted

    @property
    def serves_nothing(self) -> bool:
        return not any(s.live for s in self.served)


@dataclass
class Cell:
    horizon: str
    label: str
    cards: list[Card] = field(default_factory=list)
    hidden: int = 0  # cards beyond the window, shown with ?all=1


@dataclass
class Lane:
    key: object
    label: str
    color: str = ""
    cells: list[Cell] = field(default_factory=list)
    url: str = ""  # the board filtered to this lane, when it is listed below the others

    @property
    def count(self) -> int:
        return sum(len(cell.cards) for cell in self.cells)


@workspace_view
def roadmap_board(request: TandemRequest) -> HttpResponse:
    workspace = request.workspace
    roadmaps = list(Roadmap.objects.in_workspace(workspace).select_related("team"))
    roadmap = _chosen_roadmap(request, roadmaps)
    lanes_by = request.GET.get("lanes", "team")
    if lanes_by not in LANE_KINDS:
        lanes_by = "team"
    filters = board_filters(request.GET)
    wanted = filters.wanted()
    # Which key results each initiative serves is read for every initiative only when the
    # lanes are by what it serves; otherwise for the cards shown (below).
    by_served = lanes_by in {"pillar", "objective"}
    facts = selectors.board_facts(workspace, served=by_served)
    options = selectors.filter_options(workspace)
    teams = list(options["teams"])
    pillars = list(options["pillars"])
    objectives = list(options["objectives"])
    badges = conflict_badges(workspace)
    # One reverse() for the page, not three per card: 2,000 cards add up.
    base = reverse("initiative_create", kwargs={"workspace": workspace.slug}).removesuffix("new/")
    show_all = request.GET.get("all") == "1"
    # A scenario moves cards between cells and needs each initiative's dates; every card
    # (?all=1) needs them all: both load every initiative. Otherwise the board is laid out
    # from Places and loads the initiatives of the cards it shows.
    items: list[Initiative | Place] = (
        list(board_initiatives(workspace, filters))
        if show_all or "scenario" in request.GET
        else list(board_places(workspace, filters))
    )
    cards = [
        Card(
            item,
            facts.served.get(item.pk, []),
            facts.evidence.get(item.pk, NO_EVIDENCE),
            facts.blocked_by.get(item.pk, 0),
            badge=badges.get(("initiative", item.pk)),
            url=f"{base}{item.pk}/",
        )
        for item in items
    ]
    scenario = _scenario_mode(request, cards)
    lanes = _lanes(cards, lanes_by, teams, pillars)
    moved_id = id_param(request.GET, "moved")
    totals = {h: 0 for h in Horizon.values}
    for lane in lanes:
        for cell in lane.cells:
            totals[cell.horizon] += len(cell.cards)
            for card in cell.cards:
                card.just_moved = card.initiative.pk == moved_id
            if not show_all and len(cell.cards) > WINDOW:
                cell.hidden = len(cell.cards) - WINDOW
                shown = cell.cards[:WINDOW]
                # A card just moved stays in view (last of the window) rather than behind
                # "n more", so the mover sees where it went.
                moved = [c for c in cell.cards[WINDOW:] if c.just_moved]
                cell.cards = shown[: WINDOW - len(moved)] + moved
    more_lanes: list[Lane] = []
    if not show_all and len(lanes) > LANE_WINDOW:
        # The lane of a card just moved stays in view.
        kept = [lane for lane in lanes[LANE_WINDOW:] if _holds_moved(lane)]
        more_lanes = [lane for lane in lanes[LANE_WINDOW:] if lane not in kept]
        lanes = lanes[:LANE_WINDOW] + kept
    shown = [card for lane in lanes for cell in lane.cells for card in cell.cards]
    _load_shown(workspace, shown, teams, roadmaps)
    if not by_served:
        served = selectors.served_key_results(
            workspace, initiatives=[card.initiative.pk for card in shown]
        )
        for card in shown:
            card.served = served.get(card.initiative.pk, [])
    query = {
        k: v
        for k, v in request.GET.items()
        if k in {"roadmap", "lanes", "all", "scenario", *wanted} and v
    }
    board_url = request.path + (f"?{urlencode(query)}" if query else "")
    filter_by = {"team": "team", "pillar": "pillar", "objective": "objective"}.get(lanes_by)
    for lane in more_lanes:
        if filter_by and lane.key is not None:
            lane.url = f"{board_url}{'&' if '?' in board_url else '?'}{filter_by}={lane.key}"
    export_query = urlencode(
        {k: v for k, v in query.items() if k not in {"lanes", "all", "scenario"}}
    )
    context = {
        "roadmaps": roadmaps,
        "roadmap": roadmap,
        "lanes": lanes,
        "lanes_by": lanes_by,
        "lane_kinds": LANE_KINDS,
        "wanted": wanted,
        "teams": teams,
        "pillars": pillars,
        "objectives": objectives,
        "statuses": InitiativeStatus.choices,
        "totals": totals,
        "show_all": show_all,
        "more_lanes": more_lanes,
        "window": WINDOW,
        "card_count": len(cards),
        "filtered": any(wanted.values()),
        "conflicts_url": reverse("conflict_list", kwargs={"workspace": workspace.slug}),
        "can_edit": request.member.has_role(Role.EDITOR),
        "board_url": board_url,
        "export_query": export_query,
        "board_next": quote(board_url, safe=""),
        "csrf_input": csrf_input(request),
        "scenario": scenario,
        "off_board_count": 0
        if wanted["status"]
        else Initiative.objects.in_workspace(workspace)
        .filter(status__in=OFF_BOARD_STATUSES, **({"roadmap": roadmap} if roadmap else {}))
        .count(),
    }
    return render(request, "roadmaps/roadmap_board.html", context)


def _holds_moved(lane: Lane) -> bool:
    return any(card.just_moved for cell in lane.cells for card in cell.cards)


def _load_shown(
    workspace: Workspace, cards: list[Card], teams: list[Any], roadmaps: list[Roadmap]
) -> None:
    """The initiatives of the cards shown that were laid out as Places (one query), with
    their team and roadmap from those the page has read already."""
    wanted = [card.initiative.pk for card in cards if isinstance(card.initiative, Place)]
    if not wanted:
        return
    loaded = Initiative.objects.in_workspace(workspace).in_bulk(wanted)
    team = {t.pk: t for t in teams}
    roadmap = {r.pk: r for r in roadmaps}
    for card in cards:
        initiative = loaded[card.initiative.pk]
        initiative.team = team.get(initiative.team_id)
        initiative.roadmap = roadmap[initiative.roadmap_id]
        card.initiative = initiative


def _scenario_mode(request: TandemRequest, cards: list[Card]) -> Scenario | None:
    """`?scenario=ID`: the board as the scenario would leave it, where a move (drag or Move
    menu) proposes it in the scenario instead of making it. Cards the scenario drops leave
    the board."""
    workspace = request.workspace
    api = reverse("api:initiative_move", kwargs={"workspace": workspace.slug, "initiative_id": 0})
    api = api.removesuffix("0/move")
    for card in cards:
        card.move_url = f"{card.url}move/"
        card.drag_url = f"{api}{card.initiative.pk}/move"
    if "scenario" not in request.GET:
        return None
    scenario = get_in_workspace_or_404(
        Scenario.objects, workspace, pk=id_param(request.GET, "scenario") or 0
    )
    edited = scenario_plan(scenario) if scenario.is_draft else None
    if edited is None:
        return scenario
    # A move is an edit of the scenario, through the doors every edit takes (the scenario's
    # version as shown, so a move over someone else's edit is refused): the Move menu posts
    # to the scenario page's form, a drag to the API's edits.
    kwargs = {"workspace": workspace.slug, "scenario_id": scenario.pk}
    form = reverse("scenario_edit_add", kwargs=kwargs)
    edits = reverse("api:edit_create", kwargs=kwargs)
    kept = []
    for card in cards:
        initiative = card.initiative
        assert isinstance(initiative, Initiative)  # in scenario mode every initiative is loaded
        facts = edited.initiative.get(initiative.pk)
        dropped = facts is not None and facts.status == InitiativeStatus.DROPPED
        if facts is None or (dropped and initiative.status != InitiativeStatus.DROPPED):
            continue
        card.proposed = (facts.horizon, facts.start, facts.end, facts.effort) != (
            initiative.horizon,
            initiative.start_date,
            initiative.end_date,
            float(initiative.effort),
        )
        initiative.horizon = facts.horizon
        initiative.start_date, initiative.end_date = facts.start, facts.end
        card.move_url = form
        card.drag_url = edits
        kept.append(card)
    cards[:] = kept
    return scenario


@workspace_view
def initiative_export(request: TandemRequest) -> HttpResponse:
    """The initiatives the board shows with the same filters, as CSV or XLSX (?format=)."""
    workspace = request.workspace
    fmt = export_format(request.GET.get("format"))
    sheet = initiative_sheet(workspace, board_filters(request.GET))
    return download(sheet, fmt, f"{workspace.slug} initiatives")


def _chosen_roadmap(request: TandemRequest, roadmaps: list[Roadmap]) -> Roadmap | None:
    """?roadmap=<id> shows one roadmap (404 when it is not one of ours); none shows them all."""
    wanted = request.GET.get("roadmap")
    if not wanted:
        return None
    chosen = next((r for r in roadmaps if str(r.pk) == wanted), None)
    if chosen is None:
        raise Http404("No roadmap here.")
    return chosen


def _lanes(cards: list[Card], lanes_by: str, teams: list[Any], pillars: list[Any]) -> list[Lane]:
    """Group cards into lanes. An initiative serving several objectives sits in the lane of
    the first one it was linked to (its card lists them all)."""
    lanes: dict[object, Lane] = {}
    if lanes_by == "team":
        for team in teams:
            lanes[team.pk] = Lane(team.pk, team.name, team.color)
        missing = "No team"
    elif lanes_by == "pillar":
        for pillar in pillars:
            lanes[pillar.pk] = Lane(pillar.pk, pillar.name)
        missing = "No pillar"
    elif lanes_by == "objective":
        missing = "Serves no objective"
    else:
        missing = ""
    for card in cards:
        live = [s for s in card.served if s.live] or card.served
        if lanes_by == "team":
            key, label = card.initiative.team_id, ""
        elif lanes_by == "pillar":
            key = next((s.pillar_id for s in live if s.pillar_id), None)
            label = ""
        elif lanes_by == "objective":
            key = live[0].objective_id if live else None
            label = live[0].objective_title if live else ""
        else:
            key, label = None, ""
        if key not in lanes:
            lanes[key] = Lane(key, label or missing)
        card.lane = key
        lanes[key].cells.append(card)  # type: ignore[arg-type]  # a lane's cells are cards here
    result = []
    for lane in lanes.values():
        flat: list[Card] = lane.cells  # type: ignore[assignment]  # a lane's cells are cards here
        if not flat:
            continue
        lane.cells = [Cell(h, label) for h, label in Horizon.choices]
        by_horizon = {cell.horizon: cell for cell in lane.cells}
        for card in flat:
            by_horizon[card.initiative.horizon].cards.append(card)
        for cell in lane.cells:
            for index, card in enumerate(cell.cards):
                if index:
                    card.previous = cell.cards[index - 1].initiative
                if index + 1 < len(cell.cards):
                    card.following = cell.cards[index + 1].initiative
        result.append(lane)
    # The lane for cards without one comes last.
    result.sort(key=lambda lane: lane.key is None)
    return result


@require_POST
@workspace_view
def initiative_move(request: TandemRequest, initiative_id: int) -> HttpResponse:
    """The Move menu on a card, an ordinary form for the keyboard and without JavaScript
    (a drag calls the API's move). `to` is a horizon (to the end of its column) or up/down
    past the neighbour named; `version` is the card's as the board showed it, so a card
    someone else changed meanwhile is not moved over their change."""
    workspace, member = request.workspace, request.member
    initiative = get_in_workspace_or_404(Initiative.objects, workspace, pk=initiative_id)
    to = request.POST.get("to", "")
    after = before = None
    if to in {"up", "down"}:
        horizon = initiative.horizon
        neighbour_id = id_param(request.POST, "before_id" if to == "up" else "after_id")
        neighbour = get_in_workspace_or_404(Initiative.objects, workspace, pk=neighbour_id or 0)
        before, after = (neighbour, None) if to == "up" else (None, neighbour)
    else:
        horizon = to
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("roadmap_board", kwargs={"workspace": workspace.slug})
    try:
        moved = services.initiative_move(
            initiative=initiative,
            horizon=horizon,
            after=after,
            before=before,
            expected_version=int_param(request.POST, "version"),
            by=member,
        )
    except StaleVersion:
        messages.warning(
            request,
            f"“{initiative.title}” was moved or changed by someone else meanwhile, so your "
            "move was not saved. This is the current board.",
        )
        return redirect(back)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    label = Horizon(moved.horizon).label
    messages.success(request, f"Moved “{moved.title}” ({label}).")
    split = urlsplit(back)
    query = urlencode(
        [*((k, v) for k, v in parse_qsl(split.query) if k != "moved"), ("moved", moved.pk)]
    )
    return redirect(urlunsplit(split._replace(query=query, fragment=f"initiative-{moved.pk}")))


def csrf_input(request: HttpRequest) -> str:
    """The CSRF hidden input once per page, not a {% csrf_token %} per card."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
