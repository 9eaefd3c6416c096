"""The settings, members and invitation pages, as people use them."""

import datetime
import re

import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from tandem.accounts import invitations
from tandem.accounts.models import Invitation, Member, Role, Workspace
from tandem.accounts.services import member_add, user_create, workspace_create
from tandem.integrations.services import endpoint_create
from tandem.strategy.services import team_set_members, team_update
from tests import factories
from tests.conftest import PASSWORD
from tests.test_tenancy import _fill, _walk

SETTINGS = "/w/acme-test/settings/"
MEMBERS = "/w/acme-test/settings/members/"


def _settings_routes():
    return [route for route, _ in _walk(get_resolver().url_patterns) if "/settings/" in route]


def test_viewers_and_editors_reach_no_settings_page(owner, editor, viewer, client_as):
    team = factories.make_team(owner)
    invitation, _ = invitations.invitation_create(email="x@acme.test", role="viewer", by=owner)
    objects = {"workspace": owner.workspace, "member": owner, "invitation": invitation}
    objects |= {"team": team, "webhook": invitation, "webhook_delivery": invitation}
    objects["tracker_endpoint"] = endpoint_create(kind="jira", name="acme", by=owner)
    routes = _settings_routes()
    assert len(routes) >= 8
    before = (Member.objects.count(), Invitation.objects.count(), Workspace.objects.count())
    for person in (viewer, editor):
        client = client_as(person)
        for route in routes:
            url = _fill(route, objects)
            assert client.get(url).status_code in {403, 405}, url
            assert client.post(url, {"role": "owner", "confirm": "acme-test"}).status_code in {
                403,
                404,
            }, url
    assert (Member.objects.count(), Invitation.objects.count(), Workspace.objects.count()) == before


def test_the_user_menu_offers_settings_only_to_admins(owner, viewer, client_as):
    assert SETTINGS in client_as(owner).get("/w/acme-test/").content.decode()
    assert SETTINGS not in client_as(viewer).get("/w/acme-test/").content.decode()


def test_settings_save_and_a_taken_slug_is_not_available(owner, outsider, client_as):
    client = client_as(owner)
    form = {
        "name": "Acme",
        "slug": "globex",
        "time_zone": "Europe/Paris",
        "cycle_length": "weeks",
        "cycle_weeks": "",
    }
    response = client.post(SETTINGS, form)
    assert response.status_code == 422
    assert "Enter the number of weeks." in response.content.decode()
    response = client.post(SETTINGS, form | {"cycle_weeks": "6"})
    assert response.status_code == 422
    assert "This web address is not available" in response.content.decode()
    assert Workspace.objects.get(pk=owner.workspace_id).name == "Acme Test"

    response = client.post(SETTINGS, form | {"slug": "acme", "cycle_weeks": "6"})
    assert response.status_code == 302 and response["Location"] == "/w/acme/settings/"
    workspace = Workspace.objects.get(pk=owner.workspace_id)
    assert (workspace.slug, workspace.time_zone, workspace.cycle_weeks) == (
        "acme",
        "Europe/Paris",
        6,
    )


def test_a_new_cycle_is_prefilled_with_the_default_length(owner, client_as):
    owner.workspace.cycle_weeks = 6
    owner.workspace.save()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        text = client_as(owner).get("/w/acme-test/okrs/cycles/").content.decode()
    assert 'value="2026-12-01"' in text
    assert 'value="2027-01-11"' in text  # six weeks, the last day included


def test_the_owner_deletes_after_typing_the_slug(owner, client_as):
    client = client_as(owner)
    refused = client.post(f"{SETTINGS}delete/", {"confirm": "acme"})
    assert refused.status_code == 422
    assert "to delete it" in refused.content.decode()
    assert Workspace.objects.filter(pk=owner.workspace_id).exists()

    done = client.post(f"{SETTINGS}delete/", {"confirm": "acme-test"})
    assert done.status_code == 302
    assert not Workspace.objects.filter(pk=owner.workspace_id).exists()


def test_an_admin_sees_no_danger_zone_and_cannot_delete(owner, editor, client_as):
    editor.role = Role.ADMIN
    editor.save()
    client = client_as(editor)
    assert "Danger zone" not in client.get(SETTINGS).content.decode()
    assert client.post(f"{SETTINGS}delete/", {"confirm": "acme-test"}).status_code == 403


