"""The one clock of the export: sessions, the ledger and pending operations all read it.

``now()`` is Django's ``timezone.now`` unless a test sets another (``frozen_at`` / ``use``), so a
test can move time for the session, the ledger and the login throttle together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

_current: Callable[[], datetime] = timezone.now


def now() -> datetime:
    return _current()


@contextmanager
def use(source: Callable[[], datetime]) -> Iterator[None]:
    """Read time from ``source`` inside the block (tests)."""
    global _current
    previous, _current = _current, source
    try:
        yield
    finally:
        _current = previous


class SettableClock:
    """A clock a test moves by hand: ``clock.at += timedelta(seconds=5)``."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or timezone.now()

    def __call__(self) -> datetime:
        return self.at
