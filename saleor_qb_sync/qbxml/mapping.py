"""From an order and the store's preferences to the QuickBooks records that represent it.

``map_order(order, preferences, currencies, mappings)`` returns a ``MappedOrder`` (see
``records``): the transaction (invoice, sales receipt or sales order), the customer and the
items it references, and warnings a person can act on. ``mappings`` is what staff mapped by hand
(``records.NameMappings``, read by the caller once per batch): a mapped SKU's line uses the
QuickBooks item it was mapped to, and a mapped buyer's order goes to the QuickBooks customer it
was mapped to, before any other rule; neither is ever added to QuickBooks. Everything here is
already fitted to QuickBooks' limits (``limits``, ``text.fit``), so builders and look-ups use
exactly the names the transaction references. ``currencies`` is what QuickBooks said of its
currencies (``qbxml.currency``).

How money maps (``tax_mode=line_item``, the default): product lines at their undiscounted net
price, one discount line for everything vouchers and promotions took off, shipping at its net
price, gift cards used in Saleor's legacy flow as a negative line, and Saleor's tax as one line.
The tax line absorbs the sub-cent rounding of the other lines, so the QuickBooks total equals
Saleor's gross total to the cent. With ``quickbooks_tax_item`` the lines carry taxable codes and
QuickBooks computes the tax itself with the configured sales tax item.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..documents import FULLY_CHARGED, ZERO, Address, OrderDocument, OrderLine, to_cents
from ..errors import MappingError
from ..preferences import (
    CustomerMode,
    CustomerNameFormat,
    ItemMode,
    MissingItemAction,
    Preferences,
    TaxMode,
    TransactionType,
)
from . import limits, text
from .currency import (
    SINGLE_CURRENCY,
    Booking,
    CompanyCurrencies,
    booking,
    booking_note,
    conversion_note,
    home_currency,
)
from .records import (
    NO_MAPPINGS,
    CustomerRecord,
    ItemKind,
    ItemRecord,
    MappedCustomer,
    MappedOrder,
    NameMappings,
    QbAddress,
    Transaction,
    TransactionLine,
    TxnKind,
)

RATE_PLACES = Decimal("0.00001")


def transaction_kind(order: OrderDocument, preferences: Preferences) -> TxnKind:
    return kind_for_charge(order.charge_status, preferences)


def kind_for_charge(charge_status: str, preferences: Preferences) -> TxnKind:
    """The transaction an order of this charge status becomes (all an order's summary needs)."""
    kind = preferences.transaction_type
    if kind == TransactionType.BY_PAYMENT_STATUS:
        return TxnKind.SALES_RECEIPT if charge_status in FULLY_CHARGED else TxnKind.INVOICE
    return {
        TransactionType.INVOICE: TxnKind.INVOICE,
        TransactionType.SALES_RECEIPT: TxnKind.SALES_RECEIPT,
        TransactionType.SALES_ORDER: TxnKind.SALES_ORDER,
    }[kind]


def ref_number(order_number: int, preferences: Preferences) -> str:
    ref = f"{preferences.ref_number_prefix}{order_number}"
    if len(ref) > limits.REF_NUMBER:
        raise MappingError(
            order_number,
            f"its QuickBooks number {ref!r} is longer than QuickBooks' {limits.REF_NUMBER} "
            "characters; shorten the RefNumber prefix",
            code="ref_number_too_long",
        )
    return ref


def customer_name(order: OrderDocument, preferences: Preferences,
                  booked: Booking | None = None, mappings: NameMappings = NO_MAPPINGS) -> str:
    """The customer's QuickBooks name: the one staff mapped the buyer to, else by the customer
    rule; one booked in a foreign currency (multicurrency) is another customer, named with the
    currency's code: "Jane Doe (EUR)"."""
    mapped = mapped_customer(order, mappings)
    if mapped is not None:
        return mapped.full_name
    suffix = f" ({order.currency})" if booked is not None else ""
    room = limits.CUSTOMER_NAME - len(suffix)
    if preferences.customer_mode == CustomerMode.SINGLE_CUSTOMER:
        return text.fit(preferences.single_customer_name, room) + suffix
    # a name with no Latin-1 letters at all (e.g. all CJK) falls back to the e-mail address
    return (text.fit(_raw_customer_name(order, preferences), room)
            or text.fit(order.customer.email.replace(":", " "), room)
            or f"Saleor guest {order.number}") + suffix


def mapped_customer(order: OrderDocument, mappings: NameMappings) -> MappedCustomer | None:
    """The QuickBooks customer staff mapped this order's buyer to, or None."""
    found = mappings.customer_for(order.customer.mapping_key)
    if found is None:
        return None
    return MappedCustomer(text.fit(found.full_name, limits.CUSTOMER_FULL_NAME), found.currency)


def _raw_customer_name(order: OrderDocument, preferences: Preferences) -> str:
    customer = order.customer
    billing = order.billing_address or Address()
    first = customer.first_name or billing.first_name
    last = customer.last_name or billing.last_name
    company = customer.company_name or billing.company_name
    fmt = preferences.customer_name_format
    if fmt == CustomerNameFormat.EMAIL:
        name = customer.email
    elif fmt == CustomerNameFormat.LAST_FIRST:
        name = ", ".join(p for p in (last, first) if p)
    elif fmt == CustomerNameFormat.COMPANY_OR_NAME and company:
        name = company
    else:
        name = " ".join(p for p in (first, last) if p)
    name = name.strip() or customer.email or f"Saleor guest {order.number}"
    # QuickBooks reserves ":" for Parent:Job full names.
    return name.replace(":", " ")


def mapped_item_name(line: OrderLine, mappings: NameMappings) -> str | None:
    """The QuickBooks item staff mapped this line's SKU to (a full name, "Parent:Child" for a
    sub-item), or None."""
    if line.is_gift_card:
        return None
    found = mappings.item_for(line.sku)
    return text.fit(found, limits.FULL_NAME_REF) if found else None


def product_item_name(line: OrderLine, preferences: Preferences,
                      mappings: NameMappings = NO_MAPPINGS) -> str | None:
    """The QuickBooks item for a product line: the one its SKU is mapped to, else by the item
    rule; None when the rule says to fail."""
    mapped = mapped_item_name(line, mappings)
    if mapped:
        return mapped
    if preferences.item_mode == ItemMode.SINGLE_ITEM:
        return text.fit(preferences.default_item_name, limits.ITEM_NAME)
    if line.sku and sku_item_name(line.sku):
        return sku_item_name(line.sku)
    action = preferences.missing_item_action
    if action == MissingItemAction.USE_DEFAULT:
        return text.fit(preferences.default_item_name, limits.ITEM_NAME)
    if action == MissingItemAction.CREATE:
        return text.fit(line.product_name.replace(":", " "), limits.ITEM_NAME) or text.fit(
            preferences.default_item_name, limits.ITEM_NAME
        )
    return None


def sku_item_name(sku: str) -> str:
    """The item a SKU names under the item rule ``by_sku``: fitted to QuickBooks' item names
    (":" separates sub-items there); "" when nothing of it is left."""
    return text.fit(sku.replace(":", " "), limits.ITEM_NAME)


def no_sku_rule(preferences: Preferences) -> str:
    """In words: what happens to a line without SKU under these preferences."""
    if preferences.item_mode == ItemMode.SINGLE_ITEM:
        return f'every line uses the item "{preferences.default_item_name}"'
    return {
        MissingItemAction.USE_DEFAULT: f'it will use the item "{preferences.default_item_name}"',
        MissingItemAction.CREATE:
            "an item named after the product will be used (created if missing)",
        MissingItemAction.FAIL: "the order will fail until the line has a SKU",
    }[preferences.missing_item_action]


def qb_address(address: Address | None) -> QbAddress | None:
    if address is None:
        return None
    candidates = (address.full_name, address.company_name, address.street_address_1,
                  address.street_address_2)
    lines = tuple(text.fit(c, limits.ADDRESS_LINE) for c in candidates if c and c.strip())
    if not lines and not address.city:
        return None
    state = address.country_area or address.city_area
    return QbAddress(
        lines=tuple(line for line in lines if line)[:limits.ADDRESS_LINES],
        city=text.fit(address.city, limits.CITY),
        state=text.fit(state, limits.STATE),
        postal_code=text.fit(address.postal_code, limits.POSTAL_CODE),
        country=text.fit(address.country_code, limits.COUNTRY),
    )


@dataclass(frozen=True, slots=True)
class _Checked:
    """What ``map_order`` settles before it builds anything: every reason it refuses an order
    is found here, and every warning it gives."""

    #: the order in the currency QuickBooks books it in
    order: OrderDocument
    kind: TxnKind
    ref_number: str
    #: how the amounts were converted (``currency.conversion_note``), empty when they were not
    converted: str
    customer_name: str
    #: the QuickBooks item of each line (None for a gift card line, which has its own item)
    line_items: tuple[str | None, ...]
    warnings: tuple[str, ...]
    #: how a foreign-currency order is booked (multicurrency); None in the home currency
    booked: Booking | None = None
    #: the QuickBooks customer staff mapped the buyer to; None: the customer rule's
    mapped_customer: MappedCustomer | None = None
    #: per line, whether its item is one staff mapped (referenced, never added)
    mapped_lines: tuple[bool, ...] = ()


def _check(order: OrderDocument, preferences: Preferences,
           currencies: CompanyCurrencies, mappings: NameMappings = NO_MAPPINGS) -> _Checked:
    """The checks of ``map_order`` in its order: the currency, the RefNumber, the totals, a
    line without an item; raises ``MappingError`` for the first that fails."""
    converted = conversion_note(order, preferences, currencies)
    order = home_currency(order, preferences, currencies)
    booked = booking(order, preferences, currencies)
    kind = transaction_kind(order, preferences)
    ref = ref_number(order.number, preferences)
    problem = order.totals_problem()
    if problem:
        raise MappingError(order.number, f"its amounts do not add up: {problem}",
                           code="inconsistent_totals")
    line_items: list[str | None] = []
    for line in order.lines:
        name = None if line.is_gift_card else product_item_name(line, preferences, mappings)
        if name is None and not line.is_gift_card:
            raise MappingError(
                order.number,
                f'the line "{line.product_name}" has no SKU and the rule for missing items '
                "is to fail; give the variant a SKU or change the missing item rule",
                code="missing_sku",
            )
        line_items.append(name)
    warnings = [f"amounts {converted}"] if converted else []
    if booked is not None:
        warnings.append(booking_note(order, preferences, booked))
    mapped = mapped_customer(order, mappings)
    if mapped is not None and booked is not None and mapped.currency and (
            mapped.currency != booked.currency_name):
        raise MappingError(
            order.number,
            f'its buyer is mapped to the QuickBooks customer "{mapped.full_name}", whose '
            f"currency is {mapped.currency}, but the order is in {booked.currency_name}; map "
            "the buyer to a customer in that currency or remove the mapping",
            code="mapped_customer_currency",
        )
    name = customer_name(order, preferences, booked, mappings)
    room = limits.CUSTOMER_NAME - (len(order.currency) + 3 if booked is not None else 0)
    if mapped is None and preferences.customer_mode == CustomerMode.PER_CUSTOMER and (
            text.would_change(
        _raw_customer_name(order, preferences), room)
    ):
        raw = " ".join(_raw_customer_name(order, preferences).split())
        change = "shortened" if len(raw) > room else "spelled"
        warnings.append(f'customer name will be {change} "{name}" in QuickBooks (it allows '
                        f"{limits.CUSTOMER_NAME} Latin-1 characters)")
    if any(not (ln.sku and ln.sku.strip()) for ln in order.lines if not ln.is_gift_card) and (
        preferences.item_mode == ItemMode.BY_SKU
    ):
        warnings.append(f"a line has no SKU: {no_sku_rule(preferences)}")
    mapped_lines = tuple(mapped_item_name(ln, mappings) is not None for ln in order.lines)
    if any(ln.sku and len(ln.sku.strip()) > limits.ITEM_NAME
           for ln, by_hand in zip(order.lines, mapped_lines, strict=True) if not by_hand):
        warnings.append(f"a SKU is longer than QuickBooks' {limits.ITEM_NAME} characters and "
                        "will be shortened")
    return _Checked(order, kind, ref, converted, name, tuple(line_items), tuple(warnings),
                    booked, mapped, mapped_lines)


@dataclass(frozen=True, slots=True)
class Plan:
    """What a preview row shows of an order: the transaction it becomes, for which QuickBooks
    customer, and the warnings ``map_order`` gives with it."""

    kind: TxnKind
    customer_name: str
    warnings: tuple[str, ...]


def plan_order(order: OrderDocument, preferences: Preferences,
               currencies: CompanyCurrencies = SINGLE_CURRENCY,
               mappings: NameMappings = NO_MAPPINGS) -> Plan:
    """The transaction an order becomes, its customer and the warnings ``map_order`` gives with
    it, or the ``MappingError`` it raises, without building the records (a preview row)."""
    checked = _check(order, preferences, currencies, mappings)
    return Plan(checked.kind, checked.customer_name, checked.warnings)


def map_order(order: OrderDocument, preferences: Preferences,
              currencies: CompanyCurrencies = SINGLE_CURRENCY,
              mappings: NameMappings = NO_MAPPINGS) -> MappedOrder:
    """Map one order; raises ``MappingError`` when it cannot become a transaction.
    ``currencies``: what QuickBooks last said of its currencies (one currency until then);
    ``mappings``: what staff mapped (SKUs to items, buyers to customers), used first."""
    checked = _check(order, preferences, currencies, mappings)
    booked = checked.booked
    order, kind, ref, converted = (checked.order, checked.kind, checked.ref_number,
                                   checked.converted)
    items: dict[str, ItemRecord] = {}

    def use_item(name: str, kind_: ItemKind, description: str, account: str = "") -> str:
        if name not in items:  # the first use describes it (built once, not on every use)
            items[name] = ItemRecord(
                name=name, kind=kind_, description=text.fit(description, limits.LINE_DESC),
                account=account or preferences.income_account,
            )
        return name

    line_item_tax = preferences.tax_mode == TaxMode.LINE_ITEM
    lines: list[TransactionLine] = []
    #: discounts by the taxability of the lines they came off (QuickBooks computes tax on the
    #: taxable lines net of their discounts in quickbooks_tax_item mode)
    discounts = {True: ZERO, False: ZERO}
    for line, name, by_hand in zip(order.lines, checked.line_items, checked.mapped_lines,
                                   strict=True):
        if name is None:  # a gift card line
            name = use_item(text.fit(preferences.gift_card_item_name, limits.ITEM_NAME),
                            ItemKind.OTHER_CHARGE, "Gift card", preferences.gift_card_account)
        elif not by_hand:  # a mapped item is QuickBooks' own: referenced, never added
            use_item(name, ItemKind.NON_INVENTORY, line.product_name)
        quantity = Decimal(line.quantity)
        actual = to_cents(line.total_price_net)
        base = to_cents(line.undiscounted_unit_price_net * quantity)
        if line.undiscounted_unit_price_net > ZERO and base >= actual:
            rate, amount = line.undiscounted_unit_price_net, base
            discounts[bool(line.is_taxed) and not line_item_tax] += actual - base
        else:
            rate = (line.total_price_net / quantity) if quantity else ZERO
            amount = actual
        lines.append(TransactionLine(
            item_name=name,
            description=text.fit(line.description, limits.LINE_DESC),
            quantity=quantity,
            rate=rate.quantize(RATE_PLACES),
            amount=amount,
            taxable=False if line_item_tax else line.is_taxed,
        ))

    codes = [d.voucher_code for d in order.discounts if d.voucher_code] or (
        [order.voucher_code] if order.voucher_code else [])
    names = [d.name for d in order.discounts if d.name]
    label = "Discount" + (f" ({', '.join(codes + names)})" if codes or names else "")
    for taxable, discount in discounts.items():
        if discount == ZERO:
            continue
        lines.append(TransactionLine(
            item_name=use_item(text.fit(preferences.discount_item_name, limits.ITEM_NAME),
                               ItemKind.OTHER_CHARGE, "Discounts and vouchers from Saleor"),
            description=text.fit(label, limits.LINE_DESC),
            amount=discount,
            taxable=taxable if not line_item_tax else False,
        ))

    if order.shipping is not None:
        lines.append(TransactionLine(
            item_name=use_item(text.fit(preferences.shipping_item_name, limits.ITEM_NAME),
                               ItemKind.OTHER_CHARGE, "Shipping"),
            description=text.fit(order.shipping.method_name or "Shipping", limits.LINE_DESC),
            amount=to_cents(order.shipping.price_net),
            taxable=False if line_item_tax else order.shipping.tax_amount != ZERO,
        ))

    if order.gift_card_amount != ZERO:
        lines.append(TransactionLine(
            item_name=use_item(text.fit(preferences.gift_card_item_name, limits.ITEM_NAME),
                               ItemKind.OTHER_CHARGE, "Gift card", preferences.gift_card_account),
            description="Gift card applied",
            amount=-to_cents(order.gift_card_amount),
            # a gift card pays for the order; it must never lower the taxable amount
            taxable=False,
        ))

    if line_item_tax:
        tax_line = to_cents(order.total_gross) - sum((ln.amount for ln in lines), ZERO)
        if tax_line != ZERO or order.total_tax != ZERO:
            lines.append(TransactionLine(
                item_name=use_item(text.fit(preferences.sales_tax_item_name, limits.ITEM_NAME),
                                   ItemKind.OTHER_CHARGE, "Sales tax collected by Saleor",
                                   preferences.sales_tax_account),
                description="Sales tax",
                amount=tax_line,
                taxable=False,
            ))

    name = checked.customer_name
    # the transaction and a new customer carry the same addresses: fitted once
    bill_address = qb_address(order.billing_address)
    ship_address = qb_address(order.shipping_address)
    transaction = Transaction(
        kind=kind,
        order_id=order.order_id,
        order_number=order.number,
        ref_number=ref,
        txn_date=order.created_at.astimezone(ZoneInfo(preferences.time_zone)).date(),
        customer_name=name,
        lines=tuple(lines),
        memo=text.fit(_memo(order) + (f", {converted}" if converted else ""), limits.MEMO,
                      multiline=True),
        currency=order.currency,
        bill_address=bill_address,
        ship_address=ship_address,
        class_name=text.fit(preferences.class_name, limits.FULL_NAME_REF),
        # a foreign-currency transaction posts to QuickBooks' A/R account of its currency
        ar_account=text.fit(preferences.ar_account, limits.FULL_NAME_REF)
        if kind != TxnKind.SALES_RECEIPT and booked is None else "",
        deposit_to_account=text.fit(preferences.deposit_to_account, limits.FULL_NAME_REF)
        if kind == TxnKind.SALES_RECEIPT else "",
        item_sales_tax="" if line_item_tax else text.fit(
            preferences.sales_tax_item_name, limits.ITEM_SALES_TAX_REF),
        exchange_rate=booked.exchange_rate if booked is not None else None,
    )
    customer = CustomerRecord(name=name, existing=True) if checked.mapped_customer else (
        _customer_record(order, preferences, name, bill_address, ship_address,
                         booked.currency_name if booked is not None else ""))
    return MappedOrder(transaction, customer, tuple(items.values()), checked.warnings)


def _memo(order: OrderDocument) -> str:
    parts = [f"Saleor order #{order.number}"]
    if order.voucher_code:
        parts.append(f"voucher {order.voucher_code}")
    gift_card_payments = sum(
        (p.amount for p in order.payments if p.method == "gift_card"), ZERO)
    if gift_card_payments:
        parts.append(f"paid {to_cents(gift_card_payments)} {order.currency} by gift card")
    memo = ", ".join(parts)
    if order.customer_note.strip():
        memo += f"\nCustomer note: {order.customer_note.strip()}"
    return memo


def _customer_record(order: OrderDocument, preferences: Preferences, name: str,
                     bill_address: QbAddress | None, ship_address: QbAddress | None,
                     currency: str) -> CustomerRecord:
    if preferences.customer_mode == CustomerMode.SINGLE_CUSTOMER:
        return CustomerRecord(name=name, currency=currency)
    billing = order.billing_address or Address()
    return CustomerRecord(
        name=name,
        company_name=text.fit(order.customer.company_name or billing.company_name,
                              limits.COMPANY_NAME),
        first_name=text.fit(order.customer.first_name or billing.first_name, limits.PERSON_NAME),
        last_name=text.fit(order.customer.last_name or billing.last_name, limits.PERSON_NAME),
        email=text.fit(order.customer.email, limits.EMAIL),
        phone=text.fit(billing.phone, limits.PHONE),
        bill_address=bill_address,
        ship_address=ship_address,
        currency=currency,
    )
