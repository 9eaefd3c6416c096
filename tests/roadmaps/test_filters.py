"""One definition of the initiative filters (tandem.roadmaps.filters.InitiativeFilters) for
the board, its export and the API's list: the same filter keeps the same initiatives
through every door, and a bad value is refused naming the parameter, never a 500."""

import pytest
from django.urls import reverse

from tandem.roadmaps.services import contribution_create, insight_create, insight_update
from tests.factories import (
    make_initiative,
    make_key_result,
    make_objective,
    make_pillar,
    make_roadmap,
    make_team,
)


@pytest.fixture
def plan(owner):
    growth = make_team(owner, name="Growth")
    pillar = make_pillar(owner, name="Retention")
    objective = make_objective(owner, title="Keep them", pillar=pillar)
    key_result = make_key_result(owner, objective=objective, title="Churn")
    roadmap = make_roadmap(owner, name="Product")
    served = make_initiative(owner, roadmap=roadmap, title="Onboarding", team=growth, horizon="now")
    contribution_create(initiative=served, key_result=key_result, by=owner)
    make_initiative(owner, roadmap=roadmap, title="Billing", horizon="later")
    make_initiative(
        owner, roadmap=roadmap, title="Shipped", team=growth, status="done", horizon="now"
    )
    return {"team": growth.pk, "pillar": pillar.pk, "objective": objective.pk}


def _board_titles(client, workspace, query):
    page = client.get(reverse("roadmap_board", kwargs={"workspace": workspace.slug}), query)
    assert page.status_code == 200
    text = page.content.decode()
    return {t for t in ("Onboarding", "Billing", "Shipped") if f">{t}</a>" in text}


def _api_titles(client, workspace, query):
    url = f"/api/v1/workspaces/{workspace.slug}/initiatives"
    answer = client.get(url, query)
    assert answer.status_code == 200, answer.json()
    return {item["title"] for item in answer.json()["items"]}


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ({"team": "team"}, {"Onboarding"}),
        ({"pillar": "pillar"}, {"Onboarding"}),
        ({"objective": "objective"}, {"Onboarding"}),
        ({"status": "done"}, {"Shipped"}),
    ],
)
def test_the_board_and_the_api_keep_the_same_initiatives(
    owner, viewer, client_as, plan, page, expected
):
    client = client_as(viewer)
    query = {name: plan.get(value, value) for name, value in page.items()}
    api_query = {(n if n == "status" else f"{n}_id"): v for n, v in query.items()}
    assert _board_titles(client, owner.workspace, query) == expected
    # The API lists done and dropped work too unless a status is asked for; the board not.
    listed = _api_titles(client, owner.workspace, api_query)
    assert listed - ({"Shipped"} if "status" not in query else set()) == expected


def test_the_api_lists_done_work_unless_asked_and_filters_by_horizon(owner, client_as, plan):
    client = client_as(owner)
    assert _api_titles(client, owner.workspace, {}) == {"Onboarding", "Billing", "Shipped"}
    assert _api_titles(client, owner.workspace, {"horizon": "later"}) == {"Billing"}


@pytest.mark.parametrize(("name", "value"), [("team", "x"), ("pillar", "99999999999999999999")])
def test_a_malformed_id_is_refused_naming_it_on_the_page_and_in_the_api(
    owner, client_as, plan, name, value
):
    client = client_as(owner)
    board = reverse("roadmap_board", kwargs={"workspace": owner.workspace.slug})
    page = client.get(board, {name: value})
    assert page.status_code == 422
    assert f"<code>{name}</code> is not valid" in page.content.decode()
    assert client.get(f"{board}export/", {name: value}).status_code == 422
    answer = client.get(_api(owner), {f"{name}_id": value})
    assert answer.status_code == 422
    assert f"{name}_id" in str(answer.json())


def test_an_unknown_status_is_ignored_on_the_board_and_refused_by_the_api(owner, client_as, plan):
    client = client_as(owner)
    assert _board_titles(client, owner.workspace, {"status": "finished"}) == {
        "Onboarding",
        "Billing",
    }
    answer = client.get(_api(owner), {"status": "finished"})
    assert answer.status_code == 422
    assert "status" in str(answer.json())


def _api(owner):
    return f"/api/v1/workspaces/{owner.workspace.slug}/initiatives"


def test_insights_by_status_are_the_same_on_the_inbox_and_in_the_api(owner, client_as):
    wants = insight_create(title="Wants SSO", kind="customer_feedback", by=owner)
    old = insight_create(title="Wanted fax", kind="customer_feedback", by=owner)
    insight_update(insight=old, status="archived", by=owner)
    client = client_as(owner)
    inbox = reverse("insight_inbox", kwargs={"workspace": owner.workspace.slug})
    api = f"/api/v1/workspaces/{owner.workspace.slug}/insights"

    def shown(query):
        return [i.pk for i in client.get(inbox, query).context["insights"]]

    def listed(query):
        answer = client.get(api, query)
        assert answer.status_code == 200, answer.json()
        return [i["id"] for i in answer.json()["items"]]

    assert shown({"status": "archived"}) == listed({"status": "archived"}) == [old.pk]
    assert shown({}) == listed({"status": "new"}) == [wants.pk]
    # A hand-edited tab shows New; the API names what it refuses.
    assert shown({"status": "bogus"}) == [wants.pk]
    refused = client.get(api, {"status": "bogus"})
    assert refused.status_code == 422 and "status" in str(refused.json())
