"""Writing the strategy in the browser: vision, pillars (and their order), teams; the
pillar and team pages, in a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.conflicts.detection import conflicts_detect
from tandem.okrs.models import Objective
from tandem.roadmaps import services as roadmaps
from tandem.roadmaps.models import Initiative
from tandem.strategy.models import Pillar, Strategy, Team
from tandem.strategy.services import team_set_members
from tests import factories

STRATEGY = "/w/acme-test/strategy/"


def _names(workspace):
    return list(
        Pillar.objects.in_workspace(workspace)
        .filter(archived_at__isnull=True)
        .values_list("name", flat=True)
    )


def test_the_owner_writes_the_vision_and_viewers_cannot(owner, viewer, client_as):
    response = client_as(owner).post(f"{STRATEGY}vision/", {"vision": "Make **onboarding** easy"})
    assert response.status_code == 302
    assert "<strong>onboarding</strong>" in client_as(owner).get(STRATEGY).content.decode()

    assert client_as(viewer).get(f"{STRATEGY}vision/").status_code == 403
    assert client_as(viewer).post(f"{STRATEGY}vision/", {"vision": "Mine"}).status_code == 403
    assert Strategy.objects.get().vision == "Make **onboarding** easy"
    assert "Edit vision" not in client_as(viewer).get(STRATEGY).content.decode()


def test_pillars_are_added_in_order_and_a_duplicate_is_refused(owner, client_as):
    client = client_as(owner)
    for name in ("Win the mid-market", "Delight admins"):
        assert client.post(f"{STRATEGY}pillars/new/", {"name": name}).status_code == 302
    duplicate = client.post(f"{STRATEGY}pillars/new/", {"name": "Delight admins"})
    assert duplicate.status_code == 422
    assert "A pillar with this name already exists." in duplicate.content.decode()
    empty = client.post(f"{STRATEGY}pillars/new/", {"name": ""})
    assert empty.status_code == 422 and "This field is required." in empty.content.decode()
    assert _names(owner.workspace) == ["Win the mid-market", "Delight admins"]


def test_pillars_move_with_the_menu_and_by_a_drop(owner, viewer, client_as):
    for name in ("A", "B", "C"):
        factories.make_pillar(owner, name=name)
    a, b, c = Pillar.objects.in_workspace(owner.workspace).order_by("name")
    client = client_as(owner)

    client.post(f"{STRATEGY}pillars/{c.pk}/move/", {"to": "top"})
    assert _names(owner.workspace) == ["C", "A", "B"]
    client.post(f"{STRATEGY}pillars/{c.pk}/move/", {"to": "down"})
    assert _names(owner.workspace) == ["A", "C", "B"]

    dropped = client.post(
        f"{STRATEGY}pillars/{b.pk}/move/", {"to": "0"}, HTTP_ACCEPT="application/json"
    )
    assert dropped.json() == {"order": [b.pk, a.pk, c.pk]}
    refused = client.post(
        f"{STRATEGY}pillars/{b.pk}/move/", {"to": "9"}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 422 and "from 1 to 3" in refused.json()["detail"]

    assert (
        client_as(viewer).post(f"{STRATEGY}pillars/{a.pk}/move/", {"to": "top"}).status_code == 403
    )
    assert _names(owner.workspace) == ["B", "A", "C"]


def test_a_pillar_is_edited_archived_and_restored(owner, client_as):
    pillar = factories.make_pillar(owner, name="Old name")
    client = client_as(owner)
    client.post(f"{STRATEGY}pillars/{pillar.pk}/edit/", {"name": "New name", "description": ""})
    client.post(f"{STRATEGY}pillars/{pillar.pk}/archive/")
    assert _names(owner.workspace) == []
    assert "1 archived pillar" in client.get(STRATEGY).content.decode()
    client.post(f"{STRATEGY}pillars/{pillar.pk}/archive/", {"archived": "0"})
    assert _names(owner.workspace) == ["New name"]


def test_a_team_is_created_with_members_and_a_lead(owner, editor, viewer, client_as):
    client = client_as(owner)
    response = client.post(
        f"{STRATEGY}teams/new/",
        {"name": "Growth", "color": "#22aa55", "members": [editor.pk], "lead": viewer.pk},
    )
    team = Team.objects.get(name="Growth")
    assert response["Location"] == f"{STRATEGY}teams/{team.pk}/"
    # The lead is made a member too.
    assert set(team.members.all()) == {editor, viewer}
    assert team.lead == viewer

    client.post(
        f"{STRATEGY}teams/{team.pk}/edit/",
        {"name": "Growth Squad", "color": "#22aa55", "members": [editor.pk], "lead": ""},
    )
    team.refresh_from_db()
    assert (team.name, team.lead, list(team.members.all())) == ("Growth Squad", None, [editor])

    bad = client.post(f"{STRATEGY}teams/new/", {"name": "Growth Squad", "color": "green"})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "A team with this name already exists." in text or "Enter a colour as #rrggbb." in text

    client.post(f"{STRATEGY}teams/{team.pk}/archive/")
    team.refresh_from_db()
    assert team.archived_at is not None
    assert "1 archived team" in client.get(STRATEGY).content.decode()


def test_viewers_cannot_create_teams(viewer, client_as):
    assert client_as(viewer).get(f"{STRATEGY}teams/new/").status_code == 403
    assert (
        client_as(viewer)
        .post(f"{STRATEGY}teams/new/", {"name": "X", "color": "#000000"})
        .status_code
        == 403
    )
    assert not Team.objects.exists()


def _plan(owner, editor, n):
    """n objectives on the pillar and the team, each with a key result and an initiative
    serving it."""
    pillar = Pillar.objects.in_workspace(owner.workspace).first() or factories.make_pillar(
        owner, name="Core"
    )
    team = Team.objects.in_workspace(owner.workspace).first() or factories.make_team(
        owner, name="Core team"
    )
    team_set_members(team=team, members=[owner, editor], by=owner)
    cycle = factories.make_cycle(owner, name=f"Cycle {n}")
    roadmap = factories.make_roadmap(owner)
    for _ in range(n):
        objective = factories.make_objective(
            owner, cycle=cycle, pillar=pillar, team=team, owner=editor
        )
        kr = factories.make_key_result(owner, objective=objective)
        initiative = factories.make_initiative(owner, roadmap=roadmap, team=team, effort=Decimal(3))
        roadmaps.contribution_create(initiative=initiative, key_result=kr, by=owner)
    roadmaps.team_capacity_set(team=team, cycle=cycle, person_weeks=Decimal(4), by=owner)
    conflicts_detect(workspace=owner.workspace, today=datetime.date(2026, 11, 2))
    return pillar, team


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


@pytest.mark.parametrize("page", ["pillar", "team"])
def test_pillar_and_team_pages_show_the_plan_in_constant_queries(owner, editor, client_as, page):
    client = client_as(owner)
    pillar, team = _plan(owner, editor, 1)
    url = f"{STRATEGY}pillars/{pillar.pk}/" if page == "pillar" else f"{STRATEGY}teams/{team.pk}/"
    client.get(url)
    few, text = _queries(client, url)
    objective = Objective.objects.first()
    assert objective.title in text
    assert "Initiative" in text
    if page == "team":
        assert "person-weeks" in text
    _plan(owner, editor, 5)
    many, text = _queries(client, url)
    assert many == few
    assert text.count("/okrs/objectives/") >= 6


def test_the_first_initiative_starts_a_roadmap(editor, client_as):
    client = client_as(editor)
    url = "/w/acme-test/roadmap/initiatives/new/"
    assert "A new roadmap, “Roadmap”" in client.get(url).content.decode()
    form = {
        "title": "Guided setup",
        "roadmap": "",
        "status": "idea",
        "horizon": "later",
        "reach": "0",
        "effort": "0",
        "impact": "1",
        "confidence": "80",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert (initiative.title, initiative.roadmap.name) == ("Guided setup", "Roadmap")


def test_with_a_roadmap_choosing_none_is_refused(owner, client_as):
    factories.make_roadmap(owner, name="Platform")
    response = client_as(owner).post(
        "/w/acme-test/roadmap/initiatives/new/",
        {
            "title": "X",
            "roadmap": "",
            "status": "idea",
            "horizon": "later",
            "reach": "0",
            "effort": "0",
            "impact": "1",
            "confidence": "80",
        },
    )
    assert response.status_code in {200, 422}
    assert "This field is required." in response.content.decode()
    assert not Initiative.objects.exists()
