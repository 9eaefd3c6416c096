"""Plan files applied on the task queue: the API answers 202 with a status URL for a large
apply, the page previews or applies an upload and shows its progress until the summary; a
failed run names the file's lines and writes nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tandem.okrs.models import Objective
from tandem.plans import runs
from tandem.plans.models import PlanRun, RunState
from tests.plans.test_plan_api import _client, _post
from tests.plans.test_plan_files import PLAN


def work_off_the_queue() -> None:
    """What `tandem worker` does, in the test's thread."""
    for queued in DBTaskResult.objects.filter(task_path="tandem.plans.runs.run_plan"):
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
        queued.delete()


def plan_rows(rows):
    return {k: v for k, v in rows().items() if k != "plans.PlanRun"}


def test_a_large_apply_answers_202_and_its_status_url_tells_the_outcome(owner, monkeypatch, rows):
    monkeypatch.setattr(runs, "QUEUE_FROM_BYTES", 100)
    client = _client(owner)
    assert _post(client, PLAN, dry_run="true").status_code == 200  # dry runs answer at once
    queued = _post(client, PLAN, dry_run="false", reason="Q4 planning")
    assert queued.status_code == 202, queued.content
    body = queued.json()
    assert body["state"] == "queued" and queued["Location"] == body["status_url"]
    assert not Objective.objects.exists()

    work_off_the_queue()
    done = client.get(body["status_url"])
    assert done.status_code == 200
    assert done.json()["state"] == "done"
    assert done.json()["counts"]["created"] == 12
    assert done.json()["step"] == done.json()["steps"] == 3
    assert Objective.objects.get().title == "Activate new teams in their first week"
    assert PlanRun.objects.get().document == ""  # the file is not kept once applied


def test_a_failed_run_names_the_line_and_writes_nothing(owner, monkeypatch, rows):
    monkeypatch.setattr(runs, "QUEUE_FROM_BYTES", 100)
    client = _client(owner)
    before = plan_rows(rows)
    queued = _post(client, PLAN.replace("pillar: adoption", "pillar: nope"), dry_run="false")
    assert queued.status_code == 202
    work_off_the_queue()
    failed = client.get(queued.json()["status_url"]).json()
    assert failed["state"] == "failed"
    assert failed["errors"] == [
        {
            "line": 24,
            "where": "objectives[0].pillar",
            "message": "No pillar has the key 'nope' in this file.",
        }
    ]
    assert plan_rows(rows) == before


def test_a_service_refusal_in_the_worker_rolls_everything_back(owner, editor, monkeypatch, rows):
    monkeypatch.setattr(runs, "QUEUE_FROM_BYTES", 100)
    client = _client(editor)
    before = plan_rows(rows)
    queued = _post(client, PLAN, dry_run="false")  # the vision needs an admin
    work_off_the_queue()
    failed = PlanRun.objects.get(pk=queued.json()["id"])
    assert failed.state == RunState.FAILED
    assert "admin role" in failed.errors[0]["message"]
    assert plan_rows(rows) == before


def test_the_page_previews_then_applies_with_a_progress_bar(owner, client_as):
    client = client_as(owner)
    page = reverse("plan_page", kwargs={"workspace": owner.workspace.slug})
    upload = SimpleUploadedFile("plan.yaml", PLAN.encode(), content_type="application/yaml")
    response = client.post(page, {"file": upload, "reason": "Q4", "action": "preview"})
    run = PlanRun.objects.get()
    assert response.url == reverse(
        "plan_run", kwargs={"workspace": owner.workspace.slug, "run_id": run.pk}
    )
    waiting = client.get(response.url).content.decode()
    assert "Waiting for the worker" in waiting and 'hx-trigger="every 1s"' in waiting
    assert '<progress class="meter" max="3" value="0"' in waiting

    work_off_the_queue()
    preview = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in preview  # finished: the polling stops
    assert "What applying it would do" in preview and "Nothing was written" in preview
    assert not Objective.objects.exists()

    applied = client.post(
        reverse("plan_run_apply", kwargs={"workspace": owner.workspace.slug, "run_id": run.pk})
    )
    work_off_the_queue()
    assert "Applied" in client.get(applied.url).content.decode()
    assert Objective.objects.count() == 1
    listing = client.get(page).content.decode()
    assert listing.count("Preview") >= 2 and ">Done<" in listing


def test_a_viewer_downloads_the_file_but_cannot_upload(owner, viewer, client_as):
    client = client_as(viewer)
    page = reverse("plan_page", kwargs={"workspace": owner.workspace.slug})
    assert "Apply a plan file" not in client.get(page).content.decode()
    upload = SimpleUploadedFile("plan.yaml", PLAN.encode())
    assert client.post(page, {"file": upload, "action": "apply"}).status_code == 403
    assert not PlanRun.objects.exists()
    download = client.get(reverse("plan_download", kwargs={"workspace": owner.workspace.slug}))
    assert download["Content-Disposition"].endswith('-plan.yaml"')


def test_a_file_over_the_limit_is_refused_on_upload(owner, client_as, monkeypatch):
    from tandem.plans import yamlio

    monkeypatch.setattr(yamlio, "MAX_BYTES", 50)
    client = client_as(owner)
    page = reverse("plan_page", kwargs={"workspace": owner.workspace.slug})
    upload = SimpleUploadedFile("plan.yaml", PLAN.encode())
    response = client.post(page, {"file": upload, "action": "apply"})
    assert response.status_code == 400
    assert "the limit is 50 bytes" in response.content.decode()
    assert not PlanRun.objects.exists()


def test_a_section_that_is_a_mapping_is_refused_even_empty(owner):
    body = '{"format": 1, "initiatives": {}}'
    response = _client(owner).post(
        "/api/v1/workspaces/acme-test/plan?dry_run=true", data=body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Expected a list."
