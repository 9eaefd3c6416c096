"""Issue 14 item 7: an initiative created from an insight (page and API, one service), the
duplicate warning for similar titles (a warning, never a refusal), and linking a key result
with nothing preselected and the current cycle's key results first."""

import datetime
import re

import pytest
from django.urls import reverse

from tandem.domain.similar import likeness, similar
from tandem.okrs.models import CycleState
from tandem.roadmaps.models import Initiative
from tandem.roadmaps.services import insight_create
from tests import factories
from tests.reviews.test_api import Api, rows


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        ("Checkout revamp", "Revamp the checkout", True),
        ("SSO for enterprise", "Enterprise SSO", True),
        ("Improve onboarding emails", "Onboarding email improvements", True),
        ("Dark theme", "Billing export", False),
        ("Faster search", "Search speed", False),
    ],
)
def test_titles_alike_ignore_order_case_small_words_and_plurals(a, b, alike):
    assert (likeness(a, b) >= 0.5) is alike
    assert likeness(a, b) == likeness(b, a)


def test_similar_ranks_the_most_alike_first_and_ignores_empty_titles():
    found = similar("Checkout revamp", [(1, "Checkout revamp v2"), (2, "Revamp checkout")])
    assert [m.id for m in found] == [2, 1]
    assert similar("the", [(1, "The")]) == []


def _insight(owner, **fields):
    return insight_create(
        title="Customers want to pay by invoice",
        kind="customer_feedback",
        text="Three enterprise prospects asked.",
        customer="Globex",
        by=owner,
        **fields,
    )


def test_create_initiative_from_an_insight_prefills_and_links_it(owner, client_as):
    roadmap = factories.make_roadmap(owner)
    insight = _insight(owner)
    client = client_as(owner)
    slug = owner.workspace.slug
    inbox = client.get(reverse("insight_inbox", kwargs={"workspace": slug})).content.decode()
    start = reverse("initiative_create", kwargs={"workspace": slug}) + f"?insight={insight.pk}"
    assert f'href="{start}"' in inbox and "Create initiative from this" in inbox
    form = client.get(start).content.decode()
    assert 'value="Customers want to pay by invoice"' in form
    assert "From the insight “Customers want to pay by invoice” (Globex)." in form
    created = client.post(
        start,
        {
            "insight": insight.pk,
            "title": "Pay by invoice",
            "roadmap": roadmap.pk,
            "status": "idea",
            "horizon": "later",
            "effort": "2",
            "reach": "10",
            "impact": "1",
            "confidence": "80",
        },
        follow=True,
    )
    assert "with “Customers want to pay by invoice” as its evidence" in created.content.decode()
    initiative = Initiative.objects.get(title="Pay by invoice")
    assert list(initiative.insights.all()) == [insight]


def test_the_api_creates_from_an_insight_and_refuses_another_workspace_s(owner, outsider):
    roadmap = factories.make_roadmap(owner)
    insight = _insight(owner)
    theirs = insight_create(title="Theirs", kind="customer_feedback", by=outsider)
    body = {"roadmap_id": roadmap.pk, "title": "Pay by invoice"}
    api = Api(owner)
    before = rows()
    assert api.send("post", f"/insights/{theirs.pk}/initiatives", body).status_code == 404
    assert rows() == before
    made = api.send("post", f"/insights/{insight.pk}/initiatives", body)
    assert made.status_code == 201, made.content
    insight.refresh_from_db()
    assert [i.pk for i in insight.initiatives.all()] == [made.json()["id"]]


def test_similar_titles_warn_without_blocking(owner, client_as):
    roadmap = factories.make_roadmap(owner)
    factories.make_initiative(owner, roadmap=roadmap, title="Revamp the checkout")
    client = client_as(owner)
    slug = owner.workspace.slug
    created = client.post(
        reverse("initiative_create", kwargs={"workspace": slug}),
        {
            "title": "Checkout revamp",
            "roadmap": roadmap.pk,
            "status": "idea",
            "horizon": "later",
            "effort": "2",
            "reach": "10",
            "impact": "1",
            "confidence": "80",
        },
        follow=True,
    )
    html = created.content.decode()
    assert Initiative.objects.filter(title="Checkout revamp").exists()
    assert "Similar initiative already exists: “Revamp the checkout”." in html
    found = Api(owner).get("/initiatives/similar", title="checkout REVAMPS").json()
    assert [m["title"] for m in found] == ["Checkout revamp", "Revamp the checkout"]
    assert found[0]["score"] == 1.0


def test_similar_objectives_warn_in_their_cycle(owner, client_as):
    cycle = factories.make_cycle(owner)
    factories.make_objective(owner, cycle=cycle, title="Delight enterprise customers")
    client = client_as(owner)
    url = reverse("objective_create", kwargs={"workspace": owner.workspace.slug})
    created = client.post(
        url + f"?cycle={cycle.pk}",
        {"title": "Delight our enterprise customer", "commitment": "committed", "cycle": cycle.pk},
        follow=True,
    )
    assert "Similar objective already exists: “Delight enterprise customers”." in (
        created.content.decode()
    )
    found = Api(owner).get("/objectives/similar", title="Enterprise customers delight").json()
    assert len(found) == 2


def test_link_a_key_result_preselects_nothing_and_lists_the_current_cycle_first(owner, client_as):
    current = factories.make_cycle(owner, name="Q4 2026")
    upcoming = factories.make_cycle(
        owner,
        name="Q1 2027",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 3, 31),
        state=CycleState.PLANNING,
    )
    later = factories.make_key_result(
        owner, objective=factories.make_objective(owner, cycle=upcoming), title="Next quarter KR"
    )
    now = factories.make_key_result(
        owner, objective=factories.make_objective(owner, cycle=current), title="This quarter KR"
    )
    initiative = factories.make_initiative(owner)
    url = reverse(
        "contribution_create",
        kwargs={"workspace": owner.workspace.slug, "initiative_id": initiative.pk},
    )
    html = client_as(owner).get(url).content.decode()
    choices = html.split('name="key_result"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\d*)" selected', choices) == [""]
    groups = re.findall(r'<optgroup label="([^"]+)"', html)
    assert groups == ["Q4 2026 (current)", "Q1 2027 (planning)"]
    assert html.index(f'value="{now.pk}"') < html.index(f'value="{later.pk}"')
    refused = client_as(owner).post(url, {"key_result": ""})
    assert "Choose the key result this initiative serves." in refused.content.decode()
