"""Python's cyclic garbage collector, paused while a Web Connector call runs.

A write set maps and writes hundreds of orders in one call, and every 700 container objects it
allocates start a collection; every tenth of those scans the older generation, and now and then
a full collection scans every object of the process (in a Saleor worker, all of Saleor's
modules). Measured on a 10,000-order session: 1,111 young, 100 middle and 7 full collections,
about a fifth of the server's CPU, although almost nothing a call allocates outlives it, and
what does not is freed by reference counting, which no pause touches.

So a call runs with automatic collection off and, when it ends, collects the young generation
once: what the call left behind that only a cycle keeps alive. That is one cheap collection per
call instead of one per 700 allocations, and it is bounded: the pause lasts one call (seconds
at the largest message set), and a cycle made during it lives until the call ends, no longer.

Collection is process-wide, so calls on several threads share one pause: it starts with the
first, ends with the last, and the collector is switched back on only if it was on when the
pause began (a host that turned it off itself keeps it off). Whatever else the host runs on
other threads meanwhile runs without automatic collection for that long too; the cycles it
leaves are collected with ours when the pause ends. Nothing else of the collector is changed:
its thresholds, its generations and the host's own ``gc.collect()`` calls are left alone.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
#: calls inside the pause now
_inside = 0
#: whether automatic collection was on when the pause began
_was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Run the block with automatic garbage collection off; the young generation is collected
    when the last block running ends."""
    global _inside, _was_enabled
    with _lock:
        if _inside == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            last = _inside == 0
            if last and _was_enabled:
                gc.enable()
        if last:
            gc.collect(0)
