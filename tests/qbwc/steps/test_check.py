"""The settings check: once per session, its findings shown and used."""

from __future__ import annotations

import pytest

from ..engine_driver import drive

pytestmark = pytest.mark.django_db


def test_a_missing_income_account_is_said_and_blocks_the_orders_that_need_it(
        queued, source, quickbooks):
    preferences, _ = queued(2, income_account="Nowhere Income", check_duplicates=False)
    qb = quickbooks()

    run = drive(preferences, source, qb)

    assert run.sets[0][0] == "AccountQueryRq"
    assert qb.transactions() == []
    from saleor_qb_sync.models import ExportRecord

    reasons = set(ExportRecord.objects.values_list("status_message", flat=True))
    assert reasons and all("Nowhere Income" in r for r in reasons)


def test_the_check_runs_once_per_session(queued, source, quickbooks):
    preferences, _ = queued(25, orders_per_request=10, check_duplicates=False)
    run = drive(preferences, source, quickbooks())
    assert sum("AccountQueryRq" in s for s in run.sets) == 1
