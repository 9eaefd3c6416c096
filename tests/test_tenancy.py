"""The tenancy matrix (issue 2, point 5): someone from another workspace reaches nothing.

Every URL pattern of the site and every operation of the API is called by the outsider
persona (logged in, owner of their own workspace "globex"; a Bearer token for the API)
with acme's workspace slug and the ids of real acme objects. Each must answer 404 —
never 403, which would confirm the object exists — and change nothing in the database.

The lists are not written by hand: URL patterns come from the resolver and operations
from the OpenAPI schema, so a new page or endpoint is in the matrix the day it is added.
A URL argument the matrix cannot fill fails the test and says what to add to ACME.
"""

import datetime
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from tandem.accounts.invitations import invitation_create
from tandem.accounts.services import api_token_create
from tandem.activity.models import ChangeEvent, Notification
from tandem.activity.webhooks import queue_delivery, webhook_create
from tandem.api import api
from tandem.conflicts.detection import conflicts_detect
from tandem.conflicts.models import Conflict
from tandem.conflicts.services import conflict_comment, conflict_invite
from tandem.integrations.services import endpoint_create
from tandem.okrs.models import KeyResult
from tandem.okrs.services import key_result_check_in
from tandem.plans.runs import plan_run_queue
from tandem.reviews.baselines import baseline_take
from tandem.reviews.services import action_item_create, review_schedule
from tandem.roadmaps import services as roadmaps
from tandem.roadmaps.models import InsightKind
from tandem.scenarios.services import scenario_add_edit, scenario_comment, scenario_create
from tandem.sources.services import source_set
from tandem.strategy.services import strategy_set_vision, team_set_members
from tests import factories

# Whole subtrees the URL walk leaves to other checks, and why.
SKIPPED_PREFIXES = {
    "admin/": "staff only: test_admin_sends_the_outsider_to_its_login",
    "api/": "each operation is walked from the OpenAPI schema: test_api_operation",
}

# Pages that belong to no workspace and no object, so there is nothing of acme's to reach.
NOT_SCOPED_PAGES = {
    "": "home: sends the caller to one of their own workspaces",
    "healthz": "load-balancer probe, no data",
    "readyz": "load-balancer probe: which part is not ready, no data",
    "login/": "logging in",
    "logout/": "logging out",
    "settings/tokens/": "the caller's own API tokens",
    "workspaces/new/": "creates a new workspace of the caller's own",
    "workspaces/demo/": "queues a copy of the demo of the caller's own",
    "calendar/<str:token>.ics": "a calendar app's feed: the secret token is the credential",
    "invitations/<str:token>/": "an invitation link: the secret token is the credential",
    "api/v1/push/<str:push_id>": "a data source's push URL: its own secret is the credential",
    "hooks/<str:token>/": "a tracker's webhooks: its secret address and signature are the key",
}

NOT_SCOPED_OPERATIONS = {
    ("get", "/api/v1/me"): "the caller themself",
    ("get", "/api/v1/workspaces"): "only the caller's own workspaces",
    ("post", "/api/v1/workspaces"): "creates a workspace of the caller's own",
    ("get", "/api/v1/tokens"): "the caller's own API tokens",
    ("post", "/api/v1/tokens"): "a token of the caller's own; binding it to acme is refused",
    ("get", "/api/v1/plan-schema"): "the plan file's JSON Schema, the same for everyone",
    ("get", "/api/v1/import-template"): "an empty spreadsheet template, the same for all",
}

METHODS = ["get", "post", "put", "patch", "delete"]

# Columns that legitimately change when the outsider merely calls: their own token's
# last use and their own last login.
VOLATILE = {"accounts.ApiToken": {"last_used_at"}, "accounts.User": {"last_login"}}


# ---------------------------------------------------------------- acme's objects


