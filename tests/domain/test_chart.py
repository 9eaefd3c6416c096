import datetime

from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.chart import progress_chart

START = datetime.date(2026, 10, 1)
END = datetime.date(2026, 12, 31)


def chart(kind="increase", start_value=0.0, target_value=100.0, readings=(), today=None):
    return progress_chart(
        kind=kind,
        start=START,
        end=END,
        start_value=start_value,
        target_value=target_value,
        readings=readings,
        today=today or datetime.date(2026, 11, 15),
    )


def test_pace_line_runs_from_start_to_target_across_the_cycle():
    c = chart(start_value=200, target_value=0)  # decreasing: the line falls
    assert c.expected.x1 == c.plot.x1 and c.expected.x2 == c.plot.x2
    assert c.expected.y1 < c.expected.y2  # SVG y grows downwards


def test_a_threshold_is_a_flat_line():
    c = chart(kind="stay_above", start_value=99, target_value=99.5)
    assert c.expected.y1 == c.expected.y2


def test_readings_are_drawn_by_date_whatever_order_they_come_in():
    c = chart(readings=[(datetime.date(2026, 11, 1), 50), (datetime.date(2026, 10, 8), 10)])
    assert [p.value for p in c.points] == [10, 50]
    assert c.points[0].x < c.points[1].x
    assert c.points[0].y > c.points[1].y  # higher value, higher on the chart
    assert c.polyline.count(",") == 2


def test_today_is_marked_only_inside_the_cycle():
    assert chart().today is not None
    assert chart(today=datetime.date(2027, 2, 1)).today is None


def test_axes_have_round_ticks_and_month_starts():
    c = chart()
    assert [t.value for t in c.y_ticks] == [0, 25, 50, 75, 100]
    assert [t.value for t in c.x_ticks] == [
        START,
        datetime.date(2026, 11, 1),
        datetime.date(2026, 12, 1),
    ]


readings = st.lists(
    st.tuples(
        st.dates(datetime.date(2026, 9, 1), datetime.date(2027, 1, 31)),
        st.floats(-1e6, 1e6, allow_nan=False),
    ),
    max_size=30,
)


@given(readings, st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_every_point_and_tick_stays_inside_the_plot(readings, start_value, target_value):
    c = chart(start_value=start_value, target_value=target_value, readings=readings)
    for p in c.points:
        assert c.plot.x1 <= p.x <= c.plot.x2
        assert c.plot.y1 - 1e-6 <= p.y <= c.plot.y2 + 1e-6
    for t in c.y_ticks:
        assert c.plot.y1 - 1e-6 <= t.at <= c.plot.y2 + 1e-6
    assert [p.x for p in c.points] == sorted(p.x for p in c.points)


@given(readings, st.randoms())
def test_the_chart_does_not_depend_on_the_order_of_days(readings, random):
    # Within one day the last reading taken wins (below); across days order is irrelevant.
    readings = list(dict(readings).items())
    shuffled = list(readings)
    random.shuffle(shuffled)
    assert sorted(chart(readings=readings).polyline.split()) == sorted(
        chart(readings=shuffled).polyline.split()
    )


def test_the_forecast_fans_out_from_the_latest_reading_to_the_cycle_end():
    readings = [(datetime.date(2026, 10, 5), 10.0), (datetime.date(2026, 11, 9), 50.0)]
    c = progress_chart(
        kind="increase",
        start=START,
        end=END,
        start_value=0,
        target_value=100,
        readings=readings,
        today=datetime.date(2026, 11, 15),
        forecast=(90.0, 70.0, 130.0),
    )
    assert c.fan is not None
    latest = c.points[-1]
    assert c.fan.polygon.startswith(f"{latest.x:.1f},{latest.y:.1f} ")
    assert c.fan.x == c.plot.x2  # at the cycle end
    assert c.fan.y_high < c.fan.y < c.fan.y_low  # SVG y grows downwards
    assert c.plot.y1 <= c.fan.y_high  # the band widens the scale rather than leave the plot
    assert chart(readings=()).fan is None


def test_two_check_ins_on_one_day_draw_the_later_one():
    day = datetime.date(2026, 10, 20)
    chart = progress_chart(
        kind="increase",
        start=datetime.date(2026, 10, 1),
        end=datetime.date(2026, 12, 31),
        start_value=0,
        target_value=100,
        # Taken in this order: 30 in the morning, corrected to 35 in the afternoon.
        readings=[(datetime.date(2026, 10, 27), 40), (day, 30), (day, 35)],
        today=datetime.date(2026, 11, 1),
    )
    assert [(p.date, p.value) for p in chart.points] == [
        (day, 35),
        (datetime.date(2026, 10, 27), 40),
    ]
