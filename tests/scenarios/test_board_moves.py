"""A move on the board in scenario mode is an edit of the scenario, through the doors every
edit takes: a drag through the API's edits with If-Match, the Move menu (the keyboard, no
JavaScript) through the scenario page's edit form with the version the board showed. Stale
is refused on both (412 / a message on the board) and writes nothing; another workspace's
scenario or initiative is not reachable; the plan itself never moves."""

import pytest
from django.urls import NoReverseMatch, reverse

from tandem.roadmaps.models import Initiative
from tandem.scenarios.models import Scenario, ScenarioEdit
from tandem.scenarios.services import scenario_create
from tests.factories import make_initiative


def _move(initiative, horizon="now"):
    return {
        "action": "move_initiative",
        "params": {"initiative_id": initiative.pk, "horizon": horizon},
    }


@pytest.fixture
def draft(small_plan, editor):
    return scenario_create(name="Pricing first", by=editor)


def test_the_board_in_scenario_mode_offers_one_door_per_kind(small_plan, draft, editor, client_as):
    slug = editor.workspace.slug
    page = client_as(editor).get(f"/w/{slug}/roadmap/?scenario={draft.pk}").content.decode()
    edits = f"/api/v1/workspaces/{slug}/scenarios/{draft.pk}/edits"
    form = f"/w/{slug}/scenarios/{draft.pk}/edits/"
    assert f'data-drag-url="{edits}"' in page and f'action="{form}"' in page
    assert f'data-scenario-version="{draft.version}"' in page
    assert f'name="version" value="{draft.version}"' in page
    assert 'name="horizon" value="now"' in page and 'name="to"' not in page
    with pytest.raises(NoReverseMatch):
        reverse("scenario_move", kwargs={"workspace": slug, "scenario_id": 1, "initiative_id": 1})


def test_the_api_move_honours_if_match_and_the_workspace(
    small_plan, draft, editor, outsider, client_as
):
    client = client_as(editor)
    edits = f"/api/v1/workspaces/{editor.workspace.slug}/scenarios/{draft.pk}/edits"
    read = f'"{draft.version}"'
    moved = client.post(
        edits, _move(small_plan.other), content_type="application/json", headers={"If-Match": read}
    )
    assert moved.status_code == 201, moved.json()
    assert moved["ETag"] == f'"{draft.version + 1}"'
    assert moved.json()["label"] == "Move 'Pricing page' to Now"

    stale = client.post(
        edits, _move(small_plan.late), content_type="application/json", headers={"If-Match": read}
    )
    assert stale.status_code == 412
    assert ScenarioEdit.objects.filter(scenario=draft).count() == 1

    theirs = scenario_create(name="Theirs", by=outsider)
    foreign = f"/api/v1/workspaces/{editor.workspace.slug}/scenarios/{theirs.pk}/edits"
    assert (
        client.post(foreign, _move(small_plan.late), content_type="application/json").status_code
        == 404
    )
    their_initiative = make_initiative(outsider, title="Their work")
    refused = client.post(edits, _move(their_initiative), content_type="application/json")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["initiative_id"]
    assert ScenarioEdit.objects.filter(scenario=theirs).count() == 0
    assert Initiative.objects.get(pk=small_plan.other.pk).horizon == "next"


def test_the_move_menu_without_javascript(small_plan, draft, editor, outsider, client_as):
    client = client_as(editor)
    slug = editor.workspace.slug
    board = f"/w/{slug}/roadmap/?scenario={draft.pk}"
    form = f"/w/{slug}/scenarios/{draft.pk}/edits/"
    back = f"{board}#initiative-{small_plan.other.pk}"
    fields = {
        "action": "move_initiative",
        "initiative_id": small_plan.other.pk,
        "horizon": "now",
        "version": draft.version,
        "next": back,
    }
    moved = client.post(form, fields)
    assert moved.status_code == 302 and moved.url == back
    shown = client.get(board).content.decode()
    assert "Added to the scenario: Move &#x27;Pricing page&#x27; to Now." in shown
    assert "Changed in this scenario" in shown
    assert Initiative.objects.get(pk=small_plan.other.pk).horizon == "next"

    # The same form again, as the board showed it before that move: refused, on the board.
    again = client.post(form, {**fields, "initiative_id": small_plan.late.pk}, follow=True)
    assert again.redirect_chain == [(back, 302)]
    assert "Someone else changed this scenario meanwhile" in again.content.decode()
    assert ScenarioEdit.objects.filter(scenario=draft).count() == 1

    # A bad horizon or another workspace's initiative: said on the board by field, nothing added.
    now = Scenario.objects.get(pk=draft.pk).version
    bad = client.post(form, {**fields, "horizon": "someday", "version": now}, follow=True)
    assert bad.redirect_chain == [(back, 302)]
    assert "Horizon: Select a valid choice" in bad.content.decode()
    their_initiative = make_initiative(outsider, title="Their work")
    foreign = client.post(
        form, {**fields, "initiative_id": their_initiative.pk, "version": now}, follow=True
    )
    assert "Initiative: Select a valid choice" in foreign.content.decode()
    assert "Their work" not in foreign.content.decode()
    assert ScenarioEdit.objects.filter(scenario=draft).count() == 1

    # Another workspace's scenario is not found; a `next` elsewhere is not followed.
    theirs = scenario_create(name="Theirs", by=outsider)
    assert client.post(f"/w/{slug}/scenarios/{theirs.pk}/edits/", fields).status_code == 404
    offsite = client.post(form, {**fields, "version": now, "next": "https://evil.example/"})
    assert offsite.status_code == 302 and offsite.url.startswith(f"/w/{slug}/scenarios/{draft.pk}/")
