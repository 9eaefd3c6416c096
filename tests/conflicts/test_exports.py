"""The conflict inbox and the decision log exported: the page's filters kept, the same from
the API, a title that looks like a formula defused, a fixed number of queries."""

import csv
import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.conflicts.services import conflict_record_decision
from tandem.roadmaps.services import initiative_update
from tests.factories import make_initiative, make_key_result


def rows(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_inbox_export_keeps_the_filters(conflicted, client_as, viewer):
    url = reverse("conflict_export", kwargs={"workspace": viewer.workspace.slug})
    everything = rows(client_as(viewer).get(url))
    assert {"Late delivery", "Unsupported key result"} <= {r["Rule"] for r in everything}
    late = rows(client_as(viewer).get(url, {"rule": "late_delivery"}))
    assert [r["Conflict"] for r in late] == [conflicted.late.sentence]
    assert late[0]["About"].startswith("Self-serve onboarding")
    assert late[0]["Teams"] == "Growth"
    assert late[0]["Cycle"] == "Q1 2026"


def test_inbox_page_links_its_export_with_its_filters(conflicted, client_as, viewer):
    page = client_as(viewer).get(
        reverse("conflict_list", kwargs={"workspace": viewer.workspace.slug}),
        {"rule": "late_delivery", "page": "1"},
    )
    html = page.content.decode()
    assert "conflicts/export/?rule=late_delivery&amp;format=xlsx" in html


def test_a_formula_in_a_title_reaches_the_sheet_as_text(conflicted, client_as, owner):
    initiative_update(initiative=conflicted.initiative, title="=HYPERLINK(1)", by=owner)
    from tandem.conflicts.detection import conflicts_detect

    conflicts_detect(workspace=owner.workspace)
    url = reverse("conflict_export", kwargs={"workspace": owner.workspace.slug})
    response = client_as(owner).get(url, {"rule": "late_delivery", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    about = [c.value for c in sheet[1]].index("About")
    assert sheet[2][about].value.startswith("'=HYPERLINK(1)")


def test_inbox_export_reads_a_fixed_number_of_queries(conflicted, client_as, owner):
    url = reverse("conflict_export", kwargs={"workspace": owner.workspace.slug})
    client = client_as(owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"status": "all"}).status_code == 200
        return len(queries)

    few = count()
    for n in range(6):
        make_key_result(owner, objective=conflicted.key_result.objective, title=f"Alone {n}")
        make_initiative(owner, title=f"Late {n}", team=conflicted.team)
    from tandem.conflicts.detection import conflicts_detect

    conflicts_detect(workspace=owner.workspace)
    assert count() == few


def test_decision_log_export(conflicted, client_as, owner, viewer):
    conflict_record_decision(
        conflict=conflicted.late,
        root_cause="estimation",
        decision="revise_roadmap",
        decision_note="+ship in two parts",
        by=owner,
    )
    url = reverse("decision_export", kwargs={"workspace": viewer.workspace.slug})
    found = rows(client_as(viewer).get(url, {"cycle": conflicted.cycle.pk}))
    assert len(found) == 1
    assert found[0]["Decision"] == "Revise the roadmap"
    assert found[0]["Decision note"] == "'+ship in two parts"
    assert found[0]["Decided by"] == owner.user.display_name
    page = client_as(viewer).get(
        reverse("decision_log", kwargs={"workspace": viewer.workspace.slug})
    )
    assert f"decisions/export/?cycle={conflicted.cycle.pk}&amp;format=csv" in page.content.decode()


def test_api_exports_the_same(conflicted, client_as, viewer, outsider):
    api = f"/api/v1/workspaces/{viewer.workspace.slug}"
    client = client_as(viewer)
    late = rows(client.get(f"{api}/conflicts/export", {"rule": "late_delivery"}))
    assert [r["Conflict"] for r in late] == [conflicted.late.sentence]
    xlsx = client.get(f"{api}/conflicts/export", {"format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    in_csv = rows(client.get(f"{api}/conflicts/export"))
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.max_row == 1 + len(in_csv)
    assert rows(client.get(f"{api}/decisions/export")) == []
    assert client.get(f"{api}/conflicts/export", {"format": "pdf"}).status_code == 422
    assert client_as(outsider).get(f"{api}/conflicts/export").status_code == 404
