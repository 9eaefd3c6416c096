"""Bounds on every input (issue 9, point 5): what the model refuses, whichever door a value
comes through, is refused by name and writes nothing; and the extremes it accepts break
no page, feed or API answer later."""

# The tenancy matrix's `acme` fixture (one object of every kind) is imported, and pytest
# hands it to the tests by name, which pyflakes reads as a redefinition.
# ruff: noqa: F811

import datetime
import re

import pytest
import time_machine
from django.test import Client

from tandem.accounts.services import api_token_create
from tandem.okrs.models import CheckIn
from tandem.reviews.export import calendar_feed_create
from tandem.reviews.models import FeedScope
from tandem.roadmaps.models import Initiative
from tests.api.conftest import Api
from tests.test_tenancy import OPERATIONS, PAGES, SCHEMA, _fill, acme  # noqa: F401

V1 = "/api/v1/workspaces/acme-test"
NOW = datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC)
LONGEST_TEXT = "# Notes\n\n" + "Lorem ipsum\tdolor sit amet.\n" * 3_400


@pytest.fixture
def api(owner):
    _, raw = api_token_create(user=owner.user, name="script")
    return Api(raw)


def refused(response, field: str) -> str:
    assert response.status_code == 422, response.content
    errors = {error["field"]: error["message"] for error in response.json["errors"]}
    assert field in errors, errors
    return errors[field]


# ---------------------------------------------------------------- refusals by name


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"end_date": "9999-12-31"}, "end_date", "between 1970-01-01 and 2200-12-31"),
        ({"start_date": "1969-12-31"}, "start_date", "between 1970-01-01 and 2200-12-31"),
        ({"title": "Launch\x00"}, "title", "control characters"),
        ({"title": "Two\nlines"}, "title", "line breaks"),
        ({"description": "bell\x07"}, "description", "control characters"),
        ({"description": "x" * 100_001}, "description", "at most 100,000 characters"),
        ({"reach": 2**40}, "reach", "2147483647"),
        ({"impact": "NaN"}, "impact", ""),
        ({"effort": "Infinity"}, "effort", ""),
        ({"team_id": 2**63}, "team_id", ""),
    ],
)
def test_the_api_refuses_out_of_bounds_values_by_name(api, acme, rows, body, field, message):
    initiative = acme["initiative"]
    before = rows()

    response = api.patch(f"{V1}/initiatives/{initiative.pk}", body)

    assert message in refused(response, field)
    assert rows() == before
    assert Initiative.objects.get(pk=initiative.pk).title == initiative.title


def test_a_multi_line_text_keeps_its_line_breaks_and_tabs(api, acme):
    description = "First line\n\n\tindented\r\nlast"
    response = api.patch(f"{V1}/initiatives/{acme['initiative'].pk}", {"description": description})
    assert response.status_code == 200
    assert Initiative.objects.get(pk=acme["initiative"].pk).description == description


def test_a_position_beyond_32_bits_is_refused_on_every_database(api, acme, rows):
    """SQLite would store 2**40 where PostgreSQL cannot: the instance could not move."""
    before = rows()
    response = api.patch(f"{V1}/pillars/{acme['pillar'].pk}", {"position": 2**40})
    assert "2147483647" in refused(response, "position")
    assert rows() == before


def test_a_grade_of_nan_is_refused(api, acme, rows):
    before = rows()
    response = api.patch(f"{V1}/key-results/{acme['key_result'].pk}", {"grade": "NaN"})
    refused(response, "grade")
    assert rows() == before


@time_machine.travel(NOW, tick=False)
def test_a_check_in_dated_in_the_future_is_refused(api, acme, rows):
    before = rows()
    response = api.post(
        f"{V1}/key-results/{acme['key_result'].pk}/check-ins",
        {"value": "5", "confidence": 5, "date": "2026-11-03"},
    )
    assert refused(response, "date") == "A check-in cannot be dated in the future."
    assert rows() == before
    today = api.post(
        f"{V1}/key-results/{acme['key_result'].pk}/check-ins",
        {"value": "5", "confidence": 5, "date": "2026-11-02"},
    )
    assert today.status_code == 201


@pytest.mark.parametrize("offset", ["9223372036854775808", "2147483648", "-1", "²"])
def test_an_offset_out_of_range_is_refused_on_every_list(api, acme, offset):
    lists = [
        path
        for path, item in SCHEMA["paths"].items()
        if any(p["name"] == "offset" for p in item.get("get", {}).get("parameters", []))
    ]
    assert len(lists) >= 20
    for path in lists:
        url = re.sub(r"\{(\w+)\}", lambda m: str(_id(m[1], acme)), path)
        response = api.get(url, offset=offset)
        assert refused(response, "offset"), url


def _id(name: str, acme) -> object:
    if name == "workspace":
        return acme["workspace"].slug
    return acme[name.removesuffix("_id")].pk


