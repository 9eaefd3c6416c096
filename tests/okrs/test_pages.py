"""The OKR pages as people use them: write, check in, grade, link, and read the tree."""

import datetime
from decimal import Decimal

from django.urls import reverse

from tandem.activity.models import ChangeEvent
from tandem.okrs.models import CheckIn, Cycle, CycleState, GoalStatus, KeyResult, Objective
from tandem.okrs.services import key_result_check_in
from tandem.roadmaps.models import Contribution
from tests import factories


def url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def test_a_new_cycle_is_a_quarter_by_default(owner, client_as):
    html = client_as(owner).get(url("okr_cycles", owner.workspace)).content.decode()
    assert 'value="Q4 2026"' in html
    assert 'value="2026-10-01"' in html and 'value="2026-12-31"' in html


def test_plan_a_half_year_then_start_it(owner, client_as):
    client = client_as(owner)
    data = {"name": "H1 2027", "start": "2027-01-01", "end": "2027-06-30"}
    response = client.post(url("okr_cycles", owner.workspace), data)
    assert response.status_code == 302
    cycle = Cycle.objects.get()
    assert (cycle.state, cycle.end) == ("planning", datetime.date(2027, 6, 30))
    client.post(url("okr_cycle_activate", owner.workspace, cycle_id=cycle.pk))
    cycle.refresh_from_db()
    assert cycle.state == CycleState.ACTIVE
    html = client.get(url("okr_list", owner.workspace)).content.decode()
    assert "Current cycle" in html and "H1 2027" in html


def test_a_cycle_ending_before_it_starts_is_refused_on_the_end(owner, client_as):
    data = {"name": "Oops", "start": "2027-01-01", "end": "2026-12-01"}
    response = client_as(owner).post(url("okr_cycles", owner.workspace), data)
    assert response.status_code == 422
    assert "The end must come after the start." in response.content.decode()


def test_write_an_objective_then_its_key_results(owner, cycle, client_as):
    client = client_as(owner)
    team = factories.make_team(owner, name="Growth")
    pillar = factories.make_pillar(owner, name="Win mid-market")
    response = client.post(
        url("objective_create", owner.workspace) + f"?cycle={cycle.pk}",
        {
            "title": "Make onboarding effortless",
            "description": "Users **love** it",
            "commitment": "aspirational",
            "owner": owner.pk,
            "team": team.pk,
            "pillar": pillar.pk,
        },
    )
    objective = Objective.objects.get()
    assert response["Location"] == url(
        "key_result_create", owner.workspace, objective_id=objective.pk
    )
    assert (objective.team, objective.pillar, objective.commitment) == (
        team,
        pillar,
        "aspirational",
    )
    client.post(
        url("key_result_create", owner.workspace, objective_id=objective.pk),
        {
            "title": "Churn",
            "kind": "decrease",
            "unit": "percent",
            "start_value": "8",
            "target_value": "4",
            "weight": "2",
        },
    )
    client.post(
        url("key_result_create", owner.workspace, objective_id=objective.pk),
        {"title": "Launch the wizard", "kind": "milestone", "unit": "number", "weight": "1"},
    )
    html = client.get(
        url("objective_detail", owner.workspace, objective_id=objective.pk)
    ).content.decode()
    assert "<strong>love</strong>" in html
    assert "Churn" in html and "Decrease to 4%" in html
    assert "Milestone not done" in html


