"""schemathesis over the whole API (issue 9, point 6): every operation, every check, the
examples, coverage, fuzzing and stateful phases, against the WSGI app in this process (no
network), as the owner of the demo workspace. It must find nothing: no server error, no
undocumented status, no schema-valid request refused, no invalid request accepted, and
every answer as its schema says.

Part of `make test` on both databases: three examples per operation keep it to about two
minutes. A failure prints each finding once with its curl.
"""

import collections
import re
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from schemathesis.engine import events
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.transport.wsgi import WSGITransport

from tandem.accounts.models import Member, Role
from tandem.accounts.services import api_token_create
from tandem.demo.builder import ensure_demo

# The demo's owner, a Bearer token: authenticated, and allowed every operation, so a
# refusal is about the request, not the role.
SETTINGS: dict[str, Any] = {
    "workers": 1,
    "seed": 20261201,
    "cache": {"enabled": False},
    "generation": {"mode": "all", "max-examples": 3},
    # Hypothesis' too_slow times how long the test side takes to generate a request: on a
    # machine under load it fails the run with no finding about the API.
    "suppress-health-check": ["too_slow"],
}


# A schema-valid request can still be refused for what no JSON Schema can state: an id
# that names no object of the workspace, a name already taken, an end before its start,
# a cycle already closed, a date after today, a webhook aimed at a private address. Those
# are 422s of the model and services (Django's ValidationError), and positive_data_acceptance
# cannot apply to them. A refusal of a value's shape is never excused: pydantic's messages,
# and the model's own field checks (blank, length, choices, bounds), which the schema
# repeats, still fail the run when the schema let such a value through.
SHAPE = re.compile(
    r"Input should|Field required|String should|Value error|valid (date|number|integer)"
    r"|This field cannot be (blank|null)|Ensure this value has|not a valid choice"
    r"|Use a (date|whole number|number|finite)|control characters|line breaks|Enter a valid"
    r"|Send a JSON object|not valid JSON"
)


def refused_by_a_rule(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """filter_failure: keep (True) every failure but a rule's refusal of valid data."""
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 422:
        return True
    errors = response.json().get("errors", [])
    return not errors or any(SHAPE.search(error["message"]) for error in errors)


# Socket-level settings have no in-process meaning. schemathesis 4.32.5 drops them when it
# reaches a WSGI app through a requests session, but its coverage phase hands them to
# werkzeug's client as they are, which fails before any request is made.
SOCKET_SETTINGS = ("max_redirects", "verify", "cert", "proxies")


@pytest.fixture(autouse=True)
def _in_process_requests_take_no_socket_settings(monkeypatch):
    send = WSGITransport.send

    def without_socket_settings(self: WSGITransport, case: Any, **kwargs: Any) -> Any:
        for name in SOCKET_SETTINGS:
            kwargs.pop(name, None)
        return send(self, case, **kwargs)

    monkeypatch.setattr(WSGITransport, "send", without_socket_settings)


def _app() -> Any:
    """Tandem's WSGI app, closing the database connection of schemathesis' thread after each
    request: a connection left open there would keep PostgreSQL from dropping the test
    database at the end of the run."""
    handler = WSGIHandler()

    def app(environ: Any, start_response: Any) -> Any:
        try:
            return handler(environ, start_response)
        finally:
            connections.close_all()

    return app


@pytest.fixture
def demo_schema(transactional_db):
    """The schema as the app serves it, pointed at the app itself. The database must be
    committed (transactional_db): schemathesis calls the app from its own thread."""
    workspace, _ = ensure_demo(password="schemathesis demo password")
    owner = Member.objects.filter(workspace=workspace, role=Role.OWNER).first()
    _, raw = api_token_create(user=owner.user, name="schemathesis")
    config = schemathesis.Config.from_dict(
        {
            **SETTINGS,
            "headers": {"Authorization": f"Bearer {raw}"},
            # Every operation lives under the demo workspace: a random slug only 404s.
            "parameters": {"workspace": workspace.slug},
        }
    )
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", _app(), config=config)
    schema.hook("filter_failure")(refused_by_a_rule)
    return schema


def test_schemathesis_finds_nothing(demo_schema):
    findings: dict[tuple[str, str, str], str] = {}
    counts: collections.Counter[tuple[str, str, str]] = collections.Counter()
    operations = set()
    errors = []
    for event in schemathesis.engine.from_schema(demo_schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            for case_id, checks in event.recorder.checks.items():
                case = event.recorder.cases[case_id].value
                operations.add(case.operation.label)
                for check in checks:
                    if check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    key = (case.operation.label, check.name, failure.title)
                    counts[key] += 1
                    findings.setdefault(
                        key, f"{failure.message}\n    {check.failure_info.code_sample}"
                    )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            where = f"{getattr(event, 'phase', '')} {getattr(event, 'label', '')}"
            errors.append(f"{where}: {getattr(event, 'info', None) or event.exception}")

    report = "\n".join(
        f"{counts[key]} × {' | '.join(key)}\n    {text}" for key, text in sorted(findings.items())
    )
    print(f"schemathesis: {len(operations)} operations, {len(findings)} kinds of failure")
    assert not findings, f"{len(findings)} kinds of failure:\n{report}"
    assert not errors, errors
    assert len(operations) >= 80, f"only {len(operations)} operations were exercised"
