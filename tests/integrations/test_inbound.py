"""Trackers keep initiatives current (issue 12, item 2): each vendor's documented webhook,
verified, read, applied through the roadmap's service, and refused without a trace when it
is not what it claims to be."""

import copy
import datetime
import hashlib
import hmac
import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import Role
from tandem.activity.models import ChangeEvent
from tandem.integrations import services
from tandem.integrations.models import TrackerDelivery
from tandem.roadmaps.models import Initiative
from tests import factories

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{name}.json").read_text())


def initiative(owner, source: str, external_id: str, **fields: Any) -> Initiative:
    return factories.make_initiative(
        owner,
        title=f"Linked to {external_id}",
        external_source=source,
        external_id=external_id,
        status=fields.pop("status", "planned"),
        horizon=fields.pop("horizon", "now"),
        **fields,
    )


def post(endpoint, body: bytes, **headers: str):
    return Client().post(
        f"/hooks/{endpoint.token}/", data=body, content_type="application/json", headers=headers
    )


def github(endpoint, data: dict[str, Any], event: str, delivery: str | None = None):
    body = json.dumps(data).encode()
    signature = hmac.new(endpoint.secret.encode(), body, hashlib.sha256).hexdigest()
    return post(
        endpoint,
        body,
        **{
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
            "X-Hub-Signature-256": f"sha256={signature}",
            "User-Agent": "GitHub-Hookshot/044aadd",
        },
    )


def linear(endpoint, data: dict[str, Any], *, stamp: float | None = None):
    data = copy.deepcopy(data)
    data["webhookTimestamp"] = int((stamp or time.time()) * 1000)
    body = json.dumps(data).encode()
    signature = hmac.new(endpoint.secret.encode(), body, hashlib.sha256).hexdigest()
    return post(
        endpoint,
        body,
        **{
            "Linear-Delivery": str(uuid.uuid4()),
            "Linear-Event": data["type"],
            "Linear-Signature": signature,
        },
    )


LINEAR_SECRET = "lin_wh_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA"


@pytest.fixture
def endpoint_of(owner):
    def make(kind: str):
        secret = LINEAR_SECRET if kind == "linear" else ""
        return services.endpoint_create(kind=kind, name=f"acme {kind}", by=owner, secret=secret)

    return make


# ---------------------------------------------------------------- each vendor


def test_a_closed_github_issue_finishes_its_initiative_and_moves_its_end(owner, endpoint_of):
    linked = initiative(owner, "github", "acme/app#12", status="in_progress")
    other = initiative(owner, "github", "acme/app#13", status="in_progress")

    response = github(endpoint_of("github"), payload("github_issues_closed"), "issues")

    assert response.status_code == 200, response.content
    assert response.json()["changed"] == 1
    linked.refresh_from_db()
    assert linked.status == "done"
    assert linked.end_date == datetime.date(2026, 12, 18)  # the milestone's due date
    other.refresh_from_db()
    assert other.status == "in_progress"
    event = ChangeEvent.objects.about(linked).first()
    assert event.reason.startswith("GitHub issue acme/app#12 closed as completed")
    assert event.after["status"] == "done"


def test_an_imported_project_item_follows_its_issue_by_its_link(owner, endpoint_of):
    # `tandem import github-project` keys an item by its id and links the issue's page.
    item = initiative(
        owner,
        "github",
        "PVTI_lADOAcmeProjzgA9",
        status="in_progress",
        external_url="https://github.com/acme/app/issues/12",
    )

    github(endpoint_of("github"), payload("github_issues_closed"), "issues")

    item.refresh_from_db()
    assert item.status == "done"


def test_an_issue_closed_as_not_planned_drops_its_initiative(owner, endpoint_of):
    linked = initiative(owner, "github", "https://github.com/acme/app/issues/12")
    data = payload("github_issues_closed")
    data["issue"]["state_reason"] = "not_planned"
    data["issue"]["milestone"] = None

    github(endpoint_of("github"), data, "issues")

    linked.refresh_from_db()
    assert linked.status == "dropped"


