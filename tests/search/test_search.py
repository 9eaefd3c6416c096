"""Search: the index follows the services' writes, ranks, stays within the workspace, and
answers on the page, in the palette's partial and over the API."""

import datetime
from collections import defaultdict
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from tandem.accounts.services import (
    api_token_create,
    member_add,
    member_remove,
    user_create,
    workspace_create,
)
from tandem.activity.models import ChangeEvent
from tandem.okrs.services import objective_archive, objective_update
from tandem.roadmaps import services as roadmaps
from tandem.roadmaps.models import InsightKind
from tandem.search.index import index_changes, is_indexed
from tandem.search.models import SearchEntry
from tandem.search.query import search
from tests import factories


@contextmanager
def _indexed():
    """What the outbox does right after a commit, for the events written inside (a test's
    transaction never commits): the index's subscriber, with each workspace's events."""
    last = ChangeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    events = defaultdict(list)
    for event in ChangeEvent.objects.filter(pk__gt=last).order_by("pk"):
        if is_indexed(event):
            events[event.workspace_id].append(event.pk)
    for workspace_id, ids in events.items():
        index_changes(workspace_id=workspace_id, event_ids=ids)


@pytest.fixture
def indexed():
    """Bring the index up to date with the writes made inside `with indexed():`."""
    return _indexed


def titles(member, query):
    return [(r.kind, r.title) for r in search(member=member, query=query)]


def test_what_the_services_write_is_found_by_prefix(owner, indexed):
    with indexed():
        objective = factories.make_objective(owner, title="Delight enterprise admins")
        factories.make_key_result(owner, objective=objective, title="Cut SSO setup time")
        factories.make_initiative(owner, title="SSO wizard", description="Okta and Azure AD")
        roadmaps.insight_create(
            title="Setup is slow",
            text="Our SSO rollout took weeks",
            kind=InsightKind.CUSTOMER_FEEDBACK,
            by=owner,
        )
    assert ("objective", "Delight enterprise admins") in titles(owner, "enterp")
    found = titles(owner, "sso")
    assert {("key_result", "Cut SSO setup time"), ("initiative", "SSO wizard")} <= set(found)
    # A word in the body finds it too, ranked below the titles that hold it.
    assert found[-1] == ("insight", "Setup is slow")
    # Every word must match; the body's words count.
    assert titles(owner, "sso okta") == [("initiative", "SSO wizard")]


def test_a_new_workspace_finds_its_owner(db, indexed):
    with indexed():
        user = user_create(email="nina@new.test", password="a long password 1", name="Nina New")
        workspace = workspace_create(name="New Co", owner=user, slug="new-co")
    member = workspace.members.get()
    assert titles(member, "nina") == [("person", "Nina New")]


def test_an_edit_an_archive_and_a_removal_are_followed(owner, indexed):
    with indexed():
        user = user_create(
            email="eddie@acme.test", password="a long password 1", name="Eddie Editor"
        )
        editor = member_add(user=user, role="editor", by=owner)
    assert titles(owner, "eddie") == [("person", "Eddie Editor")]
    with indexed():
        objective = factories.make_objective(owner, title="Grow revenue")
    with indexed():
        objective_update(objective=objective, title="Grow retention", by=owner)
    assert titles(owner, "revenue") == []
    assert titles(owner, "retention") == [("objective", "Grow retention")]
    with indexed():
        objective_archive(objective=objective, by=owner)
    [result] = search(member=owner, query="retention")
    assert result.context.endswith("archived")
    # Someone removed from the workspace is no longer found.
    with indexed():
        member_remove(member=editor, by=owner)
    assert titles(owner, "eddie") == []


def test_another_workspace_is_never_found(owner, outsider, indexed):
    with indexed():
        factories.make_objective(owner, title="Secret acquisition plan")
        factories.make_objective(outsider, title="Globex acquisition plan")
    assert titles(outsider, "acquisition") == [("objective", "Globex acquisition plan")]
    assert titles(owner, "globex") == []


def test_pages_come_first_and_respect_the_role(owner, viewer, indexed):
    with indexed():
        factories.make_initiative(owner, title="Timeline export")
    assert titles(owner, "timeline")[:2] == [
        ("page", "Timeline"),
        ("initiative", "Timeline export"),
    ]
    assert ("page", "Members") in titles(owner, "members")
    assert ("page", "Members") not in titles(viewer, "members")


