import datetime

import pytest
import time_machine

from tests import factories

TODAY = datetime.date(2026, 11, 15)  # halfway through Q4 2026


@pytest.fixture(autouse=True)
def _halfway_through_the_quarter():
    with time_machine.travel(datetime.datetime(2026, 11, 15, 12, 0), tick=False):
        yield


@pytest.fixture
def cycle(owner):
    return factories.make_cycle(owner, name="Q4 2026")
