"""The ledger: claims, attempts, outcomes, lost answers and resets, and that it alone writes
its tables, in a constant number of statements however many orders it is given."""

from __future__ import annotations

import ast
import pathlib
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_qb_sync import clock, ledger
from saleor_qb_sync.ledger import (
    Cause,
    CauseKind,
    Claim,
    Outcome,
    Unsent,
    claim_orders,
    record_attempt,
    record_failure,
    record_success,
    release_claims,
)
from saleor_qb_sync.models import (
    ExportedOrder,
    ExportRecord,
    ExportState,
    ItemState,
    MessageSet,
    MessageSetKind,
    OperationStatus,
    PendingOperationOrder,
)
from saleor_qb_sync.order_source import OrderRef
from saleor_qb_sync.transfers import Actor, automatic_work, queue_orders, queued_counts

pytestmark = pytest.mark.django_db

from tests.conftest import MARCH, mark_exported  # noqa: E402 - beside the other test helpers

STAFF = Actor(user_id="7", email="staff@example.com")


def attempt(claim: Claim, web_connector_session, **fields) -> ExportRecord:
    """An attempt for a claimed order, as the write step makes it (unsaved)."""
    return ledger.new_attempt(
        order_id=claim.order_id, order_number=claim.order_number,
        transaction_type="SalesReceipt", ref_number=str(claim.order_number),
        session=web_connector_session, operation_id=claim.operation_id, **fields)


# --- queueing ------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "analyzed"), [(ledger.LARGE_QUEUE, True), (3, False)])
def test_a_large_queue_refreshes_the_statistics_the_previews_plan_rests_on(
        django_capture_on_commit_callbacks, size, analyzed):
    # given
    orders = [OrderRef(str(uuid.uuid4()), number, "default") for number in range(size)]

    # when
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(
            execute=True):
        ledger.queue(orders, user_id="7", email="staff@example.com", app="", request={},
                     summary="")

    # then
    statements = [q["sql"] for q in queries.captured_queries]
    assert any(sql.startswith("ANALYZE saleor_qb_sync_pendingoperationorder")
               for sql in statements) is analyzed, statements[-3:]


# --- claiming work ------------------------------------------------------------------------


def test_on_demand_mode_claims_only_queued_orders(configure, stored_order, source, session):
    # given
    preferences = configure(export_mode="on_demand")
    queued = stored_order(1)
    stored_order(2)
    operation = queue_orders(source, preferences, STAFF, [queued.order_id])

    # when
    claims = claim_orders(session(), source, 10, automatic=automatic_work(preferences))

    # then
    assert claims == [Claim(queued.order_id, 1, operation.pk, queued.channel_slug)]
    operation.refresh_from_db()
    assert operation.status == OperationStatus.IN_PROGRESS


def test_on_demand_mode_with_nothing_queued_claims_nothing(configure, stored_order, source,
                                                          session):
    # given
    preferences = configure(export_mode="on_demand")
    stored_order(1)

    # when
    claims = claim_orders(session(), source, 10, automatic=automatic_work(preferences))

    # then
    assert claims == []


def test_automatic_mode_claims_eligible_orders_not_exported_from_the_start_date(
        configure, stored_order, source, session):
    # given
    preferences = configure(export_mode="automatic", export_start_date="2026-03-01",
                            time_zone="America/New_York")
    stored_order(1, created_at=datetime(2026, 3, 1, 3, 0, tzinfo=UTC))  # Feb 28 in New York
    stored_order(2, created_at=datetime(2026, 3, 1, 5, 0, tzinfo=UTC))
    stored_order(3, created_at=datetime(2026, 3, 2, tzinfo=UTC), status="draft")
    stored_order(4, created_at=datetime(2026, 3, 3, tzinfo=UTC), status="canceled")
    exported = stored_order(5, created_at=datetime(2026, 3, 4, tzinfo=UTC))
    stored_order(6, created_at=datetime(2026, 3, 5, tzinfo=UTC), status="fulfilled")
    mark_exported(exported, session("earlier"))

    # when
    claims = claim_orders(session(), source, 10, automatic=automatic_work(preferences))

    # then
    assert [(c.order_number, c.operation_id) for c in claims] == [(2, None), (6, None)]