def test_invite_and_see_the_invitation_waiting(
    owner, client_as, django_capture_on_commit_callbacks
):
    client = client_as(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(MEMBERS, {"email": "nina@acme.test", "role": "editor"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    page = client.get(MEMBERS).content.decode()
    assert "nina@acme.test" in page and "Expires" in page

    bad = client.post(MEMBERS, {"email": "nina@", "role": "editor"})
    assert bad.status_code == 422
    assert "Enter a valid email address." in bad.content.decode()


def test_the_members_page_is_constant_in_queries(owner, client_as, django_assert_num_queries):
    client = client_as(owner)
    client.get(MEMBERS)
    with CaptureQueriesContext(connection) as first:
        client.get(MEMBERS)
    for n in range(6):
        factories_member(owner, n)
        invitations.invitation_create(email=f"i{n}@acme.test", role="viewer", by=owner)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(MEMBERS).status_code == 200


def factories_member(owner, n):
    user = user_create(email=f"m{n}@acme.test", password=None, name=f"M {n}")
    return member_add(user=user, role=Role.VIEWER, by=owner)


def test_removing_lists_what_they_own_and_hands_it_over(owner, editor, client_as):
    team = factories.make_team(owner, name="Growth")
    team_set_members(team=team, members=[editor], by=owner)
    team_update(team=team, lead=editor, by=owner)
    client = client_as(owner)
    url = f"{MEMBERS}{editor.pk}/remove/"
    page = client.get(url).content.decode()
    assert "Growth" in page and "Hand over" in page

    client.post(url, {"action": "reassign", "to": owner.pk})
    team.refresh_from_db()
    assert team.lead == owner
    assert client.post(url, {"action": "remove"}).status_code == 302
    assert not Member.objects.filter(pk=editor.pk).exists()


def test_the_last_owner_cannot_leave_from_the_page(owner, client_as):
    response = client_as(owner).post(f"{MEMBERS}{owner.pk}/remove/", {"action": "remove"})
    assert response.status_code == 422
    assert "keeps at least one owner" in response.content.decode()


def test_a_new_person_accepts_and_lands_in_the_workspace(owner):
    _, raw = invitations.invitation_create(email="nina@acme.test", role="editor", by=owner)
    client = Client()
    page = client.get(f"/invitations/{raw}/").content.decode()
    assert "Join Acme Test" in page and "Create your account" in page

    weak = client.post(f"/invitations/{raw}/", {"name": "Nina", "password": "nina"})
    assert weak.status_code == 422
    assert "too short" in weak.content.decode()

    done = client.post(f"/invitations/{raw}/", {"name": "Nina", "password": PASSWORD})
    assert done["Location"] == "/w/acme-test/"
    assert client.get("/w/acme-test/").status_code == 200
    used = Client().get(f"/invitations/{raw}/")
    assert used.status_code == 410
    assert "already been used" in used.content.decode()


def test_an_unknown_link_names_no_workspace(owner):
    invitations.invitation_create(email="nina@acme.test", role="editor", by=owner)
    response = Client().get("/invitations/made-up/")
    assert response.status_code == 404
    assert "Acme" not in response.content.decode()


def test_a_member_sets_their_own_time_zone(viewer, client_as):
    client = client_as(viewer)
    response = client.post("/w/acme-test/preferences/", {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    assert Member.objects.get(pk=viewer.pk).time_zone == "Asia/Tokyo"
    bad = client.post("/w/acme-test/preferences/", {"time_zone": "Asia/Atlantis"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    assert re.search(r"for you", client.get("/w/acme-test/preferences/").content.decode())


def test_an_archived_workspace_is_marked_and_listed_last(owner, client_as):
    other = workspace_create(name="Zebra", owner=owner.user, slug="zebra")
    client = client_as(owner)
    assert client.post(f"{SETTINGS}archive/").status_code == 302
    page = client.get(f"/w/{other.slug}/").content.decode()
    switcher = page[page.index("Your workspaces") :]
    assert switcher.index("Zebra") < switcher.index("Acme Test")
    assert 'Acme Test <span class="muted">(archived)</span>' in switcher
    assert client.get("/")["Location"] == "/w/zebra/"
    client.post(f"{SETTINGS}archive/", {"archived": "0"})
    assert Workspace.objects.get(slug="acme-test").archived_at is None


def test_the_settings_page_is_constant_in_queries(owner, editor, client_as):
    client = client_as(owner)
    client.get(SETTINGS)
    with CaptureQueriesContext(connection) as few:
        client.get(SETTINGS)
    for _ in range(5):
        factories.make_key_result(owner)
    with CaptureQueriesContext(connection) as many:
        assert "Danger zone" in client.get(SETTINGS).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
