"""The real-Saleor tier: our plugin inside a Saleor checkout, with Saleor's own fixtures.

Run it with ``tests/saleor/run`` (``make test-saleor SALEOR_SRC=<checkout>``): pytest runs from
the Saleor checkout with Saleor's venv and settings (``-c setup.cfg``), and this file bridges
Saleor's test setup into our directory. It loads Saleor's root ``conftest.py`` *by path* from
the checkout (so its module-level setup runs: both test databases on ``TestCase``, the fake
replica) and re-exports its ``pytest_plugins`` (Saleor's fixture modules). Nothing of Saleor is
copied here.

Our fixtures on top:
- ``qb_configure(**preferences)`` / ``qb_plugin``: enable the plugin (``settings.PLUGINS``) and
  save an active configuration through Saleor's plugins manager, i.e. through the plugin's own
  ``validate_plugin_configuration`` / ``pre_save_plugin_configuration``, as ``pluginUpdate`` does;
- ``quickbooks``: a fresh QuickBooks simulator (needs ``QBXML_SCHEMA_DIR``);
- ``web_connector``: the Web Connector emulator (needs ``QBWC_WSDL``) aimed at Saleor's live
  server, ``live_server.url + "/plugins/global/saleor_qb_sync/qbwc"``;
- order factories made of Saleor's fixtures (``guest_order``, ``voucher_order``,
  ``gift_card_order``, ``make_orders``).
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import re
import sys
from decimal import Decimal

import pytest
import saleor

from saleor_qb_sync.testing.intuit_files import schema_dir_or_skip, wsdl_or_skip

_ROOT_CONFTEST = pathlib.Path(saleor.__file__).resolve().parent.parent / "conftest.py"
_NAME = "_saleor_root_conftest"

if _NAME in sys.modules:
    _root = sys.modules[_NAME]
else:
    _spec = importlib.util.spec_from_file_location(_NAME, _ROOT_CONFTEST)
    _root = importlib.util.module_from_spec(_spec)
    sys.modules[_NAME] = _root
    _spec.loader.exec_module(_root)

# only the fixture modules, not the root conftest's hooks (a run that also collects Saleor's
# own tests would otherwise register --run-slow twice)
pytest_plugins = list(_root.pytest_plugins)

if hasattr(_root, "django_db_setup"):  # Saleor defines it only when PYTEST_DB_URL is set
    django_db_setup = _root.django_db_setup


PLUGIN_PATH = "saleor_qb_sync.plugin.QuickBooksSyncPlugin"
PLUGIN_ID = "saleor_qb_sync"
ROUTE = "/plugins/global/saleor_qb_sync/"
GRAPHQL_PATH = ROUTE + "graphql/"
QBWC_USER = "quickbooks"
QBWC_PASSWORD = "correct horse battery staple"
BASE_PREFERENCES = {
    "web_connector_username": QBWC_USER,
    "web_connector_password": QBWC_PASSWORD,
    "export_mode": "on_demand",
    "company_currency": "USD",
    "orders_per_request": "10",
    # lists are read only when a test asks (tests/qbwc/test_lists_sync.py reads them)
    "lists_max_age_hours": "0",
}


# --- Saleor versions --------------------------------------------------------------------------

def _major_minor(version: str) -> tuple[int, int]:
    match = re.match(r"(\d+)\.(\d+)", version)
    if not match:
        raise ValueError(f"not a Saleor version: {version!r}")
    return int(match[1]), int(match[2])


SALEOR_VERSION = _major_minor(saleor.__version__)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "requires_saleor(version, reason): skip on a Saleor older than version (major.minor); "
        "reason names what the test needs from that version")


def pytest_runtest_setup(item):
    """``@pytest.mark.requires_saleor("3.23", reason="...")``: the test uses something of Saleor
    (a test helper, a field) that older Saleor versions do not have, so it skips there, saying
    what and since when, instead of failing with an ImportError."""
    for mark in item.iter_markers(name="requires_saleor"):
        (needed,) = mark.args
        if _major_minor(needed) > SALEOR_VERSION:
            pytest.skip(f"needs Saleor {needed} or later ({mark.kwargs['reason']}); "
                        f"this is Saleor {saleor.__version__}")


# --- the plugin -------------------------------------------------------------------------------


def enable_plugin(settings) -> None:
    """Saleor's autouse ``setup_dummy_gateways`` sets PLUGINS for every test; put ours in."""
    settings.PLUGINS = [PLUGIN_PATH]


