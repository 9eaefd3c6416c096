"""The decision log's one filter (DecisionFilters), through every door: the page and its
export (?cycle=) and the API's export (?cycle_id=) show the same cycle's decisions; a
malformed cycle or another workspace's is refused naming the parameter, never a 500 and
never the other workspace's log."""

import csv
import datetime
import io

from django.urls import reverse

from tandem.conflicts.services import conflict_record_decision
from tandem.okrs.models import CycleState
from tests.factories import make_cycle
from tests.reviews.test_api import Api, fields

D = datetime.date


def _rows(response):
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_page_export_and_api_show_the_cycle_asked_for(conflicted, owner, viewer, client_as):
    conflict_record_decision(
        conflict=conflicted.late, root_cause="estimation", decision="revise_roadmap", by=owner
    )
    later = make_cycle(
        owner, name="Q2 2026", start=D(2026, 4, 1), end=D(2026, 6, 30), state=CycleState.PLANNING
    )
    slug = viewer.workspace.slug
    client = client_as(viewer)
    log = reverse("decision_log", kwargs={"workspace": slug})
    export = reverse("decision_export", kwargs={"workspace": slug})
    api = Api(viewer)

    # Nothing asked: the active cycle, on every door.
    html = client.get(log).content.decode()
    assert "Decision log · Q1 2026" in html and "Revise the roadmap" in html
    assert len(_rows(client.get(export))) == 1
    assert len(_rows(api.get("/decisions/export"))) == 1

    # Another cycle asked for: its (empty) log, on every door, and the export link keeps it.
    html = client.get(log, {"cycle": later.pk}).content.decode()
    assert "Decision log · Q2 2026" in html and "Revise the roadmap" not in html
    assert f"decisions/export/?cycle={later.pk}&amp;format=csv" in html
    assert _rows(client.get(export, {"cycle": later.pk})) == []
    assert _rows(api.get("/decisions/export", cycle_id=later.pk)) == []
    assert len(_rows(api.get("/decisions/export", cycle_id=conflicted.cycle.pk))) == 1


def test_bad_cycles_are_refused_by_name_on_every_door(conflicted, owner, outsider, client_as):
    conflict_record_decision(
        conflict=conflicted.late, root_cause="estimation", decision="revise_roadmap", by=owner
    )
    theirs = make_cycle(outsider, name="Their quarter")
    slug = owner.workspace.slug
    client = client_as(owner)
    api = Api(owner)
    for bad in [theirs.pk, "x", "0", "²", "99999999999999999999999"]:
        for name in ["decision_log", "decision_export"]:
            answer = client.get(reverse(name, kwargs={"workspace": slug}), {"cycle": bad})
            html = answer.content.decode()
            assert answer.status_code == 422, (name, bad)
            assert "The parameter <code>cycle</code> is not valid" in html
            assert "Their quarter" not in html
        assert fields(api.get("/decisions/export", cycle_id=bad)) == ["cycle_id"]
    page = client.get(reverse("decision_log", kwargs={"workspace": slug}), {"cycle": theirs.pk})
    assert f"No cycle with id {theirs.pk} in this workspace." in page.content.decode()