def test_automatic_mode_skips_orders_it_already_tried(configure, stored_order, source, session):
    # given
    preferences = configure(export_mode="automatic")
    tried = stored_order(1)
    stored_order(2)
    record = record_attempt(order_id=tried.order_id, order_number=1,
                            transaction_type="SalesReceipt", ref_number="1",
                            session=session("earlier"), operation_id=None)
    record_failure(record, status_code=3140, message="Invalid reference to Account")

    # when
    claims = claim_orders(session(), source, 10, automatic=automatic_work(preferences))

    # then
    assert [c.order_number for c in claims] == [2]


def test_automatic_mode_takes_queued_orders_first_then_the_rest_up_to_the_limit(
        configure, stored_order, source, session):
    # given
    preferences = configure(export_mode="automatic")
    documents = [stored_order(n, created_at=MARCH + timedelta(hours=n)) for n in range(1, 6)]
    operation = queue_orders(source, preferences, STAFF, [documents[3].order_id])

    # when
    claims = claim_orders(session(), source, 3, automatic=automatic_work(preferences))

    # then
    assert claims == [Claim(documents[3].order_id, 4, operation.pk, documents[3].channel_slug),
                      Claim(documents[0].order_id, 1, None, documents[0].channel_slug),
                      Claim(documents[1].order_id, 2, None, documents[1].channel_slug)]


def test_automatic_mode_never_hands_out_an_order_another_session_claimed_from_a_queue(
        configure, stored_order, source, session):
    # given
    preferences = configure(export_mode="automatic")
    queued = stored_order(1)
    stored_order(2)
    queue_orders(source, preferences, STAFF, [queued.order_id])
    first = claim_orders(session("first"), source, 1, automatic=automatic_work(preferences))

    # when
    second = claim_orders(session("second"), source, 10, automatic=automatic_work(preferences))

    # then
    assert [c.order_number for c in first] == [1]
    assert [c.order_number for c in second] == [2]


def test_claims_follow_queue_order_and_respect_the_limit(configure, stored_order, source,
                                                         session):
    # given
    preferences = configure()
    documents = [stored_order(n) for n in range(1, 8)]
    first_op = queue_orders(source, preferences, STAFF, [d.order_id for d in documents[4:]])
    second_op = queue_orders(source, preferences, STAFF, [d.order_id for d in documents[:4]])
    web_connector = session()

    # when
    batches = [claim_orders(web_connector, source, 3, automatic=automatic_work(preferences))
               for _ in range(4)]

    # then
    assert [[(c.order_number, c.operation_id) for c in b] for b in batches] == [
        [(5, first_op.pk), (6, first_op.pk), (7, first_op.pk)],
        [(1, second_op.pk), (2, second_op.pk), (3, second_op.pk)],
        [(4, second_op.pk)],
        [],
    ]
    assert set(PendingOperationOrder.objects.values_list("state", "session")) == {
        (ItemState.CLAIMED, web_connector.pk)}
    assert queued_counts() == (2, 7)


def test_released_claims_go_back_to_the_queue(configure, stored_order, source, session):
    # given
    preferences = configure()
    documents = [stored_order(n) for n in range(1, 4)]
    queue_orders(source, preferences, STAFF, [d.order_id for d in documents])
    dropped = session("dropped")
    claim_orders(dropped, source, 3, automatic=automatic_work(preferences))

    # when
    released = release_claims(dropped, [documents[0].order_id])
    claims = claim_orders(session("next"), source, 3, automatic=automatic_work(preferences))

    # then
    assert released == 1
    assert [c.order_number for c in claims] == [1]
    assert release_claims(dropped) == 2


# --- the ledger -----------------------------------------------------------------------------


