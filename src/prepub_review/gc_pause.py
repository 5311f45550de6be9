"""The cycle collector paused around work that allocates many objects and makes (almost) no cycles.

Python's cycle collector runs by counting allocations. Checking a file, building its link index or
linking a site allocates hundreds of thousands of objects that reference counting frees anyway, so
the collector would walk the young objects again and again, and the whole heap whenever enough of
them outlive two young collections (on the 494-file benchmark corpus: 1,628 young and 13 full
collections, about 5 % of a one-process run's CPU). Paused, the few cycles such work leaves (parser
trees) are collected in one pass when the collector is back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """The collector off meanwhile, and back on afterwards only if it was on (a caller's own pause is
    kept). `freeze`: also keep every object made before out of any collection someone else sets off."""
    enabled = gc.isenabled()
    gc.disable()
    if freeze:
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()
        if enabled:
            gc.enable()
