"""Pausing Python's cycle collector while a large structure without reference cycles is
built: reading or exporting a plan of 10,000 initiatives makes tens of thousands of small
containers, and each full collection meanwhile rescans every object of the process (a
server's heap takes a tenth of a second and more) to find nothing. Reference counting still
frees all that is dropped; the collector resumes as soon as the block ends."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    # Resumed only by the block that paused it: a nested or concurrent pause (the
    # collector is one per process) leaves it to the outermost.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
