"""Web Connector's check-ins: overdue after a few missed runs, one notification per outage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from saleor_qb_sync.checkin import alert_if_overdue, check_in_status, record_check_in
from saleor_qb_sync.models import WebConnectorOutage
from saleor_qb_sync.preferences import Preferences

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Outbox:
    """A stand-in for the host's ``notify_staff``."""

    def __init__(self):
        self.sent: list[tuple[str, str]] = []

    def __call__(self, subject, body):
        self.sent.append((subject, body))
        return ["staff@example.com"]


def test_before_the_first_check_in_nothing_is_overdue():
    status = check_in_status(Preferences(), T0)
    assert (status.last_check_in, status.expected_by, status.overdue) == (None, None, False)


def test_a_check_in_is_overdue_after_three_missed_runs_and_never_sooner_than_15_minutes():
    # given
    record_check_in(T0)

    # then: every 30 minutes → 90 minutes; every 2 minutes → 15 minutes
    every_30 = Preferences(run_every_minutes=30)
    assert check_in_status(every_30, T0 + timedelta(minutes=89)).overdue is False
    status = check_in_status(every_30, T0 + timedelta(minutes=91))
    assert status.overdue is True
    assert status.expected_by == T0 + timedelta(minutes=90)
    every_2 = Preferences(run_every_minutes=2)
    assert check_in_status(every_2, T0 + timedelta(minutes=14)).overdue is False
    assert check_in_status(every_2, T0 + timedelta(minutes=16)).overdue is True


def test_staff_are_notified_once_per_outage_however_often_the_status_is_asked():
    # given
    preferences = Preferences(run_every_minutes=30)
    outbox = Outbox()
    record_check_in(T0)

    # when: the status is asked before, during and again during the outage
    alert_if_overdue(preferences, outbox, T0 + timedelta(minutes=60))
    for minutes in (100, 130, 600):
        alert_if_overdue(preferences, outbox, T0 + timedelta(minutes=minutes))

    # then
    assert len(outbox.sent) == 1
    subject, body = outbox.sent[0]
    assert "stopped checking in" in subject
    assert "2026-12-01 09:00" in body and "every 30 minutes" in body
    outage = WebConnectorOutage.objects.get()
    assert outage.started_at == T0 + timedelta(minutes=90)
    assert outage.notified == ["staff@example.com"]
    assert outage.ended_at is None

    # when: Web Connector is back, then stops again
    record_check_in(T0 + timedelta(hours=12))
    alert_if_overdue(preferences, outbox, T0 + timedelta(hours=12, minutes=30))
    alert_if_overdue(preferences, outbox, T0 + timedelta(hours=14))

    # then: the first outage ended; the second one is a new notification
    assert len(outbox.sent) == 2
    assert WebConnectorOutage.objects.filter(ended_at__isnull=False).count() == 1
    assert WebConnectorOutage.objects.filter(ended_at__isnull=True).count() == 1


def test_a_notification_that_fails_is_tried_again_at_the_next_ask():
    # given
    preferences = Preferences(run_every_minutes=30)
    record_check_in(T0)

    def broken(subject, body):
        raise ConnectionRefusedError("no mail server")

    # when
    with pytest.raises(ConnectionRefusedError):
        alert_if_overdue(preferences, broken, T0 + timedelta(hours=2))
    outbox = Outbox()
    alert_if_overdue(preferences, outbox, T0 + timedelta(hours=3))

    # then
    assert len(outbox.sent) == 1
    assert WebConnectorOutage.objects.count() == 1


def test_the_scheduled_command_warns_staff_once_when_nobody_opens_the_dashboard(configure):
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone

    # given: the last check-in was long ago, and nobody has asked for the status since
    configure(run_every_minutes=30)
    record_check_in(timezone.now() - timedelta(hours=5))

    # when: cron runs the command three times
    outputs = []
    for _ in range(3):
        out = StringIO()
        call_command("qb_check_in", stdout=out)
        outputs.append(out.getvalue())

    # then: one e-mail, one open outage, and each run says where things stand
    assert len(mail.outbox) == 1
    assert "stopped checking in" in mail.outbox[0].subject
    assert WebConnectorOutage.objects.filter(ended_at__isnull=True).count() == 1
    assert all("overdue" in text for text in outputs)
