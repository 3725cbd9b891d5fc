"""The company file behind the QuickBooks simulator: its lists, its transactions, their IDs.

The simulator in :mod:`saleor_qb_sync.testing.qb_simulator` needs a small, faithful model of
what a QuickBooks Desktop company file holds, so that tests can seed one declaratively
(:class:`Company`) and read back what an export did to it (:class:`Customer`, :class:`Item`,
:class:`Transaction`). Nothing here knows about qbXML; the simulator maps requests onto it.

Faithfulness notes (qbXML reference, sections 4, 7 and 10):

- names of customers, vendors, employees and "other names" share one namespace; inactive
  entries still own their name (status 3100 on a clash);
- item names are unique across every item type, in their own namespace;
- list names are matched without regard to case, as QuickBooks does;
- IDs look like QuickBooks': ``80000001-1714567890`` for lists, ``1A2B-1714567890`` for
  transactions (a counter in hex, a dash, the creation time in epoch seconds);
- with multicurrency on (``Company.multicurrency``) every customer and every A/R, bank or
  credit card account has one currency (the home currency unless given), and a transaction is
  in its customer's currency; exchange rates are home-currency units per foreign unit, as
  QuickBooks records them (the simulator's module docstring lists the sources).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

#: Item kinds the simulator knows, named after their qbXML aggregates (``Item<kind>Add``).
ITEM_KINDS = ("NonInventory", "Service", "OtherCharge", "Discount", "SalesTax")

#: Transaction kinds the simulator stores, named after their qbXML aggregates.
TXN_KINDS = (
    "Invoice", "SalesReceipt", "SalesOrder", "CreditMemo", "ReceivePayment", "ARRefundCreditCard",
)

#: Currencies a multicurrency company starts with when ``Company.currencies`` is not given
#: (rates: home-currency units, US dollars here, per unit of the currency).
DEFAULT_CURRENCY_RATES = (
    ("US Dollar", "USD", Decimal("1")),
    ("Euro", "EUR", Decimal("1.08")),
    ("Polish Zloty", "PLN", Decimal("0.25")),
    ("British Pound Sterling", "GBP", Decimal("1.27")),
    ("Canadian Dollar", "CAD", Decimal("0.73")),
)

#: The first list-ID counter QuickBooks hands out in a fresh company file.
FIRST_LIST_ID_COUNTER = 0x80000001

#: The first transaction-ID counter (arbitrary; QuickBooks' are short hex numbers).
FIRST_TXN_ID_COUNTER = 0x1A2B


# --------------------------------------------------------------------------------------------
# Declarative seed description
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountSpec:
    """An account of the chart of accounts (``AccountType`` is the qbXML enumeration)."""

    name: str
    account_type: str
    is_active: bool = True
    #: the account's currency (multicurrency only); None: the home currency
    currency: str | None = None


@dataclass(frozen=True)
class CurrencySpec:
    """A currency of the company's currency list; ``exchange_rate`` is home-currency units
    per unit of this currency (1 for the home currency)."""

    name: str
    code: str
    exchange_rate: Decimal
    is_active: bool = True


def default_currencies() -> tuple[CurrencySpec, ...]:
    """:data:`DEFAULT_CURRENCY_RATES` as specs (all active)."""
    return tuple(CurrencySpec(name, code, rate) for name, code, rate in DEFAULT_CURRENCY_RATES)


@dataclass(frozen=True)
class ItemSpec:
    """A sales item; ``kind`` is one of :data:`ITEM_KINDS` except ``SalesTax``."""

    name: str
    kind: str = "NonInventory"
    price: Decimal | None = None
    price_percent: Decimal | None = None
    account: str | None = "Sales"
    description: str | None = None
    sales_tax_code: str | None = "Tax"
    discount_rate: Decimal | None = None
    discount_rate_percent: Decimal | None = None
    is_active: bool = True


@dataclass(frozen=True)
class SalesTaxItemSpec:
    """A US sales tax item: ``rate_percent`` of the taxable subtotal."""

    name: str
    rate_percent: Decimal
    description: str | None = None
    is_active: bool = True


@dataclass(frozen=True)
class SalesTaxCodeSpec:
    """A sales tax code (``Tax`` / ``Non`` in a US company)."""

    name: str
    is_taxable: bool
    description: str | None = None


@dataclass(frozen=True)
class CustomerSpec:
    """A customer; ``sales_tax_code`` / ``item_sales_tax`` are the customer's tax defaults."""

    name: str
    is_active: bool = True
    company_name: str | None = None
    email: str | None = None
    sales_tax_code: str | None = None
    item_sales_tax: str | None = None
    #: the customer's currency (multicurrency only); None: the home currency
    currency: str | None = None