def test_a_merged_pull_request_and_a_project_status_change(owner, endpoint_of):
    endpoint = endpoint_of("github")
    merged = initiative(owner, "github", "acme/app#40", status="in_progress")
    moved = initiative(owner, "github", "PVTI_lADOAcmeProjzgAx")

    github(endpoint, payload("github_pull_request_merged"), "pull_request")
    github(endpoint, payload("github_projects_v2_item_edited"), "projects_v2_item")

    merged.refresh_from_db()
    moved.refresh_from_db()
    assert merged.status == "done"
    assert moved.status == "in_progress"
    assert "moved to In Progress" in ChangeEvent.objects.about(moved).first().reason


def test_gitlab_issue_and_merge_request(owner, endpoint_of):
    endpoint = endpoint_of("gitlab")
    issue = initiative(owner, "gitlab", "acme/web#23", status="in_progress")
    merge = initiative(owner, "gitlab", "https://gitlab.example.com/acme/web/-/merge_requests/7")
    headers = {"X-Gitlab-Token": endpoint.secret}

    for name, event in [
        ("gitlab_issue_close", "Issue Hook"),
        ("gitlab_merge_request_merge", "Merge Request Hook"),
    ]:
        response = post(
            endpoint,
            json.dumps(payload(name)).encode(),
            **headers,
            **{"X-Gitlab-Event": event, "X-Gitlab-Event-UUID": str(uuid.uuid4())},
        )
        assert response.status_code == 200, response.content

    issue.refresh_from_db()
    merge.refresh_from_db()
    assert (issue.status, issue.end_date) == ("done", datetime.date(2026, 12, 20))
    assert merge.status == "done"


def test_jira_by_its_secret_url(owner, endpoint_of):
    endpoint = endpoint_of("jira")
    epic = initiative(owner, "jira", "GROW-12")

    response = post(
        endpoint,
        json.dumps(payload("jira_issue_updated")).encode(),
        **{"X-Atlassian-Webhook-Identifier": "wh-8c1f-1"},
    )

    assert response.status_code == 200, response.content
    epic.refresh_from_db()
    assert (epic.status, epic.end_date) == ("in_progress", datetime.date(2026, 12, 19))
    assert (
        "Jira issue GROW-12 moved to In Progress" in ChangeEvent.objects.about(epic).first().reason
    )


def test_jira_done_as_wont_do_drops_it(owner, endpoint_of):
    epic = initiative(owner, "jira", "GROW-12")
    data = payload("jira_issue_updated")
    data["issue"]["fields"]["status"]["statusCategory"]["key"] = "done"
    data["issue"]["fields"]["resolution"] = {"id": "10001", "name": "Won't Do"}

    post(endpoint_of("jira"), json.dumps(data).encode())

    epic.refresh_from_db()
    assert epic.status == "dropped"


def test_linear_issue_and_project(owner, endpoint_of):
    endpoint = endpoint_of("linear")
    issue = initiative(owner, "linear", "ENG-42", status="in_progress")
    project = initiative(owner, "linear", "5d0f3e2b-eeee-4a1c-9b8d-7e6f5a4b3c2d")

    assert linear(endpoint, payload("linear_issue_update")).status_code == 200
    assert linear(endpoint, payload("linear_project_update")).status_code == 200

    issue.refresh_from_db()
    project.refresh_from_db()
    assert (issue.status, issue.end_date) == ("done", datetime.date(2026, 12, 15))
    assert project.status == "in_progress"
    assert (project.start_date, project.end_date) == (
        datetime.date(2026, 11, 2),
        datetime.date(2027, 1, 29),
    )


# ---------------------------------------------------------------- what changes nothing


def test_an_item_tandem_does_not_know_is_ignored(owner, endpoint_of):
    endpoint = endpoint_of("github")
    bystander = initiative(owner, "gitlab", "acme/app#12")  # same id, another source
    before = ChangeEvent.objects.count()

    response = github(endpoint, payload("github_issues_closed"), "issues")

    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    bystander.refresh_from_db()
    assert bystander.status == "planned"
    assert ChangeEvent.objects.count() == before
    delivery = TrackerDelivery.objects.get()
    assert "no initiative is linked" in delivery.detail


