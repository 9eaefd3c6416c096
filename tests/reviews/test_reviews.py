import datetime
from decimal import Decimal

import icalendar
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.activity.models import Notification
from tandem.activity.watching import watch_start
from tandem.okrs.models import CycleState, KeyResult
from tandem.okrs.services import cycle_set_state, key_result_update
from tandem.reviews import closing, export, services
from tandem.reviews.baselines import baseline_take, drift_points
from tandem.reviews.models import Baseline
from tests import factories

WHEN = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)


def _review(owner, **kw):
    return services.review_schedule(
        kind="okr_review",
        title="Q4 OKR review",
        scheduled_at=WHEN,
        attendees=[owner],
        by=owner,
        **kw,
    )


def test_a_review_needs_attendees(owner):
    with pytest.raises(ValidationError) as error:
        services.review_schedule(
            kind="okr_review", title="x", scheduled_at=WHEN, attendees=[], by=owner
        )
    assert error.value.message_dict == {"attendees": ["Invite at least one attendee."]}


def test_an_action_item_cannot_be_due_in_a_closed_cycle(owner):
    factories.make_cycle(
        owner,
        name="Q1",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 3, 31),
        state=CycleState.CLOSED,
    )
    with pytest.raises(ValidationError) as error:
        services.action_item_create(
            review=_review(owner), title="Follow up", due=datetime.date(2026, 2, 2), by=owner
        )
    assert "Q1, which is closed" in error.value.message_dict["due"][0]


def test_opening_builds_the_agenda_from_the_live_plan(owner):
    cycle = factories.make_cycle(owner)
    objective = factories.make_objective(owner, cycle=cycle, title="Grow")
    factories.make_key_result(owner, objective=objective, title="Reach 100 customers")
    review = _review(owner, cycle=cycle)
    services.review_open(review=review, by=owner)
    topics = review.agenda["key_results"]
    assert [t["title"] for t in topics] == ["Reach 100 customers"]
    assert "no check-in yet" in topics[0]["reasons"]


def test_a_decision_is_in_the_feed_and_the_minutes(owner, client_as):
    key_result = factories.make_key_result(owner, title="NPS 50")
    review = _review(owner)
    services.review_open(review=review, by=owner)
    services.decision_record(
        review=review, text="Lower the target to 40", subject=key_result, by=owner
    )
    feed = client_as(owner).get(f"/w/{owner.workspace.slug}/activity/").content.decode()
    assert "Lower the target to 40" in feed
    minutes = export.review_markdown(review)
    assert "- Lower the target to 40 (on NPS 50)" in minutes


@pytest.mark.django_db(transaction=True)
def test_watchers_are_notified_and_see_the_count(owner, editor, client_as):
    key_result = factories.make_key_result(owner, title="NPS 50")
    watch_start(obj=key_result, by=editor)
    key_result_update(key_result=key_result, by=owner, title="NPS 55", reason="Board ask")
    note = Notification.objects.for_member(editor).get()
    assert "NPS 55" in note.text and "Board ask" in note.text
    page = client_as(editor).get(f"/w/{owner.workspace.slug}/").content.decode()
    assert '<span class="notification-count">1' in page


def test_the_calendar_feed_is_a_valid_ics(owner, client):
    _review(owner, recurrence="weekly")
    _, token = export.calendar_feed_create(member=owner, scope="personal")
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    assert str(event["summary"]) == "Q4 OKR review"
    assert event["rrule"]["FREQ"] == ["WEEKLY"]
    assert client.get("/calendar/cal_wrong.ics").status_code == 404


@time_machine.travel(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC), tick=False)
def test_a_cycle_start_takes_a_baseline_and_drift_follows_changes(
    owner, django_capture_on_commit_callbacks
):
    cycle = factories.make_cycle(owner, state=CycleState.PLANNING)
    objective = factories.make_objective(owner, cycle=cycle)
    kr = factories.make_key_result(owner, objective=objective)
    factories.make_key_result(owner, objective=objective)
    with django_capture_on_commit_callbacks(execute=True):  # taken once the start commits
        cycle_set_state(cycle=cycle, state=CycleState.ACTIVE, by=owner)
    assert Baseline.objects.filter(cycle=cycle).count() == 1
    key_result_update(key_result=kr, by=owner, target_value=Decimal(200))
    today = timezone.localdate()  # the baseline's day too: "now" is that day's reading
    points = drift_points(cycle, today)
    assert points[-1] == (today, 0.5)  # one of two key results retargeted


def test_close_grades_and_carries_unfinished_work(owner):
    q4 = factories.make_cycle(owner, name="Q4")
    q1 = factories.make_cycle(
        owner,
        name="Q1",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 3, 31),
        state=CycleState.PLANNING,
    )
    objective = factories.make_objective(owner, cycle=q4, title="Grow")
    kr = factories.make_key_result(owner, objective=objective, title="Reach 100")
    key_result_update(key_result=kr, by=owner, current_value=Decimal(40))
    plan = closing.close_plan(q4)
    assert plan.key_results == [(kr, 0.4)] and plan.next_cycle == q1
    closed = closing.cycle_close(
        cycle=q4,
        grades={kr.pk: (Decimal("0.4"), "Slow start")},
        retrospective=closing.Lessons(
            went_well="Focus", went_badly="Hiring", try_next="Smaller bets"
        ),
        carry_over=True,
        by=owner,
    )
    assert (closed.objectives, closed.key_results, closed.initiatives) == (1, 1, 0)
    carried = KeyResult.objects.get(objective__cycle=q1)
    assert (carried.title, carried.start_value) == ("Reach 100", Decimal(40))
    kr.refresh_from_db()
    assert kr.grade == Decimal("0.4") and kr.grade_comment == "Slow start"
    q4.refresh_from_db()
    assert q4.state == CycleState.CLOSED and q4.retro.try_next == "Smaller bets"


def test_pages_render(owner, client_as):
    review = _review(owner)
    baseline_take(workspace=owner.workspace, by=owner, name="Today")
    client = client_as(owner)
    slug = owner.workspace.slug
    for url in [
        f"/w/{slug}/reviews/",
        f"/w/{slug}/reviews/{review.pk}/",
        f"/w/{slug}/reviews/baselines/",
        f"/w/{slug}/reviews/calendar/",
        f"/w/{slug}/notifications/",
        f"/w/{slug}/settings/webhooks/",
    ]:
        assert client.get(url).status_code == 200, url
