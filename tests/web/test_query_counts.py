"""List pages load in a fixed number of queries, however many rows the plan has.

Each budget counts: the session and the user (2), the membership behind workspace_view (1),
the user's workspaces for the switcher (1), the active cycle for the header (1), the open
conflicts counted for the navigation (1), the unread notifications counted for the header
(1), and then what the page itself reads, listed
beside each number."""

import pytest
from django.urls import reverse

BUDGETS = {
    # objectives counted, key results (counted and judged fresh or stale), initiatives by
    # horizon, open insights, activity, the getting-started checklist, failing data sources
    "dashboard": 7 + 7,
    # cycles for the picker, objectives with team/owner/pillar/parent, their key results,
    # conflict badges, check-ins and live work for the forecasts, the cycle's lessons
    "okr_list": 7 + 7,
    # roadmaps, where the initiatives sit, the initiatives shown, the key results they
    # serve, evidence, blocked-by counts, conflict badges, teams, pillars, objectives for
    # the filters, done-or-dropped count
    "roadmap_board": 7 + 11,
    # the vision, pillars, teams with parents, their members with users
    "strategy": 7 + 4,
}


@pytest.mark.parametrize(("name", "budget"), BUDGETS.items())
def test_page_query_count_does_not_grow_with_rows(
    name, budget, plan, client_as, django_assert_num_queries
):
    client = client_as(plan.owner)
    url = reverse(name, kwargs={"workspace": plan.owner.workspace.slug})
    with django_assert_num_queries(budget):
        assert client.get(url).status_code == 200
    plan.grow(8)
    with django_assert_num_queries(budget):
        html = client.get(url).content.decode()
    assert "Team 010" in html or name == "dashboard"


def test_token_list_query_count_does_not_grow(owner, client_as, django_assert_num_queries):
    from tandem.accounts.services import api_token_create

    client = client_as(owner)
    url = reverse("token_list")
    # session, user, the user's workspaces for the switcher and the form's choice, the tokens
    with django_assert_num_queries(5):
        client.get(url)
    for n in range(10):
        api_token_create(user=owner.user, name=f"Script {n}")
    with django_assert_num_queries(5):
        client.get(url)