def test_success_marks_the_item_done_and_finishes_the_operation(
        configure, stored_order, source, session):
    # given
    preferences = configure()
    documents = [stored_order(n) for n in range(1, 3)]
    operation = queue_orders(source, preferences, STAFF, [d.order_id for d in documents])
    web_connector = session()
    claims = claim_orders(web_connector, source, 2, automatic=automatic_work(preferences))

    # when
    for claim in claims:
        record = record_attempt(order_id=claim.order_id, order_number=claim.order_number,
                                transaction_type="Invoice", ref_number=str(claim.order_number),
                                session=web_connector, operation_id=claim.operation_id,
                                total_amount=Decimal("10.00"), currency="USD")
        record_success(record, txn_id=f"T-{claim.order_number}")

    # then
    operation.refresh_from_db()
    assert operation.status == OperationStatus.DONE
    assert operation.completed_at is not None
    assert set(operation.items.values_list("state", flat=True)) == {ItemState.DONE}
    assert sorted(ExportedOrder.objects.values_list("order_number", flat=True)) == [1, 2]
    assert ExportRecord.objects.filter(automatic=False, state=ExportState.DONE).count() == 2


def test_an_operation_whose_every_order_failed_is_failed(configure, stored_order, source,
                                                         session):
    # given
    preferences = configure()
    document = stored_order(1)
    operation = queue_orders(source, preferences, STAFF, [document.order_id])
    web_connector = session()
    claim = claim_orders(web_connector, source, 1, automatic=automatic_work(preferences))[0]
    record = record_attempt(order_id=claim.order_id, order_number=1, transaction_type="Invoice",
                            ref_number="1", session=web_connector,
                            operation_id=claim.operation_id)

    # when
    record_failure(record, status_code=3180, message="There was an error saving", action="retry")

    # then
    operation.refresh_from_db()
    assert operation.status == OperationStatus.FAILED
    assert operation.summary == "0 exported, 1 failed"
    assert not ExportedOrder.objects.exists()




# --- lost answers, withdrawals, orders that never left ------------------------------------------


@pytest.fixture
def claimed(configure, stored_order, source, session):
    """``claimed(n)``: n queued orders in one operation, claimed by a new session."""

    def create(count: int, name: str = "first"):
        preferences = configure()
        documents = [stored_order(number) for number in range(1, count + 1)]
        queue_orders(source, preferences, STAFF, [d.order_id for d in documents])
        web_connector = session(name)
        return web_connector, claim_orders(web_connector, source, count)

    return create


def test_a_lost_answer_leaves_the_attempts_for_reconciling_and_the_orders_claimed(claimed):
    # given
    web_connector, claims = claimed(3)
    message_set = MessageSet.objects.create(session=web_connector, kind=MessageSetKind.WRITE,
                                            request_xml="<QBXML/>")
    ledger.sent([attempt(c, web_connector, message_set=message_set) for c in claims[:2]])

    # when
    lost = ledger.answers_lost(message_set=message_set)
    released = ledger.release_unsent(web_connector)

    # then: the two sent wait for a look-up and stay claimed; the unsent one goes back
    assert lost == 2
    assert ledger.to_reconcile().count() == 2
    assert released == 1
    assert dict(PendingOperationOrder.objects.values_list("order_number", "state")) == {
        1: ItemState.CLAIMED, 2: ItemState.CLAIMED, 3: ItemState.PENDING}


def test_attempts_quickbooks_never_processed_end_and_their_orders_wait_again(claimed):
    # given
    web_connector, claims = claimed(2)
    message_set = MessageSet.objects.create(session=web_connector, kind=MessageSetKind.WRITE,
                                            request_xml="<QBXML/>")
    ledger.sent([attempt(c, web_connector, message_set=message_set) for c in claims])

    # when
    withdrawn = ledger.withdraw(message_set, "QuickBooks is busy")

    # then
    assert len(withdrawn) == 2
    assert set(ExportRecord.objects.values_list("state", "status_message", "action")) == {
        (ExportState.FAILED, "Not processed: QuickBooks is busy", "resent")}
    assert set(PendingOperationOrder.objects.values_list("state", flat=True)) == {
        ItemState.PENDING}
    assert queued_counts() == (1, 2)