def save_configuration(preferences: dict, *, active: bool = True):
    """Save through Saleor's manager: the path of ``pluginUpdate``'s ``perform_mutation``."""
    from saleor.plugins.manager import get_plugins_manager

    manager = get_plugins_manager(allow_replica=False)
    return manager.save_plugin_configuration(PLUGIN_ID, None, {
        "active": active,
        "configuration": [{"name": k, "value": v} for k, v in preferences.items()],
    })


@pytest.fixture
def qb_configure(settings, db):
    """``qb_configure(export_mode="automatic", active=True)`` → the saved PluginConfiguration."""
    enable_plugin(settings)

    def apply(*, active: bool = True, **overrides):
        return save_configuration({**BASE_PREFERENCES, **overrides}, active=active)

    return apply


@pytest.fixture
def qb_plugin(qb_configure):
    return qb_configure()


@pytest.fixture
def qb_preferences():
    """The plugin's current Preferences, as the running plugin sees them."""
    from saleor.plugins.manager import get_plugins_manager

    def current():
        plugin = get_plugins_manager(allow_replica=False).get_plugin(PLUGIN_ID)
        assert plugin is not None and plugin.preferences is not None
        return plugin.preferences

    return current


# --- clients ----------------------------------------------------------------------------------


def qb_graphql(client, query: str, variables: dict | None = None, *, path: str = GRAPHQL_PATH):
    """POST a GraphQL document to our route with one of Saleor's ApiClients (its auth header)."""
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    # Client.post, not ApiClient.post: the latter always targets client.api_path
    from django.test import Client

    return Client.post(client, path, json.dumps(body), content_type="application/json")


@pytest.fixture
def manage_orders_staff_client(staff_api_client, permission_manage_orders):
    staff_api_client.user.user_permissions.add(permission_manage_orders)
    return staff_api_client


# --- QuickBooks and Web Connector -------------------------------------------------------------


@pytest.fixture(scope="session")
def qbxml_schema():
    from saleor_qb_sync.testing.qb_simulator import load_schema

    return load_schema(schema_dir_or_skip())


@pytest.fixture
def quickbooks(qbxml_schema):
    """A fresh simulated QuickBooks company file."""
    from saleor_qb_sync.testing.qb_simulator import QuickBooksSimulator

    return QuickBooksSimulator(schema=qbxml_schema)


@pytest.fixture
def qbwc_url(live_server):
    return f"{live_server.url}{ROUTE}qbwc"


@pytest.fixture
def web_connector(qbwc_url):
    """``web_connector(quickbooks, password=...)``: Intuit's WSDL driven by zeep, aimed at the
    live Saleor server."""
    from saleor_qb_sync.testing.web_connector import WebConnector

    wsdl = wsdl_or_skip()

    def create(quickbooks, *, username=QBWC_USER, password=QBWC_PASSWORD, **kwargs):
        kwargs.setdefault("sleep", lambda seconds: None)
        return WebConnector(qbwc_url, username, password, quickbooks, wsdl=wsdl, **kwargs)

    return create


# --- orders made with Saleor's fixtures -------------------------------------------------------


def _finish(order, *, shipping_method=None):
    """Give an order a taxed shipping price (23 %, like Saleor's fixtures) and recompute its
    totals with Saleor's fixture helper ``recalculate_order``."""
    from prices import Money, TaxedMoney
    from saleor.core.taxes import zero_money
    from saleor.order.tests.fixtures.order import recalculate_order
    from saleor.tax.utils import calculate_tax_rate

    if shipping_method is not None:
        listing = shipping_method.channel_listings.get(channel_id=order.channel_id)
        net = listing.get_total()
        gross = Money(net.amount * Decimal("1.23"), net.currency)
        order.shipping_method = shipping_method
        order.shipping_method_name = shipping_method.name
        order.shipping_price = TaxedMoney(net=net, gross=gross)
        order.base_shipping_price = net
        order.undiscounted_base_shipping_price = net
        order.shipping_tax_rate = calculate_tax_rate(order.shipping_price)
    else:
        order.shipping_price = TaxedMoney(zero_money(order.currency), zero_money(order.currency))
    order.lines_count = order.lines.count()
    order.save()
    recalculate_order(order)
    order.refresh_from_db()
    return order


@pytest.fixture
def order_variants(order_with_lines):
    """The two variants of ``order_with_lines`` (listed in channel_USD, with stock)."""
    return [line.variant for line in order_with_lines.lines.order_by("product_sku")]


