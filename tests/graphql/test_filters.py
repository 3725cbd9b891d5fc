"""The preview's filter input, checked and turned into the core's ``OrderFilter``."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import RequestFactory

from saleor_qb_sync.errors import TransferError
from saleor_qb_sync.graphql.context import QbSyncContext
from saleor_qb_sync.graphql.filters import (
    EARLIEST_DATE,
    LATEST_DATE,
    check_customer,
    check_date,
    order_filter,
)
from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.saleor_ids import to_global_id
from saleor_qb_sync.transfers import Actor


class Host:
    def __init__(self, preferences: Preferences) -> None:
        self._preferences = preferences

    def preferences(self) -> Preferences:
        return self._preferences


def context(preferences: Preferences | None = None, actor: Actor | None = None):
    return QbSyncContext(request=RequestFactory().get("/"),
                         host=Host(preferences or Preferences()), actor=actor or Actor())


@pytest.mark.parametrize("day", [EARLIEST_DATE, date(2026, 12, 1), LATEST_DATE, None])
def test_a_day_python_can_hold_in_every_time_zone_is_accepted(day):
    # then
    assert check_date(day, "dateFrom") == day


@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31)])
def test_the_first_and_last_day_python_knows_are_out_of_range(day):
    # when
    with pytest.raises(TransferError) as caught:
        check_date(day, "dateTo")

    # then
    assert (caught.value.field, caught.value.code) == ("dateTo", "out_of_range")
    assert "0001-01-02" in caught.value.message and "9999-12-30" in caught.value.message


@pytest.mark.parametrize(("value", "expected"), [
    (None, None),
    ("   ", None),
    (" jane@example.com ", "jane@example.com"),
    ("42", "42"),
    (to_global_id("User", 42), to_global_id("User", 42)),
])
def test_a_customer_is_an_email_a_raw_user_id_or_a_global_user_id(value, expected):
    # then
    assert check_customer(value) == expected


def test_another_types_global_id_is_not_a_customer():
    # when
    with pytest.raises(TransferError) as caught:
        check_customer(to_global_id("Order", 42))

    # then
    assert (caught.value.field, caught.value.code) == ("customer", "invalid_id")
    assert "is a Order ID, not a User ID" in caught.value.message


def test_the_filter_takes_the_input_and_the_stores_own_rules():
    # given
    preferences = Preferences(eligible_statuses=("fulfilled",), time_zone="Europe/Warsaw")
    actor = Actor(email="staff@example.com", channels=("default-channel",))

    # when
    flt = order_filter(context(preferences, actor), {
        "customer": "jane@example.com", "date_from": date(2026, 3, 1),
        "date_to": date(2026, 3, 31), "include_exported": True, "channel": " default-channel "})

    # then
    assert (flt.customer, flt.date_from, flt.date_to, flt.include_exported) == (
        "jane@example.com", date(2026, 3, 1), date(2026, 3, 31), True)
    assert flt.channels == ("default-channel",)
    assert flt.statuses == ("fulfilled",)
    assert flt.time_zone == "Europe/Warsaw"
    assert flt.allowed_channels == ("default-channel",)


def test_no_filter_at_all_is_every_order_the_caller_may_see_not_yet_exported():
    # when
    flt = order_filter(context(Preferences(channels=("a", "b"))), None)

    # then
    assert (flt.customer, flt.date_from, flt.date_to, flt.include_exported) == (
        None, None, None, False)
    assert flt.channels == ("a", "b")
    assert flt.allowed_channels is None


def test_a_date_out_of_range_is_named_by_its_input_field():
    # when
    with pytest.raises(TransferError) as caught:
        order_filter(context(), {"date_from": date(1, 1, 1)})

    # then
    assert caught.value.field == "dateFrom"
