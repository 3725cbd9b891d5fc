"""From a Saleor order and the store's preferences to the QuickBooks records that represent it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from saleor_qb_sync.documents import ChargeStatus, Customer, Shipping, to_cents
from saleor_qb_sync.errors import MappingError
from saleor_qb_sync.preferences import (
    CustomerMode,
    ItemMode,
    MissingItemAction,
    Preferences,
    TaxMode,
    TransactionType,
)
from saleor_qb_sync.qbxml import build
from saleor_qb_sync.qbxml.currency import CompanyCurrencies
from saleor_qb_sync.qbxml.mapping import Plan, map_order, plan_order
from saleor_qb_sync.qbxml.records import (
    CustomerRecord,
    ItemKind,
    MappedCustomer,
    NameMappings,
    TxnKind,
)
from saleor_qb_sync.qbxml.schema import validate

from .factories import order, order_line

D = Decimal

#: the real Saleor sample's PLN channel, converted for the USD company
SAMPLE_RATES = ("PLN=0.25",)


def lines_by_item(mapped):
    return {line.item_name: line for line in mapped.transaction.lines}


# --- errors a person must fix -------------------------------------------------------------


def test_an_order_number_too_long_for_refnumber_fails_with_ref_number_too_long():
    # given
    prefs = Preferences(ref_number_prefix="SALEOR-")
    # when
    with pytest.raises(MappingError) as caught:
        map_order(order(number=12345), prefs)
    # then
    assert caught.value.code == "ref_number_too_long"
    assert caught.value.order_number == 12345
    assert "SALEOR-12345" in str(caught.value)


def test_a_line_without_sku_fails_with_missing_sku_when_the_rule_says_fail():
    # given
    prefs = Preferences(missing_item_action=MissingItemAction.FAIL)
    lines = (order_line(), order_line(sku=None, name="Mighty Mug"))
    # when
    with pytest.raises(MappingError) as caught:
        map_order(order(lines=lines), prefs)
    # then
    assert caught.value.code == "missing_sku"
    assert "Mighty Mug" in str(caught.value)


@pytest.mark.parametrize("sku", ["", "   ", "🎉", "山田"])
def test_a_sku_with_nothing_quickbooks_can_spell_counts_as_missing(sku):
    # given
    prefs = Preferences(missing_item_action=MissingItemAction.FAIL)
    # when / then
    with pytest.raises(MappingError, match="no SKU"):
        map_order(order(lines=(order_line(sku=sku),)), prefs)


def test_an_order_whose_amounts_do_not_add_up_is_refused():
    # given
    broken = dataclasses.replace(order(), total_gross=D("1.00"))
    # when / then
    with pytest.raises(MappingError) as caught:
        map_order(broken, Preferences())
    assert caught.value.code == "inconsistent_totals"


# --- money in line_item tax mode ------------------------------------------------------------


def test_a_discounted_line_is_sent_at_full_price_with_one_discount_line_for_the_difference():
    # given: 2 × 10.00, 5.00 off from a voucher, 23 % tax
    lines = (order_line(quantity=2, unit_net="10.00", discount="5.00", tax_rate="0.23"),)
    doc = order(lines=lines, voucher_code="SPRING10")
    # when
    mapped = map_order(doc, Preferences())
    # then
    by_item = lines_by_item(mapped)
    assert by_item["TEE-M"].amount == D("20.00") and by_item["TEE-M"].rate == D("10")
    assert by_item["Saleor Discount"].amount == D("-5.00")
    assert by_item["Saleor Sales Tax"].amount == D("3.45")
    assert mapped.transaction.lines_total == to_cents(doc.total_gross) == D("18.45")


def test_a_fully_discounted_line_keeps_its_price_and_the_discount_line_cancels_it():
    # given
    lines = (order_line(quantity=1, unit_net="30.00", discount="30.00"),)
    # when
    mapped = map_order(order(lines=lines), Preferences())
    # then
    by_item = lines_by_item(mapped)
    assert by_item["TEE-M"].amount == D("30.00")
    assert by_item["Saleor Discount"].amount == D("-30.00")
    assert mapped.transaction.lines_total == D("0.00")


def test_a_zero_priced_line_is_sent_at_zero_with_no_discount_line():
    # when
    mapped = map_order(order(lines=(order_line(unit_net="0.00"),)), Preferences())
    # then
    assert [ln.amount for ln in mapped.transaction.lines] == [D("0.00")]


def test_legacy_gift_cards_become_a_negative_line_and_shipping_its_own_line():
    # given
    shipping = Shipping("UPS Ground", D("5.00"), D("5.40"), D("0.08"))
    doc = order(lines=(order_line(),), shipping=shipping, gift_card_amount="7.50")
    # when
    mapped = map_order(doc, Preferences())
    # then
    by_item = lines_by_item(mapped)
    assert by_item["Gift Card"].amount == D("-7.50")
    assert by_item["Shipping"].amount == D("5.00")
    assert by_item["Shipping"].description == "UPS Ground"
    assert by_item["Saleor Sales Tax"].amount == D("0.40")
    assert mapped.transaction.lines_total == to_cents(doc.total_gross) == D("17.90")
    assert {i.name: i.kind for i in mapped.items}["Gift Card"] == ItemKind.OTHER_CHARGE


def test_the_tax_line_absorbs_sub_cent_rounding_so_totals_agree_to_the_cent():
    # given: three lines whose tax each rounds up
    lines = tuple(order_line(quantity=1, unit_net="0.05", tax_rate="0.1", sku=f"S{i}")
                  for i in range(3))
    doc = order(lines=lines)
    # when
    mapped = map_order(doc, Preferences())
    # then
    assert mapped.transaction.lines_total == to_cents(doc.total_gross)


# --- quickbooks_tax_item mode ---------------------------------------------------------------


def test_in_quickbooks_tax_mode_lines_say_taxable_or_not_and_quickbooks_computes_the_tax():
    # given
    lines = (order_line(tax_rate="0.08"), order_line(tax_rate="0", sku="BOOK"))
    prefs = Preferences(tax_mode=TaxMode.QUICKBOOKS_TAX_ITEM, sales_tax_item_name="IL Tax")
    # when
    mapped = map_order(order(lines=lines), prefs)
    # then
    assert [ln.taxable for ln in mapped.transaction.lines] == [True, False]
    assert mapped.transaction.item_sales_tax == "IL Tax"
    assert "Saleor Sales Tax" not in lines_by_item(mapped)


def test_in_quickbooks_tax_mode_a_legacy_gift_card_never_lowers_the_taxable_amount():
    # given
    doc = order(lines=(order_line(tax_rate="0.08"),), gift_card_amount="5.00")
    prefs = Preferences(tax_mode=TaxMode.QUICKBOOKS_TAX_ITEM)
    # when
    mapped = map_order(doc, prefs)
    # then
    gift_card = lines_by_item(mapped)["Gift Card"]
    assert gift_card.amount == D("-5.00")
    assert gift_card.taxable is False


# --- who, what, when --------------------------------------------------------------------------


@pytest.mark.parametrize(("charge", "kind"), [
    (ChargeStatus.FULL, TxnKind.SALES_RECEIPT), (ChargeStatus.OVERCHARGED, TxnKind.SALES_RECEIPT),
    (ChargeStatus.PARTIAL, TxnKind.INVOICE), (ChargeStatus.NONE, TxnKind.INVOICE),
])
def test_paid_orders_become_sales_receipts_and_unpaid_ones_invoices(charge, kind):
    # when
    mapped = map_order(order(charge_status=charge), Preferences())
    # then
    assert mapped.transaction.kind == kind
    assert bool(mapped.transaction.deposit_to_account) == (kind == TxnKind.SALES_RECEIPT)
    assert bool(mapped.transaction.ar_account) == (kind == TxnKind.INVOICE)


def test_the_transaction_date_is_the_order_date_in_the_stores_time_zone():
    # given: 02:00 UTC on 2 May is still 1 May in New York
    doc = order(created_at=datetime(2024, 5, 2, 2, 0, tzinfo=UTC))
    # when
    mapped = map_order(doc, Preferences(time_zone="America/New_York"))
    # then
    assert mapped.transaction.txn_date == date(2024, 5, 1)


def test_single_customer_mode_puts_every_order_on_one_customer_with_no_details():
    # when
    mapped = map_order(order(), Preferences(customer_mode=CustomerMode.SINGLE_CUSTOMER))
    # then
    assert mapped.transaction.customer_name == "Saleor Web Store"
    assert mapped.customer.name == "Saleor Web Store" and mapped.customer.email == ""


def test_a_name_with_no_latin_letters_falls_back_to_the_email_address():
    # given
    customer = Customer(email="taro@example.jp", user_id="1", first_name="太郎",
                        last_name="山田")
    # when
    mapped = map_order(order(customer=customer, billing=None), Preferences())
    # then
    assert mapped.customer.name == "taro@example.jp"


def test_an_over_long_customer_name_is_shortened_with_a_warning():
    # given
    customer = Customer(email="x@example.com", user_id="1", first_name="Bartholomew-Maximilian",
                        last_name="Featherstonehaugh-Cholmondeley")
    # when
    mapped = map_order(order(customer=customer), Preferences())
    # then
    assert len(mapped.customer.name) <= 41
    assert any("shortened" in w for w in mapped.warnings)


def test_single_item_mode_needs_no_sku():
    # given
    prefs = Preferences(item_mode=ItemMode.SINGLE_ITEM, missing_item_action=MissingItemAction.FAIL)
    # when
    mapped = map_order(order(lines=(order_line(sku=None),)), prefs)
    # then
    assert mapped.transaction.lines[0].item_name == "Saleor Product"


# --- real Saleor orders -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_orders():
    saleor_sample = pytest.importorskip("saleor_qb_sync.testing.saleor_sample")
    path = saleor_sample.sample_path()
    if not path.exists():
        pytest.skip(f"set SALEOR_SAMPLE to orders-populatedb.json (not found at {path})")
    return saleor_sample.load_sample_orders()


@pytest.mark.parametrize("transaction_type", list(TransactionType))
@pytest.mark.parametrize("tax_mode", list(TaxMode))
def test_every_real_saleor_sample_order_maps_without_error(
    sample_orders, transaction_type, tax_mode
):
    # given
    # (the sample's second channel is in PLN: converted for the USD company)
    prefs = Preferences(transaction_type=transaction_type, tax_mode=tax_mode,
                        exchange_rates=SAMPLE_RATES)
    assert len(sample_orders) > 0
    for doc in sample_orders:
        # when
        mapped = map_order(doc, prefs)
        # then
        if tax_mode == TaxMode.LINE_ITEM:
            assert mapped.transaction.lines_total == to_cents(
                doc.total_gross * prefs.rate_for(doc.currency)), doc.number


@pytest.mark.schema
def test_every_real_saleor_sample_order_gives_requests_intuits_schema_accepts(
    sample_orders, qbxml_schema
):
    for doc in sample_orders:
        # given
        mapped = map_order(doc, Preferences(exchange_rates=SAMPLE_RATES))
        txn = mapped.transaction
        requests = [
            build.customer_add(mapped.customer, "c"),
            *(build.item_add(item, f"i{n}") for n, item in enumerate(mapped.items)),
            build.transaction_add(txn, "t"),
        ]
        # when
        errors = validate(build.message_set(requests, on_error="stopOnError"), qbxml_schema)
        # then
        assert errors == [], (doc.number, errors)


def test_with_quickbooks_tax_the_discount_is_split_by_the_taxability_of_the_discounted_lines():
    # given: a voucher spread over one taxed and one untaxed line
    from decimal import Decimal

    from saleor_qb_sync.documents import OrderLine
    from saleor_qb_sync.preferences import Preferences
    from saleor_qb_sync.qbxml.mapping import map_order
    from saleor_qb_sync.testing.sample_orders import generate_orders

    base = generate_orders(1, seed=3)[0]

    def line(line_id, rate):
        net, gross = Decimal("90.00"), Decimal("90.00") * (1 + rate)
        return OrderLine(line_id=line_id, product_name="Tee", variant_name="M", sku=line_id,
                         quantity=1, unit_price_net=net, unit_price_gross=gross,
                         total_price_net=net, total_price_gross=gross,
                         undiscounted_unit_price_net=Decimal("100.00"),
                         undiscounted_unit_price_gross=Decimal("100.00") * (1 + rate),
                         undiscounted_total_price_net=Decimal("100.00"),
                         undiscounted_total_price_gross=Decimal("100.00") * (1 + rate),
                         tax_rate=rate)

    lines = (line("TAXED", Decimal("0.10")), line("EXEMPT", Decimal("0")))
    from dataclasses import replace

    order = replace(base, lines=lines, shipping=None, gift_card_amount=Decimal(0),
                    total_net=Decimal("180.00"), total_gross=Decimal("189.00"), currency="USD")
    preferences = Preferences(tax_mode="quickbooks_tax_item")

    # when
    mapped = map_order(order, preferences)

    # then
    discount_lines = [ln for ln in mapped.transaction.lines
                      if ln.item_name == preferences.discount_item_name]
    assert sorted((ln.amount, ln.taxable) for ln in discount_lines) == [
        (Decimal("-10.00"), False), (Decimal("-10.00"), True)]


# --- what staff mapped by hand comes first ----------------------------------------------------

MAPPED = NameMappings(items={"TEE-M": "Shirts:T-shirt medium"},
                      customers={"jane@example.com": MappedCustomer("Doe Family Trust")})


def jane(**overrides):
    return order(customer=Customer(email="Jane@Example.com ", first_name="Jane",
                                   last_name="Doe"), **overrides)


def test_a_mapped_sku_uses_its_quickbooks_item_and_is_never_created():
    # given: one mapped line and one that follows the item rule
    document = jane(lines=(order_line(sku="TEE-M"), dataclasses.replace(
        order_line(sku="MUG", name="Mug"), line_id="T3JkZXJMaW5lOjI=")))
    # when
    mapped = map_order(document, Preferences(), mappings=MAPPED)
    # then
    assert [ln.item_name for ln in mapped.transaction.lines][:2] == [
        "Shirts:T-shirt medium", "MUG"]
    assert "Shirts:T-shirt medium" not in {i.name for i in mapped.items}
    assert "MUG" in {i.name for i in mapped.items}


@pytest.mark.parametrize("prefs", [
    Preferences(item_mode=ItemMode.SINGLE_ITEM),
    Preferences(missing_item_action=MissingItemAction.FAIL),
])
def test_the_mapping_comes_before_the_single_item_and_the_missing_item_rules(prefs):
    mapped = map_order(jane(), prefs, mappings=MAPPED)
    assert mapped.transaction.lines[0].item_name == "Shirts:T-shirt medium"
    assert "Shirts:T-shirt medium" not in {i.name for i in mapped.items}


def test_a_long_mapped_sku_gives_no_warning_that_it_will_be_shortened():
    long_sku = "TEE-" + "M" * 40
    document = jane(lines=(order_line(sku=long_sku),))
    unmapped = map_order(document, Preferences())
    mapped = map_order(document, Preferences(), mappings=NameMappings(items={long_sku: "Tee"}))
    assert any("will be shortened" in w for w in unmapped.warnings)
    assert not any("will be shortened" in w for w in mapped.warnings)


def test_a_mapped_buyers_order_goes_to_the_existing_quickbooks_customer_never_added():
    # when
    mapped = map_order(jane(), Preferences(), mappings=MAPPED)
    single = map_order(jane(), Preferences(customer_mode=CustomerMode.SINGLE_CUSTOMER),
                       mappings=MAPPED)
    other = map_order(order(customer=Customer(email="bob@example.com")), Preferences(),
                      mappings=MAPPED)
    # then: by e-mail in any case, in either customer mode
    assert mapped.transaction.customer_name == "Doe Family Trust"
    assert mapped.customer == CustomerRecord(name="Doe Family Trust", existing=True)
    assert single.transaction.customer_name == "Doe Family Trust"
    assert not other.customer.existing
    assert other.transaction.customer_name != "Doe Family Trust"


def test_a_foreign_order_of_a_buyer_mapped_to_a_customer_in_another_currency_is_refused():
    company = CompanyCurrencies(True, "USD", (("USD", "US Dollar"), ("EUR", "Euro")), ())
    document = jane(currency="EUR")
    in_dollars = NameMappings(customers={"jane@example.com": MappedCustomer(
        "Doe Family Trust", "US Dollar")})
    in_euros = NameMappings(customers={"jane@example.com": MappedCustomer(
        "Doe Family Trust EUR", "Euro")})
    with pytest.raises(MappingError) as refused:
        map_order(document, Preferences(), company, mappings=in_dollars)
    mapped = map_order(document, Preferences(), company, mappings=in_euros)
    assert refused.value.code == "mapped_customer_currency"
    assert "US Dollar" in refused.value.message and "Euro" in refused.value.message
    assert mapped.transaction.customer_name == "Doe Family Trust EUR"
    assert mapped.transaction.currency == "EUR"


def test_the_preview_plan_names_the_mapped_customer_as_the_transaction_does():
    plan = plan_order(jane(), Preferences(), mappings=MAPPED)
    mapped = map_order(jane(), Preferences(), mappings=MAPPED)
    assert plan == Plan(mapped.transaction.kind, "Doe Family Trust", mapped.warnings)


def test_a_transaction_with_a_mapped_sub_item_and_customer_is_what_intuits_schema_accepts(
        qbxml_schema):
    mapped = map_order(jane(), Preferences(), mappings=MAPPED)
    request = build.message_set([build.transaction_add(mapped.transaction, "1")])
    assert validate(request, qbxml_schema) == []
    assert b"<FullName>Shirts:T-shirt medium</FullName>" in request
    assert b"<FullName>Doe Family Trust</FullName>" in request