def _default_accounts() -> tuple[AccountSpec, ...]:
    return (
        AccountSpec("Sales", "Income"),
        AccountSpec("Shipping Income", "Income"),
        AccountSpec("Undeposited Funds", "OtherCurrentAsset"),
        AccountSpec("Accounts Receivable", "AccountsReceivable"),
        AccountSpec("Sales Tax Payable", "OtherCurrentLiability"),
        AccountSpec("Checking", "Bank"),
    )


@dataclass(frozen=True)
class Company:
    """What a simulated company file starts with.

    ``closing_date``: transactions dated on or before it are refused (status 3171).
    ``supports_sales_orders``: False models QuickBooks Pro (SalesOrderAdd → status 3250).
    ``max_qbxml_version``: the highest ``<?qbxml version?>`` accepted (HostRet reports it).
    ``default_item_sales_tax``: the company's default sales tax item (None: sales tax off).
    The named simple lists (terms, classes, …) exist so that references to them can be
    checked (status 3140 when missing).
    ``multicurrency``: the preference "Yes, I use more than one currency"; ``home_currency``
    names the home currency and ``currencies`` is the currency list (with multicurrency on and
    none given, :func:`default_currencies`). Account and customer currencies must be in it.
    """

    name: str = "Simulated Outfitters LLC"
    country: str = "US"
    product_name: str = "QuickBooks Enterprise Solutions: Wholesale Edition 24.0"
    product_major_version: int = 34
    supports_sales_orders: bool = True
    closing_date: date | None = None
    max_qbxml_version: Decimal = Decimal("13.0")
    file_path: str = r"C:\Users\Public\Documents\Intuit\QuickBooks\Company Files\Simulated.QBW"
    accounts: tuple[AccountSpec, ...] = ()
    items: tuple[ItemSpec, ...] = ()
    customers: tuple[CustomerSpec, ...] = ()
    sales_tax_items: tuple[SalesTaxItemSpec, ...] = ()
    sales_tax_codes: tuple[SalesTaxCodeSpec, ...] = (
        SalesTaxCodeSpec("Tax", True, "Taxable Sales"),
        SalesTaxCodeSpec("Non", False, "Non-Taxable Sales"),
    )
    default_item_sales_tax: str | None = None
    vendors: tuple[str, ...] = ()
    employees: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    terms: tuple[str, ...] = ("Due on receipt", "Net 15", "Net 30")
    payment_methods: tuple[str, ...] = (
        "Cash",
        "Check",
        "Credit Card",
        "American Express",
        "MasterCard",
        "Visa",
    )
    ship_methods: tuple[str, ...] = ("UPS", "FedEx", "USPS", "DHL")
    sales_reps: tuple[str, ...] = ()
    customer_messages: tuple[str, ...] = ("Thank you for your business.",)
    templates: tuple[str, ...] = ("Intuit Product Invoice", "Custom Sales Receipt")
    multicurrency: bool = False
    home_currency: str = "US Dollar"
    currencies: tuple[CurrencySpec, ...] = ()

    def __post_init__(self) -> None:
        # Accept lists in the constructor; store tuples so the description stays immutable.
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))
        if self.multicurrency and not self.currencies:
            object.__setattr__(self, "currencies", default_currencies())
        self._check_currencies()

    def _check_currencies(self) -> None:
        """Currencies named by accounts and customers exist (multicurrency on) or are none."""
        known = {c.name.casefold() for c in self.currencies}
        if self.multicurrency and self.home_currency.casefold() not in known:
            raise ValueError(f"the home currency {self.home_currency!r} is not in currencies")
        for spec in (*self.accounts, *self.customers):
            if spec.currency is None:
                continue
            if not self.multicurrency and spec.currency.casefold() != \
                    self.home_currency.casefold():
                raise ValueError(f"{spec.name!r} has currency {spec.currency!r} but "
                                 "multicurrency is off")
            if self.multicurrency and spec.currency.casefold() not in known:
                raise ValueError(f"{spec.name!r} has currency {spec.currency!r}, which is not "
                                 "in currencies")

    @classmethod
    def default(cls, **overrides: object) -> Company:
        """A typical US company: Sales income, Undeposited Funds, A/R, one tax item, Tax/Non."""
        values: dict[str, object] = {
            "accounts": _default_accounts(),
            "items": (
                ItemSpec("Shipping", kind="OtherCharge", account="Shipping Income",
                         sales_tax_code="Non", description="Shipping and handling"),
                ItemSpec("Web Discount", kind="Discount", account="Sales",
                         sales_tax_code="Non", description="Web store discount"),
            ),
            "customers": (CustomerSpec("Web Customer"),),
            "sales_tax_items": (
                SalesTaxItemSpec("State Sales Tax", Decimal("8.25"), "State sales tax"),
            ),
            "default_item_sales_tax": "State Sales Tax",
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Live records (mutable: they belong to a running simulator)
# --------------------------------------------------------------------------------------------


@dataclass
class ListRecord:
    """Fields every QuickBooks list element has (qbXML ``ListCore``)."""

    list_id: str
    name: str
    time_created: datetime
    is_active: bool = True
    time_modified: datetime | None = None
    edit_sequence: str = ""

    @property
    def full_name(self) -> str:
        return self.name


@dataclass
class Account(ListRecord):
    account_type: str = "Income"
    #: the currency's name (the simulator sets the home currency when none was given)
    currency: str | None = None


@dataclass
class Currency(ListRecord):
    """An entry of the currency list (qbXML ``CurrencyRet``)."""

    code: str = ""
    #: home-currency units per unit of this currency
    exchange_rate: Decimal = Decimal(1)
    as_of_date: date | None = None


@dataclass
class SalesTaxCode(ListRecord):
    is_taxable: bool = True
    description: str | None = None


@dataclass
class SimpleListEntry(ListRecord):
    """A terms / class / payment method / ship method / … entry, or a vendor/employee name."""

    list_kind: str = ""


@dataclass
class Customer(ListRecord):
    parent: Customer | None = None
    fields: dict[str, object] = field(default_factory=dict)
    sales_tax_code: str | None = None
    item_sales_tax: str | None = None
    #: the currency's name: every amount of the customer's transactions is in it
    currency: str | None = None

    @property
    def full_name(self) -> str:
        if self.parent is None:
            return self.name
        return f"{self.parent.full_name}:{self.name}"

    @property
    def sublevel(self) -> int:
        return 0 if self.parent is None else self.parent.sublevel + 1


@dataclass
class Item(ListRecord):
    kind: str = "NonInventory"
    description: str | None = None
    price: Decimal | None = None
    price_percent: Decimal | None = None
    account: str | None = None
    sales_tax_code: str | None = None
    discount_rate: Decimal | None = None
    discount_rate_percent: Decimal | None = None
    tax_rate: Decimal | None = None
    sales_and_purchase: bool = False
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class TxnLine:
    txn_line_id: str
    item_name: str | None
    description: str | None
    quantity: Decimal | None
    rate: Decimal | None
    rate_percent: Decimal | None
    amount: Decimal
    sales_tax_code: str | None
    is_taxable: bool
    fields: dict[str, object] = field(default_factory=dict)


@dataclass
class AppliedTxn:
    """Money one transaction moves onto another: a payment onto an invoice, a refund onto a
    credit memo (or onto a payment's unused amount).

    ``amount`` is positive, as the request gave it (``PaymentAmount`` / ``RefundAmount``);
    ``credits`` are the credit memos a payment applies to the same invoice (``SetCredit``),
    as (credit memo TxnID, applied amount).
    """

    txn_id: str
    amount: Decimal
    credits: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass
class Transaction:
    kind: str
    txn_id: str
    txn_number: int
    time_created: datetime
    edit_sequence: str
    txn_date: date
    ref_number: str | None
    customer_name: str | None
    lines: list[TxnLine]
    subtotal: Decimal
    sales_tax_item: str | None
    sales_tax_percentage: Decimal | None
    sales_tax_total: Decimal
    total_amount: Decimal
    memo: str | None = None
    fields: dict[str, object] = field(default_factory=dict)
    #: what this payment / refund applies to (empty for sales transactions)
    applied: list[AppliedTxn] = field(default_factory=list)
    #: set by TxnVoid (amounts are then zero and the memo starts with ``VOID:``)
    is_voided: bool = False
    #: last change after creation (a void, a mod); None: never changed
    time_modified: datetime | None = None
    #: the currency's name (the customer's; the home currency without multicurrency)
    currency: str | None = None
    #: home-currency units per unit of ``currency`` (1 in the home currency)
    exchange_rate: Decimal = Decimal(1)

    def summary(self) -> dict[str, object]:
        """What QuickBooks recorded, as JSON-ready text: the type, RefNumber, customer, date,
        each line's ItemRef FullName, Desc, Quantity, Rate, Amount and SalesTaxCodeRef (None
        where the line has none), the subtotal, the sales tax and the total. Numbers are
        strings as QuickBooks shows them (amounts to the cent), so nothing is rounded twice."""
        def text(value: Decimal | None) -> str | None:
            return None if value is None else format(value, "f")

        return {
            "type": self.kind, "txn_id": self.txn_id, "ref_number": self.ref_number,
            "customer": self.customer_name, "txn_date": self.txn_date.isoformat(),
            "currency": self.currency,
            "lines": [{"item": ln.item_name, "description": ln.description,
                       "quantity": text(ln.quantity), "rate": text(ln.rate),
                       "rate_percent": text(ln.rate_percent), "amount": text(ln.amount),
                       "sales_tax_code": ln.sales_tax_code} for ln in self.lines],
            "subtotal": text(self.subtotal), "sales_tax_item": self.sales_tax_item,
            "sales_tax_total": text(self.sales_tax_total),
            "total_amount": text(self.total_amount),
        }

    @property
    def total_amount_in_home_currency(self) -> Decimal:
        """``total_amount`` at ``exchange_rate``, to the cent (QuickBooks'
        ``TotalAmountInHomeCurrency``)."""
        return (self.total_amount * self.exchange_rate).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)


class NameIndex:
    """Case-insensitive name → record index (QuickBooks matches names without case)."""

    def __init__(self) -> None:
        self._by_key: dict[str, object] = {}

    @staticmethod
    def key(name: str) -> str:
        return name.strip().casefold()

    def get(self, name: str | None) -> object | None:
        return None if name is None else self._by_key.get(self.key(name))

    def __contains__(self, name: str) -> bool:
        return self.key(name) in self._by_key

    def add(self, name: str, record: object) -> None:
        self._by_key[self.key(name)] = record

    def remove(self, name: str) -> None:
        self._by_key.pop(self.key(name), None)

    def values(self) -> Iterable[object]:
        return self._by_key.values()
