"""tandem.core.rows: a row and its joined rows, as the ORM would have loaded them."""

import datetime

import pytest
import time_machine

from tandem.accounts.models import ApiToken, Member, hash_token
from tandem.accounts.services import api_token_create
from tandem.core.rows import all_rows, one_row


def test_the_instance_and_its_joins_equal_the_orms(owner, django_assert_num_queries):
    expires = datetime.datetime(2027, 1, 31, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)):
        token, raw = api_token_create(
            user=owner.user, name="script", workspace=owner.workspace, expires_at=expires
        )
    with django_assert_num_queries(1):
        found = one_row(ApiToken, joins=["user"], where={"token_hash": hash_token(raw)})
        assert found is not None
        assert found.user.email == owner.user.email and found.user.is_active is True
    expected = ApiToken.objects.get(pk=token.pk)
    for field in ApiToken._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found.expires_at == expires and found.expires_at.tzinfo is not None
    assert found.revoked_at is None and found._state.adding is False


def test_a_condition_on_a_joined_row(owner, outsider, django_assert_num_queries):
    def lookup(user, slug, active=True):
        return one_row(
            Member,
            joins=["workspace", "user"],
            where={"user": user.pk, "user.is_active": active, "workspace.slug": slug},
        )

    user = owner.user
    with django_assert_num_queries(1):
        found = lookup(user, "acme-test")
        assert found.pk == owner.pk and found.workspace.slug == "acme-test"
        assert found.user.pk == user.pk
    assert lookup(outsider.user, "acme-test") is None
    assert lookup(owner.user, "acme-test", active=False) is None
    assert lookup(owner.user, "no-such-place") is None


def test_a_lookup_that_is_not_unique_is_refused(owner, editor):
    with pytest.raises(AssertionError, match="not unique"):
        one_row(Member, where={"workspace": owner.workspace_id})


def test_all_rows_in_the_models_ordering(owner, outsider, django_assert_num_queries):
    from tandem.okrs.models import KeyResult
    from tests import factories

    objective = factories.make_objective(owner)
    made = [factories.make_key_result(owner, objective=objective) for _ in range(3)]
    KeyResult.objects.filter(pk=made[0].pk).update(position=9)
    factories.make_key_result(outsider, objective=factories.make_objective(outsider))
    with django_assert_num_queries(1):
        found = all_rows(KeyResult, where={"objective": objective.pk})
    expected = list(KeyResult.objects.filter(objective=objective))
    assert [kr.pk for kr in found] == [kr.pk for kr in expected]
    assert [kr.pk for kr in found][-1] == made[0].pk
    assert [kr.target_value for kr in found] == [kr.target_value for kr in expected]
    assert all_rows(KeyResult, where={"objective": objective.pk, "status": "dropped"}) == []


def test_plain_values_equal_the_orms_through_joins_and_lookups(
    owner, outsider, django_assert_num_queries
):
    from decimal import Decimal

    from tandem.core.rows import count_rows, values_rows
    from tandem.okrs.models import CheckIn, KeyResult
    from tandem.okrs.services import key_result_check_in
    from tests import factories

    cycle = factories.make_cycle(owner)
    objective = factories.make_objective(owner, cycle=cycle)
    made = [
        factories.make_key_result(owner, objective=objective, target_value=Decimal("12.5") * n)
        for n in range(1, 6)
    ]
    KeyResult.objects.filter(pk=made[1].pk).update(position=9)
    for n, kr in enumerate(made):
        key_result_check_in(
            key_result=kr,
            value=Decimal("1.25") * n,
            confidence=n,
            date=datetime.date(2026, 10, 1 + n),
            by=owner,
        )
    factories.make_key_result(outsider, objective=factories.make_objective(outsider))

    columns = ("id", "target_value", "last_check_in", "objective.title", "objective.cycle.end")
    where = {"workspace": owner.workspace_id, "objective.cycle_id": cycle.pk}
    with django_assert_num_queries(2):
        window = values_rows(KeyResult, columns=columns, where=where, limit=3, offset=1)
        assert count_rows(KeyResult, where=where) == 5
    expected = KeyResult.objects.filter(
        workspace=owner.workspace, objective__cycle=cycle
    ).values_list(
        "id", "target_value", "last_check_in", "objective__title", "objective__cycle__end"
    )
    assert window == list(expected[1:4])
    everything = values_rows(KeyResult, columns=["id"], where=where, limit=10)
    assert everything[-1] == (made[1].pk,)  # the model's ordering: position, then id
    assert isinstance(window[0][1], Decimal) and isinstance(window[0][2], datetime.date)

    ids = [kr.pk for kr in made[:4]]
    readings = values_rows(
        CheckIn,
        columns=("key_result", "value"),
        where={"key_result__in": ids, "date__lte": datetime.date(2026, 10, 3)},
        floats=("value",),
    )
    assert sorted(readings) == [(made[0].pk, 0.0), (made[1].pk, 1.25), (made[2].pk, 2.5)]
    assert count_rows(CheckIn, where={"key_result__in": []}) == 0
    assert (
        count_rows(KeyResult, where={"owner__isnull": True, "workspace": owner.workspace_id}) == 5
    )
    assert count_rows(KeyResult, where={"confidence__isnull": False, "confidence__gte": 3}) == 2
    # Every row in the model's ordering, as values_list gives them (the plan snapshot).
    ordered = values_rows(KeyResult, columns=["id"], where=where, ordered=True)
    assert ordered == list(expected.values_list("id")) and ordered[-1] == (made[1].pk,)
    # A model without an ordering: every row all the same.
    from tandem.roadmaps.models import Contribution

    assert Contribution._meta.ordering == []
    assert values_rows(Contribution, columns=["id"], where={}, ordered=True) == []


def test_only_some_fields_of_the_rows(owner, django_assert_num_queries):
    from tandem.okrs.models import KeyResult
    from tests import factories

    made = factories.make_key_result(owner, title="Activation", start_value=30, target_value=45)
    with django_assert_num_queries(1):
        (found,) = all_rows(
            KeyResult, where={"objective": made.objective_id}, only=["kind", "target_value"]
        )
        assert found.pk == made.pk and found.target_value == made.target_value
        assert found.get_deferred_fields() >= {"title", "start_value"}
    with django_assert_num_queries(1):
        assert found.title == "Activation"  # a field left out is read when asked for
