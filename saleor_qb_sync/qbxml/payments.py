"""What a Saleor charge becomes in QuickBooks: a payment received against the order's invoice.

Saleor keeps, per payment (a transaction item or a legacy payment), what it has charged and
what it refunded of that; charged plus refunded only grows. QuickBooks has received, per Saleor
payment, what the ledger holds as live attempts (sent, received, or being checked after a lost
answer). The difference, rounded to the cent, is
a new payment, applied to the invoice; never more than the invoice's open balance, so an
overcharge in Saleor never leaves a negative balance or an unapplied credit behind unannounced.
A payment QuickBooks refused is not sent again for the same amount (the history says why); it
is when Saleor's charge changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..documents import ZERO, OrderDocument, to_cents
from ..preferences import Preferences
from . import limits, text
from .currency import ar_account_for, follow_up_rate, in_currency_of
from .records import OrderOnFile, ReceivedPayment


@dataclass(frozen=True, slots=True)
class Received:
    """What QuickBooks has (or may have) of one Saleor payment: the amount and how many
    payments it took."""

    amount: Decimal = ZERO
    count: int = 0
    #: the amount of the next charge QuickBooks last refused (not a lost answer): the same
    #: money is not sent again by itself; a different amount (Saleor charged more) is
    refused: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Due:
    """The payments to receive now for one order, and what a person should know about it."""

    payments: tuple[ReceivedPayment, ...]
    warnings: tuple[str, ...] = ()


def due_payments(order: OrderDocument, invoice: OrderOnFile,
                 received: Mapping[str, Received], preferences: Preferences, *,
                 today: date) -> Due:
    """The charges Saleor made on ``order`` that QuickBooks has not received yet (in the
    currency of its invoice: the order's own, or the home currency it was converted to)."""
    order = in_currency_of(order, invoice.currency, preferences)
    rate = follow_up_rate(order.currency, preferences)
    balance = to_cents(invoice.total) - sum((r.amount for r in received.values()), ZERO)
    numbered = sum(r.count for r in received.values())
    payments: list[ReceivedPayment] = []
    warnings: list[str] = []
    for payment in order.payments:
        if not payment.payment_id:
            continue
        already = received.get(payment.payment_id, Received())
        due = to_cents(payment.charged_ever) - already.amount
        if due <= ZERO or due == already.refused:
            continue
        if balance <= ZERO:
            warnings.append(f"Saleor charged {due} {order.currency} more than invoice "
                            f"{invoice.ref_number} in QuickBooks; it was not received there.")
            continue
        if due > balance:
            warnings.append(f"Saleor charged {due - balance} {order.currency} more than the "
                            f"open balance of invoice {invoice.ref_number}; only "
                            f"{balance} was received in QuickBooks.")
            due = balance
        numbered += 1
        balance -= due
        charged_on = (payment.charged_at.astimezone(ZoneInfo(preferences.time_zone)).date()
                      if payment.charged_at is not None else today)
        reference = payment.psp_reference or payment.payment_id
        payments.append(ReceivedPayment(
            order_id=order.order_id, order_number=order.number,
            payment_id=payment.payment_id, sequence=already.count + 1,
            ref_number=f"{invoice.ref_number}-{numbered}"[:limits.PAYMENT_REF_NUMBER],
            txn_date=charged_on, customer_name=invoice.customer_name, amount=due,
            currency=order.currency, invoice_txn_id=invoice.txn_id,
            memo=text.fit(f"Saleor order #{order.number}: {payment.name or payment.method} "
                          f"payment {reference}", limits.MEMO),
            payment_method=preferences.payment_method_for(payment.method, payment.name),
            deposit_to_account=preferences.deposit_to_account,
            ar_account=ar_account_for(order.currency, preferences), exchange_rate=rate))
    return Due(tuple(payments), tuple(warnings))
