"""Web Connector log-ins: the password check, throttled per client address and user name.

Web Connector sends the user name of the .qwc file and the password typed into it. Guessing
must be slow, and nobody may lock the real Web Connector out by failing on purpose. So failures
count per (client address, user name): the first ``FREE_FAILURES - 1`` cost nothing; from the
``FREE_FAILURES``-th on, that address waits 2^k seconds before its next check (k =
``FIRST_BACKOFF_EXPONENT``, one more per further failure, at most ``MAX_BACKOFF_EXPONENT``).
A stranger failing from another address never delays the real Web Connector's address.

The counter row is locked (``SELECT … FOR UPDATE``) from before the password check until the
count is written, so concurrent guesses from one address are checked one at a time and at most
``FREE_FAILURES`` of them reach the password before the wait starts. A success, or
``FORGET_AFTER`` without a failure, clears the count; ``manage.py qb_unlock`` clears it by hand.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from ..models import AuthenticationAttempt, LoginThrottle

logger = logging.getLogger(__name__)

#: failed passwords from one address (for one user name) before that address has to wait
FREE_FAILURES = 5
#: the wait after the FREE_FAILURES-th failure is 2^5 = 32 s, doubling with each further one
FIRST_BACKOFF_EXPONENT = 5
#: … up to 2^10 s (about 17 minutes)
MAX_BACKOFF_EXPONENT = 10
#: a count whose last failure is older than this starts again from zero
FORGET_AFTER = timedelta(hours=1)
#: longest textual IPv6 address
_ADDRESS_MAX = 45
_USERNAME_MAX = 100


@dataclass(frozen=True, slots=True)
class LoginResult:
    """``ok``: the password was checked and right. ``wait_seconds`` > 0: it was not checked,
    because this address must wait that much longer."""

    ok: bool
    wait_seconds: int = 0


def backoff(failures: int) -> timedelta:
    """How long an address waits after its ``failures``-th failed password."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    exponent = min(FIRST_BACKOFF_EXPONENT + failures - FREE_FAILURES, MAX_BACKOFF_EXPONENT)
    return timedelta(seconds=2 ** exponent)


def check_login(address: str, username: str, check: Callable[[], bool], *,
                now: datetime) -> LoginResult:
    """Run ``check`` (the password comparison) unless ``address`` must wait; count a failure."""
    address, username = address[:_ADDRESS_MAX], username[:_USERNAME_MAX]
    with transaction.atomic():
        LoginThrottle.objects.bulk_create(
            [LoginThrottle(address=address, username=username)], ignore_conflicts=True)
        row = LoginThrottle.objects.select_for_update().get(address=address, username=username)
        if row.blocked_until is not None and now < row.blocked_until:
            return LoginResult(False, math.ceil((row.blocked_until - now).total_seconds()))
        if row.last_failure_at is not None and now - row.last_failure_at > FORGET_AFTER:
            row.failures = 0
        if check():
            row.delete()  # nothing to remember: a success clears the count
            return LoginResult(True)
        row.failures += 1
        row.last_failure_at = now
        wait = backoff(row.failures)
        row.blocked_until = now + wait if wait else None
        row.save()
        if wait:
            logger.warning(
                "saleor-qb-sync: %d wrong Web Connector passwords for user name %r from %s; "
                "that address waits %d s before its next try (manage.py qb_unlock lifts it)",
                row.failures, username, address or "an unknown address", wait.total_seconds())
        AuthenticationAttempt.objects.create(username=username, address=address,
                                             succeeded=False, at=now)
        LoginThrottle.objects.filter(last_failure_at__lt=now - FORGET_AFTER).filter(
            Q(blocked_until__isnull=True) | Q(blocked_until__lt=now)).delete()
    return LoginResult(False)


def unlock(*, address: str | None = None, username: str | None = None) -> int:
    """Forget failed passwords (all, or of one address and/or user name); returns how many
    address/user name pairs were waiting or counting."""
    rows = LoginThrottle.objects.all()
    if address is not None:
        rows = rows.filter(address=address[:_ADDRESS_MAX])
    if username is not None:
        rows = rows.filter(username=username[:_USERNAME_MAX])
    return rows.delete()[0]
