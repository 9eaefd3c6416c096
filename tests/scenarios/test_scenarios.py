"""Scenarios through the API and the pages: edits are checked and kept apart from the plan,
evaluated beside it, and applied as one change set, never over a plan that moved on."""

import datetime

import pytest

from tandem.activity.models import ChangeEvent
from tandem.conflicts.models import Conflict, ConflictStatus
from tandem.roadmaps.models import Dependency, Initiative
from tandem.roadmaps.services import initiative_update
from tandem.scenarios.models import Scenario, ScenarioChange, ScenarioStatus
from tests.factories import make_initiative

D = datetime.date


def api(member):
    return f"/api/v1/workspaces/{member.workspace.slug}/scenarios"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def errors(response):
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.fixture
def scenario(small_plan, editor, client_as):
    client = client_as(editor)
    created = post(client, api(editor), {"name": "Finish onboarding in Q1"})
    assert created.status_code == 201
    return created.json()


def test_edits_are_checked_by_field_and_leave_the_plan_alone(
    small_plan, scenario, editor, outsider, client_as
):
    client = client_as(editor)
    edits = f"{api(editor)}/{scenario['id']}/edits"
    late = small_plan.late
    backwards = post(
        client,
        edits,
        {
            "action": "reschedule_initiative",
            "params": {"initiative_id": late.pk, "end_date": "2025-12-01"},
        },
    )
    assert backwards.status_code == 422 and "end_date" in errors(backwards)
    theirs = make_initiative(outsider)
    foreign = post(
        client, edits, {"action": "drop_initiative", "params": {"initiative_id": theirs.pk}}
    )
    assert foreign.status_code == 422 and "initiative_id" in errors(foreign)
    first = post(
        client,
        edits,
        {
            "action": "add_dependency",
            "params": {"initiative_id": late.pk, "depends_on_id": small_plan.other.pk},
        },
    )
    assert first.status_code == 201
    loop = post(
        client,
        edits,
        {
            "action": "add_dependency",
            "params": {"initiative_id": small_plan.other.pk, "depends_on_id": late.pk},
        },
    )
    assert loop.status_code == 422 and "loop" in errors(loop)["depends_on_id"]
    fix = post(
        client,
        edits,
        {
            "action": "reschedule_initiative",
            "params": {"initiative_id": late.pk, "end_date": "2026-03-31"},
        },
    )
    assert fix.status_code == 201
    assert fix.json()["label"] == "Reschedule 'Self-serve onboarding': end 31 Mar 2026"
    assert Initiative.objects.get(pk=late.pk).end_date == D(2026, 4, 20)
    assert not Dependency.objects.filter(initiative=late).exists()


def test_evaluation_shows_conflicts_forecasts_and_capacity_side_by_side(
    small_plan, scenario, editor, client_as
):
    client = client_as(editor)
    one = f"{api(editor)}/{scenario['id']}"
    post(
        client,
        f"{one}/edits",
        {
            "action": "reschedule_initiative",
            "params": {"initiative_id": small_plan.late.pk, "end_date": "2026-03-31"},
        },
    )
    post(
        client,
        f"{one}/edits",
        {
            "action": "set_capacity",
            "params": {
                "team_id": small_plan.team.pk,
                "cycle_id": small_plan.cycle.pk,
                "person_weeks": 2,
            },
        },
    )
    evaluation = client.get(f"{one}/evaluation").json()
    assert [c["rule"] for c in evaluation["conflicts_closed"]] == ["late_delivery"]
    assert [c["rule"] for c in evaluation["conflicts_opened"]] == ["over_capacity"]
    [row] = [r for r in evaluation["capacity"] if r["team"] == "Growth" and r["cycle"] == "Q1 2026"]
    assert (row["capacity_before"], row["capacity_after"]) == (10, 2)
    assert row["over_after"] and not row["over_before"]
    assert row["load_after"] > row["load_before"]  # all of it now falls in Q1
    assert set(evaluation) >= {
        "conflicts_opened",
        "conflicts_closed",
        "forecasts_changed",
        "capacity",
    }


