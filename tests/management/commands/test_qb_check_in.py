"""``manage.py qb_check_in``: Web Connector's check-ins for a schedule, one e-mail per outage."""

from __future__ import annotations

from datetime import UTC, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from saleor_qb_sync.checkin import record_check_in
from saleor_qb_sync.management.commands.qb_check_in import current_host
from saleor_qb_sync.standalone.host import StandaloneHost

pytestmark = pytest.mark.django_db


def check_in() -> str:
    out = StringIO()
    call_command("qb_check_in", stdout=out)
    return out.getvalue()


def test_outside_saleor_the_command_checks_the_standalone_store(configure):
    # then
    assert isinstance(current_host(), StandaloneHost)


def test_before_the_first_check_in_it_says_so_and_mails_nobody(configure):
    # when
    output = check_in()

    # then
    assert output == "Web Connector has not checked in yet.\n"
    assert mail.outbox == []


def test_a_recent_check_in_is_on_schedule(configure):
    # given
    configure(run_every_minutes=30)
    last = timezone.now() - timedelta(minutes=20)
    record_check_in(last)

    # when
    output = check_in()

    # then
    assert output == f"Web Connector is on schedule: last check-in {last:%Y-%m-%d %H:%M} UTC.\n"
    assert mail.outbox == []


def test_an_overdue_web_connector_is_reported_and_staff_are_mailed_once_however_often_it_runs(
        configure):
    # given: every 30 minutes, last seen at 08:00 UTC a day ago
    configure(run_every_minutes=30)
    last = (timezone.now() - timedelta(days=1)).astimezone(UTC).replace(hour=8, minute=0)
    record_check_in(last)

    # when
    outputs = [check_in() for _ in range(3)]

    # then
    due = last + timedelta(minutes=90)
    assert outputs[0] == (
        f"Web Connector is overdue: last check-in {last:%Y-%m-%d} 08:00 UTC, expected by "
        f"{due:%Y-%m-%d} 09:30 UTC; staff were told (once per outage).\n")
    assert outputs[1:] == outputs[:1] * 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@example.com", "staff@example.com", "usd@example.com"]


def test_the_time_printed_is_utc_whatever_zone_the_check_in_was_recorded_in(configure):
    # given: recorded in India (UTC+05:30)
    configure(run_every_minutes=30)
    last = (timezone.now() - timedelta(minutes=10)).astimezone(ZoneInfo("Asia/Kolkata"))
    record_check_in(last)

    # when
    output = check_in()

    # then
    assert output == ("Web Connector is on schedule: last check-in "
                      f"{last.astimezone(UTC):%Y-%m-%d %H:%M} UTC.\n")
