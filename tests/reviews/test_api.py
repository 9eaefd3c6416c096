"""The reviews API: a review from scheduling to its Markdown minutes, decisions and action
items, baselines and their comparison; viewers refused, bad input naming the field."""

import datetime
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.accounts.services import api_token_create
from tandem.activity.models import ChangeEvent
from tandem.okrs.models import CycleState
from tandem.okrs.services import key_result_update
from tandem.reviews import services
from tandem.reviews.baselines import baseline_take
from tests import factories

WHEN = "2026-11-02T09:00:00Z"


class Api:
    def __init__(self, member):
        _, raw = api_token_create(user=member.user, name="script")
        self.client = Client(headers={"Authorization": f"Bearer {raw}"})
        self.base = f"/api/v1/workspaces/{member.workspace.slug}"

    def get(self, path, **params):
        return self.client.get(self.base + path, params)

    def send(self, method, path, body=None):
        return getattr(self.client, method)(
            self.base + path, data=json.dumps(body or {}), content_type="application/json"
        )


def rows():
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m.__module__.startswith("tandem.")
    }


def fields(response):
    assert response.status_code == 422, response.content
    return [e["field"] for e in response.json()["errors"]]


def test_a_review_from_schedule_to_minutes(owner, editor):
    cycle = factories.make_cycle(owner, name="Q4")
    objective = factories.make_objective(owner, cycle=cycle, title="Grow")
    key_result = factories.make_key_result(owner, objective=objective, title="Reach 100")
    api = Api(owner)
    created = api.send(
        "post",
        "/reviews",
        {
            "kind": "okr_review",
            "scheduled_at": WHEN,
            "cycle_id": cycle.pk,
            "attendee_ids": [owner.pk, editor.pk],
        },
    )
    assert created.status_code == 201, created.content
    review = created.json()
    assert (review["title"], review["status"]) == ("Quarterly OKR review", "scheduled")
    assert review["attendee_ids"] == sorted([owner.pk, editor.pk])
    one = f"/reviews/{review['id']}"

    opened = api.send("post", f"{one}/open").json()
    assert opened["status"] == "open"
    assert [kr["title"] for kr in opened["agenda"]["key_results"]] == ["Reach 100"]

    decision = api.send(
        "post", f"{one}/decisions", {"text": "Lower the bar", "key_result_id": key_result.pk}
    )
    assert decision.status_code == 201
    assert decision.json()["subject"] == {
        "kind": "key_result",
        "id": key_result.pk,
        "title": "Reach 100",
    }
    item = api.send(
        "post", f"{one}/action-items", {"title": "Call legal", "owner_id": editor.pk}
    ).json()
    assert item["done"] is False
    done = api.send("post", f"/action-items/{item['id']}/done", {"done": True}).json()
    assert done["done"] is True
    assert api.get(f"{one}/action-items").json()["items"][0]["done"] is True
    assert api.get(f"{one}/decisions").json()["count"] == 1

    notes = api.send("patch", one, {"notes": "We agreed to focus."}).json()
    assert notes["notes"] == "We agreed to focus."
    finished = api.send("post", f"{one}/finish").json()
    assert finished["status"] == "done"

    minutes = api.get(f"{one}/minutes")
    assert minutes["Content-Type"].startswith("text/markdown")
    text = minutes.content.decode()
    assert "# Quarterly OKR review" in text
    assert "- Lower the bar (on Reach 100)" in text
    assert "- [x] Call legal, Eddie Editor" in text
    assert "We agreed to focus." in text
    # The decision is on the key result's activity feed too.
    assert ChangeEvent.objects.about(key_result).filter(action="decision_recorded").exists()

    late = api.send("patch", one, {"notes": "Changed my mind"})
    assert fields(late) == ["review"]


