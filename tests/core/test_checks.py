import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import CheckConstraint, F, Q

from tandem.core.checks import Unsupported, holds
from tandem.okrs.models import CheckIn, KeyResult
from tandem.roadmaps.models import Initiative


def initiative(**fields) -> Initiative:
    return Initiative(**fields)


def test_comparisons_with_fields_and_values():
    dated = initiative(start_date=datetime.date(2026, 1, 2), end_date=datetime.date(2026, 1, 1))
    assert holds(Q(end_date__gte=F("start_date")), dated) is False
    assert holds(~Q(end_date__gte=F("start_date")), dated) is True
    assert holds(Q(effort__gte=0), initiative(effort=Decimal("0"))) is True


def test_null_is_unknown_and_an_unknown_check_passes_as_in_sql():
    undated = initiative(start_date=None, end_date=datetime.date(2026, 1, 1))
    assert holds(Q(end_date__gte=F("start_date")), undated) is None
    assert holds(~Q(end_date__gte=F("start_date")), undated) is None
    assert holds(Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")), undated) is True


def test_every_check_constraint_of_a_key_result_agrees_with_the_rules():
    wrong = KeyResult(kind="decrease", start_value=Decimal(10), target_value=Decimal(20), weight=1)
    failing = [
        c.name
        for c in KeyResult._meta.constraints
        if isinstance(c, CheckConstraint) and holds(c.condition, wrong) is False
    ]
    assert failing == ["kr_decrease_target_below_start"]


def test_unknown_lookups_are_left_to_the_database():
    with pytest.raises(Unsupported):
        holds(Q(title__icontains="x"), initiative(title="x"))


def test_a_check_in_costs_a_fixed_handful_of_queries(owner, django_assert_max_num_queries):
    from tandem.okrs.services import key_result_check_in
    from tests.factories import make_key_result

    # Loaded as the page and the API load it, with its objective and cycle.
    key_result = KeyResult.objects.select_related("objective__cycle").get(
        pk=make_key_result(owner).pk
    )
    # A running server has its content types cached after the first write; warm the cache
    # so the count is the same whether this test runs alone or after others.
    ContentType.objects.get_for_models(CheckIn, KeyResult)
    # The check-in and its event, the latest reading, the key result's fields and version in
    # one UPDATE and its event; the savepoint of the test's own transaction.
    with django_assert_max_num_queries(8):
        key_result_check_in(
            key_result=key_result,
            value=Decimal(5),
            confidence=7,
            date=datetime.date(2026, 11, 2),
            by=owner,
        )
