from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from saleor_qb_sync.checkin import record_check_in
from saleor_qb_sync.models import SessionState, WebConnectorSession
from saleor_qb_sync.transfers import Actor, queue_orders

from .conftest import NO_PERMISSION_TOKEN

STATUS_QUERY = """
query {
  qbSyncStatus {
    exportMode
    lastCheckIn { at startedAt summary state ordersDone ordersFailed lastError }
    queuedOperations queuedOrders
    configurationComplete missingConfiguration webConnectorUsername
  }
}
"""


def test_status_before_the_first_check_in(api, db):
    # when
    result = api(STATUS_QUERY)

    # then
    assert result.data["qbSyncStatus"] == {
        "exportMode": "ON_DEMAND",
        "lastCheckIn": None,
        "queuedOperations": 0,
        "queuedOrders": 0,
        "configurationComplete": True,
        "missingConfiguration": [],
        "webConnectorUsername": "quickbooks",
    }


def test_status_shows_the_latest_session_and_the_queue(api, orders, source, configure):
    # given
    documents = [d for d in orders(10, seed=71) if d.status != "canceled"][:4]
    queue_orders(source, configure(), Actor(email="staff@example.com"),
                 [d.order_id for d in documents])
    WebConnectorSession.objects.create(ticket_digest="a" * 64, username="quickbooks",
                                       state=SessionState.CLOSED, summary="old")
    WebConnectorSession.objects.create(ticket_digest="b" * 64, username="quickbooks",
                                       state=SessionState.CLOSED, orders_done=3,
                                       orders_failed=1, summary="3 exported, 1 failed")

    # when
    result = api(STATUS_QUERY)

    # then
    status = result.data["qbSyncStatus"]
    assert (status["queuedOperations"], status["queuedOrders"]) == (1, 4)
    check_in = status["lastCheckIn"]
    assert check_in["summary"] == "3 exported, 1 failed"
    assert (check_in["state"], check_in["ordersDone"], check_in["ordersFailed"]) == (
        "CLOSED", 3, 1)


def test_status_lists_missing_configuration(api, db, configure):
    # given
    configure(web_connector_username="", web_connector_password="", export_mode="automatic")

    # when
    result = api(STATUS_QUERY)

    # then
    status = result.data["qbSyncStatus"]
    assert status["exportMode"] == "AUTOMATIC"
    assert status["configurationComplete"] is False
    assert status["missingConfiguration"] == ["web_connector_username",
                                              "web_connector_password"]


def test_status_needs_manage_orders(api, db):
    # when
    result = api(STATUS_QUERY, token=NO_PERMISSION_TOKEN)

    # then
    assert result.status == 403
    assert result.error_codes == ["PERMISSION_DENIED"]


OVERDUE_QUERY = """
query { qbSyncStatus { runEveryMinutes expectedCheckInBy checkInOverdue quickbooksProblems } }
"""


def test_a_web_connector_that_stopped_checking_in_is_overdue_and_staff_get_one_email(
        api, db, configure):
    # given: every 30 minutes, last seen two hours ago
    configure(run_every_minutes=30)
    record_check_in(timezone.now() - timedelta(hours=2))

    # when: the Dashboard polls the status three times
    results = [api(OVERDUE_QUERY).data["qbSyncStatus"] for _ in range(3)]

    # then
    assert all(r["checkInOverdue"] for r in results)
    assert results[0]["runEveryMinutes"] == 30
    assert results[0]["expectedCheckInBy"] is not None
    assert len(mail.outbox) == 1
    assert "staff@example.com" in mail.outbox[0].to
    assert "viewer@example.com" not in mail.outbox[0].to  # no MANAGE_ORDERS


def test_a_recent_check_in_is_not_overdue(api, db, configure):
    # given
    configure(run_every_minutes=30)
    record_check_in(timezone.now() - timedelta(minutes=40))

    # when
    status = api(OVERDUE_QUERY).data["qbSyncStatus"]

    # then
    assert status["checkInOverdue"] is False
    assert status["quickbooksProblems"] == []
    assert mail.outbox == []


def test_the_status_says_what_quickbooks_said_of_its_currencies(api, db):
    from saleor_qb_sync.company import remember_currencies
    from saleor_qb_sync.qbxml.currency import CompanyCurrencies

    query = "query { qbSyncStatus { quickbooksMulticurrency quickbooksCurrencies } }"
    before = api(query).data["qbSyncStatus"]
    row = WebConnectorSession.objects.create(ticket_digest="c" * 64, username="quickbooks")
    remember_currencies(row, CompanyCurrencies(True, "USD", (("USD", "US Dollar"),
                                                             ("EUR", "Euro"))))
    row.save()
    after = api(query).data["qbSyncStatus"]
    assert before == {"quickbooksMulticurrency": False, "quickbooksCurrencies": []}
    assert after == {"quickbooksMulticurrency": True, "quickbooksCurrencies": ["USD", "EUR"]}
