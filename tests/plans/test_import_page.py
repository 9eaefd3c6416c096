"""The Import page: upload, map, preview with row errors, confirm; templates to download."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.roadmaps.models import Initiative
from tests.plans.test_imports import FILES


def _url(member, name="import_page"):
    return reverse(name, kwargs={"workspace": member.workspace.slug})


def _post(client, member, format_name, file_name, data=None, **extra):
    upload = SimpleUploadedFile(file_name, data or (FILES / file_name).read_bytes())
    return client.post(_url(member), {"format": format_name, "file": upload, **extra})


def test_reachable_for_editors_not_viewers(plan, editor, viewer, client_as):
    page = client_as(editor).get(_url(editor))
    assert page.status_code == 200
    assert b"Jira issue search (CSV)" in page.content
    assert client_as(viewer).get(_url(viewer)).status_code == 403
    board = client_as(editor).get(
        reverse("roadmap_board", kwargs={"workspace": editor.workspace.slug})
    )
    assert _url(editor).encode() in board.content


def test_preview_maps_teams_then_imports(plan, client_as):
    client = client_as(plan)
    preview = _post(client, plan, "jira-csv", "jira-search.csv", action="preview")
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "3. Check the preview" in text
    assert 'name="team:Onboarding"' in text
    assert "Import 4 changes" in text
    assert not Initiative.objects.exists()
    done = _post(
        client,
        plan,
        "jira-csv",
        "jira-search.csv",
        action="import",
        roadmap="Product",
        **{"team:Onboarding": "Growth"},
    )
    assert "Imported." in done.content.decode()
    assert Initiative.objects.get(external_id="ACME-101").team.name == "Growth"
    again = _post(client, plan, "jira-csv", "jira-search.csv", action="preview")
    assert "Nothing to change" in again.content.decode()


def test_htmx_gets_the_outcome_only_with_row_errors(plan, client_as):
    client = client_as(plan)
    upload = SimpleUploadedFile("bad.csv", b"Objective,Colour\nGrow,red\n")
    response = client.post(
        _url(plan), {"format": "csv-okrs", "file": upload}, headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert "<html" not in text
    assert "Row 1, Colour:" in text and "Unknown column" in text
    assert 'name="column:Colour"' in text


def test_templates_download(plan, client_as):
    response = client_as(plan).get(_url(plan, "import_template") + "?kind=okrs&file_format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tandem-okrs.xlsx"'
    bad = client_as(plan).get(_url(plan, "import_template") + "?kind=secrets")
    assert bad.status_code == 422


def test_a_large_import_runs_on_the_queue_with_its_progress(plan, client_as, monkeypatch):
    from tandem.plans import runs
    from tandem.plans.models import PlanRun, RunState
    from tests.plans.test_plan_runs import work_off_the_queue

    monkeypatch.setattr(runs, "QUEUE_FROM_BYTES", 100)
    client = client_as(plan)
    extra = {"action": "import", "roadmap": "Product", "team:Onboarding": "Growth"}
    queued = _post(client, plan, "jira-csv", "jira-search.csv", **extra)
    run = PlanRun.objects.get()
    url = reverse("plan_run", kwargs={"workspace": plan.workspace.slug, "run_id": run.pk})
    assert queued.status_code == 302 and queued["Location"] == url
    assert not Initiative.objects.exists()
    assert "Waiting for the worker" in client.get(url).content.decode()

    work_off_the_queue()
    run.refresh_from_db()
    assert run.state == RunState.DONE, run.errors
    assert run.counts["created"] >= 4 and run.upload == b""
    assert Initiative.objects.get(external_id="ACME-101").team.name == "Growth"
    assert "Applied" in client.get(url).content.decode()
    # Through htmx the page is told where to go.
    again = client.post(
        _url(plan),
        {"format": "jira-csv", "file": SimpleUploadedFile("x.csv", b"Summary\n" + b"a\n" * 60)}
        | {"action": "import"},
        headers={"HX-Request": "true"},
    )
    assert again.headers["HX-Redirect"].startswith(url.rsplit("/", 2)[0])


def test_a_large_import_that_fails_names_the_row_and_writes_nothing(plan, client_as, monkeypatch):
    from tandem.plans import runs
    from tandem.plans.models import PlanRun, RunState
    from tests.plans.test_plan_runs import work_off_the_queue

    monkeypatch.setattr(runs, "QUEUE_FROM_BYTES", 10)
    data = b"ID,Title,Start,End\nA,Alpha,2027-02-01,2027-01-01\n"
    _post(client_as(plan), plan, "csv-initiatives", "bad.csv", data=data, action="import")
    work_off_the_queue()
    run = PlanRun.objects.get()
    assert run.state == RunState.FAILED
    assert {k: run.errors[0][k] for k in ("line", "unit", "where")} == {
        "line": 2,
        "unit": "row",
        "where": "End",
    }
    assert "end comes before the start" in run.errors[0]["message"]
    assert not Initiative.objects.exists()
