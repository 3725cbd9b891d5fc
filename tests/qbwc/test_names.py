"""The name cache: what QuickBooks confirmed, remembered once, forgotten on a 3140."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_qb_sync.qbwc import names

pytestmark = pytest.mark.django_db


def test_confirmed_names_are_known_by_kind():
    names.remember([(names.CUSTOMER, "Doe, Jane"), (names.ITEM, "TEE-M"),
                    (names.ITEM, "TEE-M"), (names.ITEM, "")])
    assert names.known(["Doe, Jane", "TEE-M"], ["TEE-M", "MUG"]) == {
        (names.CUSTOMER, "Doe, Jane"), (names.ITEM, "TEE-M")}


def test_a_name_is_known_only_as_the_kind_it_was_confirmed_as():
    names.remember([(names.ITEM, "Shipping")])
    assert names.known(["Shipping"], []) == set()


def test_forgotten_names_are_looked_up_or_added_again():
    names.remember([(names.CUSTOMER, "Doe, Jane"), (names.ITEM, "TEE-M"),
                    (names.ITEM, "MUG")])
    names.forget(["Doe, Jane", ""], ["TEE-M"])
    assert names.known(["Doe, Jane"], ["TEE-M", "MUG"]) == {(names.ITEM, "MUG")}


def test_knowing_many_names_is_one_statement_and_none_is_free():
    names.remember([(names.ITEM, f"ITEM-{n}") for n in range(300)])
    with CaptureQueriesContext(connection) as queries:
        found = names.known([f"C-{n}" for n in range(300)], [f"ITEM-{n}" for n in range(300)])
        assert names.known([], []) == set()
    assert len(found) == 300
    assert len(queries) == 1


def test_every_known_name_is_given_by_kind():
    names.remember([(names.CUSTOMER, "Doe, Jane"), (names.ITEM, "TEE-M")])
    assert names.every() == {(names.CUSTOMER, "Doe, Jane"), (names.ITEM, "TEE-M")}
    names.forget(["Doe, Jane"], [])
    assert names.every() == {(names.ITEM, "TEE-M")}