@pytest.mark.parametrize("value", [str(2**63), str(2**64), "0", "²"])
def test_an_id_out_of_range_in_a_path_or_query_is_refused_not_a_500(api, acme, value):
    assert api.get(f"{V1}/teams/{value}").status_code in {404, 422}
    refused(api.get(f"{V1}/objectives", team_id=value), "team_id")


def test_a_malformed_id_in_a_page_query_is_a_422_naming_it(owner, client_as):
    client = client_as(owner)
    for team in ["²", "٣", "99999999999999999999", "-1"]:
        response = client.get("/w/acme-test/roadmap/", {"team": team})
        assert response.status_code == 422
        assert "<code>team</code> is not valid" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("end_date", "9999-12-31", "between 1970-01-01 and 2200-12-31"),
        ("title", "Bell\x07", "control characters"),
        ("reach", str(2**40), "2147483647"),
    ],
)
def test_the_initiative_form_shows_the_refusal_beside_the_field(
    owner, acme, client_as, rows, field, value, message
):
    form = {
        "title": "New work",
        "roadmap": acme["roadmap"].pk,
        "status": "idea",
        "horizon": "later",
        "effort": "1",
        "reach": "0",
        "impact": "1",
        "confidence": "80",
        field: value,
    }
    before = rows()
    response = client_as(owner).post("/w/acme-test/roadmap/initiatives/new/", form)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert rows() == before


def test_the_check_in_form_refuses_a_future_date(owner, acme, client_as, rows):
    key_result = acme["key_result"]
    before = rows()
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = client_as(owner).post(
        f"/w/acme-test/okrs/key-results/{key_result.pk}/check-in/",
        {"value": "3", "confidence": "5", "date": tomorrow.isoformat(), "note": ""},
    )
    assert "cannot be dated in the future" in response.content.decode()
    assert rows() == before
    assert not CheckIn.objects.filter(date=tomorrow).exists()


# ---------------------------------------------------------------- extremes break nothing


def test_the_extreme_accepted_values_break_no_page_feed_or_api_answer(owner, acme, api):
    """Store the largest and smallest values the bounds accept, through the API (and so the
    services), then read every page, feed and API list of the workspace: none may 500."""
    ids = {name: obj.pk for name, obj in acme.items() if hasattr(obj, "pk")}
    writes = [
        (
            f"initiatives/{ids['initiative']}",
            {
                "start_date": "1970-01-01",
                "end_date": "2200-12-31",
                "title": "T" * 200,
                "description": LONGEST_TEXT,
                "reach": 2**31 - 1,
                "effort": "999999.99",
                "impact": "3",
                "confidence": 100,
            },
        ),
        (f"pillars/{ids['pillar']}", {"position": 2**31 - 1, "description": LONGEST_TEXT}),
        (f"cycles/{ids['cycle']}", {"start": "1970-01-01", "end": "2200-12-31"}),
        (
            f"key-results/{ids['key_result']}",
            {
                "start_value": "-99999999999.9999",
                "target_value": "99999999999.9999",
            },
        ),
        (
            f"reviews/{ids['review']}",
            {
                "scheduled_at": "2200-12-31T23:59:59Z",
                "duration_minutes": 600,
                "recurrence": "weekly",
                "notes": LONGEST_TEXT,
            },
        ),
    ]
    for path, body in writes:
        response = api.patch(f"{V1}/{path}", body)
        assert response.status_code == 200, (path, response.content)
    check_in = api.post(
        f"{V1}/key-results/{ids['key_result']}/check-ins",
        {
            "value": "99999999999.9999",
            "confidence": 10,
            "date": "1970-01-01",
            "note": LONGEST_TEXT,
        },
    )
    assert check_in.status_code == 201, check_in.content
    review = api.post(
        f"{V1}/reviews",
        {
            "kind": "retrospective",
            "title": "R" * 200,
            "scheduled_at": "1970-01-01T00:00:00Z",
            "attendee_ids": [ids["member"]],
        },
    )
    assert review.status_code == 201, review.content

    client = Client()
    client.force_login(owner.user)
    failures = []
    for route, _ in PAGES:
        # Pages of no workspace show none of its data (the calendar feeds are read below);
        # /readyz answers 503 by design while no worker has reported.
        if "workspace" not in route:
            continue
        url = _fill(route, acme)
        status = client.get(url).status_code
        if status >= 500:
            failures.append(url)
    for scope in FeedScope.values:
        _, token = calendar_feed_create(member=owner, scope=scope)
        if client.get(f"/calendar/{token}.ics").status_code >= 500:
            failures.append(f"calendar feed ({scope})")
    for method, path in OPERATIONS:
        if method != "get":
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: str(_id(m[1], acme)), path)
        if api.client.get(url, headers=api.headers).status_code >= 500:
            failures.append(url)
    assert not failures