def test_an_impossible_key_result_is_refused_naming_the_field(owner, cycle, client_as):
    objective = factories.make_objective(owner, cycle=cycle)
    response = client_as(owner).post(
        url("key_result_create", owner.workspace, objective_id=objective.pk),
        {
            "title": "Grow",
            "kind": "increase",
            "unit": "number",
            "start_value": "10",
            "target_value": "10",
            "weight": "1",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_target_value_error"' in html
    assert "To increase, the target must be above the start." in html
    assert not KeyResult.objects.exists()


def test_a_parent_from_another_workspace_is_not_offered_nor_accepted(
    owner, outsider, cycle, client_as
):
    foreign = factories.make_objective(outsider, title="Globex secret")
    client = client_as(owner)
    page = client.get(url("objective_create", owner.workspace)).content.decode()
    assert "Globex secret" not in page
    response = client.post(
        url("objective_create", owner.workspace) + f"?cycle={cycle.pk}",
        {"title": "Ours", "commitment": "committed", "parent": foreign.pk},
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Objective.objects.filter(title="Ours").exists()


def test_quick_check_in_with_htmx_swaps_the_objective_card(owner, cycle, client_as):
    objective = factories.make_objective(owner, cycle=cycle, title="Grow revenue")
    kr = factories.make_key_result(
        owner, objective=objective, title="MRR", target_value=Decimal(100)
    )
    response = client_as(owner).post(
        url("key_result_check_in", owner.workspace, key_result_id=kr.pk),
        {"value": "60", "confidence": "4", "note": "Two deals slipped"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # the card alone, no layout
    assert html.lstrip().startswith(
        f'<article class="card objective" id="objective-{objective.pk}"'
    )
    assert "60%" in html and "At risk · 4/10" in html and "Checked in" in html
    kr.refresh_from_db()
    assert (kr.current_value, kr.confidence, kr.last_check_in) == (
        60,
        4,
        datetime.date(2026, 11, 15),
    )


def test_quick_check_in_errors_come_back_in_the_open_form(owner, cycle, client_as):
    kr = factories.make_key_result(owner, objective=factories.make_objective(owner, cycle=cycle))
    response = client_as(owner).post(
        url("key_result_check_in", owner.workspace, key_result_id=kr.pk),
        {"value": "lots", "confidence": "11"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert '<details class="quick-check-in" open>' in html
    assert "Enter a number." in html
    assert "less than or equal to 10" in html
    assert not CheckIn.objects.exists()


def test_check_in_on_an_archived_key_result_is_refused(owner, cycle, client_as):
    from tandem.okrs.services import key_result_archive

    kr = factories.make_key_result(owner, objective=factories.make_objective(owner, cycle=cycle))
    key_result_archive(key_result=kr, by=owner)
    response = client_as(owner).post(
        url("key_result_check_in", owner.workspace, key_result_id=kr.pk),
        {"value": "5", "confidence": "7"},
    )
    assert response.status_code == 422
    assert "archived" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_key_result_page_shows_history_chart_and_backdated_check_ins_in_order(
    owner, cycle, client_as
):
    kr = factories.make_key_result(owner, objective=factories.make_objective(owner, cycle=cycle))
    for day, value in [(datetime.date(2026, 11, 1), 40), (datetime.date(2026, 10, 15), 20)]:
        key_result_check_in(key_result=kr, value=Decimal(value), confidence=7, date=day, by=owner)
    html = (
        client_as(owner)
        .get(url("key_result_detail", owner.workspace, key_result_id=kr.pk))
        .content.decode()
    )
    assert "<svg" in html and 'class="chart-actual"' in html and 'class="chart-expected"' in html
    listing = html[html.index('id="history-check-ins"') :]
    assert listing.index("1 Nov 2026") < listing.index("15 Oct 2026")  # latest first
    assert "Now: 40" in html  # the latest by date, not the last entered


def test_link_an_initiative_from_the_key_result(owner, cycle, client_as):
    kr = factories.make_key_result(owner, objective=factories.make_objective(owner, cycle=cycle))
    initiative = factories.make_initiative(owner, title="Self-serve wizard")
    client = client_as(owner)
    response = client.post(
        url("key_result_link", owner.workspace, key_result_id=kr.pk),
        {"initiative": initiative.pk, "expected_impact": "+10 pts activation"},
    )
    assert response.status_code == 302
    assert Contribution.objects.get().initiative == initiative
    html = client.get(
        url("key_result_detail", owner.workspace, key_result_id=kr.pk)
    ).content.decode()
    assert "Self-serve wizard" in html and "+10 pts activation" in html


def test_editing_in_a_started_cycle_asks_why_and_shows_it_in_history(owner, cycle, client_as):
    objective = factories.make_objective(owner, cycle=cycle, title="Old title")
    client = client_as(owner)
    edit = url("objective_edit", owner.workspace, objective_id=objective.pk)
    assert 'name="reason"' in client.get(edit).content.decode()
    client.post(edit, {"title": "New title", "commitment": "committed", "reason": "Board asked"})
    event = ChangeEvent.objects.about(objective).filter(action="updated").get()
    assert event.reason == "Board asked"
    html = client.get(
        url("objective_detail", owner.workspace, objective_id=objective.pk)
    ).content.decode()
    assert "Board asked" in html and "<del>Old title</del> → New title" in html


def test_planning_cycle_edits_do_not_ask_why(owner, client_as):
    planning = factories.make_cycle(owner, state=CycleState.PLANNING)
    objective = factories.make_objective(owner, cycle=planning)
    html = (
        client_as(owner)
        .get(url("objective_edit", owner.workspace, objective_id=objective.pk))
        .content.decode()
    )
    assert 'name="reason"' not in html


def test_archive_an_objective_hides_it_from_the_overview(owner, cycle, client_as):
    objective = factories.make_objective(owner, cycle=cycle, title="Drop me")
    client = client_as(owner)
    client.post(
        url("objective_archive", owner.workspace, objective_id=objective.pk), {"reason": "merged"}
    )
    objective.refresh_from_db()
    assert objective.status == GoalStatus.ARCHIVED
    html = client.get(url("okr_list", owner.workspace)).content.decode()
    assert f'id="objective-{objective.pk}"' not in html
    assert f"No objectives in {cycle.name} yet." in html


def test_close_shows_the_grades_then_grades_and_closes(owner, cycle, client_as):
    objective = factories.make_objective(owner, cycle=cycle)
    kr = factories.make_key_result(owner, objective=objective, target_value=Decimal(100))
    key_result_check_in(
        key_result=kr, value=Decimal(66), confidence=6, date=datetime.date(2026, 11, 10), by=owner
    )
    client = client_as(owner)
    cycles_page = client.get(url("okr_cycles", owner.workspace)).content.decode()
    # Closing goes through the one retrospective page, which prefills the earned grade.
    close = url("cycle_close", owner.workspace, cycle_id=cycle.pk)
    assert f'href="{close}"' in cycles_page
    assert f'name="grade_{kr.pk}" id="grade_{kr.pk}" min="0" max="1" step="0.1" value="0.7"' in (
        client.get(close).content.decode()
    )
    client.post(close, {f"grade_{kr.pk}": "0.7", f"comment_{kr.pk}": "Quarter over"})
    kr.refresh_from_db()
    cycle.refresh_from_db()
    assert (cycle.state, kr.grade) == ("closed", Decimal("0.7"))
    # Closed: no more check-ins, but the grade can be revised.
    page = client.get(
        url("key_result_detail", owner.workspace, key_result_id=kr.pk)
    ).content.decode()
    assert "check-ins are over" in page and "Save grade" in page
    client.post(
        url("key_result_grade", owner.workspace, key_result_id=kr.pk),
        {"grade": "0.8", "comment": "Late deal"},
    )
    kr.refresh_from_db()
    assert kr.grade == Decimal("0.8")


def test_viewer_reads_but_gets_no_edit_controls(owner, viewer, cycle, client_as):
    factories.make_key_result(owner, objective=factories.make_objective(owner, cycle=cycle))
    html = client_as(viewer).get(url("okr_list", owner.workspace)).content.decode()
    assert "Check in" not in html and "New objective" not in html


def test_tree_rolls_team_objectives_up_to_the_company_objective_and_pillar(owner, cycle, client_as):
    pillar = factories.make_pillar(owner, name="Delight customers")
    team = factories.make_team(owner, name="Support")
    company = factories.make_objective(
        owner, cycle=cycle, title="Best support in SaaS", pillar=pillar
    )
    child = factories.make_objective(
        owner, cycle=cycle, title="Answer in an hour", parent=company, team=team
    )
    kr = factories.make_key_result(owner, objective=child, target_value=Decimal(100))
    key_result_check_in(
        key_result=kr, value=Decimal(50), confidence=8, date=datetime.date(2026, 11, 10), by=owner
    )
    html = client_as(owner).get(url("okr_tree", owner.workspace)).content.decode()
    assert (
        html.index("Delight customers")
        < html.index("Best support in SaaS")
        < html.index("Answer in an hour")
    )
    assert 'class="tree-row tree-depth-1"' in html
    # The company objective has no key results of its own: it shows its child's 50%.
    assert html.count('value="50"') >= 3  # pillar, company objective, team objective


def test_my_okrs_lists_what_i_own(owner, editor, cycle, client_as):
    factories.make_objective(owner, cycle=cycle, title="Owner's objective", owner=owner)
    theirs = factories.make_objective(owner, cycle=cycle, title="Shared objective", owner=owner)
    factories.make_key_result(owner, objective=theirs, owner=editor, title="Editor's KR")
    html = client_as(editor).get(url("okr_mine", owner.workspace)).content.decode()
    assert "Shared objective" in html and "Owner's objective" not in html