def test_list_filters_by_kind_and_cycle(owner):
    cycle = factories.make_cycle(owner)
    for kind, in_cycle in [("okr_review", True), ("retrospective", True), ("okr_review", False)]:
        services.review_schedule(
            kind=kind,
            title=kind,
            scheduled_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC),
            attendees=[owner],
            cycle=cycle if in_cycle else None,
            by=owner,
        )
    api = Api(owner)
    assert api.get("/reviews").json()["count"] == 3
    assert api.get("/reviews", kind="okr_review").json()["count"] == 2
    assert api.get("/reviews", kind="okr_review", cycle_id=cycle.pk).json()["count"] == 1
    assert api.get("/reviews", status="done").json()["count"] == 0
    assert fields(api.get("/reviews", kind="lunch")) == ["kind"]
    assert fields(api.get("/reviews", cycle_id=99999)) == ["cycle_id"]


def test_bad_input_names_the_field_and_writes_nothing(owner, editor):
    factories.make_cycle(
        owner,
        name="Q1",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 3, 31),
        state=CycleState.CLOSED,
    )
    review = services.review_schedule(
        kind="okr_review", title="R", scheduled_at=datetime.datetime.now(datetime.UTC),
        attendees=[owner], by=owner,
    )  # fmt: skip
    api = Api(owner)
    before = rows()
    body = {"kind": "okr_review", "scheduled_at": WHEN, "attendee_ids": []}
    no_one = api.send("post", "/reviews", body)
    assert fields(no_one) == ["attendee_ids"]
    assert "at least one attendee" in no_one.json()["errors"][0]["message"]
    assert fields(api.send("post", "/reviews", {**body, "attendee_ids": [99999]})) == [
        "attendee_ids"
    ]
    closed = api.send(
        "post", f"/reviews/{review.pk}/action-items", {"title": "Follow up", "due": "2026-02-02"}
    )
    assert fields(closed) == ["due"]
    assert "Q1, which is closed" in closed.json()["errors"][0]["message"]
    two = api.send(
        "post",
        f"/reviews/{review.pk}/decisions",
        {"text": "x", "initiative_id": 1, "key_result_id": 1},
    )
    assert fields(two) == ["key_result_id"]
    assert fields(api.send("patch", f"/reviews/{review.pk}", {"attendee_ids": []})) == [
        "attendee_ids"
    ]
    assert rows() == before


def test_a_viewer_reads_but_cannot_write(owner, viewer):
    review = services.review_schedule(
        kind="okr_review", title="R", scheduled_at=datetime.datetime.now(datetime.UTC),
        attendees=[owner], by=owner,
    )  # fmt: skip
    item = services.action_item_create(review=review, title="Do it", by=owner)
    api = Api(viewer)
    assert api.get(f"/reviews/{review.pk}").status_code == 200
    assert api.get("/baselines").status_code == 200
    before = rows()
    writes = [
        ("post", "/reviews", {"kind": "okr_review", "scheduled_at": WHEN, "attendee_ids": []}),
        ("patch", f"/reviews/{review.pk}", {"title": "Mine"}),
        ("post", f"/reviews/{review.pk}/open", None),
        ("post", f"/reviews/{review.pk}/decisions", {"text": "No"}),
        ("post", f"/reviews/{review.pk}/action-items", {"title": "Mine"}),
        ("post", f"/action-items/{item.pk}/done", {"done": True}),
        ("post", "/baselines", {"name": "Mine"}),
    ]  # fmt: skip
    for method, path, body in writes:
        assert api.send(method, path, body).status_code == 403, path
    assert rows() == before


def test_baselines_take_list_and_compare(owner):
    cycle = factories.make_cycle(owner, name="Q4")
    objective = factories.make_objective(owner, cycle=cycle)
    key_result = factories.make_key_result(owner, objective=objective, title="NPS 50")
    api = Api(owner)
    taken = api.send("post", "/baselines", {"name": "Kick-off"})
    assert taken.status_code == 201
    first = taken.json()
    assert (first["name"], first["cycle_id"]) == ("Kick-off", cycle.pk)
    key_result_update(key_result=key_result, by=owner, target_value=Decimal(200))

    now = api.get(f"/baselines/{first['id']}/comparison").json()
    assert now["new"] == {"baseline_id": None, "label": "Now"}
    assert [(c["kind"], c["title"]) for c in now["key_results"]] == [("retargeted", "NPS 50")]
    assert now["total"] == 1

    second = api.send("post", "/baselines", {"name": "Later"}).json()
    between = api.get(
        f"/baselines/{first['id']}/comparison", to_id=second["id"], cycle_id=cycle.pk
    ).json()
    assert between["new"]["label"] == "Later" and between["cycle_id"] == cycle.pk
    assert between["key_results"][0]["detail"].startswith("target")
    same = api.get(f"/baselines/{second['id']}/comparison", to_id=second["id"]).json()
    assert same["total"] == 0
    assert [b["name"] for b in api.get("/baselines").json()["items"]] == ["Later", "Kick-off"]
    assert fields(api.get(f"/baselines/{first['id']}/comparison", to_id=99999)) == ["to_id"]


