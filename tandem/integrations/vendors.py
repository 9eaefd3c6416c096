"""What each tracker's webhook says, read into one shape: which item changed and how.

Pure functions over the raw body and headers, one reader per vendor, following each vendor's
documented payloads (GitHub: `issues`, `pull_request`, `projects_v2_item`; GitLab: Issue and
Merge Request Hooks; Jira: `jira:issue_created`/`jira:issue_updated`; Linear: `Issue` and
`Project` data-change webhooks). Nothing here touches the database: the service decides what
an update means for the plan.

An item is named by every id the vendor gives it (`acme/app#12`, its URL, its node id...),
so an initiative matches whichever one its importer stored as `external_id`.
"""

import datetime
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Linear asks receivers to refuse a delivery whose timestamp is more than a minute old; a
# little more leaves room for clock skew between the two servers.
LINEAR_MAX_AGE_SECONDS = 300


class Refused(Exception):
    """The delivery cannot be read: its body is not what the vendor sends."""


@dataclass(frozen=True)
class ItemUpdate:
    """One tracker item's new state: only the fields the delivery actually says."""

    ids: tuple[str, ...]
    label: str  # "GitHub issue acme/app#12", for the change's reason
    what: str  # "closed", "moved to In progress"...
    status: str | None = None  # an initiative status: planned, in_progress, done, dropped
    dates: dict[str, datetime.date] = field(default_factory=dict)  # start_date, end_date


@dataclass(frozen=True)
class Reading:
    delivery_id: str
    event: str
    updates: tuple[ItemUpdate, ...]
    note: str = ""  # why nothing applies (a ping, an event Tandem does not follow)


def _header(headers: Mapping[str, str], name: str) -> str:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return ""