# Real commits: detection runs after the apply's commit, as in production.
@pytest.mark.django_db(transaction=True)
def test_apply_is_one_change_set_with_a_reason_and_one_detection(
    small_plan, scenario, editor, client_as
):
    client = client_as(editor)
    one = f"{api(editor)}/{scenario['id']}"
    post(
        client,
        f"{one}/edits",
        {
            "action": "reschedule_initiative",
            "params": {"initiative_id": small_plan.late.pk, "end_date": "2026-03-31"},
        },
    )
    post(
        client,
        f"{one}/edits",
        {
            "action": "move_initiative",
            "params": {"initiative_id": small_plan.other.pk, "horizon": "now"},
        },
    )
    no_reason = post(client, f"{one}/apply", {"reason": " "})
    assert no_reason.status_code == 422 and "reason" in errors(no_reason)
    applied = post(client, f"{one}/apply", {"reason": "Onboarding ships with Q1"})
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    late = Initiative.objects.get(pk=small_plan.late.pk)
    assert late.end_date == D(2026, 3, 31)
    assert Initiative.objects.get(pk=small_plan.other.pk).horizon == "now"
    linked = ChangeEvent.objects.filter(
        pk__in=ScenarioChange.objects.filter(scenario_id=scenario["id"]).values("change_event")
    )
    assert linked.count() == 2
    assert {e.reason for e in linked} == {
        "Scenario 'Finish onboarding in Q1': Onboarding ships with Q1"
    }
    # One transaction, so one outbox entry and one detection for the whole change set.
    assert len({e.batch for e in linked}) == 1
    late_conflict = Conflict.objects.get(rule="late_delivery")
    assert late_conflict.status == ConflictStatus.RESOLVED
    again = post(client, f"{one}/apply", {"reason": "Again"})
    assert again.status_code == 422 and "status" in errors(again)


def test_applying_over_a_changed_plan_shows_the_changes_and_asks_again(
    small_plan, scenario, editor, owner, client_as
):
    client = client_as(editor)
    one = f"{api(editor)}/{scenario['id']}"
    post(
        client,
        f"{one}/edits",
        {
            "action": "move_initiative",
            "params": {"initiative_id": small_plan.other.pk, "horizon": "now"},
        },
    )
    initiative_update(initiative=small_plan.other, title="Pricing page v2", by=owner)
    refused = post(client, f"{one}/apply", {"reason": "Go"})
    assert refused.status_code == 422
    message = errors(refused)["confirmed_through"]
    assert "The plan changed since this scenario was made (1 change)" in message
    assert Initiative.objects.get(pk=small_plan.other.pk).horizon == "next"
    latest = int(message.rsplit("confirmed_through=", 1)[1].rstrip("."))
    applied = post(client, f"{one}/apply", {"reason": "Go", "confirmed_through": latest})
    assert applied.status_code == 200
    assert Initiative.objects.get(pk=small_plan.other.pk).horizon == "now"


def test_viewers_read_and_comment_editors_write_and_discard(
    small_plan, scenario, viewer, editor, client_as
):
    one = f"{api(viewer)}/{scenario['id']}"
    reader = client_as(viewer)
    assert reader.get(one).status_code == 200
    assert reader.get(f"{one}/evaluation").status_code == 200
    assert post(reader, f"{one}/comments", {"body": "Looks right"}).status_code == 201
    refused = post(
        reader,
        f"{one}/edits",
        {"action": "drop_initiative", "params": {"initiative_id": small_plan.other.pk}},
    )
    assert refused.status_code == 403
    assert reader.delete(one).status_code == 403
    writer = client_as(editor)
    assert writer.delete(one).status_code == 204
    assert Scenario.objects.get(pk=scenario["id"]).status == ScenarioStatus.DISCARDED
    late = post(
        writer,
        f"{one}/edits",
        {"action": "drop_initiative", "params": {"initiative_id": small_plan.other.pk}},
    )
    assert late.status_code == 422 and "status" in errors(late)
    assert [c["body"] for c in reader.get(f"{one}/comments").json()["items"]] == ["Looks right"]


