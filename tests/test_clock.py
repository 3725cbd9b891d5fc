"""The one clock: Django's time unless a test sets another, and back afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from saleor_qb_sync import clock


def test_a_test_sets_the_clock_for_a_block_only():
    at = datetime(2030, 1, 1, tzinfo=UTC)
    with clock.use(lambda: at):
        assert clock.now() == at
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_settable_clock_moves_when_told():
    settable = clock.SettableClock(datetime(2030, 1, 1, tzinfo=UTC))
    with clock.use(settable):
        settable.at += timedelta(minutes=3)
        assert clock.now() == datetime(2030, 1, 1, 0, 3, tzinfo=UTC)


def test_the_clock_comes_back_after_an_error_in_the_block():
    try:
        with clock.use(lambda: datetime(2000, 1, 1, tzinfo=UTC)):
            raise RuntimeError
    except RuntimeError:
        pass
    assert clock.now().year > 2000
