"""Initiatives exported with the board's filters, RICE scores and contributions, from the
page and the API, in a fixed number of queries."""

import csv
import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.roadmaps.services import contribution_create
from tests.factories import (
    make_initiative,
    make_key_result,
    make_objective,
    make_pillar,
    make_roadmap,
    make_team,
)


def rows(response):
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_export_keeps_the_board_filters(owner, viewer, client_as, outsider):
    growth, core = make_team(owner, name="Growth"), make_team(owner, name="Core")
    pillar = make_pillar(owner, name="Retention")
    kr = make_key_result(
        owner, objective=make_objective(owner, title="Keep them", pillar=pillar), title="Churn"
    )
    roadmap = make_roadmap(owner, name="Product")
    served = make_initiative(
        owner,
        roadmap=roadmap,
        title="@Onboarding",
        team=growth,
        reach=1000,
        impact=Decimal(2),
        confidence=50,
        effort=Decimal(4),
    )
    contribution_create(initiative=served, key_result=kr, expected_delta=Decimal(5), by=owner)
    make_initiative(owner, roadmap=roadmap, title="Billing", team=core)
    make_initiative(owner, roadmap=roadmap, title="Shipped", team=growth, status="done")

    url = reverse("initiative_export", kwargs={"workspace": owner.workspace.slug})
    everything = rows(client_as(viewer).get(url))
    assert sorted(r["Initiative"] for r in everything) == ["'@Onboarding", "Billing"]
    found = rows(client_as(viewer).get(url, {"team": growth.pk}))
    assert [r["Initiative"] for r in found] == ["'@Onboarding"]
    assert found[0]["RICE score"] == "250.0"
    assert found[0]["Contributions"] == "Churn (Keep them): +5"
    assert found[0]["Key results served"] == "1"
    assert [r["Initiative"] for r in rows(client_as(viewer).get(url, {"pillar": pillar.pk}))] == [
        "'@Onboarding"
    ]
    assert [r["Initiative"] for r in rows(client_as(viewer).get(url, {"status": "done"}))] == [
        "Shipped"
    ]

    board = client_as(viewer).get(
        reverse("roadmap_board", kwargs={"workspace": owner.workspace.slug}),
        {"team": growth.pk, "lanes": "pillar"},
    )
    assert f"roadmap/export/?team={growth.pk}&amp;format=csv" in board.content.decode()

    api = f"/api/v1/workspaces/{owner.workspace.slug}/initiatives/export"
    assert rows(client_as(viewer).get(api, {"team_id": growth.pk})) == found
    assert rows(client_as(viewer).get(api, {"status": "done"}))[0]["Initiative"] == "Shipped"
    foreign = make_team(outsider, name="Theirs")
    refused = client_as(viewer).get(api, {"team_id": foreign.pk})
    assert refused.status_code in (404, 422)


def test_export_reads_a_fixed_number_of_queries(owner, client_as):
    url = reverse("initiative_export", kwargs={"workspace": owner.workspace.slug})
    client = client_as(owner)
    kr = make_key_result(owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"format": "xlsx"}).status_code == 200
        return len(queries)

    make_initiative(owner, team=make_team(owner))
    few = count()
    for _ in range(6):
        initiative = make_initiative(owner, team=make_team(owner))
        contribution_create(initiative=initiative, key_result=kr, by=owner)
    assert count() == few