def test_pages_list_evaluate_apply_and_the_board_in_scenario_mode(
    small_plan, editor, owner, client_as
):
    client = client_as(editor)
    base = f"/w/{editor.workspace.slug}/scenarios/"
    created = client.post(base, {"name": "Bring pricing forward"})
    scenario = Scenario.objects.get()
    assert created.status_code == 302 and created.url == f"{base}{scenario.pk}/"
    assert "Bring pricing forward" in client.get(base).content.decode()
    # A move on the board in scenario mode changes the scenario, not the plan.
    board = f"/w/{editor.workspace.slug}/roadmap/?scenario={scenario.pk}"
    page = client.get(board).content.decode()
    assert "Scenario mode: Bring pricing forward" in page
    # A drag proposes the edit through the API; the Move menu posts to the scenario's edits.
    edits = f"/api/v1/workspaces/{editor.workspace.slug}/scenarios/{scenario.pk}/edits"
    assert f'data-drag-url="{edits}"' in page
    move_url = f"{base}{scenario.pk}/edits/"
    assert f'action="{move_url}"' in page
    moved = client.post(
        move_url,
        {
            "action": "move_initiative",
            "initiative_id": small_plan.other.pk,
            "horizon": "now",
            "next": f"{board}#initiative-{small_plan.other.pk}",
        },
    )
    assert moved.status_code == 302 and moved.url.endswith(f"#initiative-{small_plan.other.pk}")
    assert Initiative.objects.get(pk=small_plan.other.pk).horizon == "next"
    assert "Changed in this scenario" in client.get(board).content.decode()
    timeline = client.get(f"/w/{editor.workspace.slug}/roadmap/timeline/?scenario={scenario.pk}")
    assert "Scenario mode: Bring pricing forward" in timeline.content.decode()
    detail = client.get(f"{base}{scenario.pk}/").content.decode()
    assert "Move &#x27;Pricing page&#x27; to Now" in detail
    assert "Conflicts closed" in detail and "Capacity per team and cycle" in detail
    bad = client.post(
        f"{base}{scenario.pk}/edits/",
        {
            "action": "reschedule_initiative",
            "initiative_id": small_plan.late.pk,
            "end_date": "2025-01-01",
        },
    )
    assert (
        bad.status_code == 400 and "The end must be on or after the start." in bad.content.decode()
    )
    # Someone changes the plan meanwhile: applying shows the change and asks again.
    initiative_update(initiative=small_plan.late, title="Onboarding, self-serve", by=owner)
    asked = client.post(f"{base}{scenario.pk}/apply/", {"reason": "Pricing first"})
    assert asked.status_code == 409
    text = asked.content.decode()
    assert (
        "The plan changed since this scenario was made" in text
        and "I have seen the changes" in text
    )
    assert Initiative.objects.get(pk=small_plan.other.pk).horizon == "next"
    latest = ChangeEvent.objects.order_by("-pk").filter(content_type__app_label="roadmaps").first()
    done = client.post(
        f"{base}{scenario.pk}/apply/", {"reason": "Pricing first", "confirmed_through": latest.pk}
    )
    assert done.status_code == 302
    assert Initiative.objects.get(pk=small_plan.other.pk).horizon == "now"
    assert Scenario.objects.get().status == ScenarioStatus.APPLIED
    assert "Changes it made" in client.get(f"{base}{scenario.pk}/").content.decode()


def test_a_malformed_or_foreign_scenario_on_the_board_is_refused(small_plan, editor, client_as):
    client = client_as(editor)
    board = f"/w/{editor.workspace.slug}/roadmap/"
    assert client.get(f"{board}?scenario=abc").status_code == 422
    assert client.get(f"{board}?scenario=999999").status_code == 404