@pytest.mark.parametrize("query", ["", "   ", '"*()-:^', "\x00", "a" * 500, "NEAR OR AND NOT"])
def test_any_query_answers_without_error(owner, indexed, query):
    with indexed():
        factories.make_objective(owner, title="Near the target")
    assert isinstance(search(member=owner, query=query), list)


def test_reindex_rebuilds_what_bulk_writes_skipped(owner, indexed):
    with indexed():
        factories.make_objective(owner, title="Ship the mobile app")
    SearchEntry.objects.all().delete()
    assert titles(owner, "mobile") == []
    call_command("search", "reindex")
    assert titles(owner, "mobile") == [("objective", "Ship the mobile app")]


def test_the_index_is_the_databases_own(owner):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_searchentry_document'"
            )
            assert "gin" in cursor.fetchone()[0].lower()
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_searchentry_fts'")
            assert "fts5" in cursor.fetchone()[0].lower()


def test_search_page_and_palette_partial(owner, client_as, indexed):
    with indexed():
        objective = factories.make_objective(owner, title="Win the mid-market")
    client = client_as(owner)
    url = reverse("search", kwargs={"workspace": owner.workspace.slug})
    page = client.get(url, {"q": "mid"}).content.decode()
    assert "<h1>Search</h1>" in page
    link = reverse(
        "objective_detail", kwargs={"workspace": owner.workspace.slug, "objective_id": objective.pk}
    )
    assert f'href="{link}"' in page
    partial = client.get(url, {"q": "mid"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<h1>" not in partial and f'href="{link}"' in partial
    assert "Nothing matches" in client.get(url, {"q": "zzzz"}).content.decode()


def test_search_query_count_does_not_grow(owner, client_as, indexed, django_assert_num_queries):
    client = client_as(owner)
    url = reverse("search", kwargs={"workspace": owner.workspace.slug})
    with indexed():
        factories.make_objective(owner, title="Alpha 1")
    client.get(url, {"q": "alpha"})
    with django_assert_num_queries(8) as first:
        client.get(url, {"q": "alpha"})
    with indexed():
        cycle = factories.make_cycle(
            owner, start=datetime.date(2027, 1, 1), end=datetime.date(2027, 3, 31)
        )
        for n in range(15):
            factories.make_objective(owner, cycle=cycle, title=f"Alpha {n}")
    with django_assert_num_queries(len(first.captured_queries)):
        html = client.get(url, {"q": "alpha"}).content.decode()
    assert html.count('class="search-item"') == 16


def test_search_api(owner, outsider, client, indexed):
    with indexed():
        key_result = factories.make_key_result(owner, title="Raise NPS to 50")
    _, token = api_token_create(user=owner.user, name="script")
    url = f"/api/v1/workspaces/{owner.workspace.slug}/search"
    answer = client.get(url, {"q": "nps"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200
    assert answer.json() == [
        {
            "kind": "key_result",
            "id": key_result.pk,
            "title": "Raise NPS to 50",
            "context": key_result.objective.title,
            "url": f"/w/{owner.workspace.slug}/okrs/key-results/{key_result.pk}/",
        }
    ]
    assert (
        client.get(url, {"q": "x" * 201}, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 422
    )
    _, theirs = api_token_create(user=outsider.user, name="theirs")
    assert client.get(url, {"q": "nps"}, HTTP_AUTHORIZATION=f"Bearer {theirs}").status_code == 404


def test_a_check_in_leaves_the_key_results_entry_alone_a_new_title_rewrites_it(owner):
    from decimal import Decimal

    from tandem.okrs.services import key_result_check_in, key_result_update

    kr = factories.make_key_result(owner, title="Activation")
    key_result_check_in(
        key_result=kr, value=Decimal(5), confidence=7, date=datetime.date(2026, 11, 2), by=owner
    )
    moved = ChangeEvent.objects.filter(action="checked_in").get()
    assert not is_indexed(moved)  # its value, not anything its entry reads
    key_result_update(key_result=kr, title="Activation rate", by=owner)
    assert is_indexed(ChangeEvent.objects.filter(action="updated").latest("pk"))
