from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.prioritisation import Rice, value_vs_effort


def test_rice_score_and_its_arithmetic():
    rice = Rice(reach=2000, impact=2, confidence=80, effort=4)
    assert rice.score == 800
    assert rice.arithmetic == ("2,000 reach × 2 impact × 80% confidence ÷ 4 person-weeks = 800")


def test_rice_without_effort_has_no_score_rather_than_infinity():
    rice = Rice(reach=100, impact=1, confidence=50, effort=0)
    assert rice.score is None
    assert "no effort estimate" in rice.arithmetic


def test_value_vs_effort_quadrants_split_at_the_medians():
    rices = [
        Rice(1000, 3, 100, 1),  # high value, low effort
        Rice(1000, 3, 100, 10),  # high value, high effort
        Rice(10, 1, 50, 1),  # low, low
        Rice(10, 1, 50, 10),  # low, high
    ]
    assert [q.label for q in value_vs_effort(rices)] == [
        "Quick win",
        "Big bet",
        "Fill-in",
        "Time sink",
    ]


@given(
    st.integers(0, 10_000),
    st.floats(0.25, 3),
    st.integers(0, 100),
    st.floats(0.5, 100),
    st.floats(0.5, 100),
)
def test_rice_score_falls_as_effort_grows(reach, impact, confidence, effort, extra):
    small = Rice(reach, impact, confidence, effort).score
    large = Rice(reach, impact, confidence, effort + extra).score
    assert small is not None and large is not None
    assert large <= small
    assert small >= 0
