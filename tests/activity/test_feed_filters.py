"""The activity feed's one filter (FeedFilters), through both doors: the page (?entity=,
?team=) lists what the API lists with the same filter (?entity=, ?team_id=); a malformed
value or another workspace's object is refused naming the parameter on both, never a 500
and never the other workspace's changes."""

from django.urls import reverse

from tandem.okrs.services import key_result_update
from tests import factories
from tests.reviews.test_api import Api, fields


def _plan(owner):
    team = factories.make_team(owner, name="Growth")
    objective = factories.make_objective(owner, team=team, title="Grow")
    key_result = factories.make_key_result(owner, objective=objective, title="NPS 50")
    factories.make_initiative(owner, title="Unrelated")
    key_result_update(key_result=key_result, by=owner, title="NPS 55", reason="Board ask")
    return team, key_result


def test_the_page_and_the_api_filter_the_feed_alike(owner, client_as):
    team, key_result = _plan(owner)
    api = Api(owner)
    page = reverse("activity_feed", kwargs={"workspace": owner.workspace.slug})
    client = client_as(owner)

    one = client.get(page, {"entity": f"key_result-{key_result.pk}"})
    html = one.content.decode()
    assert one.status_code == 200 and "<h1>NPS 55</h1>" in html
    assert "Board ask" in html and "Unrelated" not in html
    in_api = api.get("/activity", entity=f"key_result-{key_result.pk}").json()
    assert in_api["count"] == 2 == html.count("<time")  # created, then edited

    of_team = client.get(page, {"team": team.pk}).content.decode()
    assert "<h1>Growth</h1>" in of_team and "Unrelated" not in of_team and "Grow" in of_team
    in_api = api.get("/activity", team_id=team.pk).json()
    assert {e["object_repr"] for e in in_api["items"]} >= {"Growth", "Grow", "NPS 55"}
    assert "Unrelated" not in {e["object_repr"] for e in in_api["items"]}
    # The same feed as the team's own page.
    own = client.get(
        reverse("activity_team", kwargs={"workspace": owner.workspace.slug, "team_id": team.pk})
    ).content.decode()
    assert own.count("<time") == of_team.count("<time")

    everything = client.get(page).content.decode()
    assert "Unrelated" in everything and "<h1>Activity</h1>" in everything


def test_bad_filters_are_refused_by_name_on_both_doors(owner, outsider, client_as):
    _plan(owner)
    theirs = factories.make_team(outsider, name="Their team")
    api = Api(owner)
    page = reverse("activity_feed", kwargs={"workspace": owner.workspace.slug})
    client = client_as(owner)
    cases = [
        ({"entity": "nonsense"}, {"entity": "nonsense"}, "entity"),
        ({"entity": "initiative-99999"}, {"entity": "initiative-99999"}, "entity"),
        ({"entity": f"team-{theirs.pk}"}, {"entity": f"team-{theirs.pk}"}, "entity"),
        ({"team": theirs.pk}, {"team_id": theirs.pk}, "team"),
        ({"team": "²"}, {"team_id": "²"}, "team"),
        ({"team": "0"}, {"team_id": "0"}, "team"),
    ]
    for on_page, on_api, name in cases:
        answer = client.get(page, on_page)
        html = answer.content.decode()
        assert answer.status_code == 422, on_page
        assert f"The parameter <code>{name}</code> is not valid" in html, on_page
        assert "Their team" not in html
        assert fields(api.get("/activity", **on_api)) == [name if name == "entity" else "team_id"]
    assert "No team with id" in client.get(page, {"team": theirs.pk}).content.decode()
    # An object of another workspace, named in the path, is not found.
    other = reverse(
        "activity_team", kwargs={"workspace": owner.workspace.slug, "team_id": theirs.pk}
    )
    assert client.get(other).status_code == 404
    # Nor is an id no object can have.
    for path in ["teams/0/", "initiatives/99999999999999999999999/"]:
        assert client.get(f"/w/{owner.workspace.slug}/activity/{path}").status_code == 404


def test_the_pager_keeps_the_filter(owner, client_as):
    _, key_result = _plan(owner)
    for n in range(60):
        key_result_update(key_result=key_result, by=owner, title=f"NPS {n}")
    page = reverse("activity_feed", kwargs={"workspace": owner.workspace.slug})
    html = client_as(owner).get(page, {"entity": f"key_result-{key_result.pk}"}).content.decode()
    assert f'href="?entity=key_result-{key_result.pk}&amp;page=2"' in html
    second = client_as(owner).get(page, {"entity": f"key_result-{key_result.pk}", "page": 2})
    assert "Page 2 of 2" in second.content.decode()