def test_a_delivery_seen_before_is_ignored(owner, endpoint_of):
    endpoint = endpoint_of("github")
    linked = initiative(owner, "github", "acme/app#12", status="in_progress")
    github(endpoint, payload("github_issues_closed"), "issues", delivery="d-1")
    linked.status = "in_progress"
    linked.save()
    events = ChangeEvent.objects.about(linked).count()

    again = github(endpoint, payload("github_issues_closed"), "issues", delivery="d-1")

    assert again.status_code == 200
    assert again.json()["detail"] == "This delivery was received before."
    linked.refresh_from_db()
    assert linked.status == "in_progress"
    assert ChangeEvent.objects.about(linked).count() == events


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda h: h.update({"X-Hub-Signature-256": "sha256=" + "0" * 64}), id="bad"),
        pytest.param(lambda h: h.pop("X-Hub-Signature-256"), id="missing"),
    ],
)
def test_a_bad_github_signature_gets_401_and_writes_nothing(owner, endpoint_of, tamper):
    endpoint = endpoint_of("github")
    linked = initiative(owner, "github", "acme/app#12", status="in_progress")
    body = json.dumps(payload("github_issues_closed")).encode()
    headers = {
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": "d-2",
        "X-Hub-Signature-256": "sha256="
        + hmac.new(endpoint.secret.encode(), body, hashlib.sha256).hexdigest(),
    }
    tamper(headers)

    response = post(endpoint, body, **headers)

    assert response.status_code == 401
    assert "signature" in response.json()["detail"]
    linked.refresh_from_db()
    assert linked.status == "in_progress"
    assert not TrackerDelivery.objects.exists()


def test_gitlab_with_a_wrong_token_and_linear_replayed_are_refused(owner, endpoint_of):
    gitlab = endpoint_of("gitlab")
    issue = initiative(owner, "gitlab", "acme/web#23", status="in_progress")
    refused = post(
        gitlab,
        json.dumps(payload("gitlab_issue_close")).encode(),
        **{"X-Gitlab-Token": "guess", "X-Gitlab-Event": "Issue Hook"},
    )
    assert refused.status_code == 401

    lin = endpoint_of("linear")
    project = initiative(owner, "linear", "5d0f3e2b-eeee-4a1c-9b8d-7e6f5a4b3c2d")
    replayed = linear(lin, payload("linear_project_update"), stamp=time.time() - 3600)
    assert replayed.status_code == 401

    issue.refresh_from_db()
    project.refresh_from_db()
    assert (issue.status, project.status) == ("in_progress", "planned")


def test_bad_bodies_and_addresses(owner, endpoint_of):
    endpoint = endpoint_of("jira")
    client = Client()

    assert post(endpoint, b"{not json").status_code == 400
    assert post(endpoint, b"[1, 2]").status_code == 400
    no_key = {"webhookEvent": "jira:issue_updated", "issue": {"fields": {}}}
    assert post(endpoint, json.dumps(no_key).encode()).status_code == 400
    oversized = b'{"pad": "' + b"x" * services.MAX_BODY_BYTES + b'"}'
    too_big = post(endpoint, oversized)
    assert too_big.status_code == 413
    assert "1024 KB" in too_big.json()["detail"]
    assert (
        client.post("/hooks/not-a-token/", data=b"{}", content_type="application/json").status_code
        == 404
    )
    assert client.get(f"/hooks/{endpoint.token}/").status_code == 405
    assert not TrackerDelivery.objects.exists()


def test_an_impossible_change_is_recorded_and_changes_nothing(owner, endpoint_of):
    # The milestone's due date would fall before the initiative starts.
    linked = initiative(
        owner, "github", "acme/app#12", status="in_progress", start_date=datetime.date(2027, 1, 4)
    )

    response = github(endpoint_of("github"), payload("github_issues_closed"), "issues")

    assert response.status_code == 200
    linked.refresh_from_db()
    assert (linked.status, linked.end_date) == ("in_progress", None)
    assert "not changed" in TrackerDelivery.objects.get().detail


def test_when_its_member_can_no_longer_edit_nothing_is_written(owner, editor, endpoint_of):
    editor.role = Role.ADMIN
    editor.save()
    endpoint = services.endpoint_create(kind="github", name="x", by=editor)
    editor.role = Role.VIEWER
    editor.save()
    linked = initiative(owner, "github", "acme/app#12", status="in_progress")

    github(endpoint, payload("github_issues_closed"), "issues")

    linked.refresh_from_db()
    assert linked.status == "in_progress"
    delivery = TrackerDelivery.objects.get()
    assert delivery.outcome == "refused"
    assert "can no longer edit" in delivery.detail
