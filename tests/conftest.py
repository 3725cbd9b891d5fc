"""Shared fixtures: factories with keyword defaults, as Saleor's test suite does.

Everything runs against a real PostgreSQL database (``DATABASE_URL``) and, for end-to-end
tests, our own live server on loopback; nothing leaves the machine.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from saleor_qb_sync.documents import ChargeStatus, Customer, to_cents
from saleor_qb_sync.ledger import record_attempt, record_success
from saleor_qb_sync.models import WebConnectorSession
from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.standalone.order_source import SampleOrderSource, store_sample_orders
from saleor_qb_sync.testing.intuit_files import schema_dir_or_skip, wsdl_or_skip
from saleor_qb_sync.testing.sample_orders import generate_orders
from tests.qbxml.factories import order, order_line

#: the Web Connector user and password of the standalone test store
QBWC_USER = "quickbooks"
QBWC_PASSWORD = "correct horse battery staple"
STAFF_TOKEN = "staff-token"
#: a staff member with MANAGE_ORDERS and MANAGE_PLUGINS (may change the settings)
SETTINGS_TOKEN = "settings-token"
BASE_PREFERENCES = {
    "web_connector_username": QBWC_USER,
    "web_connector_password": QBWC_PASSWORD,
    "export_mode": "on_demand",
    "company_currency": "USD",
    # the sample orders' second channel is in PLN: converted, as a store selling in two
    # currencies would set it (tests of the refusal leave it out)
    "exchange_rates": "PLN=0.25, EUR=1.08",
    "orders_per_request": 10,
    # QuickBooks' lists are read only where a test asks (tests/qbwc/steps/test_lists.py)
    "lists_max_age_hours": 0,
}




@pytest.fixture
def configure(settings):
    """Set the standalone store's preferences: ``configure(export_mode="automatic")``."""

    def apply(**overrides):
        settings.SALEOR_QB_SYNC_PREFERENCES = {**BASE_PREFERENCES, **overrides}
        from saleor_qb_sync.standalone.host import settings_preferences

        return settings_preferences()

    apply()
    settings.SALEOR_QB_SYNC_DEV_TOKENS = {
        STAFF_TOKEN: {"email": "staff@example.com", "user_id": "7",
                      "permissions": ["MANAGE_ORDERS"], "channels": None},
        SETTINGS_TOKEN: {"email": "owner@example.com", "user_id": "8",
                         "permissions": ["MANAGE_ORDERS", "MANAGE_PLUGINS"], "channels": None},
        "no-permission-token": {"email": "viewer@example.com", "permissions": []},
        "usd-only-token": {"email": "usd@example.com", "permissions": ["MANAGE_ORDERS"],
                           "channels": ["default-channel"]},
    }
    return apply


@pytest.fixture
def orders(db):
    """Store generated sample orders: ``orders(20, seed=3)`` returns the documents."""

    def create(count: int = 10, **kwargs):
        documents = generate_orders(count, **kwargs)
        store_sample_orders(documents)
        return documents

    return create


@pytest.fixture
def source():
    return SampleOrderSource()


@pytest.fixture(scope="session")
def qbxml_schema():
    from saleor_qb_sync.testing.qb_simulator import load_schema

    return load_schema(schema_dir_or_skip())


@pytest.fixture
def quickbooks(qbxml_schema):
    """A fresh simulated QuickBooks company: ``quickbooks(company=...)``."""
    from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator

    def create(company=None):
        return QuickBooksSimulator(company, schema=qbxml_schema)

    return create


@pytest.fixture
def qbwc_url(live_server):
    return f"{live_server.url}/plugins/global/saleor_qb_sync/qbwc"


@pytest.fixture
def web_connector(qbwc_url):
    """A Web Connector emulator built from Intuit's WSDL, aimed at our live endpoint."""
    from saleor_qb_sync.testing.web_connector import WebConnector

    wsdl = wsdl_or_skip()

    def create(quickbooks, *, username=QBWC_USER, password=QBWC_PASSWORD, **kwargs):
        kwargs.setdefault("sleep", lambda seconds: None)
        return WebConnector(qbwc_url, username, password, quickbooks, wsdl=wsdl, **kwargs)

    return create


#: the day the stored test orders are placed unless told otherwise
MARCH = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def order_uuid(number: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"saleor-qb-sync-test/order/{number}"))


@pytest.fixture
def stored_order(db):
    """Store one order: ``stored_order(7, email="a@example.com", status="fulfilled")``."""

    def create(number: int = 1, *, created_at: datetime = MARCH,
               email: str = "buyer@example.com", user_id: str | None = None,
               first_name: str = "Jane", last_name: str = "Doe",
               channel: str = "default-channel", currency: str = "USD",
               status: str = "unfulfilled", charge_status: ChargeStatus = ChargeStatus.FULL,
               sku: str | None = "TEE-M", **overrides):
        document = order(
            number=number, order_id=order_uuid(number), created_at=created_at,
            lines=(order_line(sku=sku),), charge_status=charge_status,
            customer=Customer(email=email, user_id=user_id, first_name=first_name,
                              last_name=last_name),
            channel_slug=channel, currency=currency, status=status, **overrides)
        store_sample_orders([document])
        return document

    return create


@pytest.fixture
def session(db):
    """A Web Connector session to claim work with: ``session("second")``."""

    def create(name: str = "first", **kwargs):
        return WebConnectorSession.objects.create(
            ticket_digest=uuid.uuid4().hex + name, username="quickbooks", **kwargs)

    return create


def mark_exported(document, web_connector_session, *, txn_id: str = "TXN-1",
                  transaction_type: str = "SalesReceipt", operation_id: int | None = None):
    """Record ``document`` as in QuickBooks, as a confirmed attempt of that session would."""
    record = record_attempt(
        order_id=document.order_id, order_number=document.number,
        transaction_type=transaction_type, ref_number=str(document.number),
        session=web_connector_session, operation_id=operation_id)
    record_success(record, txn_id=txn_id)
    return record


def booked_total(document) -> Decimal:
    """What QuickBooks books for ``document`` under the test store's settings: its gross
    total, converted to the home currency (USD) at the store's exchange rates."""
    rate = Preferences.from_config(BASE_PREFERENCES).rate_for(document.currency)
    return to_cents(document.total_gross * rate)