def _hmac_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _same(given: str, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def _body_id(body: bytes) -> str:
    """A delivery without an id of its own is known by its content."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Refused(f"The body is not JSON ({error}).") from None
    if not isinstance(data, dict):
        raise Refused("The body is JSON but not an object.")
    return data


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _date(value: object) -> datetime.date | None:
    """A vendor date: `2026-12-31` or a timestamp `2026-12-31T08:00:00Z`; None otherwise."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _ids(*candidates: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(c) for c in candidates if c not in (None, "")))


# ---------------------------------------------------------------- GitHub


def github_verify(*, secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    given = _header(headers, "X-Hub-Signature-256")
    return _same(given, "sha256=" + _hmac_hex(secret, body))


# A project's Status options are free text; these are GitHub's defaults and common variants.
BOARD_STATUS = {
    "todo": "planned",
    "to do": "planned",
    "backlog": "planned",
    "ready": "planned",
    "planned": "planned",
    "in progress": "in_progress",
    "doing": "in_progress",
    "in review": "in_progress",
    "done": "done",
    "shipped": "done",
    "closed": "done",
    "won't do": "dropped",
    "dropped": "dropped",
    "cancelled": "dropped",
    "canceled": "dropped",
}


def _github_issue(payload: dict[str, Any], kind: str) -> ItemUpdate | None:
    item = _dict(payload.get(kind))
    repo = _dict(payload.get("repository")).get("full_name", "")
    number = item.get("number")
    if number is None:
        raise Refused(f"A GitHub {kind} event without {kind}.number.")
    action = payload.get("action", "")
    noun = "pull request" if kind == "pull_request" else "issue"
    status: str | None = None
    what = str(action)
    if kind == "issue":
        if action == "closed":
            not_planned = item.get("state_reason") == "not_planned"
            status = "dropped" if not_planned else "done"
            what = "closed as not planned" if not_planned else "closed as completed"
        elif action == "reopened":
            status = "in_progress"
    else:
        if action == "closed" and item.get("merged"):
            status, what = "done", "merged"
        elif action in {"reopened", "ready_for_review"}:
            status = "in_progress"
    dates = {}
    due = _date(_dict(item.get("milestone")).get("due_on"))
    if due is not None:
        dates["end_date"] = due
    if status is None and not dates:
        return None
    return ItemUpdate(
        ids=_ids(f"{repo}#{number}", item.get("html_url"), item.get("node_id")),
        label=f"GitHub {noun} {repo}#{number}",
        what=what,
        status=status,
        dates=dates,
    )


def _github_project_item(payload: dict[str, Any]) -> ItemUpdate | None:
    item = _dict(payload.get("projects_v2_item"))
    change = _dict(_dict(payload.get("changes")).get("field_value"))
    if payload.get("action") != "edited" or not change:
        return None
    name = str(change.get("field_name", "")).strip().lower()
    to = change.get("to")
    status: str | None = None
    dates: dict[str, datetime.date] = {}
    what = f"{change.get('field_name', 'a field')} changed"
    if name == "status":
        option = str(_dict(to).get("name", "")).strip()
        status = BOARD_STATUS.get(option.lower())
        what = f"moved to {option}" if option else "status cleared"
    elif change.get("field_type") == "date":
        day = _date(to)
        if day is not None and "start" in name:
            dates["start_date"] = day
        elif day is not None and any(word in name for word in ("end", "target", "due")):
            dates["end_date"] = day
        what = f"{change.get('field_name')} set to {day}"
    if status is None and not dates:
        return None
    return ItemUpdate(
        ids=_ids(item.get("node_id"), item.get("content_node_id")),
        label=f"GitHub project item {item.get('node_id', '')}".strip(),
        what=what,
        status=status,
        dates=dates,
    )


def github_read(*, headers: Mapping[str, str], body: bytes) -> Reading:
    event = _header(headers, "X-GitHub-Event")
    delivery = _header(headers, "X-GitHub-Delivery") or _body_id(body)
    payload = _json(body)
    if event == "ping":
        return Reading(delivery, event, (), "GitHub's ping: the endpoint is reachable.")
    readers: dict[str, Callable[[dict[str, Any]], ItemUpdate | None]] = {
        "issues": lambda p: _github_issue(p, "issue"),
        "pull_request": lambda p: _github_issue(p, "pull_request"),
        "projects_v2_item": _github_project_item,
    }
    if event not in readers:
        return Reading(delivery, event, (), f"Tandem does not follow GitHub's {event!r} events.")
    update = readers[event](payload)
    note = "" if update else f"This {event} {payload.get('action', '')} changes no status or date."
    return Reading(delivery, event, (update,) if update else (), note)


# ---------------------------------------------------------------- GitLab


def gitlab_verify(*, secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    return _same(_header(headers, "X-Gitlab-Token"), secret)


def gitlab_read(*, headers: Mapping[str, str], body: bytes) -> Reading:
    event = _header(headers, "X-Gitlab-Event")
    delivery = _header(headers, "X-Gitlab-Event-UUID") or _body_id(body)
    payload = _json(body)
    kind = payload.get("object_kind")
    if kind not in {"issue", "merge_request"}:
        return Reading(delivery, event, (), f"Tandem does not follow GitLab's {kind!r} events.")
    attributes = _dict(payload.get("object_attributes"))
    project = _dict(payload.get("project")).get("path_with_namespace", "")
    iid = attributes.get("iid")
    if iid is None:
        raise Refused(f"A GitLab {kind} event without object_attributes.iid.")
    action = attributes.get("action", "")
    sign, noun = ("#", "issue") if kind == "issue" else ("!", "merge request")
    status = {
        "issue": {"close": "done", "reopen": "in_progress"},
        "merge_request": {"merge": "done", "reopen": "in_progress"},
    }[kind].get(action)
    dates = {}
    due = _date(attributes.get("due_date"))
    if due is not None:
        dates["end_date"] = due
    if status is None and not dates:
        return Reading(delivery, event, (), f"This {noun} {action} changes no status or date.")
    verb = {"close": "closed", "reopen": "reopened", "merge": "merged"}.get(action, action)
    update = ItemUpdate(
        ids=_ids(f"{project}{sign}{iid}", attributes.get("url"), attributes.get("id")),
        label=f"GitLab {noun} {project}{sign}{iid}",
        what=verb or "updated",
        status=status,
        dates=dates,
    )
    return Reading(delivery, event, (update,))


# ---------------------------------------------------------------- Jira


def jira_verify(*, secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """Jira Cloud signs only when a secret is set on its side (`X-Hub-Signature`); without
    one the endpoint's secret URL is the credential, as Jira's own docs describe."""
    given = _header(headers, "X-Hub-Signature")
    return not given or _same(given, "sha256=" + _hmac_hex(secret, body))


JIRA_CATEGORY = {"new": "planned", "indeterminate": "in_progress", "done": "done"}
JIRA_NOT_DONE = {"won't do", "won't fix", "declined", "cancelled", "canceled", "duplicate"}


def jira_read(*, headers: Mapping[str, str], body: bytes) -> Reading:
    payload = _json(body)
    event = str(payload.get("webhookEvent", ""))
    issue = _dict(payload.get("issue"))
    # Jira Cloud names each delivery (the same on its retries); Data Center does not, and
    # an event's time and issue then tell one delivery from another.
    delivery = _header(headers, "X-Atlassian-Webhook-Identifier")
    if not delivery:
        stamp = payload.get("timestamp")
        delivery = f"{event}:{issue.get('id', '')}:{stamp}" if stamp else _body_id(body)
    if event not in {"jira:issue_created", "jira:issue_updated"}:
        return Reading(delivery, event, (), f"Tandem does not follow Jira's {event!r} events.")
    if not issue.get("key"):
        raise Refused("A Jira issue event without issue.key.")
    fields = _dict(issue.get("fields"))
    status_field = _dict(fields.get("status"))
    category = _dict(status_field.get("statusCategory")).get("key", "")
    status = JIRA_CATEGORY.get(str(category))
    resolution = str(_dict(fields.get("resolution")).get("name", "")).lower()
    if status == "done" and resolution in JIRA_NOT_DONE:
        status = "dropped"
    dates = {}
    due = _date(fields.get("duedate"))
    if due is not None:
        dates["end_date"] = due
    if status is None and not dates:
        return Reading(delivery, event, (), "This issue update changes no status or date.")
    name = status_field.get("name")
    update = ItemUpdate(
        ids=_ids(issue.get("key"), issue.get("id"), issue.get("self")),
        label=f"Jira issue {issue['key']}",
        what=f"moved to {name}" if name else "updated",
        status=status,
        dates=dates,
    )
    return Reading(delivery, event, (update,))


# ---------------------------------------------------------------- Linear


def linear_verify(*, secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    if not _same(_header(headers, "Linear-Signature"), _hmac_hex(secret, body)):
        return False
    # A replayed delivery carries an old timestamp (milliseconds) inside the signed body.
    try:
        stamp = float(json.loads(body).get("webhookTimestamp"))
    except (ValueError, TypeError, AttributeError, json.JSONDecodeError):
        return False
    return abs(time.time() - stamp / 1000) <= LINEAR_MAX_AGE_SECONDS


LINEAR_STATE = {
    "backlog": "planned",
    "unstarted": "planned",
    "planned": "planned",
    "started": "in_progress",
    "completed": "done",
    "canceled": "dropped",
}


def linear_read(*, headers: Mapping[str, str], body: bytes) -> Reading:
    payload = _json(body)
    kind = str(payload.get("type", ""))
    action = str(payload.get("action", ""))
    delivery = _header(headers, "Linear-Delivery") or _body_id(body)
    event = f"{kind} {action}".strip()
    if kind not in {"Issue", "Project"}:
        return Reading(delivery, event, (), f"Tandem does not follow Linear's {kind!r} events.")
    if action == "remove":
        return Reading(delivery, event, (), "A removal in Linear is not a decision for the plan.")
    data = _dict(payload.get("data"))
    if not data.get("id"):
        raise Refused(f"A Linear {kind} event without data.id.")
    dates: dict[str, datetime.date] = {}
    if kind == "Issue":
        state = _dict(data.get("state"))
        status = LINEAR_STATE.get(str(state.get("type", "")))
        what = f"moved to {state['name']}" if state.get("name") else "updated"
        for key, name in (("dueDate", "end_date"),):
            if (day := _date(data.get(key))) is not None:
                dates[name] = day
        label = f"Linear issue {data.get('identifier') or data['id']}"
    else:
        # Projects carry their state as a string on older payloads, a status object on newer.
        state_name = data.get("state") or _dict(data.get("status")).get("type", "")
        status = LINEAR_STATE.get(str(state_name).lower())
        what = f"marked {state_name}" if state_name else "updated"
        for key, name in (("startDate", "start_date"), ("targetDate", "end_date")):
            if (day := _date(data.get(key))) is not None:
                dates[name] = day
        label = f"Linear project {data.get('name') or data['id']}"
    if status is None and not dates:
        return Reading(delivery, event, (), f"This {kind.lower()} change has no status or date.")
    update = ItemUpdate(
        ids=_ids(data.get("id"), data.get("identifier"), data.get("slugId"), payload.get("url")),
        label=label,
        what=what,
        status=status,
        dates=dates,
    )
    return Reading(delivery, event, (update,))


@dataclass(frozen=True)
class Vendor:
    name: str
    verify: Callable[..., bool]
    read: Callable[..., Reading]
    how: str  # what to paste where, on the Integrations page


VENDORS = {
    "github": Vendor(
        "GitHub",
        github_verify,
        github_read,
        "Repository or organisation → Settings → Webhooks → Add webhook: this URL as Payload "
        "URL, content type application/json, this secret; events: Issues, Pull requests, "
        "Projects v2 items.",
    ),
    "gitlab": Vendor(
        "GitLab",
        gitlab_verify,
        gitlab_read,
        "Project → Settings → Webhooks: this URL, this secret as Secret token; triggers: Issues "
        "events, Merge request events.",
    ),
    "jira": Vendor(
        "Jira",
        jira_verify,
        jira_read,
        "Jira settings → System → WebHooks → Create: this URL (it is the credential: keep it "
        "secret), events Issue created and Issue updated. If you also set a secret there, use "
        "this one.",
    ),
    "linear": Vendor(
        "Linear",
        linear_verify,
        linear_read,
        "Linear → Settings → API → Webhooks → New webhook: this URL; data change events: Issues, "
        "Projects. Paste the signing secret Linear shows into this integration.",
    ),
}
