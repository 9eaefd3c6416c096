"""A scenario's writes carry its version: through the API an If-Match that is no longer
current is a 412 and writes nothing; on the page a form read before someone else's change
is refused with a message and the scenario as it is now."""

import pytest

from tandem.activity.models import ChangeEvent
from tandem.scenarios.models import Scenario, ScenarioEdit, ScenarioStatus
from tests.scenarios.test_scenarios import api, post


def _edit(small_plan):
    return {
        "action": "reschedule_initiative",
        "params": {"initiative_id": small_plan.late.pk, "end_date": "2026-03-31"},
    }


@pytest.fixture
def draft(small_plan, editor, client_as):
    client = client_as(editor)
    created = post(client, api(editor), {"name": "Finish onboarding in Q1"})
    assert created.status_code == 201
    assert created["ETag"] == '"1"'
    return created.json()


def test_each_scenario_write_honours_if_match(small_plan, draft, editor, client_as):
    client = client_as(editor)
    one = f"{api(editor)}/{draft['id']}"
    read = draft["version"]

    added = client.post(
        f"{one}/edits", _edit(small_plan), content_type="application/json",
        headers={"If-Match": f'"{read}"'},
    )  # fmt: skip
    assert added.status_code == 201, added.json()
    assert added["ETag"] == f'"{read + 1}"'
    assert client.get(one).json()["version"] == read + 1

    # Everything below was read at the old version: refused, nothing written.
    stale = {"If-Match": f'"{read}"'}
    events = ChangeEvent.objects.count()
    attempts = {
        "edit": client.post(
            f"{one}/edits", _edit(small_plan), content_type="application/json", headers=stale
        ),
        "withdraw": client.delete(f"{one}/edits/{added.json()['id']}", headers=stale),
        "rename": client.patch(
            one, {"name": "Plan B"}, content_type="application/json", headers=stale
        ),
        "apply": client.post(
            f"{one}/apply", {"reason": "Ship in Q1"}, content_type="application/json",
            headers=stale,
        ),
        "discard": client.delete(one, headers=stale),
    }  # fmt: skip
    for name, response in attempts.items():
        assert response.status_code == 412, name
        assert "changed since you read it" in response.json()["detail"], name
        assert response["ETag"] == f'"{read + 1}"', name
    assert ChangeEvent.objects.count() == events
    scenario = Scenario.objects.get(pk=draft["id"])
    assert (scenario.name, scenario.status, scenario.version) == (
        "Finish onboarding in Q1",
        ScenarioStatus.DRAFT,
        read + 1,
    )
    assert ScenarioEdit.objects.filter(scenario=scenario).count() == 1

    # With the current version each goes through.
    current = {"If-Match": f'"{read + 1}"'}
    renamed = client.patch(
        one, {"name": "Plan B"}, content_type="application/json", headers=current
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Plan B"
    assert renamed["ETag"] == f'"{read + 2}"'
    applied = client.post(
        f"{one}/apply", {"reason": "Ship in Q1"}, content_type="application/json",
        headers={"If-Match": f'"{read + 2}"'},
    )  # fmt: skip
    assert applied.status_code == 200, applied.json()
    assert applied.json()["status"] == "applied"


def test_a_page_form_read_before_another_change_is_refused(small_plan, draft, editor, client_as):
    client = client_as(editor)
    page = f"/w/{editor.workspace.slug}/scenarios/{draft['id']}/"
    shown = client.get(page).content.decode()
    assert 'name="version" value="1"' in shown
    # Someone else adds an edit meanwhile.
    post(client, f"{api(editor)}/{draft['id']}/edits", _edit(small_plan))

    discard = client.post(f"{page}discard/", {"version": "1"}, follow=True)
    assert "Someone else changed this scenario meanwhile" in discard.content.decode()
    assert Scenario.objects.get(pk=draft["id"]).status == ScenarioStatus.DRAFT

    apply = client.post(f"{page}apply/", {"reason": "Ship in Q1", "version": "1"})
    assert apply.status_code == 409
    assert "Someone else changed this scenario meanwhile" in apply.content.decode()
    assert Scenario.objects.get(pk=draft["id"]).status == ScenarioStatus.DRAFT

    fresh = client.post(f"{page}discard/", {"version": "2"}, follow=True)
    assert "Scenario discarded" in fresh.content.decode()
    assert Scenario.objects.get(pk=draft["id"]).status == ScenarioStatus.DISCARDED
