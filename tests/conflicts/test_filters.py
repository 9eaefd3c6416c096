"""One definition of the conflict list's filters (tandem.conflicts.selectors.ConflictFilters)
for the inbox, its export and the API's list: the same filter keeps the same conflicts
through each door; a hand-edited choice on the page is ignored, the API refuses it."""

import pytest

from tests.conflicts.test_views import url


def _page_ids(client, owner, **query):
    return [
        row["conflict"].pk
        for row in client.get(url("conflict_list", owner, **query)).context["rows"]
    ]


def _api_ids(client, owner, **query):
    answer = client.get(f"/api/v1/workspaces/{owner.workspace.slug}/conflicts", query)
    assert answer.status_code == 200, answer.json()
    return [item["id"] for item in answer.json()["items"]]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"rule": "late_delivery"},
        {"severity": "medium"},
        {"status": "all"},
        {"team": "team"},
        {"entity": "initiative"},
    ],
)
def test_the_inbox_and_the_api_keep_the_same_conflicts(conflicted, owner, client_as, query):
    client = client_as(owner)
    values = {
        "team": conflicted.team.pk,
        "initiative": f"initiative-{conflicted.late.subject[0][1]}",
    }
    page_query = {k: values.get(v, v) for k, v in query.items()}
    api_query = {("team_id" if k == "team" else k): v for k, v in page_query.items()}
    shown = _page_ids(client, owner, **page_query)
    assert shown == _api_ids(client, owner, **api_query)
    assert shown or query.get("severity")


def test_a_bad_choice_is_ignored_on_the_page_and_a_422_naming_it_in_the_api(
    conflicted, owner, client_as
):
    client = client_as(owner)
    assert _page_ids(client, owner, rule="nope") == _page_ids(client, owner)
    answer = client.get(f"/api/v1/workspaces/{owner.workspace.slug}/conflicts", {"rule": "nope"})
    assert answer.status_code == 422
    assert "rule" in str(answer.json())
