import statistics
import time
from collections.abc import Callable


def median_ms(action: Callable[[], object], *, repeat: int = 5) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)
