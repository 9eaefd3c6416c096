"""The OKRs of a cycle exported from the overview and from the API: progress and grades,
the chosen cycle and My OKRs' filter kept, a fixed number of queries."""

import csv
import datetime
import io
from decimal import Decimal

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.okrs.services import key_result_check_in, key_result_grade
from tests.factories import make_cycle, make_key_result, make_objective, make_team


def rows(response):
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@time_machine.travel(datetime.datetime(2026, 11, 15, 12, tzinfo=datetime.UTC))
def test_export_has_progress_grades_and_the_chosen_cycle(owner, editor, client_as):
    team = make_team(owner, name="Growth")
    cycle = make_cycle(owner, name="Q4")
    other = make_cycle(
        owner,
        name="Q1 next",
        state="planning",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 3, 31),
    )
    objective = make_objective(owner, cycle=cycle, title="-Grow", team=team)
    kr = make_key_result(owner, objective=objective, title="Signups", target_value=200)
    key_result_check_in(
        key_result=kr, value=Decimal(50), confidence=7, date=datetime.date(2026, 11, 15), by=owner
    )
    key_result_grade(key_result=kr, grade=Decimal("0.3"), by=owner)
    make_objective(owner, cycle=cycle, title="Nothing measured yet", owner=editor)
    make_objective(owner, cycle=other, title="Later")

    url = reverse("okr_export", kwargs={"workspace": owner.workspace.slug})
    found = rows(client_as(owner).get(url, {"cycle": cycle.pk}))
    assert [(r["Objective"], r["Key result"]) for r in found] == [
        ("'-Grow", "Signups"),
        ("Nothing measured yet", ""),
    ]
    assert found[0]["Progress %"] == "25"
    assert found[0]["Current"] == "50"
    assert found[0]["Confidence (0-10)"] == "7"
    assert found[0]["Grade"] == "0.3"
    assert found[0]["Team"] == "Growth"
    assert [r["Objective"] for r in rows(client_as(owner).get(url, {"cycle": other.pk}))] == [
        "Later"
    ]
    mine = rows(client_as(editor).get(url, {"cycle": cycle.pk, "mine": "1"}))
    assert [r["Objective"] for r in mine] == ["Nothing measured yet"]

    page = client_as(owner).get(reverse("okr_mine", kwargs={"workspace": owner.workspace.slug}))
    assert f"okrs/export/?cycle={cycle.pk}&amp;mine=1&amp;format=xlsx" in page.content.decode()

    api = f"/api/v1/workspaces/{owner.workspace.slug}/okrs/export"
    assert rows(client_as(owner).get(api)) == found  # the active cycle by default
    xlsx = client_as(owner).get(api, {"format": "xlsx", "cycle_id": other.pk})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_as(owner).get(api, {"cycle_id": 10**9}).status_code in (404, 422)


def test_export_reads_a_fixed_number_of_queries(owner, client_as):
    cycle = make_cycle(owner)
    url = reverse("okr_export", kwargs={"workspace": owner.workspace.slug})
    client = client_as(owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"cycle": cycle.pk, "format": "xlsx"}).status_code == 200
        return len(queries)

    make_key_result(owner, objective=make_objective(owner, cycle=cycle, team=make_team(owner)))
    few = count()
    for _ in range(5):
        objective = make_objective(owner, cycle=cycle, team=make_team(owner), owner=owner)
        make_key_result(owner, objective=objective, owner=owner)
        make_key_result(owner, objective=objective)
    assert count() == few
