"""The forecast beats today's straight-line pace on series whose outcome is known."""

from tests.bench.calibration import brier, forecast_case, generated_cases, linear_pace


def test_the_forecast_beats_linear_pace_on_a_fixed_generated_set():
    cases = generated_cases(600, seed=13)
    assert 0.2 < sum(c.reached for c in cases) / len(cases) < 0.8  # both outcomes present
    ours = brier([(forecast_case(c), c.reached) for c in cases])
    pace = brier([(linear_pace(c), c.reached) for c in cases])
    assert ours < pace * 0.8
    # On every shape of trend whose outcome is in doubt, not only on average (a stalled
    # one misses, and both say so).
    for shape in ("steady", "plateau", "late_surge", "wander"):
        some = [c for c in cases if c.shape == shape]
        assert brier([(forecast_case(c), c.reached) for c in some]) < brier(
            [(linear_pace(c), c.reached) for c in some]
        ), shape
