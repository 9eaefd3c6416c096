"""The roadmap pages as a user meets them: constant queries however big the plan, moves
(a drop calls the API's move, the Move menu posts a form) that persist and refuse a stale
board, and bad input refused naming the field."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import Member
from tandem.activity.models import ChangeEvent
from tandem.okrs.models import GoalStatus
from tandem.okrs.services import key_result_update
from tandem.roadmaps import services
from tandem.roadmaps.models import Dependency, Initiative
from tests import factories
from tests.bench.scale import build_plan
from tests.web.test_query_counts import BUDGETS

# roadmaps, where the initiatives sit, the initiatives shown, the key results they serve,
# evidence, blocked-by counts, conflict badges, teams, pillars, objectives, done-or-dropped
# count: 11 on top of the layout's queries, which tests/web/test_query_counts.py keeps the
# one count of. Lanes by pillar or objective read every initiative's key results (one
# query) instead of the shown ones'.
BOARD_QUERIES = BUDGETS["roadmap_board"]
SHELL = BOARD_QUERIES - 11
# teams, initiatives, cycles, key result due dates, dependencies
TIMELINE_QUERIES = SHELL + 5


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "budget"), [("roadmap_board", BOARD_QUERIES), ("roadmap_timeline", TIMELINE_QUERIES)]
)
def test_board_and_timeline_queries_are_the_same_for_10_and_2000_initiatives(db, name, budget):
    counts = {}
    for size in (10, 2000):
        workspace = build_plan(
            slug=f"q{size}",
            teams=max(size // 40, 2),
            objectives=max(size // 20, 2),
            key_results=max(size // 8, 3),
            initiatives=size,
            contributions=size,
            dependencies=size // 4,
        )
        client = Client()
        client.force_login(Member.objects.get(workspace=workspace).user)
        url = reverse(name, kwargs={"workspace": workspace.slug})
        counts[size] = _queries(client, url)
        for lanes in ("pillar", "objective"):
            assert (
                _queries(client, f"{url}?lanes={lanes}") == counts[size] or name != "roadmap_board"
            )
    assert counts == {10: budget, 2000: budget}


@pytest.fixture
def board(owner):
    roadmap = factories.make_roadmap(owner, name="Platform")
    make = lambda title, horizon: factories.make_initiative(  # noqa: E731
        owner, roadmap=roadmap, title=title, horizon=horizon, status="planned"
    )
    return {
        "sso": make("SSO", "next"),
        "billing": make("Billing", "now"),
        "audit": make("Audit log", "now"),
    }


def _drag(client, workspace, initiative, version, **body):
    """What roadmap.js sends on a drop: the API's move, with the card's version as shown."""
    url = reverse(
        "api:initiative_move", kwargs={"workspace": workspace.slug, "initiative_id": initiative.pk}
    )
    return client.post(
        url, body, content_type="application/json", headers={"If-Match": f'"{version}"'}
    )


def _menu(client, workspace, initiative, **data):
    url = reverse(
        "initiative_move", kwargs={"workspace": workspace.slug, "initiative_id": initiative.pk}
    )
    return client.post(url, data)


def test_a_drop_persists_the_column_and_order_and_is_a_move_event(owner, board, client_as):
    sso, billing, audit = board["sso"], board["billing"], board["audit"]
    services.initiative_move(initiative=audit, horizon="now", after=billing, by=owner)
    response = _drag(
        client_as(owner), owner.workspace, sso, sso.version, horizon="now", after_id=billing.pk
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == sso.version + 1
    order = list(
        Initiative.objects.filter(horizon="now").on_board().values_list("title", flat=True)
    )
    assert order == ["Billing", "SSO", "Audit log"]
    event = ChangeEvent.objects.filter(action="moved", object_id=str(sso.pk)).latest("id")
    assert event.before["horizon"] == "next" and event.after["horizon"] == "now"


def test_a_drop_on_a_stale_board_changes_nothing_and_says_so(owner, editor, board, client_as):
    sso = board["sso"]
    shown_version = sso.version
    # Someone else moves SSO to Later after our board was drawn.
    services.initiative_move(initiative=sso, horizon="later", by=editor)
    events = ChangeEvent.objects.count()
    response = _drag(client_as(owner), owner.workspace, sso, shown_version, horizon="now")
    assert response.status_code == 412
    assert "changed since you read it" in response.json()["detail"]
    sso.refresh_from_db()
    assert sso.horizon == "later"
    assert ChangeEvent.objects.count() == events


def test_the_move_menu_works_without_javascript(owner, board, client_as):
    sso = board["sso"]
    response = _menu(client_as(owner), owner.workspace, sso, to="now", version=sso.version)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#initiative-{sso.pk}")
    sso.refresh_from_db()
    assert sso.horizon == "now"


def test_the_move_menu_on_a_stale_board_changes_nothing_and_says_so(
    owner, editor, board, client_as
):
    sso, billing = board["sso"], board["billing"]
    shown_version = sso.version
    services.initiative_update(initiative=sso, title="Single sign-on", by=editor)
    client = client_as(owner)
    events = ChangeEvent.objects.count()
    response = _menu(client, owner.workspace, sso, to="now", version=shown_version)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "moved or changed by someone else meanwhile" in page
    sso.refresh_from_db()
    assert sso.horizon == "next"
    assert ChangeEvent.objects.count() == events
    # Move up past a card that has left the column: refused, naming why.
    response = _menu(client, owner.workspace, sso, to="up", before_id=billing.pk)
    assert "not in the target column" in client.get(response["Location"]).content.decode()


def test_a_viewer_cannot_move(viewer, board, client_as):
    sso = board["sso"]
    client = client_as(viewer)
    assert _menu(client, viewer.workspace, sso, to="now").status_code == 403
    assert _drag(client, viewer.workspace, sso, sso.version, horizon="now").status_code == 403
    sso.refresh_from_db()
    assert sso.horizon == "next"


def test_board_marks_work_serving_no_key_result_and_shows_served_ones(owner, board, client_as):
    key_result = factories.make_key_result(owner, title="Activation 40%")
    services.contribution_create(initiative=board["sso"], key_result=key_result, by=owner)
    html = (
        client_as(owner)
        .get(reverse("roadmap_board", kwargs={"workspace": owner.workspace.slug}))
        .content.decode()
    )
    assert "→ Activation 40%" in html
    assert html.count("Serves no key result") == 2


def test_initiative_edit_refuses_end_before_start_and_negative_effort(owner, board, client_as):
    sso = board["sso"]
    url = reverse(
        "initiative_detail", kwargs={"workspace": owner.workspace.slug, "initiative_id": sso.pk}
    )
    data = {
        "title": "SSO", "roadmap": sso.roadmap_id, "status": "planned", "horizon": "next",
        "start_date": "2026-11-10", "end_date": "2026-11-01", "effort": "-2", "reach": 0,
        "impact": 1, "confidence": 80,
    }  # fmt: skip
    events = ChangeEvent.objects.count()
    response = client_as(owner).post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "end_date" in form.errors or "effort" in form.errors
    data["effort"] = "2"
    response = client_as(owner).post(url, data)
    assert response.context["form"].errors["end_date"] == [
        "The end date cannot come before the start date."
    ]
    sso.refresh_from_db()
    assert sso.start_date is None and sso.effort == 0
    assert ChangeEvent.objects.count() == events


def test_initiative_edit_saves_and_records_why(owner, board, client_as):
    sso = board["sso"]
    url = reverse(
        "initiative_detail", kwargs={"workspace": owner.workspace.slug, "initiative_id": sso.pk}
    )
    data = {
        "title": "SSO", "roadmap": sso.roadmap_id, "status": "planned", "horizon": "next",
        "start_date": "2026-11-01", "end_date": "2026-11-30", "effort": "3", "reach": 500,
        "impact": 2, "confidence": 50, "description": "**Okta** first", "reason": "Sales asks",
    }  # fmt: skip
    assert client_as(owner).post(url, data).status_code == 302
    html = client_as(owner).get(url).content.decode()
    assert "<strong>Okta</strong>" in html
    assert "500 reach × 2 impact × 50% confidence ÷ 3 person-weeks = 166.67" in html


def test_dependency_on_another_workspace_is_not_found_and_writes_nothing(
    owner, outsider, board, client_as
):
    theirs = factories.make_initiative(outsider, title="Globex thing")
    url = reverse(
        "dependency_create",
        kwargs={"workspace": owner.workspace.slug, "initiative_id": board["sso"].pk},
    )
    response = client_as(owner).post(url, {"depends_on": theirs.pk})
    assert response.status_code == 404
    assert not Dependency.objects.exists()


def test_a_dependency_loop_is_refused_naming_the_loop(owner, board, client_as):
    sso, billing, audit = board["sso"], board["billing"], board["audit"]
    services.dependency_create(initiative=sso, depends_on=billing, by=owner)
    services.dependency_create(initiative=billing, depends_on=audit, by=owner)
    url = reverse(
        "dependency_create", kwargs={"workspace": owner.workspace.slug, "initiative_id": audit.pk}
    )
    response = client_as(owner).post(url, {"depends_on": sso.pk}, follow=True)
    html = response.content.decode().replace("&#x27;", "'")
    assert "This would close a loop: 'Audit log' → 'SSO' → 'Billing' → 'Audit log'." in html
    assert Dependency.objects.count() == 2


def test_linking_to_an_archived_key_result_is_refused_naming_it(owner, board, client_as):
    key_result = factories.make_key_result(owner, title="Old KR")
    key_result_update(key_result=key_result, status=GoalStatus.ARCHIVED, by=owner)
    with pytest.raises(Exception) as refused:
        services.contribution_create(initiative=board["sso"], key_result=key_result, by=owner)
    assert "key_result" in refused.value.message_dict  # type: ignore[attr-defined]
    assert not board["sso"].contributions.exists()


def test_capacity_view_quantifies_over_commitment(owner, client_as):
    team = factories.make_team(owner, name="Growth")
    cycle = factories.make_cycle(owner, name="Q4 2026")
    factories.make_initiative(
        owner, title="Usage billing", team=team, status="planned", effort=Decimal(30),
        start_date=datetime.date(2026, 10, 1), end_date=datetime.date(2026, 12, 31),
    )  # fmt: skip
    services.team_capacity_set(team=team, cycle=cycle, person_weeks=Decimal(24), by=owner)
    html = (
        client_as(owner)
        .get(reverse("roadmap_capacity", kwargs={"workspace": owner.workspace.slug}))
        .content.decode()
    )
    assert "6.0 pw over (25%)" in html
    assert "Growth in Q4 2026 by 6.0 pw (25%)" in html
