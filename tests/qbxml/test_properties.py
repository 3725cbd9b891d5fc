"""Properties that hold for every order a store can produce, not just the ones we thought of."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from saleor_qb_sync.documents import to_cents
from saleor_qb_sync.errors import MappingError
from saleor_qb_sync.preferences import (
    CustomerMode,
    ItemMode,
    MissingItemAction,
    Preferences,
    TaxMode,
    TransactionType,
)
from saleor_qb_sync.qbxml import build, limits, text
from saleor_qb_sync.qbxml.mapping import Plan, map_order, plan_order
from saleor_qb_sync.qbxml.parse import parse_response, parse_xml
from saleor_qb_sync.qbxml.records import (
    ORDER_TXN_KINDS,
    MappedCustomer,
    MappedOrder,
    NameMappings,
    TxnKind,
)
from saleor_qb_sync.qbxml.schema import validate
from saleor_qb_sync.qbxml.status import classify
from tests.strategies import orders, preferences, with_fitting_number

MAIN = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
QUICK = settings(max_examples=200, deadline=None)

TRANSACTION_TYPE_FOR = {
    TxnKind.INVOICE: TransactionType.INVOICE,
    TxnKind.SALES_RECEIPT: TransactionType.SALES_RECEIPT,
    TxnKind.SALES_ORDER: TransactionType.SALES_ORDER,
}
AMOUNT = re.compile(r"-?[0-9]{1,13}\.[0-9]{2}")
PRICE = re.compile(r"-?[0-9]{1,10}(\.[0-9]{1,5})?")
GUID = re.compile(r"\{[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\}")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: maximum length of every text element we send, by (parent tag, tag) or by tag
PARENT_LIMITS = {
    ("CustomerAdd", "Name"): limits.CUSTOMER_NAME,
    ("ItemNonInventoryAdd", "Name"): limits.ITEM_NAME,
    ("ItemOtherChargeAdd", "Name"): limits.ITEM_NAME,
    ("CustomerRef", "FullName"): limits.CUSTOMER_FULL_NAME,
    ("CustomerQueryRq", "FullName"): limits.CUSTOMER_FULL_NAME,
    ("ItemSalesTaxRef", "FullName"): limits.ITEM_SALES_TAX_REF,
    ("SalesTaxCodeRef", "FullName"): limits.SALES_TAX_CODE,
}
TAG_LIMITS = {
    "FullName": limits.FULL_NAME_REF,
    **{f"Addr{n}": limits.ADDRESS_LINE for n in range(1, limits.ADDRESS_LINES + 1)},
    "City": limits.CITY, "State": limits.STATE, "PostalCode": limits.POSTAL_CODE,
    "Country": limits.COUNTRY, "RefNumber": limits.REF_NUMBER, "Memo": limits.MEMO,
    "Desc": limits.LINE_DESC, "CompanyName": limits.COMPANY_NAME,
    "FirstName": limits.PERSON_NAME, "LastName": limits.PERSON_NAME, "Phone": limits.PHONE,
    "Email": limits.EMAIL, "IncludeRetElement": limits.INCLUDE_RET_ELEMENT,
}
PATTERNS = {"Amount": AMOUNT, "Quantity": PRICE, "Rate": PRICE, "ExternalGUID": GUID,
            "TxnDate": DATE}


def every_request(mapped: MappedOrder, *, on_error: str = build.STOP_ON_ERROR) -> bytes:
    """The whole conversation for one order, in one message set."""
    txn = mapped.transaction
    requests = [
        build.customer_query([mapped.customer.name], "customer-query"),
        build.customer_add(mapped.customer, "customer-add"),
        build.item_query([item.name for item in mapped.items], "item-query"),
        *(build.item_add(item, f"item-add-{n}") for n, item in enumerate(mapped.items)),
        build.transaction_query_by_ref(txn.kind, [txn.ref_number], "txn-query"),
        build.transaction_add(txn, "txn-add"),
    ]
    return build.message_set(requests, on_error=on_error)


def variants(order, prefs):
    """The order mapped under every transaction kind, tax mode and customer mode."""
    order = with_fitting_number(order, prefs)
    for kind in ORDER_TXN_KINDS:
        for tax_mode in TaxMode:
            for customer_mode in CustomerMode:
                variant = dataclasses.replace(
                    prefs, transaction_type=TRANSACTION_TYPE_FOR[kind], tax_mode=tax_mode,
                    customer_mode=customer_mode)
                yield kind, variant, map_order(order, variant)


@MAIN
@given(order=orders(), prefs=preferences())
def test_every_request_for_any_order_validates_against_intuits_schema(
    qbxml_schema, order, prefs
):
    for kind, variant, mapped in variants(order, prefs):
        # given
        assert mapped.transaction.kind == kind
        # when
        xml = every_request(mapped)
        # then
        errors = validate(xml, qbxml_schema)
        assert errors == [], (variant.tax_mode, variant.customer_mode, kind, errors)


@MAIN
@given(order=orders(), prefs=preferences(tax_mode=TaxMode.LINE_ITEM))
def test_in_line_item_tax_mode_the_quickbooks_total_equals_saleors_gross_total(order, prefs):
    # given
    order = with_fitting_number(order, prefs)
    # when
    mapped = map_order(order, prefs)
    # then
    assert mapped.transaction.lines_total == to_cents(
        order.total_gross * prefs.rate_for(order.currency))
    assert all(line.taxable is False for line in mapped.transaction.lines)
    assert mapped.transaction.item_sales_tax == ""


@MAIN
@given(order=orders(), prefs=preferences(tax_mode=TaxMode.QUICKBOOKS_TAX_ITEM))
def test_in_quickbooks_tax_item_mode_product_lines_carry_the_orders_taxability(order, prefs):
    # given
    order = with_fitting_number(order, prefs)
    # when
    mapped = map_order(order, prefs)
    # then
    product_lines = mapped.transaction.lines[: len(order.lines)]
    assert [line.taxable for line in product_lines] == [line.is_taxed for line in order.lines]
    assert mapped.transaction.item_sales_tax
    assert len(mapped.transaction.item_sales_tax) <= limits.ITEM_SALES_TAX_REF


@MAIN
@given(order=orders(), prefs=preferences())
def test_every_string_in_the_generated_xml_is_latin1_and_within_its_limit(order, prefs):
    for _, _, mapped in variants(order, prefs):
        # given
        xml = every_request(mapped)
        # when
        root = parse_xml(xml)
        # then
        for el in root.iter():
            value = el.text or ""
            if len(el) or not value:
                continue
            value.encode("latin-1")
            parent = el.getparent().tag
            if el.tag in PATTERNS:
                assert PATTERNS[el.tag].fullmatch(value), (el.tag, value)
                continue
            limit = PARENT_LIMITS.get((parent, el.tag), TAG_LIMITS.get(el.tag))
            assert limit is not None, f"no known limit for <{parent}><{el.tag}>"
            assert len(value) <= limit, (parent, el.tag, value)
            assert value == value.strip() or el.tag == "Memo", (el.tag, value)


@MAIN
@given(order=orders(), prefs=preferences())
def test_every_line_refers_to_an_item_and_the_customer_the_mapping_creates(order, prefs):
    # given
    order = with_fitting_number(order, prefs)
    # when
    mapped = map_order(order, prefs)
    # then
    item_names = [item.name for item in mapped.items]
    assert len(item_names) == len(set(item_names))
    assert {line.item_name for line in mapped.transaction.lines} == set(item_names)
    assert mapped.transaction.customer_name == mapped.customer.name
    assert 0 < len(mapped.customer.name) <= limits.CUSTOMER_NAME


@QUICK
@given(order=orders(), prefs=preferences(item_mode=ItemMode.BY_SKU,
                                         missing_item_action=MissingItemAction.FAIL))
def test_a_line_without_sku_fails_the_order_only_when_the_rule_says_fail(order, prefs):
    # given
    order = with_fitting_number(order, prefs)
    lacks_sku = any(not text.fit((ln.sku or "").replace(":", " "), limits.ITEM_NAME)
                    for ln in order.lines if not ln.is_gift_card)
    # when
    try:
        map_order(order, prefs)
    except MappingError as exc:
        # then
        assert lacks_sku and exc.code == "missing_sku"
    else:
        assert not lacks_sku


@QUICK
@given(number=st.integers(1, 10**15), prefix=st.sampled_from(("", "W", "SALEOR-")),
       order=orders())
def test_an_order_number_that_does_not_fit_refnumber_is_refused(number, prefix, order):
    # given
    order = dataclasses.replace(order, number=number)
    prefs = Preferences(ref_number_prefix=prefix,
                        exchange_rates=("EUR=1.08", "PLN=0.25", "GBP=1.27"))
    # when / then
    if len(prefix + str(number)) > limits.REF_NUMBER:
        try:
            map_order(order, prefs)
        except MappingError as exc:
            assert exc.code == "ref_number_too_long"
        else:
            raise AssertionError("an over-long RefNumber was accepted")
    else:
        assert map_order(order, prefs).transaction.ref_number == prefix + str(number)


@QUICK
@given(value=st.decimals(min_value=Decimal("-9999999999999.99"),
                         max_value=Decimal("9999999999999.99"), allow_nan=False,
                         allow_infinity=False))
def test_any_amount_is_formatted_with_exactly_two_decimals(value):
    # when
    formatted = build.format_amount(value)
    # then
    assert AMOUNT.fullmatch(formatted)
    assert Decimal(formatted) == to_cents(value)


@QUICK
@given(value=st.decimals(min_value=Decimal("-9999999999.99999"),
                         max_value=Decimal("9999999999.99999"), allow_nan=False,
                         allow_infinity=False))
def test_any_price_or_quantity_has_at_most_five_decimals_and_no_exponent(value):
    # when
    formatted = build.format_price(value)
    # then
    assert PRICE.fullmatch(formatted), formatted
    assert abs(Decimal(formatted) - value) <= Decimal("0.000005")


@QUICK
@given(request_ids=st.lists(st.text(min_size=1, max_size=50).filter(lambda s: "\x00" not in s),
                            min_size=1, max_size=8),
       codes=st.lists(st.sampled_from((0, 1, 500, 3100, 3140, 3171, 3175, 3180, 9999)),
                      min_size=8, max_size=8),
       message=st.text(max_size=80))
def test_every_response_maps_back_to_its_request_id_and_status(request_ids, codes, message):
    # given
    clean_ids = [text.to_latin1(rid) or "x" for rid in request_ids]
    clean_message = text.to_latin1(message)
    root = etree.Element("QBXML")
    msgs = etree.SubElement(root, "QBXMLMsgsRs")
    for rid, code in zip(clean_ids, codes, strict=False):
        etree.SubElement(msgs, "CustomerAddRs", requestID=rid, statusCode=str(code),
                         statusSeverity="Error" if code >= 1000 else "Info",
                         statusMessage=clean_message)
    # when
    items = parse_response(etree.tostring(root))
    # then
    assert [i.request_id for i in items] == clean_ids
    assert [i.status_code for i in items] == codes[: len(clean_ids)]
    assert all(i.status_class == classify(i.status_code, i.severity) for i in items)
    assert all(i.message == clean_message for i in items)


@QUICK
@given(value=st.text(max_size=400), limit=st.integers(1, 100))
def test_fitted_text_is_latin1_trimmed_within_its_limit_and_stable(value, limit):
    # when
    fitted = text.fit(value, limit)
    # then
    fitted.encode("latin-1")
    assert len(fitted) <= limit
    assert fitted == fitted.strip()
    assert text.fit(fitted, limit) == fitted


def _mapped_or_refused(map_, order, prefs):
    try:
        return map_(order, prefs), None
    except MappingError as exc:
        return None, (exc.code, exc.message)


@QUICK
@given(order=orders(), prefs=preferences(), action=st.sampled_from(list(MissingItemAction)),
       rates=st.sampled_from(("keep", "none")), off_by=st.sampled_from(("0", "0", "0.02")),
       prefix=st.sampled_from(("", "SALEOR-ORDER-")))
def test_the_preview_plan_is_what_the_mapping_makes_of_any_order(order, prefs, action, rates,
                                                                 off_by, prefix):
    # given: orders that map, and orders the mapping refuses for each of its reasons (no
    # rate, a RefNumber too long, totals that do not add up, a line without SKU)
    prefs = dataclasses.replace(prefs, missing_item_action=action, ref_number_prefix=prefix,
                                exchange_rates=() if rates == "none" else prefs.exchange_rates)
    order = dataclasses.replace(order, total_gross=order.total_gross + Decimal(off_by))
    # when
    mapped, refused = _mapped_or_refused(map_order, order, prefs)
    planned, plan_refused = _mapped_or_refused(plan_order, order, prefs)
    # then: the same transaction type and warnings, or the same refusal
    assert plan_refused == refused
    if mapped is not None:
        assert planned == Plan(mapped.transaction.kind, mapped.transaction.customer_name,
                               mapped.warnings)


@QUICK
@given(order=orders(), prefs=preferences(), data=st.data())
def test_what_staff_mapped_changes_names_never_amounts_and_the_preview_agrees(order, prefs,
                                                                            data):
    # given: some of the order's SKUs mapped, and perhaps its buyer
    skus = sorted({ln.sku.strip() for ln in order.lines if ln.sku and ln.sku.strip()})
    chosen = data.draw(st.lists(st.sampled_from(skus), unique=True)) if skus else []
    by_hand = NameMappings(
        items={sku: f"Mapped:Item {n}" for n, sku in enumerate(chosen)},
        customers={order.customer.mapping_key: MappedCustomer("Mapped Customer")}
        if order.customer.mapping_key and data.draw(st.booleans()) else {})
    # when
    plain, refused = _mapped_or_refused(map_order, order, prefs)
    mapped, mapped_refused = _mapped_or_refused(
        lambda o, p: map_order(o, p, mappings=by_hand), order, prefs)
    planned, plan_refused = _mapped_or_refused(
        lambda o, p: plan_order(o, p, mappings=by_hand), order, prefs)
    # then: the same refusal, or the same amounts on the mapped names
    assert mapped_refused == refused == plan_refused
    if plain is None:
        return
    txn = mapped.transaction
    assert [ln.amount for ln in txn.lines] == [ln.amount for ln in plain.transaction.lines]
    assert txn.lines_total == plain.transaction.lines_total
    for line, before, after in zip(order.lines, plain.transaction.lines, txn.lines,
                                   strict=False):
        sku = (line.sku or "").strip()
        assert after.item_name == (by_hand.items[sku] if sku in by_hand.items
                                   and not line.is_gift_card else before.item_name)
    assert not {i.name for i in mapped.items} & set(by_hand.items.values())
    assert mapped.customer.existing == bool(by_hand.customers)
    if by_hand.customers:
        assert txn.customer_name == "Mapped Customer"
    assert planned == Plan(txn.kind, txn.customer_name, mapped.warnings)
