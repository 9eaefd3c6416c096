"""External references: shown as a link on the object's page, unique per source."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories


def test_an_objective_and_an_initiative_link_to_where_they_came_from(owner, viewer, client_as):
    objective = factories.make_objective(
        owner,
        external_source="jira",
        external_id="ACME-7",
        external_url="https://jira.example/browse/ACME-7",
    )
    initiative = factories.make_initiative(owner, external_source="linear", external_id="LIN-3")
    client = client_as(viewer)
    slug = owner.workspace.slug
    page = client.get(
        reverse("objective_detail", kwargs={"workspace": slug, "objective_id": objective.pk})
    ).content.decode()
    assert (
        '<a href="https://jira.example/browse/ACME-7" rel="noopener noreferrer nofollow">' in page
    )
    assert ">jira ACME-7</a>" in page
    page = client.get(
        reverse("initiative_detail", kwargs={"workspace": slug, "initiative_id": initiative.pk})
    ).content.decode()
    assert "From linear LIN-3" in page


def test_an_external_id_is_unique_per_workspace_and_source(owner, outsider):
    factories.make_initiative(owner, external_source="jira", external_id="ACME-1")
    # Another source, or another workspace, may use the same id.
    factories.make_initiative(owner, external_source="linear", external_id="ACME-1")
    factories.make_initiative(outsider, external_source="jira", external_id="ACME-1")
    with pytest.raises(ValidationError) as error:
        factories.make_initiative(owner, external_source="jira", external_id="ACME-1")
    assert error.value.message_dict == {
        "external_id": ["Another object of this workspace has this source and id."]
    }
    with pytest.raises(ValidationError) as error:
        factories.make_initiative(owner, external_id="ACME-2")
    assert error.value.message_dict == {
        "external_source": ["Say which source the external id belongs to."]
    }
