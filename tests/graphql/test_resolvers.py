"""Query resolvers called directly, with the standalone host: what each asks of the core.

The API's answers over HTTP are in the tests named for each query (``test_customers.py``,
``test_sync_status.py``, ``test_order_transfer_preview.py``, …); here are the resolvers' own
choices: which orders the customer list counts, and a status that answers when mail fails.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.test import RequestFactory
from django.utils import timezone

from saleor_qb_sync.checkin import record_check_in
from saleor_qb_sync.errors import TransferError
from saleor_qb_sync.graphql.context import QbSyncContext
from saleor_qb_sync.graphql.filters import MAX_SEARCH_LENGTH
from saleor_qb_sync.graphql.resolvers import (
    resolve_customers,
    resolve_order_transfer_preview,
    resolve_sync_status,
)
from saleor_qb_sync.models import ExportedOrder, ExportRecord
from saleor_qb_sync.saleor_ids import to_global_id
from saleor_qb_sync.standalone.host import StandaloneHost
from saleor_qb_sync.transfers import Actor, queue_orders

ELIGIBLE = ("unfulfilled", "partially fulfilled", "fulfilled")


class Host(StandaloneHost):
    """The standalone host whose mail can be made to fail."""

    def __init__(self, *, mail_fails: bool = False) -> None:
        super().__init__()
        self.mail_fails = mail_fails
        self.sent: list[str] = []

    def notify_staff(self, subject, body):
        if self.mail_fails:
            raise SMTPException("the mail server refused the connection")
        self.sent.append(subject)
        return ["staff@example.com"]


def context(host=None, actor=None) -> QbSyncContext:
    return QbSyncContext(request=RequestFactory().get("/"), host=host or Host(),
                         actor=actor or Actor(email="staff@example.com"))


def export(document):
    record = ExportRecord.objects.create(
        order_id=document.order_id, order_number=document.number,
        channel_slug=document.channel_slug, transaction_type="Invoice",
        ref_number=str(document.number), txn_id=f"T-{document.number}", state="done")
    ExportedOrder.objects.create(order_id=document.order_id, order_number=document.number,
                                 record=record)


def test_customers_count_every_order_exported_and_queued_ones_too(orders):
    # given: one customer's orders, one in QuickBooks and one waiting
    documents = [d for d in orders(30, seed=8, customers=1) if d.status in ELIGIBLE]
    ctx = context()
    export(documents[0])
    queue_orders(ctx.source, ctx.preferences, ctx.actor,
                 [to_global_id("Order", documents[1].order_id)])

    # when
    customers = resolve_customers(ctx, None, 10, None)
    preview = resolve_order_transfer_preview(ctx, None, 100, None)

    # then: the preview leaves both out, the customer list does not
    assert [(edge.node.email, edge.node.order_count) for edge in customers.edges] == [
        (documents[0].customer.email, len(documents))]
    assert preview.total_count == len(documents) - 2
    assert preview.queued_count == 1


def test_a_customer_search_is_trimmed_and_capped(orders):
    # given
    documents = orders(10, seed=9, customers=3)

    # when
    found = resolve_customers(context(), f"  {documents[0].customer.email}  ", 10, None)

    # then
    assert [edge.node.email for edge in found.edges] == [documents[0].customer.email]
    with pytest.raises(TransferError) as caught:
        resolve_customers(context(), "x" * (MAX_SEARCH_LENGTH + 1), 10, None)
    assert (caught.value.field, caught.value.code) == ("search", "invalid")


def test_the_status_answers_when_staff_cannot_be_mailed_and_mails_them_next_time(
        db, configure, caplog):
    # given: Web Connector last seen two hours ago, every 30 minutes
    configure(run_every_minutes=30)
    record_check_in(timezone.now() - timedelta(hours=2))
    host = Host(mail_fails=True)

    # when
    with caplog.at_level(logging.ERROR, logger="saleor_qb_sync.graphql.resolvers"):
        status = resolve_sync_status(context(host))

    # then
    assert status.check_in_overdue is True
    assert status.expected_check_in_by is not None
    assert "could not notify staff of a Web Connector outage" in caplog.text
    assert "the mail server refused the connection" in caplog.text

    # when: the mail server is back
    host.mail_fails = False
    again = resolve_sync_status(context(host))

    # then
    assert again.check_in_overdue is True
    assert len(host.sent) == 1


def test_the_status_tells_what_is_missing_before_web_connector_can_connect(db, configure):
    # given
    configure(web_connector_username="", web_connector_password="")

    # when
    status = resolve_sync_status(context())

    # then
    assert status.configuration_complete is False
    assert status.missing_configuration
    assert status.last_check_in is None
    assert (status.queued_operations, status.queued_orders) == (0, 0)