def test_orders_that_could_not_be_sent_are_failed_with_their_reasons(claimed):
    # given
    web_connector, claims = claimed(2)
    cause = Cause(CauseKind.ITEM, "settings-1", "Shipping")

    # when
    records = ledger.fail_unsent(web_connector, [
        Unsent(claims[0], "The order no longer exists in Saleor.", "order_missing"),
        Unsent(claims[1], "QuickBooks has no item named Shipping.", "missing_in_quickbooks",
               "Invoice", "2" * 20, cause)])

    # then: each with its reason, a RefNumber cut to the column, the operation finished
    assert [(r.order_number, r.status_message, r.action) for r in records] == [
        (1, "The order no longer exists in Saleor.", "order_missing"),
        (2, "QuickBooks has no item named Shipping.", "missing_in_quickbooks")]
    assert ExportRecord.objects.get(order_number=2).ref_number == "2" * 11
    assert Cause.from_json(ExportRecord.objects.get(order_number=2).cause) == cause
    operation = PendingOperationOrder.objects.first().operation
    assert operation.status == OperationStatus.FAILED
    assert operation.summary == "0 exported, 2 failed"


def test_unconfirmed_attempts_are_reconciled_once_per_session(claimed):
    # given
    web_connector, claims = claimed(2)
    records = ledger.sent([attempt(c, web_connector) for c in claims])

    # when
    ledger.unconfirmed([(records[0], "Checking QuickBooks: no TxnID.")])

    # then
    assert [r.pk for r in ledger.to_reconcile()] == [records[0].pk]
    assert list(ledger.to_reconcile(excluding=[records[0].pk])) == []
    assert ExportRecord.objects.get(pk=records[0].pk).status_message == (
        "Checking QuickBooks: no TxnID.")


# --- one clock, a constant number of statements, one writer ---------------------------------


def test_every_write_reads_the_one_clock(claimed):
    # given
    at = datetime(2031, 5, 4, 12, 0, tzinfo=UTC)
    web_connector, claims = claimed(1)

    # when
    with clock.use(lambda: at):
        record = ledger.sent([attempt(claims[0], web_connector)])[0]
        ledger.record_outcomes([Outcome(record, True, txn_id="T-1")])

    # then
    record.refresh_from_db()
    assert (record.created_at, record.updated_at) == (at, at)
    assert ExportedOrder.objects.get().exported_at == at
    item = PendingOperationOrder.objects.get()
    assert item.finished_at == at
    assert item.operation.completed_at == at