@pytest.fixture
def acme(owner, editor) -> dict[str, Any]:
    """One object of every kind in the owner's workspace: `<entity>_id` → ACME[entity].pk.

    A new URL argument or API parameter `<entity>_id` needs its entity added here.
    """
    team = factories.make_team(owner)
    team_set_members(team=team, members=[owner, editor], by=owner)
    pillar = factories.make_pillar(owner)
    strategy = strategy_set_vision(vision="Acme's vision", by=owner)
    cycle = factories.make_cycle(
        owner, start=datetime.date(2026, 10, 1), end=datetime.date(2026, 12, 31)
    )
    objective = factories.make_objective(owner, cycle=cycle, team=team, pillar=pillar)
    key_result = factories.make_key_result(owner, objective=objective)
    check_in = key_result_check_in(
        key_result=key_result,
        value=Decimal(10),
        confidence=7,
        date=datetime.date(2026, 10, 8),
        by=owner,
    )
    data_source, _ = source_set(key_result=key_result, kind="push", by=owner)
    roadmap = factories.make_roadmap(owner)
    initiative = factories.make_initiative(owner, roadmap=roadmap, team=team)
    prerequisite = factories.make_initiative(owner, roadmap=roadmap)
    contribution = roadmaps.contribution_create(
        initiative=initiative, key_result=key_result, by=owner
    )
    dependency = roadmaps.dependency_create(
        initiative=initiative, depends_on=prerequisite, by=owner
    )
    insight = roadmaps.insight_create(
        title="Wants SSO", kind=InsightKind.CUSTOMER_FEEDBACK, by=owner
    )
    team_capacity = roadmaps.team_capacity_set(
        team=team, cycle=cycle, person_weeks=Decimal(12), by=owner
    )
    token, _ = api_token_create(user=owner.user, name="acme script")
    invitation, _ = invitation_create(email="ivy@acme.test", role="editor", by=owner)
    # Written before the quarter began, so the grace period of new key results is over.
    KeyResult.objects.filter(pk=key_result.pk).update(
        created_at=datetime.datetime(2026, 9, 20, tzinfo=datetime.UTC)
    )
    # The key result has pace but no planned work behind it: detection opens conflicts.
    conflicts_detect(workspace=owner.workspace, today=datetime.date(2026, 11, 2))
    conflict = Conflict.objects.in_workspace(owner.workspace).first()
    conflict_invite(conflict=conflict, members=[editor], by=owner)
    comment = conflict_comment(conflict=conflict, body="Who owns this?", by=owner)
    review = review_schedule(
        kind="okr_review",
        title="Q4 review",
        scheduled_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC),
        attendees=[owner, editor],
        teams=[team],
        by=owner,
    )
    action_item = action_item_create(review=review, title="Call legal", owner=editor, by=owner)
    webhook = webhook_create(
        name="#acme",
        url="https://hooks.example/acme",
        format="slack",
        events=["watched_change"],
        by=owner,
    )
    baseline = baseline_take(workspace=owner.workspace, by=owner, cycle=cycle)
    webhook_delivery = queue_delivery(webhook=webhook, event="watched_change", text="x", url="/")
    tracker_endpoint = endpoint_create(kind="github", name="acme/app", by=owner)
    run = plan_run_queue(by=owner, document="vision: Acme's own.\n", dry_run=True)
    scenario = scenario_create(name="Try Q4 later", by=owner)
    scenario_edit = scenario_add_edit(
        scenario=scenario,
        action="move_initiative",
        params={"initiative_id": initiative.pk, "horizon": "later"},
        by=owner,
    )
    scenario_comment(scenario=scenario, body="Worth it?", by=owner)
    return {
        "workspace": owner.workspace,
        "member": editor,
        "team": team,
        "pillar": pillar,
        "strategy": strategy,
        "cycle": cycle,
        "objective": objective,
        "key_result": key_result,
        "check_in": check_in,
        "data_source": data_source,
        "roadmap": roadmap,
        "initiative": initiative,
        "contribution": contribution,
        "dependency": dependency,
        "insight": insight,
        "team_capacity": team_capacity,
        "token": token,
        "invitation": invitation,
        "conflict": conflict,
        "conflict_comment": comment,
        "review": review,
        "action_item": action_item,
        "webhook": webhook,
        "webhook_delivery": webhook_delivery,
        "tracker_endpoint": tracker_endpoint,
        "integration": tracker_endpoint,
        "baseline": baseline,
        "run": run,
        "scenario": scenario,
        "edit": scenario_edit,
        "notification": Notification.objects.for_member(editor).get(),
        "change_event": ChangeEvent.objects.in_workspace(owner.workspace).first(),
    }


# Body fields that reference an object by its role rather than its kind.
REFERENCES = {
    "parent": "team",
    "owner": "member",
    "depends_on": "initiative",
    "after": "initiative",
    "before": "initiative",
    "to": "baseline",
    "attendee": "member",
    "lead": "member",
    "carry_objective": "objective",
    "carry_key_result": "key_result",
}


def argument(name: str, acme: dict[str, Any], where: str) -> Any:
    """The value of a URL argument or id field: the slug, or the id of acme's object."""
    if name == "workspace":
        return acme["workspace"].slug
    if name == "push_id":
        return acme["data_source"].push_id
    match = re.fullmatch(r"(\w+?)_ids?", name)
    entity = match[1] if match else name
    entity = REFERENCES.get(entity, entity)
    if entity not in acme:
        pytest.fail(
            f"{where} takes {name!r}, which the tenancy matrix cannot fill. Name objects "
            f"`<entity>_id` and add an object of kind {entity!r} to the `acme` fixture in "
            "tests/test_tenancy.py (a body field naming a role, like parent_id, goes in "
            "REFERENCES; something of no workspace is explained there)."
        )
    pk = acme[entity].pk
    return [pk] if name.endswith("_ids") else pk


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every Tandem table (ChangeEvents included), minus VOLATILE columns."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("tandem."):
            continue
        label = model._meta.label
        skip = VOLATILE.get(label, set())
        rows[label] = [
            {k: v for k, v in row.items() if k not in skip}
            for row in model._default_manager.order_by("pk").values()
        ]
    return rows


