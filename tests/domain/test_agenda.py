import datetime

from tandem.domain.agenda import key_result_topics
from tandem.domain.plan import CycleFacts, KeyResultFacts, ObjectiveFacts, PlanSnapshot

TODAY = datetime.date(2026, 11, 15)


def test_a_team_review_discusses_only_that_teams_key_results():
    plan = PlanSnapshot(
        today=TODAY,
        cycles=(
            CycleFacts(1, "Q4 2026", datetime.date(2026, 10, 1), TODAY.replace(month=12), "active"),
        ),
        objectives=(
            ObjectiveFacts(10, 1, "Grow", team_id=7),
            ObjectiveFacts(11, 1, "Retain", team_id=8),
            ObjectiveFacts(12, 1, "Company", team_id=None),
        ),
        key_results=tuple(
            KeyResultFacts(100 + o, o, f"KR of {o}", "increase", 0, 100, 0) for o in (10, 11, 12)
        ),
    )
    assert [t.key_result_id for t in key_result_topics(plan, 1)] == [110, 111, 112]
    assert [t.key_result_id for t in key_result_topics(plan, 1, frozenset({7}))] == [110]
