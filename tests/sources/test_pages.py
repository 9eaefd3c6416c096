"""The data source card on the key result page."""

import datetime
from decimal import Decimal

from tandem.okrs.models import CheckIn
from tandem.okrs.services import key_result_check_in
from tandem.sources.models import DataSource

TODAY = datetime.date(2026, 11, 16)


def _url(key_result, tail=""):
    return f"/w/acme-test/okrs/key-results/{key_result.pk}/{tail}"


def test_an_editor_sets_a_push_source_and_sees_the_secret_once(editor, key_result, client_as):
    client = client_as(editor)
    page = client.post(_url(key_result, "source/"), {"kind": "push", "every": ""})
    assert page.status_code == 200
    text = page.content.decode()
    source = DataSource.objects.get()
    assert "shown only this once" in text and f"/api/v1/push/{source.push_id}" in text
    assert "curl -X POST" in text and "Authorization: Bearer tsp_" in text
    again = client.get(_url(key_result)).content.decode()
    assert "shown only this once" not in again and "Bearer YOUR_SECRET" in again
    assert "whenever the script pushes" in again


def test_a_bad_address_is_shown_on_its_field_and_nothing_is_saved(editor, key_result, client_as):
    page = client_as(editor).post(
        _url(key_result, "source/"),
        {"kind": "json", "url": "http://127.0.0.1:9/metrics", "path": "teams", "every": "daily"},
    )
    assert page.status_code == 422
    assert "Tandem may not fetch this address (loopback address)" in page.content.decode()
    assert not DataSource.objects.exists()


def test_run_now_records_the_value(editor, key_result, client_as, feed, allow_egress):
    allow_egress("127.0.0.1")
    feed.body = b'{"teams": 77}'
    client = client_as(editor)
    saved = client.post(
        _url(key_result, "source/"),
        {"kind": "json", "url": feed.url, "path": "teams", "every": "weekly"},
    )
    assert saved.status_code == 302
    ran = client.post(_url(key_result, "source/run/"), follow=True)
    text = ran.content.decode()
    assert "Read 77." in text and "checked in" in text and "from its json source" in text
    assert CheckIn.objects.get().value == 77
    client.post(_url(key_result, "source/remove/"))
    assert not DataSource.objects.exists() and CheckIn.objects.exists()


def test_viewers_see_the_source_but_not_the_form(owner, viewer, key_result, client_as):
    client_as(owner).post(_url(key_result, "source/"), {"kind": "push"})
    text = client_as(viewer).get(_url(key_result)).content.decode()
    assert "Pushed by a script" in text or "Push (a script posts the value)" in text
    assert "Save source" not in text and "New secret" not in text
    assert client_as(viewer).post(_url(key_result, "source/remove/")).status_code == 302
    assert DataSource.objects.exists()


def test_the_page_opens_with_a_source_value_beside_a_person_s_check_in(
    editor, key_result, client_as, feed, allow_egress
):
    key_result_check_in(
        key_result=key_result, value=Decimal(60), confidence=6, date=TODAY, by=editor
    )
    allow_egress("127.0.0.1")
    feed.body = b'{"teams": 64}'
    client = client_as(editor)
    client.post(
        _url(key_result, "source/"),
        {"kind": "json", "url": feed.url, "path": "teams", "every": "daily"},
    )
    client.post(_url(key_result, "source/run/"))
    page = client.get(_url(key_result))
    assert page.status_code == 200
    assert "Now: 64" in page.content.decode()
