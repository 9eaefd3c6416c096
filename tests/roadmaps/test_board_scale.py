"""Issue 15: a board of many lanes shows its first ones and lists the others, each a link to
the board filtered to it, so every card stays one click away; the cards it shows are whole."""

from django.urls import reverse

from tandem.roadmaps.views.board import LANE_WINDOW
from tests import factories


def test_lanes_past_the_first_are_listed_and_each_leads_to_its_cards(owner, client_as):
    roadmap = factories.make_roadmap(owner, name="Platform")
    teams = [factories.make_team(owner, name=f"Team {n:02}") for n in range(LANE_WINDOW + 2)]
    for team in teams:
        factories.make_initiative(
            owner, roadmap=roadmap, team=team, title=f"Work of {team.name}", status="planned"
        )
    client = client_as(owner)
    url = reverse("roadmap_board", kwargs={"workspace": owner.workspace.slug})
    html = client.get(url).content.decode()
    assert "Work of Team 00" in html and f"Work of Team {LANE_WINDOW - 1:02}" in html
    last = teams[-1]
    assert f"Work of {last.name}" not in html
    assert "2 more lanes" in html
    assert f'href="{url}?team={last.pk}"' in html
    filtered = client.get(url, {"team": last.pk}).content.decode()
    assert f"Work of {last.name}" in filtered
    # The card shown is whole: its team, status and the move menu's fields.
    assert f"{last.name}</span>" in filtered and "Planned" in filtered
    every = client.get(url, {"all": "1"}).content.decode()
    assert all(f"Work of {team.name}" in every for team in teams)
    assert "more lanes" not in every