def assert_unchanged(before: dict[str, Any], where: str) -> None:
    after = snapshot()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"{where} changed {', '.join(changed)} for someone outside the workspace"


def leaks(content: bytes, acme: dict[str, Any]) -> list[str]:
    text = content.decode(errors="replace")
    names = [acme["workspace"].slug, acme["workspace"].name, acme["team"].name]
    return [name for name in names if name in text]


# ---------------------------------------------------------------- the web pages


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route in SKIPPED_PREFIXES:
                continue
            found.extend(_walk(pattern.url_patterns, route))
        else:
            found.append((route, pattern))
    return found


PAGES = _walk(get_resolver().url_patterns)
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


def _fill(route: str, acme: dict[str, Any]) -> str:
    return "/" + ARGUMENT.sub(lambda m: str(argument(m[1], acme, f"URL pattern {route!r}")), route)


def test_the_walk_found_the_pages():
    routes = [route for route, _ in PAGES]
    assert "w/<slug:workspace>/" in routes
    stale = set(NOT_SCOPED_PAGES) - set(routes)
    assert not stale, f"NOT_SCOPED_PAGES lists patterns that no longer exist: {stale}"


@pytest.mark.parametrize(("route", "pattern"), PAGES, ids=[route or "/" for route, _ in PAGES])
def test_page(route, pattern, owner, outsider, acme, client_as):
    if _is_account_page(pattern):
        response = client_as(outsider).get(_fill_account_page(route))
        assert response.status_code < 500, route
        assert not leaks(response.content, acme), f"{route!r} shows acme's data to an outsider"
        return
    assert isinstance(pattern.pattern, RoutePattern), (
        f"{route!r} is a regex pattern; write it with path() so its arguments are named"
    )
    if route in NOT_SCOPED_PAGES:
        response = client_as(outsider).get(_fill(route, acme))
        assert response.status_code < 500 or route == "readyz"  # 503: no worker runs here
        assert not leaks(response.content, acme), f"{route!r} shows acme's data to an outsider"
        return
    if not ARGUMENT.search(route):
        pytest.fail(
            f"URL pattern {route!r} takes no workspace and no object. If it shows or changes "
            "workspace data it must take `workspace` (and go through workspace_view); if not, "
            "add it to NOT_SCOPED_PAGES in tests/test_tenancy.py with the reason."
        )
    url = _fill(route, acme)
    assert resolve(url).route == route
    # The control: for acme's owner the same URL is there, so the 404s below are tenancy.
    assert client_as(owner).get(url).status_code in {200, 302, 405}, url
    form = {"name": "Outsider's", "title": "Outsider's", "vision": "Outsider's", "role": "owner"}
    before = snapshot()

    answers = {"get": client_as(outsider).get(url).status_code}
    for method in METHODS[1:]:
        # Form-encoded, as a browser form or htmx (hx-put, hx-delete, ...) sends it.
        answers[method] = getattr(client_as(outsider), method)(
            url, data=urlencode(form), content_type="application/x-www-form-urlencoded"
        ).status_code

    # 405 says nothing about acme's objects: the method is refused before any lookup.
    assert set(answers.values()) <= {404, 405}, f"{url}: {answers}"
    assert 404 in answers.values(), f"{url}: {answers}"
    assert_unchanged(before, url)


def _is_account_page(pattern: URLPattern) -> bool:
    """allauth's pages (sign-up, password, two-factor, single sign-on, sessions) are about
    the signed-in person and take no workspace; the walk still opens every one of them."""
    return pattern.callback.__module__.startswith("allauth.")


def _fill_account_page(route: str) -> str:
    # Their arguments are keys and ids of the person's own things: any value will do.
    route = ARGUMENT.sub("1", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)
    return "/" + route.replace("^", "").replace("$", "")


def test_admin_sends_the_outsider_to_its_login(outsider, acme, client_as):
    client = client_as(outsider)
    urls = ["/admin/"] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    team = acme["team"]
    urls.append(reverse("admin:strategy_team_change", args=[team.pk]))

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


# ---------------------------------------------------------------- the API operations

SCHEMA = api.get_openapi_schema()
OPERATIONS = [(method, path) for path, item in SCHEMA["paths"].items() for method in item]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


