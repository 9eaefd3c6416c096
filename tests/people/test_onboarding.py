"""The getting-started checklist ticks itself off; exploring a copy of the demo."""

import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.invitations import invitation_create
from tandem.accounts.models import Member, Workspace
from tandem.demo.copies import COPY_NAME, build_demo_copy, demo_copy_slug
from tandem.roadmaps.services import contribution_create
from tandem.strategy.services import strategy_set_vision
from tandem.web.onboarding import checklist
from tests import factories

HOME = "/w/acme-test/"


def _done(owner):
    return {step.key for step in checklist(owner.workspace, owner).steps if step.done}


def test_each_step_ticks_itself_off(owner):
    assert _done(owner) == set()
    strategy_set_vision(vision="Onboarding in minutes", by=owner)
    factories.make_pillar(owner)
    factories.make_team(owner)
    assert _done(owner) == {"vision", "pillars", "teams"}
    invitation_create(email="nina@acme.test", role="editor", by=owner)
    cycle = factories.make_cycle(owner)
    objective = factories.make_objective(owner, cycle=cycle)
    assert "objective" not in _done(owner)  # no key result yet
    kr = factories.make_key_result(owner, objective=objective)
    initiative = factories.make_initiative(owner)
    assert _done(owner) == {"vision", "pillars", "teams", "people", "cycle", "objective"}
    contribution_create(initiative=initiative, key_result=kr, by=owner)
    assert checklist(owner.workspace, owner).complete


def test_the_dashboard_shows_the_steps_as_links_for_an_admin(owner, client_as):
    text = client_as(owner).get(HOME).content.decode()
    assert "Getting started" in text and "0 of 7" in text
    assert 'href="/w/acme-test/strategy/vision/">Write the vision</a>' in text
    assert 'href="/w/acme-test/settings/members/">Invite people</a>' in text
    assert "Explore a copy of the demo" in text


def test_a_viewer_is_told_an_admin_does_the_admin_steps(owner, viewer, client_as):
    text = client_as(viewer).get(HOME).content.decode()
    assert "Write the vision" in text
    assert 'href="/w/acme-test/strategy/vision/"' not in text
    assert "An admin does this." in text
    # The viewer is a second member: "invite people" is done.
    assert re.search(r'data-step="people">\s*<span class="step-mark"[^>]*>✓', text)


def test_the_checklist_costs_one_query(owner):
    workspace = owner.workspace
    with CaptureQueriesContext(connection) as queries:
        checklist(workspace, owner)
    assert len(queries.captured_queries) == 1


def test_a_complete_checklist_folds_away(owner, editor, client_as):
    strategy_set_vision(vision="V", by=owner)
    factories.make_pillar(owner)
    factories.make_team(owner)
    kr = factories.make_key_result(owner)
    contribution_create(
        initiative=factories.make_initiative(owner, effort=Decimal(1)), key_result=kr, by=owner
    )
    text = client_as(owner).get(HOME).content.decode()
    assert "all 7 steps done. Your workspace is set up." in text
    assert "Explore a copy of the demo" not in text


def test_exploring_the_demo_builds_a_copy_of_ones_own(outsider, client_as):
    client = client_as(outsider)
    response = client.post("/workspaces/demo/")
    slug = f"acme-demo-{outsider.user.pk}"
    assert response["Location"] == f"/workspaces/demo/{slug}/"
    waiting = client.get(response["Location"])
    assert "Building your copy of the demo" in waiting.content.decode()

    build_demo_copy.call(outsider.user.pk, slug)
    assert build_demo_copy.call(outsider.user.pk, slug) == "already there"

    copy = Workspace.objects.get(slug=slug)
    assert copy.name == COPY_NAME
    me = Member.objects.get(workspace=copy, user=outsider.user)
    assert me.role == "owner"
    assert client.get(f"/workspaces/demo/{slug}/")["Location"] == f"/w/{slug}/"
    ready = client.get(f"/workspaces/demo/{slug}/", HTTP_HX_REQUEST="true")
    assert ready["HX-Redirect"] == f"/w/{slug}/"
    assert checklist(copy, me).complete
    assert demo_copy_slug(outsider.user) == f"{slug}-2"


def test_someone_elses_copy_is_not_found(owner, outsider, client_as):
    response = client_as(outsider).get("/workspaces/demo/acme-test/")
    assert response.status_code == 404
