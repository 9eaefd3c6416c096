import datetime

from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.calendar import Span, next_quarter, previous_quarter, quarter_of

days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31))


def test_quarter_names_and_bounds():
    q = quarter_of(datetime.date(2026, 11, 27))
    assert (q.name, q.start, q.end) == (
        "Q4 2026",
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert next_quarter(datetime.date(2026, 11, 27)).name == "Q1 2027"
    assert previous_quarter(datetime.date(2026, 2, 1)).name == "Q4 2025"


@given(days)
def test_a_day_lies_in_its_quarter_and_quarters_tile_the_calendar(day):
    q = quarter_of(day)
    assert q.start <= day <= q.end
    assert next_quarter(day).start == q.end + datetime.timedelta(days=1)
    assert previous_quarter(day).end == q.start - datetime.timedelta(days=1)
    assert 90 <= q.days <= 92


@given(days, days)
def test_elapsed_share_is_bounded_and_grows_with_time(a, b):
    span = Span("Q", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    early, late = sorted([a, b])
    assert 0.0 <= span.elapsed_share(early) <= span.elapsed_share(late) <= 1.0
