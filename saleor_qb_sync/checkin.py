"""Is Web Connector keeping its schedule? If not, staff who manage orders are told, once.

Web Connector logs in every ``run_every_minutes`` (the .qwc file's RunEveryNMinutes), whether
or not there is work. When it stops (the QuickBooks computer is off, Web Connector closed, the
password changed), orders silently pile up. So each successful log-in is recorded
(``record_check_in``), and a check-in is *overdue* after a few missed runs
(``MISSED_RUNS`` × the interval, at least ``MIN_OVERDUE``). The first time anyone asks after
that (``alert_if_overdue``: the status query the Dashboard polls), an outage row is opened and
the host notifies staff; later asks find the open outage and notify no one. The next check-in
closes the outage. This module is the only writer of ``WebConnectorCheckIn`` and
``WebConnectorOutage``; the clock is injected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from .models import WebConnectorCheckIn, WebConnectorOutage, WebConnectorSession
from .preferences import Preferences

#: scheduled runs Web Connector may miss before staff are warned
MISSED_RUNS = 3
#: never warn sooner than this after the last check-in (a 1-minute schedule is not 3 minutes)
MIN_OVERDUE = timedelta(minutes=15)

#: ``notify(subject, body)`` sends to the staff who manage orders and returns their addresses
Notify = Callable[[str, str], list[str]]


@dataclass(frozen=True, slots=True)
class CheckInStatus:
    last_check_in: datetime | None
    #: when the next check-in is due at the latest before staff are warned; None before the first
    expected_by: datetime | None
    overdue: bool


def overdue_after(preferences: Preferences) -> timedelta:
    return max(timedelta(minutes=MISSED_RUNS * preferences.run_every_minutes), MIN_OVERDUE)


def record_check_in(now: datetime) -> None:
    """Web Connector logged in (with or without work): any open outage ends now."""
    with transaction.atomic():
        row = _row(lock=True)
        row.last_check_in_at = now
        row.save(update_fields=["last_check_in_at"])
        WebConnectorOutage.objects.filter(ended_at__isnull=True).update(ended_at=now)


def check_in_status(preferences: Preferences, now: datetime) -> CheckInStatus:
    # a read: the row is created by the first check-in or alert, not by asking
    last = (WebConnectorCheckIn.objects.filter(pk=1)
            .values_list("last_check_in_at", flat=True).first())
    if last is None:  # installed before check-ins were recorded: the latest session says
        last = (WebConnectorSession.objects.order_by("-started_at")
                .values_list("started_at", flat=True).first())
    if last is None:
        return CheckInStatus(None, None, False)
    expected_by = last + overdue_after(preferences)
    return CheckInStatus(last, expected_by, now > expected_by)


def alert_if_overdue(preferences: Preferences, notify: Notify,
                     now: datetime) -> CheckInStatus:
    """The check-in status; when overdue and no outage is open yet, open one and notify staff
    (once: the outage row is written in the same transaction, under the check-in row's lock)."""
    status = check_in_status(preferences, now)
    if not status.overdue:
        return status
    with transaction.atomic():
        _row(lock=True)
        if WebConnectorOutage.objects.filter(ended_at__isnull=True).exists():
            return status
        outage = WebConnectorOutage.objects.create(started_at=status.expected_by,
                                                   detected_at=now)
        subject, body = alert_text(preferences, status)
        outage.notified = notify(subject, body)
        outage.notified_at = now
        outage.save(update_fields=["notified", "notified_at"])
    return status


def alert_text(preferences: Preferences, status: CheckInStatus) -> tuple[str, str]:
    last = f"{status.last_check_in:%Y-%m-%d %H:%M} UTC" if status.last_check_in else "never"
    subject = "QuickBooks Web Connector has stopped checking in"
    body = (
        f"QuickBooks Web Connector last connected to the store at {last}. It is scheduled to "
        f"connect every {preferences.run_every_minutes} minutes, so orders are not reaching "
        "QuickBooks.\n\n"
        "On the QuickBooks computer: check that it is on, that QuickBooks Web Connector is "
        "running with the store's application ticked for automatic updates, and that the "
        "password typed in Web Connector is still the one in the plugin settings. Then click "
        "\"Update Selected\" in Web Connector.\n\n"
        "You get this message once per outage; the Dashboard app (QuickBooks → Web Connector "
        "set-up) shows the status.")
    return subject, body


def _row(*, lock: bool = False) -> WebConnectorCheckIn:
    qs = WebConnectorCheckIn.objects.select_for_update() if lock else WebConnectorCheckIn.objects
    row = qs.filter(pk=1).first()
    if row is None:
        row, _ = WebConnectorCheckIn.objects.get_or_create(pk=1)
        if lock:
            row = WebConnectorCheckIn.objects.select_for_update().get(pk=1)
    return row