def _count_queries(api, path):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/reviews", "/action-items", "/baselines"])
def test_list_queries_do_not_grow_with_rows(owner, editor, path):
    api = Api(owner)

    def add(n):
        for i in range(n):
            review = services.review_schedule(
                kind="weekly_check_in",
                title=f"Week {i}",
                scheduled_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC),
                attendees=[owner, editor],
                by=owner,
            )
            services.action_item_create(review=review, title="x", owner=editor, by=owner)
            baseline_take(workspace=owner.workspace, by=owner)

    add(2)
    _count_queries(api, path)  # warm: the token's first use is written once
    few = _count_queries(api, path)
    add(10)
    assert _count_queries(api, path) == few


def test_closing_through_the_api_is_the_page_s_action(owner, editor):
    """One cycle_close: grades given, the rest from progress, a retrospective and the
    carry-over into the next cycle, as the close page does; an editor is refused."""
    q4 = factories.make_cycle(owner, name="Q4")
    q1 = factories.make_cycle(
        owner,
        name="Q1",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 3, 31),
        state=CycleState.PLANNING,
    )
    objective = factories.make_objective(owner, cycle=q4, title="Grow")
    slow = factories.make_key_result(owner, objective=objective, title="Reach 100")
    done = factories.make_key_result(owner, objective=objective, title="Ship it")
    key_result_update(key_result=slow, by=owner, current_value=Decimal(40))
    key_result_update(key_result=done, by=owner, current_value=Decimal(100))
    path = f"/cycles/{q4.pk}/close"
    assert Api(editor).send("post", path, {}).status_code == 403
    body = {
        "reason": "Quarter over",
        "grades": [{"key_result_id": slow.pk, "grade": "0.3", "comment": "Slow start"}],
        "retrospective": {"went_well": "Focus", "try_next": "Smaller bets"},
        "carry_over": True,
    }
    closed = Api(owner).send("post", path, body)
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed"
    assert closed.json()["carried_over"] == {"objectives": 1, "key_results": 1, "initiatives": 0}
    slow.refresh_from_db()
    done.refresh_from_db()
    assert (slow.grade, slow.grade_comment, done.grade) == (Decimal("0.3"), "Slow start", 1)
    q4.refresh_from_db()
    assert (q4.retro.went_well, q4.retro.went_badly) == ("Focus", "")
    assert q1.objectives.get().key_results.get().title == "Reach 100"


def test_closing_refuses_bad_grades_and_a_missing_next_cycle_changing_nothing(owner):
    q4 = factories.make_cycle(owner, name="Q4")
    kr = factories.make_key_result(owner, objective=factories.make_objective(owner, cycle=q4))
    other = factories.make_key_result(owner)  # another cycle's
    api = Api(owner)
    before = rows()
    for body, field in [
        ({"grades": [{"key_result_id": kr.pk, "grade": "1.5"}]}, "grades.0.grade"),
        ({"grades": [{"key_result_id": other.pk, "grade": "0.5"}]}, "grades"),
        ({"carry_over": True}, "carry_over"),
    ]:
        refused = api.send("post", f"/cycles/{q4.pk}/close", body)
        assert refused.status_code == 422, body
        assert refused.json()["errors"][0]["field"] == field, refused.json()
    assert rows() == before
    q4.refresh_from_db()
    assert q4.state == CycleState.ACTIVE
