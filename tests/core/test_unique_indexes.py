"""Unique constraints checked against an in-memory index (a plan apply's thousands of new
rows): the same refusals, naming the same field, without a query per row."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.core.tenancy import unique_indexes
from tandem.roadmaps.models import Contribution, Initiative
from tandem.roadmaps.services import contribution_create, initiative_create
from tests.factories import make_initiative, make_key_result, make_roadmap


def test_a_clash_with_a_stored_row_or_a_new_one_is_refused_by_field(owner):
    kr, other = make_key_result(owner), make_key_result(owner)
    initiative = make_initiative(owner)
    contribution_create(initiative=initiative, key_result=kr, by=owner)
    with unique_indexes(owner.workspace, [Contribution]):
        with pytest.raises(ValidationError) as stored:
            contribution_create(initiative=initiative, key_result=kr, by=owner)
        contribution_create(initiative=initiative, key_result=other, by=owner)
        with pytest.raises(ValidationError) as new:
            contribution_create(initiative=initiative, key_result=other, by=owner)
    for refused in (stored, new):
        assert refused.value.message_dict == {
            "key_result": ["This initiative already contributes to that key result."]
        }


def test_a_conditional_constraint_only_where_its_condition_holds(owner):
    roadmap = make_roadmap(owner)
    refs = {"external_source": "jira", "external_id": "ACME-1"}
    initiative_create(roadmap=roadmap, title="First", by=owner, **refs)
    with unique_indexes(owner.workspace, [Initiative]):
        initiative_create(roadmap=roadmap, title="No reference", by=owner)
        initiative_create(roadmap=roadmap, title="No reference either", by=owner)
        with pytest.raises(ValidationError) as refused:
            initiative_create(roadmap=roadmap, title="Second", by=owner, **refs)
    assert "external_id" in refused.value.message_dict


def test_rows_are_checked_without_asking_the_database(owner):
    initiative = make_initiative(owner)
    key_results = [make_key_result(owner) for _ in range(7)]
    # Warm the content type cache first, so neither count includes it.
    contribution_create(initiative=initiative, key_result=key_results.pop(), by=owner)

    def queries(krs, indexed: bool) -> int:
        with CaptureQueriesContext(connection) as captured:
            if indexed:
                with unique_indexes(owner.workspace, [Contribution]):
                    for kr in krs:
                        contribution_create(initiative=initiative, key_result=kr, by=owner)
            else:
                for kr in krs:
                    contribution_create(initiative=initiative, key_result=kr, by=owner)
        return len(captured)

    plain = queries(key_results[:3], indexed=False)
    indexed = queries(key_results[3:], indexed=True)
    assert indexed == plain - 3 + 1  # one query per row saved, one to read the index
