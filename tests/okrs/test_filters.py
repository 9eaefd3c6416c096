"""Issue 15: one filter definition for the objectives, read by the OKR pages (?cycle=,
?team=, ?pillar=, ?owner=, ?parent=) and by the API's list (?cycle_id=, ?team_id=, ...).
Both keep the same objectives; a malformed value is refused naming it on both doors."""

import pytest
from django.urls import reverse

from tandem.accounts.services import api_token_create
from tests import factories
from tests.api.conftest import Api

V1 = "/api/v1/workspaces/acme-test"


@pytest.fixture
def plan(owner, editor, cycle):
    core = factories.make_team(owner, name="Core")
    growth = factories.make_team(owner, name="Growth")
    pillar = factories.make_pillar(owner, name="Retention")
    parent = factories.make_objective(owner, cycle=cycle, title="Be the default", team=core)
    factories.make_objective(
        owner, cycle=cycle, title="Faster onboarding", team=core, pillar=pillar, owner=editor
    )
    factories.make_objective(
        owner, cycle=cycle, title="Win mid-market", team=growth, parent=parent, pillar=pillar
    )
    factories.make_objective(owner, cycle=cycle, title="Tidy the books")
    return {"core": core, "growth": growth, "pillar": pillar, "parent": parent}


def _page_titles(client, workspace, query) -> set[str]:
    response = client.get(reverse("okr_list", kwargs={"workspace": workspace.slug}), query)
    assert response.status_code == 200
    objectives = response.context["objectives"]
    return {o.title for o in objectives}


def _api_titles(owner, query) -> set[str]:
    _, raw = api_token_create(user=owner.user, name="script")
    response = Api(raw).get(f"{V1}/objectives", **query)
    assert response.status_code == 200
    return {o["title"] for o in response.json["items"]}


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ({}, {"Be the default", "Faster onboarding", "Win mid-market", "Tidy the books"}),
        ({"team": "core"}, {"Be the default", "Faster onboarding"}),
        ({"pillar": "pillar"}, {"Faster onboarding", "Win mid-market"}),
        ({"team": "growth", "pillar": "pillar"}, {"Win mid-market"}),
        ({"owner": "editor"}, {"Faster onboarding"}),
        ({"parent": "parent"}, {"Win mid-market"}),
    ],
)
def test_the_page_and_the_api_keep_the_same_objectives(
    owner, editor, cycle, client_as, plan, page, expected
):
    known = {"editor": editor, **plan}
    query = {name: known[value].pk for name, value in page.items()}
    query["cycle"] = cycle.pk
    assert _page_titles(client_as(owner), owner.workspace, query) == expected
    assert _api_titles(owner, {f"{name}_id": value for name, value in query.items()}) == expected


def test_a_team_heading_shows_that_teams_objectives_and_the_way_back(
    owner, editor, cycle, client_as, plan
):
    client = client_as(owner)
    page = reverse("okr_list", kwargs={"workspace": owner.workspace.slug})
    html = client.get(page).content.decode()
    link = f'href="?cycle={cycle.pk}&amp;team={plan["core"].pk}"'
    assert link in html and "Show every objective" not in html
    filtered = client.get(page, {"cycle": cycle.pk, "team": plan["core"].pk}).content.decode()
    assert "Win mid-market" not in filtered and "Faster onboarding" in filtered
    assert f'href="{page}?cycle={cycle.pk}">Show every objective of {cycle.name}' in filtered
    nothing = client.get(page, {"cycle": cycle.pk, "team": plan["growth"].pk, "owner": editor.pk})
    assert "No objective of" in nothing.content.decode()


@pytest.mark.parametrize(
    ("name", "value"),
    [("cycle", "abc"), ("team", "x"), ("pillar", "99999999999999999999"), ("owner", "0")],
)
def test_a_malformed_filter_is_refused_naming_it_on_the_pages_and_in_the_api(
    owner, client_as, plan, name, value
):
    client = client_as(owner)
    for page in ("okr_list", "okr_mine", "okr_tree"):
        answer = client.get(
            reverse(page, kwargs={"workspace": owner.workspace.slug}), {name: value}
        )
        assert answer.status_code == 422, page
        assert f"<code>{name}</code> is not valid" in answer.content.decode()
    _, raw = api_token_create(user=owner.user, name="script")
    refused = Api(raw).get(f"{V1}/objectives", **{f"{name}_id": value})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json["errors"]] == [f"{name}_id"]


def test_an_unknown_status_is_refused_by_the_api(owner, plan):
    _, raw = api_token_create(user=owner.user, name="script")
    refused = Api(raw).get(f"{V1}/objectives", status="finished")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json["errors"]] == ["status"]


def test_another_workspaces_cycle_is_not_found_on_the_page(owner, outsider, client_as, plan):
    theirs = factories.make_cycle(outsider)
    page = reverse("okr_list", kwargs={"workspace": owner.workspace.slug})
    assert client_as(owner).get(page, {"cycle": theirs.pk}).status_code == 404