@pytest.fixture
def make_orders(order_generator, order_lines_generator, order_variants, shipping_zone):
    """``make_orders(n, user=None, email=...)``: n placed (unfulfilled) USD orders with two taxed
    lines and shipping, through Saleor's ``order_generator`` and ``order_lines_generator``."""

    def create(count: int, **kwargs):
        orders = []
        shipping_method = shipping_zone.shipping_methods.first()
        for i in range(count):
            order = order_generator(**kwargs)
            order_lines_generator(order, order_variants, [10 + i, 7],
                                  [1 + i % 3, 2], create_allocations=False)
            orders.append(_finish(order, shipping_method=shipping_method))
        return orders

    return create


@pytest.fixture
def guest_order(order_generator, order_lines_generator, order_variants, shipping_zone,
                address_usa):
    """A guest's order (no Saleor user, only an e-mail and an address)."""
    order = order_generator(user=None, user_email="guest.buyer@example.com",
                            billing_address=address_usa, shipping_address=address_usa.get_copy())
    order_lines_generator(order, order_variants, [15, 4], [2, 5], create_allocations=False)
    return _finish(order, shipping_method=shipping_zone.shipping_methods.first())


@pytest.fixture
def gift_card_order(order_generator, order_lines_generator, order_variants, gift_card,
                    customer_user2):
    """A registered customer's order partly paid with a gift card in Saleor's legacy flow: the
    card's balance is taken off the gross total and the net total proportionally, as
    ``calculate_checkout_total_with_gift_cards`` does at checkout."""
    from saleor.core.prices import quantize_price

    order = order_generator(user=customer_user2, user_email=customer_user2.email)
    order_lines_generator(order, order_variants, [12], [3], create_allocations=False)
    order = _finish(order)  # no shipping
    used = min(gift_card.current_balance_amount, order.total_gross_amount)
    ratio = order.total_gross_amount / order.total_net_amount
    order.total_gross_amount -= used
    order.total_net_amount = quantize_price(order.total_gross_amount / ratio, order.currency)
    order.save(update_fields=["total_gross_amount", "total_net_amount"])
    order.gift_cards.add(gift_card)
    gift_card.current_balance_amount -= used
    gift_card.save(update_fields=["current_balance_amount"])
    return order


@pytest.fixture
def voucher_order(draft_order, voucher, staff_api_client, permission_group_manage_orders):
    """``order_with_lines`` placed through Saleor's own ``draftOrderComplete`` with a voucher:
    Saleor computes the discounted prices and, with the channel switched to flat rates (23 %
    for the Polish address, Saleor's ``default_tax_class``), the taxes itself (as in Saleor's
    ``test_draft_order_complete_with_voucher``)."""
    import graphene
    from saleor.discount.utils.voucher import create_or_update_voucher_discount_objects_for_order
    from saleor.tax import TaxCalculationStrategy

    order = draft_order
    tax_configuration = order.channel.tax_configuration
    tax_configuration.tax_calculation_strategy = TaxCalculationStrategy.FLAT_RATES
    tax_configuration.prices_entered_with_tax = False
    tax_configuration.charge_taxes = True
    tax_configuration.save()
    tax_configuration.country_exceptions.all().delete()
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    order.voucher = voucher
    order.voucher_code = voucher.codes.first().code
    order.should_refresh_prices = True
    order.save(update_fields=["voucher", "voucher_code", "should_refresh_prices"])
    create_or_update_voucher_discount_objects_for_order(order)
    response = staff_api_client.post_graphql(
        """mutation($id: ID!) { draftOrderComplete(id: $id) {
             errors { field code message } order { status } } }""",
        {"id": graphene.Node.to_global_id("Order", order.id)})
    data = json.loads(response.content)["data"]["draftOrderComplete"]
    assert not data["errors"], data["errors"]
    order.refresh_from_db()
    return order


@pytest.fixture
def paid_order(make_orders, transaction_item_generator):
    """An order fully charged through Saleor's Transaction API (charge status FULL)."""
    from saleor.order.utils import updates_amounts_for_order

    (order,) = make_orders(1, user_email="paid.buyer@example.com")
    transaction_item_generator(order_id=order.pk, charged_value=order.total_gross_amount,
                               currency=order.currency, payment_method_type="card",
                               payment_method_name="Visa")
    updates_amounts_for_order(order)
    order.refresh_from_db()
    assert order.charge_status == "full"
    return order
