"""``manage.py qb_unlock``: who waits after wrong passwords, and letting them in again."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from saleor_qb_sync.models import LoginThrottle

pytestmark = pytest.mark.django_db

BLOCKED_UNTIL = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def unlock(*args: str) -> str:
    out = StringIO()
    call_command("qb_unlock", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def waiting():
    """Three address/user name pairs with failed passwords, two of them waiting."""
    LoginThrottle.objects.create(address="203.0.113.7", username="quickbooks", failures=6,
                                 blocked_until=BLOCKED_UNTIL)
    LoginThrottle.objects.create(address="198.51.100.2", username="quickbooks", failures=2)
    LoginThrottle.objects.create(address="203.0.113.7", username="admin", failures=9,
                                 blocked_until=BLOCKED_UNTIL)


def remaining() -> list[tuple[str, str]]:
    return sorted(LoginThrottle.objects.values_list("address", "username"))


def test_the_list_shows_every_pair_by_address_and_changes_nothing(waiting):
    # when
    output = unlock("--list")

    # then
    assert output.splitlines() == [
        "198.51.100.2\tquickbooks\t2 failed\twaits until -",
        "203.0.113.7\tadmin\t9 failed\twaits until 2026-12-01T09:30:00+00:00",
        "203.0.113.7\tquickbooks\t6 failed\twaits until 2026-12-01T09:30:00+00:00",
    ]
    assert len(remaining()) == 3


def test_the_list_says_when_nobody_has_failed():
    # then
    assert unlock("--list") == "No failed Web Connector passwords are counted.\n"


def test_without_options_everybody_is_let_in(waiting):
    # when
    output = unlock()

    # then
    assert output == "Unlocked 3 address/user name pairs.\n"
    assert remaining() == []


@pytest.mark.parametrize(("args", "message", "left"), [
    (("--address", "203.0.113.7"), "Unlocked 2 address/user name pairs.",
     [("198.51.100.2", "quickbooks")]),
    (("--username", "admin"), "Unlocked 1 address/user name pair.",
     [("198.51.100.2", "quickbooks"), ("203.0.113.7", "quickbooks")]),
    (("--address", "203.0.113.7", "--username", "quickbooks"),
     "Unlocked 1 address/user name pair.",
     [("198.51.100.2", "quickbooks"), ("203.0.113.7", "admin")]),
    (("--address", "192.0.2.1"), "Unlocked 0 address/user name pairs.",
     [("198.51.100.2", "quickbooks"), ("203.0.113.7", "admin"),
      ("203.0.113.7", "quickbooks")]),
])
def test_an_address_or_a_user_name_narrows_it_down(waiting, args, message, left):
    # when
    output = unlock(*args)

    # then
    assert output == message + "\n"
    assert remaining() == left
