"""What a Saleor refund becomes in QuickBooks: a credit memo against the order's customer, and
the money given back against it.

Two kinds of refund, each a credit memo:

- a refund Saleor knows the contents of (a granted refund it processed, a legacy refund of
  fulfilled lines): the refunded lines at the price the order charged for them (discounts
  included), the shipping if it was refunded, the tax Saleor computed on them, and, when Saleor
  refunded a different amount than those add up to (staff may grant any amount), one line on the
  refund item for the difference. Its total is Saleor's refunded amount, to the cent;
- money refunded without contents (a transaction refunded through the payment app): what the
  payments' refunded totals hold beyond the refunds above, one line on the refund item, each
  increase one credit memo.

Then, with ``refund_money``, each credit memo in QuickBooks gets its money back out
(``ARRefundCreditCardAdd`` from the deposit account, the order's payment method), so QuickBooks'
income, receivables and deposits all say what Saleor's do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..documents import ZERO, OrderDocument, OrderLine, Refund, to_cents
from ..errors import MappingError
from ..preferences import Preferences, TaxMode
from . import limits, text
from .currency import ar_account_for, follow_up_rate, in_currency_of
from .mapping import RATE_PLACES, mapped_item_name, product_item_name
from .payments import Received
from .records import (
    NO_MAPPINGS,
    CardRefund,
    CreditMemo,
    ItemKind,
    ItemRecord,
    NameMappings,
    OrderOnFile,
    Transaction,
    TransactionLine,
    TxnKind,
    document_guid,
)

#: the source of an order's money refunded without contents
UNITEMIZED = "refunded"


@dataclass(frozen=True, slots=True)
class Due:
    credit_memos: tuple[CreditMemo, ...]
    warnings: tuple[str, ...] = ()


def unitemized_source(order_id: str) -> str:
    return f"{UNITEMIZED}:{order_id}"


def due_credit_memos(order: OrderDocument, on_file: OrderOnFile,
                     credited: Mapping[str, Received], preferences: Preferences, *,
                     today: date, mappings: NameMappings = NO_MAPPINGS) -> Due:
    """The refunds Saleor made on ``order`` that QuickBooks has no credit memo for yet.
    ``credited``: per source, the live credit memos (amount, count) and the last refused;
    ``mappings``: what staff mapped (a mapped SKU's line goes on its QuickBooks item).
    Amounts in the currency of the order's transaction (its own, or the home currency)."""
    order = in_currency_of(order, on_file.currency, preferences)
    memos: list[CreditMemo] = []
    numbered = sum(c.count for c in credited.values())
    itemized = ZERO
    for refund in order.refunds:
        itemized += to_cents(refund.amount)
        source = f"refund:{refund.refund_id}"
        already = credited.get(source, Received())
        if refund.amount <= ZERO or already.count or already.refused == to_cents(refund.amount):
            continue
        numbered += 1
        lines, items = _itemized_lines(order, refund, preferences, mappings)
        memos.append(_memo(order, on_file, source, 1, numbered, lines, items, preferences,
                           _day(refund.created_at, preferences, today),
                           f"Saleor refund of order #{order.number}"
                           + (f": {refund.reason}" if refund.reason else "")))
    source = unitemized_source(order.order_id)
    already = credited.get(source, Received())
    rest = to_cents(order.total_refunded) - itemized - already.amount
    if rest > ZERO and rest != already.refused:
        numbered += 1
        line, item = _refund_line(rest, "Refunded in Saleor", preferences)
        memos.append(_memo(order, on_file, source, already.count + 1, numbered, (line,),
                           (item,), preferences, today,
                           f"Saleor refund of order #{order.number}"))
    return Due(tuple(memos))


def card_refund(memo_record, on_file: OrderOnFile, order: OrderDocument | None,
                preferences: Preferences, *, today: date) -> CardRefund:
    """The money of a credit memo in QuickBooks going back, by the order's payment method."""
    method = ""
    if order is not None:
        for payment in order.payments:
            method = preferences.payment_method_for(payment.method, payment.name)
            if method:
                break
    return CardRefund(
        order_id=str(memo_record.order_id), order_number=memo_record.order_number,
        source_id=memo_record.source_id, sequence=memo_record.sequence,
        ref_number=memo_record.ref_number, txn_date=today,
        customer_name=memo_record.customer_name, amount=memo_record.amount,
        currency=memo_record.currency, credit_memo_txn_id=memo_record.txn_id,
        memo=f"Saleor order #{memo_record.order_number}: money refunded",
        payment_method=method, refund_from_account=preferences.deposit_to_account,
        ar_account=ar_account_for(memo_record.currency, preferences),
        exchange_rate=follow_up_rate(memo_record.currency, preferences))


def _memo(order: OrderDocument, on_file: OrderOnFile, source: str, sequence: int, number: int,
          lines: tuple[TransactionLine, ...], items: tuple[ItemRecord, ...],
          preferences: Preferences, day: date, memo: str) -> CreditMemo:
    ref = f"{on_file.ref_number}R{number}"
    if len(ref) > limits.REF_NUMBER:
        ref = f"{order.number}R{number}"
    if len(ref) > limits.REF_NUMBER:
        raise MappingError(order.number, f"its credit memo number {ref!r} is longer than "
                           f"QuickBooks' {limits.REF_NUMBER} characters",
                           code="ref_number_too_long")
    item_sales_tax = (text.fit(preferences.sales_tax_item_name, limits.ITEM_SALES_TAX_REF)
                      if preferences.tax_mode == TaxMode.QUICKBOOKS_TAX_ITEM else "")
    transaction = Transaction(
        kind=TxnKind.CREDIT_MEMO, order_id=order.order_id, order_number=order.number,
        ref_number=ref, txn_date=day, customer_name=on_file.customer_name, lines=lines,
        memo=text.fit(memo, limits.MEMO), currency=order.currency,
        class_name=text.fit(preferences.class_name, limits.FULL_NAME_REF),
        ar_account=ar_account_for(order.currency, preferences), item_sales_tax=item_sales_tax,
        guid=document_guid(TxnKind.CREDIT_MEMO.value, order.order_id, source, sequence),
        exchange_rate=follow_up_rate(order.currency, preferences))
    return CreditMemo(source, sequence, transaction, items)


def _itemized_lines(order: OrderDocument, refund: Refund, preferences: Preferences,
                    mappings: NameMappings = NO_MAPPINGS
                    ) -> tuple[tuple[TransactionLine, ...], tuple[ItemRecord, ...]]:
    line_item_tax = preferences.tax_mode == TaxMode.LINE_ITEM
    by_id = {line.line_id: line for line in order.lines}
    lines: list[TransactionLine] = []
    items: dict[str, ItemRecord] = {}
    tax = ZERO
    for refunded in refund.refunded_lines:
        line = by_id.get(refunded.line_id)
        if line is None or refunded.quantity <= 0 or line.quantity <= 0:
            continue
        name, item = _line_item(line, preferences, mappings)
        if item is not None:  # a mapped item is QuickBooks' own: never added
            items.setdefault(name, item)
        share = Decimal(refunded.quantity) / Decimal(line.quantity)
        rate = line.total_price_net / Decimal(line.quantity)
        lines.append(TransactionLine(
            item_name=name, description=text.fit(line.description, limits.LINE_DESC),
            quantity=Decimal(refunded.quantity), rate=rate.quantize(RATE_PLACES),
            amount=to_cents(line.total_price_net * share),
            taxable=False if line_item_tax else line.is_taxed))
        tax += line.tax_amount * share
    if refund.shipping and order.shipping is not None:
        name = text.fit(preferences.shipping_item_name, limits.ITEM_NAME)
        items.setdefault(name, ItemRecord(name, ItemKind.OTHER_CHARGE, "Shipping",
                                          preferences.income_account))
        lines.append(TransactionLine(
            item_name=name, description=text.fit(order.shipping.method_name or "Shipping",
                                                 limits.LINE_DESC),
            amount=to_cents(order.shipping.price_net),
            taxable=False if line_item_tax else order.shipping.tax_amount != ZERO))
        tax += order.shipping.tax_amount
    if to_cents(tax) != ZERO and line_item_tax:
        name = text.fit(preferences.sales_tax_item_name, limits.ITEM_NAME)
        items.setdefault(name, ItemRecord(name, ItemKind.OTHER_CHARGE,
                                          "Sales tax collected by Saleor",
                                          preferences.sales_tax_account))
        lines.append(TransactionLine(item_name=name, description="Sales tax",
                                     amount=to_cents(tax), taxable=False))
    counted = sum((ln.amount for ln in lines), ZERO) + (ZERO if line_item_tax else to_cents(tax))
    difference = to_cents(refund.amount) - counted
    if difference != ZERO or not lines:
        line, item = _refund_line(difference, "Refunded in Saleor" if not lines else
                                  "Difference between the refund and its lines", preferences)
        items.setdefault(item.name, item)
        lines.append(line)
    return tuple(lines), tuple(items.values())


def _line_item(line: OrderLine, preferences: Preferences, mappings: NameMappings
               ) -> tuple[str, ItemRecord | None]:
    if line.is_gift_card:
        name = text.fit(preferences.gift_card_item_name, limits.ITEM_NAME)
        return name, ItemRecord(name, ItemKind.OTHER_CHARGE, "Gift card",
                                preferences.gift_card_account or preferences.income_account)
    mapped = mapped_item_name(line, mappings)
    if mapped:
        return mapped, None
    name = product_item_name(line, preferences) or text.fit(preferences.refund_item_name,
                                                            limits.ITEM_NAME)
    return name, ItemRecord(name, ItemKind.NON_INVENTORY,
                            text.fit(line.product_name, limits.LINE_DESC),
                            preferences.income_account)


def _refund_line(amount: Decimal, description: str, preferences: Preferences
                 ) -> tuple[TransactionLine, ItemRecord]:
    name = text.fit(preferences.refund_item_name, limits.ITEM_NAME)
    return (TransactionLine(item_name=name, description=description, amount=amount,
                            taxable=False),
            ItemRecord(name, ItemKind.OTHER_CHARGE, "Refunds from Saleor",
                       preferences.income_account))


def _day(moment, preferences: Preferences, today: date) -> date:
    return moment.astimezone(ZoneInfo(preferences.time_zone)).date() if moment else today