def statements(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


@pytest.mark.parametrize("write", ["outcomes", "unsent", "lost"])
def test_a_write_costs_the_same_statements_for_ten_orders_as_for_a_hundred(
        configure, stored_order, source, session, write):
    # given: two sessions holding 10 and 100 orders of one operation each
    preferences = configure()
    documents = [stored_order(number) for number in range(1, 111)]
    counts = []
    for size, name in ((10, "small"), (100, "large")):
        chosen = documents[:10] if size == 10 else documents[10:]
        queue_orders(source, preferences, STAFF, [d.order_id for d in chosen])
        web_connector = session(name)
        claims = claim_orders(web_connector, source, size)
        assert len(claims) == size

        def run(web_connector=web_connector, claims=claims):
            if write == "unsent":
                ledger.fail_unsent(web_connector, [Unsent(c, "no", "x") for c in claims])
                return
            records = ledger.sent([attempt(c, web_connector) for c in claims])
            if write == "outcomes":
                ledger.record_outcomes([Outcome(r, i % 2 == 0, txn_id=f"T{i}")
                                        for i, r in enumerate(records)])
            else:
                ledger.answers_lost(session=web_connector)
                ledger.unconfirmed([(r, "Checking QuickBooks.") for r in records])

        # when
        counts.append(statements(run))

    # then (Django's capture lists an executemany once, as the database gets it pipelined)
    assert counts[0] == counts[1], counts


#: model names whose rows only the ledger may write
LEDGER_MODELS = {"ExportRecord", "ExportedOrder", "PendingOperationOrder"}
#: table names, for raw SQL
LEDGER_TABLES = ("saleor_qb_sync_exportrecord", "saleor_qb_sync_exportedorder",
                 "saleor_qb_sync_pendingoperationorder")
WRITES = {"create", "bulk_create", "bulk_update", "update", "delete", "get_or_create",
          "update_or_create"}
PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "saleor_qb_sync"


def ledger_writes(source: str) -> list[int]:
    """Line numbers of ``source`` that write a ledger table: a model constructed, a write
    through ``Model.objects…``, or SQL that changes one of its tables."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in LEDGER_MODELS:
                lines.append(node.lineno)
            elif isinstance(func, ast.Attribute) and func.attr in WRITES:
                chain, value = [], func.value
                while isinstance(value, ast.Attribute | ast.Call):
                    if isinstance(value, ast.Attribute):
                        chain.append(value.attr)
                        value = value.value
                    else:
                        value = value.func
                if (isinstance(value, ast.Name) and value.id in LEDGER_MODELS
                        and "objects" in chain):
                    lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.lower()
            if any(t in text for t in LEDGER_TABLES) and any(
                    verb in text for verb in ("update ", "insert ", "delete ")):
                lines.append(node.lineno)
    return lines


def test_the_scanner_finds_each_kind_of_write():
    source = (
        "ExportRecord.objects.filter(pk=1).update(state='done')\n"
        "ExportedOrder(order_id=1)\n"
        "PendingOperationOrder.objects.select_for_update().filter(x=1).delete()\n"
        "cursor.execute('UPDATE saleor_qb_sync_exportrecord SET state = 1')\n"
        "ExportRecord.objects.filter(pk=1).count()\n"
        "record.refresh_from_db()\n")
    assert ledger_writes(source) == [1, 2, 3, 4]


def test_no_module_but_the_ledger_writes_its_tables():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        # migrations create the tables; the stand-ins in testing/ never touch them
        if relative.parts[0] == "migrations" or relative == pathlib.Path("ledger.py"):
            continue
        offenders += [f"{relative}:{line}" for line in ledger_writes(path.read_text())]
    assert offenders == []


def test_an_attempt_is_made_with_every_column_and_only_for_a_saved_message_set(session):
    # given
    web_connector = session()
    claim = Claim(str(uuid.uuid4()), 7, None, "default-channel")
    unsaved = MessageSet(session=web_connector, kind=MessageSetKind.WRITE, request_xml="")

    # when
    with pytest.raises(ValueError, match="saved"):
        attempt(claim, web_connector, message_set=unsaved)
    unsaved.save()
    (made,) = ledger.sent([attempt(claim, web_connector, message_set=unsaved,
                                   request_id="t0")])

    # then: stored as a keyword-built row would be, with the set's and the session's ids
    stored = ExportRecord.objects.get(pk=made.pk)
    assert (stored.message_set_id, stored.session_id, stored.request_id) == (
        unsaved.pk, web_connector.pk, "t0")
    assert (stored.state, stored.automatic, stored.cause, stored.txn_id) == (
        ExportState.SENT, True, {}, "")


def test_latest_attempts_are_each_orders_newest_in_that_session(configure, stored_order,
                                                                 session):
    # given: order 1 tried twice in one session, order 2 once, order 3 in another session
    configure()
    orders = {n: stored_order(n) for n in (1, 2, 3)}
    first, other = session(), session("other")

    def attempt(number, in_session):
        return record_attempt(order_id=orders[number].order_id, order_number=number,
                              transaction_type="Invoice", ref_number=str(number),
                              session=in_session, operation_id=None)

    attempt(1, first)
    again, only = attempt(1, first), attempt(2, first)
    attempt(3, other)

    # when
    latest = ledger.latest_attempts(first)

    # then
    assert {k: r.pk for k, r in latest.items()} == {orders[1].order_id: again.pk,
                                                    orders[2].order_id: only.pk}
