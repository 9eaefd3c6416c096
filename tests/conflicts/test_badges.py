import datetime

import time_machine

from tandem.conflicts.badges import conflict_badges
from tandem.conflicts.detection import conflicts_detect
from tests.factories import make_cycle, make_initiative


@time_machine.travel(datetime.datetime(2026, 2, 15, 12, tzinfo=datetime.UTC))
def test_badges_count_open_conflicts_per_entity_in_one_query(owner, django_assert_num_queries):
    make_cycle(
        owner, name="Q1 2026", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31)
    )
    orphan = make_initiative(owner, title="Dark mode", status="planned")
    conflicts_detect(workspace=owner.workspace)
    with django_assert_num_queries(1):
        badges = conflict_badges(owner.workspace)
    badge = badges[("initiative", orphan.pk)]
    assert (badge.count, badge.severity) == (1, "low")
    assert badge.label == "1 open conflict, most severe low"
