"""The value-against-effort chart's geometry: every dot inside the plot, more value higher,
more effort further right."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.domain.prioritisation import Rice, value_effort_plot

rices = st.builds(
    Rice,
    reach=st.integers(0, 10**6),
    impact=st.sampled_from([0.25, 0.5, 1.0, 2.0, 3.0]),
    confidence=st.integers(0, 100),
    effort=st.floats(0, 10**4, allow_subnormal=False),
)


# No deadline: a loaded CI machine is not a property of the chart.
@settings(deadline=None)
@given(st.lists(rices, min_size=1, max_size=40))
def test_every_dot_is_inside_the_plot(items):
    plot = value_effort_plot(items, width=640, height=300, pad=36)
    assert plot is not None and len(plot.dots) == len(items)
    for dot in [*plot.dots]:
        assert 36 <= dot.x <= 604 and 36 <= dot.y <= 264
    assert 36 <= plot.median_x <= 604 and 36 <= plot.median_y <= 264


def test_more_value_is_higher_and_more_effort_further_right():
    cheap_small = Rice(reach=100, impact=1, confidence=50, effort=1)
    dear_big = Rice(reach=1000, impact=3, confidence=100, effort=20)
    small, big = value_effort_plot([cheap_small, dear_big]).dots
    assert big.y < small.y and big.x > small.x


def test_nothing_to_plot():
    assert value_effort_plot([]) is None
