"""Our copy of QuickBooks' lists: what is due, from when, kept by ListID, deletions."""

from __future__ import annotations

import ast
import pathlib
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_qb_sync import clock, quickbooks_lists
from saleor_qb_sync.models import QuickBooksListEntry
from saleor_qb_sync.qbxml.lists import ListEntry

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ALL = [lst.key for lst in quickbooks_lists.LISTS]


@pytest.fixture
def at():
    moment = clock.SettableClock(NOW)
    with clock.use(moment):
        yield moment


def entry(list_id: str, name: str, **fields) -> ListEntry:
    values = {"edit_sequence": "1", "time_modified": NOW, "record_type": "",
              "is_active": True, **fields}
    return ListEntry(list_id=list_id, name=name, full_name=name, **values)


def test_every_list_is_due_before_its_first_read_and_none_with_max_age_0(at):
    assert quickbooks_lists.due(24) == ALL
    assert quickbooks_lists.due(0) == []


def test_a_list_read_completely_is_due_again_once_older_than_the_max_age(at):
    quickbooks_lists.finish("customers", NOW, full=True, records=3, round_trips=1)
    assert "customers" not in quickbooks_lists.due(24)
    at.at = NOW + timedelta(hours=24, seconds=1)
    assert "customers" in quickbooks_lists.due(24)


def test_the_next_read_asks_for_what_changed_since_the_last_less_the_overlap(at):
    assert quickbooks_lists.since("items") is None  # never read: all of it
    quickbooks_lists.finish("items", NOW, full=True, records=3, round_trips=1)
    at.at = NOW + timedelta(hours=25)
    assert quickbooks_lists.since("items") == NOW - quickbooks_lists.OVERLAP
    quickbooks_lists.finish("items", at.at, full=False, records=1, round_trips=1)
    assert quickbooks_lists.since("items") == at.at - quickbooks_lists.OVERLAP
    # a week after the last full read, a full one again (deletions)
    at.at = NOW + quickbooks_lists.FULL_PULL_EVERY + timedelta(seconds=1)
    assert quickbooks_lists.since("items") is None


def test_records_are_kept_by_list_id_in_one_statement_per_chunk(at):
    with CaptureQueriesContext(connection) as queries:
        assert quickbooks_lists.store("customers", [entry(f"C{n}", f"Customer {n}")
                                                    for n in range(1000)]) == 1000
    assert len(queries) == 1
    quickbooks_lists.store("customers", [entry("C7", "Renamed", email="r@example.com",
                                               is_active=False)])
    renamed = QuickBooksListEntry.objects.get(list="customers", list_id="C7")
    assert (renamed.full_name, renamed.email, renamed.is_active) == (
        "Renamed", "r@example.com", False)
    assert QuickBooksListEntry.objects.filter(list="customers").count() == 1000
    assert quickbooks_lists.store("customers", []) == 0


def test_a_complete_full_read_drops_what_it_did_not_see_an_incremental_one_does_not(at):
    quickbooks_lists.store("classes", [entry("K1", "East"), entry("K2", "West")])
    at.at = NOW + timedelta(days=8)
    started = at.at
    at.at += timedelta(seconds=5)
    quickbooks_lists.store("classes", [entry("K1", "East")])
    assert quickbooks_lists.finish("classes", started, full=False, records=1,
                                   round_trips=1) == 0
    assert QuickBooksListEntry.objects.filter(list="classes").count() == 2
    assert quickbooks_lists.finish("classes", started, full=True, records=1,
                                   round_trips=1) == 1
    assert [e.full_name for e in quickbooks_lists.entries("classes")] == ["East"]


def test_the_summary_counts_each_list_and_the_sales_tax_items_apart(at):
    quickbooks_lists.store("items", [entry("I1", "Labor", record_type="ItemService"),
                                     entry("I2", "State", record_type="ItemSalesTax"),
                                     entry("I3", "Old", record_type="ItemService",
                                           is_active=False)])
    quickbooks_lists.finish("items", NOW, full=True, records=3, round_trips=1)
    rows = {s.key: s for s in quickbooks_lists.summaries()}
    assert list(rows) == ["accounts", "sales_tax_codes", "classes", "payment_methods",
                          "items", "sales_tax_items", "customers"]
    assert (rows["items"].count, rows["items"].active, rows["items"].pulled_at,
            rows["items"].incremental) == (3, 2, NOW, False)
    assert (rows["sales_tax_items"].count, rows["sales_tax_items"].active) == (1, 1)
    assert (rows["customers"].count, rows["customers"].pulled_at) == (0, None)


def test_the_company_preferences_are_kept_as_web_connector_passed_them(at):
    assert quickbooks_lists.company_preferences().read_at is None
    quickbooks_lists.remember_preferences({"sales_tax": True, "multi_currency": False,
                                           "home_currency": "", "product": "QB"})
    kept = quickbooks_lists.company_preferences()
    assert (kept.sales_tax, kept.multi_currency, kept.home_currency, kept.read_at) == (
        True, False, "", NOW)
    assert "preferences" not in quickbooks_lists.due(24)  # not a list Web Connector reads


def test_forgetting_everything_empties_both_tables(at):
    quickbooks_lists.store("classes", [entry("K1", "East")])
    quickbooks_lists.finish("classes", NOW, full=True, records=1, round_trips=1)
    quickbooks_lists.forget_all()
    assert quickbooks_lists.due(24) == ALL
    assert quickbooks_lists.entries("classes") == []


OWNED = {"QuickBooksListEntry", "QuickBooksListPull"}
WRITES = {"create", "bulk_create", "bulk_update", "update", "delete", "get_or_create",
          "update_or_create"}
PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "saleor_qb_sync"


def writes(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in OWNED:
                lines.append(node.lineno)
            elif isinstance(func, ast.Attribute) and func.attr in WRITES:
                value = func.value
                while isinstance(value, ast.Attribute | ast.Call):
                    value = value.value if isinstance(value, ast.Attribute) else value.func
                if isinstance(value, ast.Name) and value.id in OWNED:
                    lines.append(node.lineno)
    return lines


def test_only_this_module_writes_our_list_tables():
    assert writes("QuickBooksListPull.objects.filter(list='x').delete()\n"
                  "QuickBooksListEntry(list='x')\n") == [1, 2]
    offenders = {str(path.relative_to(PACKAGE)): lines
                 for path in PACKAGE.rglob("*.py")
                 if "migrations" not in path.parts and path.name != "quickbooks_lists.py"
                 if (lines := writes(path.read_text(encoding="utf-8")))}
    assert offenders == {}
