"""Two tabs editing the same thing: the second save does not silently undo the first. The
stale form comes back (409) with what is saved now, a message above it, and the values the
user had typed; nothing is written."""

import datetime
import re

from django.db import models
from django.urls import reverse

from tandem.activity.models import ChangeEvent
from tandem.okrs.forms import KeyResultForm, ObjectiveForm
from tandem.reviews import services as reviews
from tandem.roadmaps.forms import InitiativeForm
from tandem.roadmaps.models import Roadmap
from tandem.strategy.models import Team
from tests import factories

MESSAGE = "while you were editing it, so your changes were not saved"


def submitted(form) -> dict:
    """What the browser posts for `form` as drawn, untouched."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, models.Model):
            value = value.pk
        data[name] = value
    return data


def hidden_version(html: str) -> str:
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', html)
    assert match, "the form carries no version"
    return match.group(1)


def _initiative_tab(owner, initiative):
    workspace = owner.workspace
    form = InitiativeForm(
        initial={
            **{
                name: getattr(initiative, name)
                for name in InitiativeForm.base_fields
                if name not in {"reason", "version"}
            },
            "version": initiative.version,
        },
        roadmaps=Roadmap.objects.in_workspace(workspace),
        teams=Team.objects.in_workspace(workspace),
    )
    return submitted(form)


def test_an_initiative_saved_in_another_tab_is_not_overwritten(owner, editor, client_as):
    initiative = factories.make_initiative(owner, title="Offline mode")
    url = reverse(
        "initiative_detail",
        kwargs={"workspace": owner.workspace.slug, "initiative_id": initiative.pk},
    )
    first_tab = _initiative_tab(owner, initiative)
    second_tab = dict(first_tab, title="Offline mode, phase 1")
    assert client_as(owner).post(url, second_tab).status_code == 302

    events = ChangeEvent.objects.count()
    first_tab["effort"] = "8"
    response = client_as(editor).post(url, first_tab)

    assert response.status_code == 409
    html = response.content.decode()
    assert MESSAGE in html
    assert 'value="Offline mode, phase 1"' in html  # the form shows what is saved now
    assert hidden_version(html) == "2"
    yours = dict(response.context["stale"].yours)
    assert yours["Effort"] == "8"
    initiative.refresh_from_db()
    assert (initiative.title, initiative.effort, initiative.version) == (
        "Offline mode, phase 1",
        0,
        2,
    )
    assert ChangeEvent.objects.count() == events

    # Submitting the form as shown now (the current version) saves.
    again = dict(_initiative_tab(owner, initiative), effort="8")
    assert client_as(editor).post(url, again).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.effort) == ("Offline mode, phase 1", 8)


def test_a_form_without_a_version_still_saves_last_write_wins(owner, client_as):
    initiative = factories.make_initiative(owner, title="Offline mode")
    url = reverse(
        "initiative_detail",
        kwargs={"workspace": owner.workspace.slug, "initiative_id": initiative.pk},
    )
    data = _initiative_tab(owner, initiative)
    del data["version"]
    factories.roadmaps.initiative_update(initiative=initiative, by=owner, effort=3)
    assert client_as(owner).post(url, dict(data, title="Mine")).status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Mine"


def test_an_objective_saved_in_another_tab_is_not_overwritten(owner, editor, client_as):
    objective = factories.make_objective(owner, title="Win SMB")
    url = reverse(
        "objective_edit", kwargs={"workspace": owner.workspace.slug, "objective_id": objective.pk}
    )
    html = client_as(editor).get(url).content.decode()
    assert hidden_version(html) == "1"
    tab = submitted(
        ObjectiveForm(
            workspace=owner.workspace,
            initial={"title": "Win SMB", "commitment": objective.commitment, "version": 1},
        )
    )
    assert client_as(owner).post(url, dict(tab, title="Win mid-market")).status_code == 302

    response = client_as(editor).post(url, dict(tab, description="Because churn."))

    assert response.status_code == 409
    html = response.content.decode()
    assert MESSAGE in html and 'value="Win mid-market"' in html
    assert hidden_version(html) == "2"
    objective.refresh_from_db()
    assert (objective.title, objective.description) == ("Win mid-market", "")


def test_a_key_result_saved_in_another_tab_is_not_overwritten(owner, editor, client_as):
    key_result = factories.make_key_result(owner, title="NPS 40")
    url = reverse(
        "key_result_edit",
        kwargs={"workspace": owner.workspace.slug, "key_result_id": key_result.pk},
    )
    fields = ["title", "kind", "unit", "currency", "start_value", "target_value", "weight"]
    initial = {name: getattr(key_result, name) for name in fields}
    tab = submitted(KeyResultForm(workspace=owner.workspace, initial={**initial, "version": 1}))
    assert client_as(owner).post(url, dict(tab, title="NPS 45")).status_code == 302

    response = client_as(editor).post(url, dict(tab, target_value="50"))

    assert response.status_code == 409
    assert 'value="NPS 45"' in response.content.decode()
    key_result.refresh_from_db()
    assert (key_result.title, key_result.target_value) == ("NPS 45", 100)


def test_minutes_written_in_another_tab_are_not_overwritten(owner, editor, client_as):
    review = reviews.review_schedule(
        kind="okr_review",
        title="Q4 review",
        scheduled_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC),
        attendees=[owner, editor],
        by=owner,
    )
    url = reverse(
        "review_notes", kwargs={"workspace": owner.workspace.slug, "review_id": review.pk}
    )
    assert (
        client_as(owner).post(url, {"notes": "Olivia's minutes", "version": 1}).status_code == 302
    )

    response = client_as(editor).post(url, {"notes": "Eddie's minutes", "version": 1})

    assert response.status_code == 409
    html = response.content.decode()
    assert MESSAGE in html
    assert "Olivia&#x27;s minutes</textarea>" in html
    assert "Eddie&#x27;s minutes" in html  # what they typed, to copy back
    review.refresh_from_db()
    assert review.notes == "Olivia's minutes"


def _strategy_url(owner, name, **kwargs):
    return reverse(name, kwargs={"workspace": owner.workspace.slug, **kwargs})


def test_the_vision_saved_in_another_tab_is_not_overwritten(owner, client_as):
    url = _strategy_url(owner, "vision_edit")
    assert hidden_version(client_as(owner).get(url).content.decode()) == "0"
    assert client_as(owner).post(url, {"vision": "Plans kept.", "version": 0}).status_code == 302

    response = client_as(owner).post(url, {"vision": "Plans met.", "version": 0})

    assert response.status_code == 409
    assert "Plans kept.</textarea>" in response.content.decode()
    assert factories.strategy.Strategy.objects.get().vision == "Plans kept."


def test_a_pillar_and_a_team_saved_in_another_tab_are_not_overwritten(owner, editor, client_as):
    pillar = factories.make_pillar(owner, name="Trust")
    url = _strategy_url(owner, "pillar_edit", pillar_id=pillar.pk)
    assert client_as(owner).post(url, {"name": "Trust & safety", "version": 1}).status_code == 302
    response = client_as(owner).post(url, {"name": "Reach", "version": 1})
    assert response.status_code == 409
    assert 'value="Trust &amp; safety"' in response.content.decode()

    team = factories.make_team(owner, name="Growth")
    url = _strategy_url(owner, "team_edit", team_id=team.pk)
    tab = {"name": "Growth", "color": "#4f6bed", "version": team.version}
    assert client_as(owner).post(url, dict(tab, members=[editor.pk])).status_code == 302
    response = client_as(owner).post(url, dict(tab, name="Core"))
    assert response.status_code == 409
    team.refresh_from_db()
    assert team.name == "Growth"
    assert list(team.members.all()) == [editor]


def test_a_role_changed_meanwhile_is_not_overwritten(owner, editor, client_as):
    url = reverse("member_role", kwargs={"workspace": owner.workspace.slug, "member_id": editor.pk})
    assert client_as(owner).post(url, {"role": "viewer", "version": 1}).status_code == 302
    response = client_as(owner).post(url, {"role": "admin", "version": 1}, follow=True)
    assert "changed by someone else meanwhile: they are viewer" in response.content.decode()
    editor.refresh_from_db()
    assert editor.role == "viewer"


def test_workspace_settings_saved_in_another_tab_are_not_overwritten(owner, client_as):
    url = reverse("settings_general", kwargs={"workspace": owner.workspace.slug})
    tab = {"name": "Acme Test", "slug": "acme-test", "time_zone": "UTC", "cycle_length": "quarter"}
    assert client_as(owner).post(url, dict(tab, name="Acme", version=1)).status_code == 302

    response = client_as(owner).post(url, dict(tab, time_zone="Europe/Paris", version=1))

    assert response.status_code == 409
    assert 'value="Acme"' in response.content.decode()
    owner.workspace.refresh_from_db()
    assert (owner.workspace.name, owner.workspace.time_zone) == ("Acme", "UTC")