# Text fields whose format a plain string would break.
SAMPLE_TEXT = {
    "color": "#123456",
    "currency": "EUR",
    "external_source": "csv",
    "external_id": "X-1",
}


def sample(schema: dict[str, Any], name: str, acme: dict[str, Any], where: str) -> Any:
    """A plausible value for a body field: acme's ids for `*_id(s)`, else one by type."""
    schema = _resolve(schema)
    if (re.fullmatch(r"\w+_ids?", name) and name not in SAMPLE_TEXT) or name == "workspace":
        return argument(name, acme, where)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s).get("type") != "null"]
            return sample(options[0], name, acme, where)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            field: sample(sub, field, acme, where)
            for field, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [sample(schema.get("items", {}), name, acme, where)]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    return {
        "date": "2026-11-02",
        "date-time": "2026-11-02T09:00:00Z",
        "email": "oscar@globex.test",
    }.get(schema.get("format", ""), SAMPLE_TEXT.get(name, "Outsider's"))


def test_the_schema_covers_every_api_route():
    """Operations are walked from the schema; an endpoint hidden from it would be missed."""
    served = json.loads(Client().get("/api/openapi.json").content)
    assert set(served["paths"]) == set(SCHEMA["paths"])
    resolver = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/")
    shape = re.compile(r"<(?:\w+:)?\w+>|\{\w+\}")
    documented = {shape.sub("{}", path) for path in SCHEMA["paths"]}
    for route, _ in _walk(resolver.url_patterns, "/api/"):
        if route in {"/api/", "/api/openapi.json", "/api/docs"}:
            continue
        assert shape.sub("{}", route) in documented, f"{route} is missing from OpenAPI"


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_operation(method, path, owner, outsider, acme):
    _, owner_token = api_token_create(user=owner.user, name="owner script")
    _, raw = api_token_create(user=outsider.user, name="outsider script")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    operation = SCHEMA["paths"][path][method]
    where = f"API operation {method.upper()} {path}"

    if (method, path) in NOT_SCOPED_OPERATIONS:
        if method == "get":
            response = client.get(path)
            assert response.status_code == 200
            assert not leaks(response.content, acme), f"{where} shows acme's data to an outsider"
            return
        if path == "/api/v1/workspaces":
            response = client.post(
                path, {"name": "Outsider's own"}, content_type="application/json"
            )
            assert response.status_code == 201
            assert not leaks(response.content, acme), f"{where} shows acme's data to an outsider"
            return
        # A body naming acme's workspace (sample() puts its slug in `workspace`) is refused.
        body_schema = operation["requestBody"]["content"]["application/json"]["schema"]
        body = sample(body_schema, "", acme, where)
        assert body.get("workspace") == acme["workspace"].slug, where
        before = snapshot()
        response = getattr(client, method)(path, data=body, content_type="application/json")
        assert response.status_code == 422, f"{where}: {response.status_code}"
        assert [e["field"] for e in response.json()["errors"]] == ["workspace"]
        assert_unchanged(before, where)
        return

    params = operation.get("parameters", [])
    in_path = {p["name"] for p in params if p["in"] == "path"}
    if not in_path:
        pytest.fail(
            f"{where} takes no workspace and no object. If it reaches workspace data it must "
            "take {workspace}; if not, add it to NOT_SCOPED_OPERATIONS with the reason."
        )
    url = re.sub(r"\{(\w+)\}", lambda m: str(argument(m[1], acme, where)), path)
    # Required query parameters, and every id filter (with acme's ids: a filter must not
    # reach into acme either).
    query = {
        p["name"]: sample(p["schema"], p["name"], acme, where)
        for p in params
        if p["in"] == "query" and (p.get("required") or p["name"].endswith("_id"))
    }
    resolve(url)  # raises Resolver404 if the filled-in URL matches no pattern
    if method == "get":
        control = Client(headers={"Authorization": f"Bearer {owner_token}"}).get(url, query)
        assert control.status_code == 200, f"{where} fails for acme's owner: {control.content}"
    body = None
    if "requestBody" in operation:
        body_schema = operation["requestBody"]["content"]["application/json"]["schema"]
        body = sample(body_schema, "", acme, where)
    before = snapshot()

    if method == "get":
        response = client.get(url, query)
    else:
        if query:
            url += "?" + urlencode(query)
        response = getattr(client, method)(
            url, data=json.dumps(body or {}), content_type="application/json"
        )

    assert response.status_code != 422, (
        f"{where} refused the sample body {body} before looking at the workspace "
        f"({response.content.decode()}); teach sample() in tests/test_tenancy.py that field."
    )
    assert response.status_code == 404, f"{where}: {response.status_code} {response.content}"
    assert response.json() == {"detail": "Not found."}
    assert_unchanged(before, where)
