"""The store's choices about how an order becomes a QuickBooks transaction, typed and checked once.

``Preferences`` is frozen; ``Preferences.from_config(mapping)`` accepts what Saleor's plugin
configuration holds (strings, booleans, lists) and raises ``PreferencesInvalid`` naming every bad
field at once. The field names are the plugin's configuration keys. Each setting is declared
once, as a field with its ``Setting`` (parser, kind, label, help text, the API's description):
the plugin page (``plugin.py``) and the API's settings (``graphql/settings.py``) are built from
``SETTINGS``. Standard library only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from .errors import PreferenceError, PreferencesInvalid
from .qbxml import limits


class ExportMode(StrEnum):
    AUTOMATIC = "automatic"
    ON_DEMAND = "on_demand"


class TransactionType(StrEnum):
    INVOICE = "invoice"
    SALES_RECEIPT = "sales_receipt"
    SALES_ORDER = "sales_order"
    #: fully charged orders become sales receipts, all others invoices
    BY_PAYMENT_STATUS = "by_payment_status"


class CustomerMode(StrEnum):
    PER_CUSTOMER = "per_customer"
    SINGLE_CUSTOMER = "single_customer"


class CustomerNameFormat(StrEnum):
    FIRST_LAST = "first_last"
    LAST_FIRST = "last_first"
    EMAIL = "email"
    COMPANY_OR_NAME = "company_or_name"


class ItemMode(StrEnum):
    BY_SKU = "by_sku"
    SINGLE_ITEM = "single_item"


class MissingItemAction(StrEnum):
    CREATE = "create"
    USE_DEFAULT = "use_default"
    FAIL = "fail"


class TaxMode(StrEnum):
    #: Saleor's tax, to the cent, as its own line; QuickBooks computes no tax
    LINE_ITEM = "line_item"
    #: lines carry taxable/non-taxable codes and QuickBooks computes tax with its own tax item
    QUICKBOOKS_TAX_ITEM = "quickbooks_tax_item"


class EditUpdates(StrEnum):
    """What happens when an order in QuickBooks is edited in Saleor (its addresses)."""

    #: not compared: QuickBooks keeps what was exported
    OFF = "off"
    #: shown as "changed since export"; a person asks for the update
    ASK = "ask"
    #: shown, and sent to QuickBooks at the next Web Connector update
    AUTOMATIC = "automatic"


#: Saleor order statuses (saleor/order/__init__.py). Draft and unconfirmed orders never export.
SALEOR_ORDER_STATUSES = (
    "draft",
    "unconfirmed",
    "unfulfilled",
    "partially fulfilled",
    "fulfilled",
    "partially_returned",
    "returned",
    "canceled",
    "expired",
)
NEVER_EXPORTED_STATUSES = frozenset({"draft", "unconfirmed"})
SUPPORTED_QBXML_VERSIONS = ("13.0",)
#: settings that do not change what is sent to QuickBooks (``Preferences.fingerprint``)
_NOT_IN_FINGERPRINT = frozenset({"web_connector_username", "web_connector_password",
                                 "run_every_minutes", "export_mode", "company_file"})
MAX_ORDERS_PER_REQUEST = 500


# --- parsers: each takes (field name, raw value) and returns the typed value or raises ---------


def _choice(enum: type[StrEnum]):
    def parse(name: str, raw: Any) -> StrEnum:
        text = str(raw).strip().lower()
        try:
            return enum(text)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            raise PreferenceError(
                name, f"{raw!r} is not allowed; choose one of: {allowed}", code="invalid_choice"
            ) from None

    return parse


def _bool(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise PreferenceError(name, f"{raw!r} is not a yes/no value (true or false)", code="invalid")


def _text(max_length: int | None = None):
    def parse(name: str, raw: Any) -> str:
        text = str(raw).strip()
        if max_length is not None and len(text) > max_length:
            raise PreferenceError(
                name,
                f"is {len(text)} characters long; QuickBooks allows at most {max_length}",
                code="too_long",
            )
        return text

    return parse


def _password(name: str, raw: Any) -> str:
    return str(raw)


def _int_range(low: int, high: int):
    def parse(name: str, raw: Any) -> int:
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise PreferenceError(name, f"{raw!r} is not a whole number", code="invalid") from None
        if not low <= value <= high:
            raise PreferenceError(name, f"must be between {low} and {high}", code="out_of_range")
        return value

    return parse


def _optional_date(name: str, raw: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PreferenceError(
            name, f"{raw!r} is not a date; use YYYY-MM-DD", code="invalid"
        ) from None


def _list(raw: Any) -> tuple[str, ...]:
    items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    return tuple(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


def _statuses(name: str, raw: Any) -> tuple[str, ...]:
    statuses = tuple(s.lower().replace("_", " ") if s.lower() == "partially_fulfilled"
                     else s.lower() for s in _list(raw))
    if not statuses:
        raise PreferenceError(name, "choose at least one order status", code="required")
    for status in statuses:
        if status in NEVER_EXPORTED_STATUSES:
            raise PreferenceError(
                name, f"{status} orders are never exported (their prices are not final)",
                code="invalid_choice",
            )
        if status not in SALEOR_ORDER_STATUSES:
            allowed = ", ".join(s for s in SALEOR_ORDER_STATUSES
                                if s not in NEVER_EXPORTED_STATUSES)
            raise PreferenceError(
                name, f"{status!r} is not a Saleor order status; allowed: {allowed}",
                code="invalid_choice",
            )
    return statuses


def _channels(name: str, raw: Any) -> tuple[str, ...]:
    return _list(raw)


def _payment_methods(name: str, raw: Any) -> tuple[str, ...]:
    pairs: dict[str, str] = {}
    for entry in _list(raw):
        saleor, sep, quickbooks = (part.strip() for part in entry.partition("="))
        if not sep or not saleor or not quickbooks:
            raise PreferenceError(
                name, f"{entry!r} is not a saleor=QuickBooks pair, e.g. card=Credit Card",
                code="invalid")
        if len(quickbooks) > limits.FULL_NAME_REF:
            raise PreferenceError(
                name, f"{quickbooks!r} is {len(quickbooks)} characters long; QuickBooks allows "
                f"at most {limits.FULL_NAME_REF}", code="too_long")
        if saleor.lower() in pairs:
            raise PreferenceError(name, f"{saleor!r} is listed twice", code="invalid")
        pairs[saleor.lower()] = quickbooks
    return tuple(f"{saleor}={quickbooks}" for saleor, quickbooks in pairs.items())


def _exchange_rates(name: str, raw: Any) -> tuple[str, ...]:
    rates: dict[str, Decimal] = {}
    for entry in _list(raw):
        code, sep, value = (part.strip() for part in entry.partition("="))
        code = code.upper()
        try:
            rate = Decimal(value) if sep else None
        except InvalidOperation:
            rate = None
        if len(code) != 3 or not code.isalpha() or rate is None or not rate.is_finite() or (
                not Decimal(0) < rate < Decimal(1_000_000)):
            raise PreferenceError(
                name, f"{entry!r} is not a CURRENCY=rate pair with a positive rate, e.g. "
                "PLN=0.25", code="invalid")
        if code in rates:
            raise PreferenceError(name, f"{code} is listed twice", code="invalid")
        rates[code] = rate
    return tuple(f"{code}={rate}" for code, rate in rates.items())


def _qbxml_version(name: str, raw: Any) -> str:
    text = str(raw).strip()
    if text not in SUPPORTED_QBXML_VERSIONS:
        raise PreferenceError(
            name, f"{text!r} is not supported; use one of {', '.join(SUPPORTED_QBXML_VERSIONS)}",
            code="invalid_choice",
        )
    return text


def _time_zone(name: str, raw: Any) -> str:
    text = str(raw).strip() or "UTC"
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise PreferenceError(
            name, f"{text!r} is not a time zone name such as America/New_York", code="invalid"
        ) from None
    return text


def _currency(name: str, raw: Any) -> str:
    text = str(raw).strip().upper()
    if len(text) != 3 or not text.isalpha():
        raise PreferenceError(name, f"{raw!r} is not a three-letter currency code such as USD",
                              code="invalid")
    return text


#: a prefix this long leaves three digits of the order number in QuickBooks' RefNumber
MAX_REF_PREFIX = limits.REF_NUMBER - 3


def _ref_prefix(name: str, raw: Any) -> str:
    text = str(raw).strip()
    if len(text) > MAX_REF_PREFIX:
        raise PreferenceError(
            name, f"must be at most {MAX_REF_PREFIX} characters so that order numbers fit "
            f"QuickBooks' {limits.REF_NUMBER}-character RefNumber", code="too_long",
        )
    return text


# --- the declaration: each setting once, as a field of ``Preferences`` -----------------------

Parser = Callable[[str, Any], Any]


class Kind(StrEnum):
    """What a setting holds: the forms offer each kind its own way (Saleor's plugin page has
    only text, yes/no and password boxes; the app's Settings tab has typed fields)."""

    TEXT = "text"
    BOOLEAN = "boolean"
    #: kept only as a Django password hash, never shown
    PASSWORD = "password"  # noqa: S105 - a kind of setting, not a secret
    NUMBER = "number"
    DATE = "date"
    #: one value of the setting's enum (its default's type)
    CHOICE = "choice"
    #: several Saleor order statuses
    ORDER_STATUSES = "order_statuses"
    #: several words (comma-separated on the plugin page)
    LIST = "list"


@dataclass(frozen=True, slots=True)
class Setting:
    """How a setting is read and shown; ``SETTINGS`` holds one per field of ``Preferences``."""

    kind: Kind
    #: (setting name, raw value) → the typed value, or raises ``PreferenceError``
    parse: Parser
    #: the plugin page's words: its label and help text
    label: str
    help_text: str
    #: the API's (GraphQL), which names the choices as the app's Settings tab shows them
    description: str


def _setting(default: Any, parse: Parser, *, label: str, help_text: str, description: str,
             kind: Kind = Kind.TEXT) -> Any:
    """A field of ``Preferences`` declared with its ``Setting``."""
    return field(default=default, repr=kind is not Kind.PASSWORD, metadata={
        "setting": Setting(kind, parse, label, help_text, description)})


_QB_NAME = "It must exist in the QuickBooks company file."


@dataclass(frozen=True, slots=True)
class Preferences:
    export_mode: ExportMode = _setting(
        ExportMode.ON_DEMAND, _choice(ExportMode), kind=Kind.CHOICE, label="Export mode",
        help_text="automatic: every new eligible order goes to QuickBooks on each Web "
        "Connector run. on_demand: only orders staff queue in Transfer orders.",
        description="How orders reach QuickBooks.")
    transaction_type: TransactionType = _setting(
        TransactionType.BY_PAYMENT_STATUS, _choice(TransactionType), kind=Kind.CHOICE,
        label="QuickBooks transaction type",
        help_text="invoice, sales_receipt, sales_order, or by_payment_status (fully paid "
        "orders become sales receipts, the others invoices).",
        description="What an order becomes in QuickBooks.")
    check_duplicates: bool = _setting(
        True, _bool, kind=Kind.BOOLEAN, label="Check QuickBooks for duplicates",
        help_text="Before adding an order, ask QuickBooks whether it already has it (by "
        "number) and link to it instead of adding a second copy.",
        description="Before adding an order, ask QuickBooks whether it already has it (by "
        "number) and link to it instead of adding a copy.")
    export_start_date: date | None = _setting(
        None, _optional_date, kind=Kind.DATE, label="Export orders from (YYYY-MM-DD)",
        help_text="Automatic mode ignores orders placed before this date. Empty: all.",
        description="Automatic mode ignores orders placed before this day; null for all "
        "orders.")
    eligible_statuses: tuple[str, ...] = _setting(
        ("unfulfilled", "partially fulfilled", "fulfilled"), _statuses,
        kind=Kind.ORDER_STATUSES, label="Order statuses to export",
        help_text="Comma-separated Saleor statuses, e.g. unfulfilled,partially "
        "fulfilled,fulfilled. Draft and unconfirmed orders never export.",
        description="The order statuses that are exported (at least one).")
    #: channel slugs; empty means every channel
    channels: tuple[str, ...] = _setting(
        (), _channels, kind=Kind.LIST, label="Channels",
        help_text="Comma-separated channel slugs to export. Empty: all channels.",
        description="Slugs of the channels whose orders are exported; empty for every "
        "channel.")
    customer_mode: CustomerMode = _setting(
        CustomerMode.PER_CUSTOMER, _choice(CustomerMode), kind=Kind.CHOICE, label="Customers",
        help_text="per_customer: one QuickBooks customer per buyer. single_customer: every "
        "order goes to one customer (see next setting).",
        description="Which QuickBooks customer an order goes to.")
    single_customer_name: str = _setting(
        "Saleor Web Store", _text(limits.CUSTOMER_NAME), label="Single customer name",
        help_text="The QuickBooks customer used in single_customer mode.",
        description="The customer every order goes to with SINGLE_CUSTOMER. " + _QB_NAME)
    customer_name_format: CustomerNameFormat = _setting(
        CustomerNameFormat.FIRST_LAST, _choice(CustomerNameFormat), kind=Kind.CHOICE,
        label="Customer name format", help_text="first_last, last_first, email or "
        "company_or_name.",
        description="How a buyer's QuickBooks customer is named (PER_CUSTOMER).")
    item_mode: ItemMode = _setting(
        ItemMode.BY_SKU, _choice(ItemMode), kind=Kind.CHOICE, label="Items",
        help_text="by_sku: each product is the QuickBooks item named by its SKU. single_item: "
        "every product line uses the default item.",
        description="Which QuickBooks item a product line uses.")
    default_item_name: str = _setting(
        "Saleor Product", _text(limits.ITEM_NAME), label="Default item",
        help_text="Item used for single_item mode and as fallback.",
        description="The item of SINGLE_ITEM, and the fallback of USE_DEFAULT.")
    missing_item_action: MissingItemAction = _setting(
        MissingItemAction.CREATE, _choice(MissingItemAction), kind=Kind.CHOICE,
        label="When an item is missing in QuickBooks",
        help_text="create: add it as a non-inventory item. use_default: use the default "
        "item. fail: record the order as failed.",
        description="What happens when QuickBooks lacks an order's item.")
    income_account: str = _setting(
        "Sales", _text(limits.FULL_NAME_REF), label="Income account",
        help_text="Account for items the export creates.",
        description="Income account of the items the export creates. " + _QB_NAME)
    deposit_to_account: str = _setting(
        "Undeposited Funds", _text(limits.FULL_NAME_REF), label="Deposit to account",
        help_text="Where sales receipts are deposited, e.g. Undeposited Funds.",
        description="Where sales receipts are deposited, e.g. Undeposited Funds.")
    record_payments: bool = _setting(
        True, _bool, kind=Kind.BOOLEAN, label="Record payments on invoices",
        help_text="When an order exported as an invoice is charged in Saleor (at once or in "
        "parts, later), receive the payment in QuickBooks against that invoice, deposited to "
        "the account above.",
        description="Receive each Saleor charge of an order exported as an invoice as a "
        "QuickBooks payment applied to that invoice.")
    payment_methods: tuple[str, ...] = _setting(
        (), _payment_methods, kind=Kind.LIST, label="Payment methods",
        help_text="Comma-separated saleor=QuickBooks pairs, e.g. card=Credit Card, "
        "gift_card=Gift Card, mirumee.payments.stripe=Visa: Saleor's payment method type or "
        "gateway, then the QuickBooks payment method it becomes. Unlisted: no method.",
        description="Saleor payment method type or gateway → QuickBooks payment method, as "
        "\"saleor=QuickBooks\" pairs; an unlisted one gets none. " + _QB_NAME)
    record_refunds: bool = _setting(
        True, _bool, kind=Kind.BOOLEAN, label="Record refunds as credit memos",
        help_text="When Saleor refunds an order that is in QuickBooks (an invoice or a sales "
        "receipt), add a credit memo with the refunded lines, shipping and tax.",
        description="Add a QuickBooks credit memo for each Saleor refund of an order that is in "
        "QuickBooks, with the refunded lines, shipping and tax.")
    refund_money: bool = _setting(
        True, _bool, kind=Kind.BOOLEAN, label="Record the money refunded",
        help_text="Also record the money going back against each credit memo (a refund from "
        "the deposit account); off leaves the credit on the customer's account.",
        description="Record the money given back against each credit memo (ARRefundCreditCard "
        "from the deposit account); false leaves the credit on the customer's account.")
    void_cancelled: bool = _setting(
        True, _bool, kind=Kind.BOOLEAN, label="Void cancelled orders",
        help_text="When an order in QuickBooks is cancelled in Saleor and no money moved, void "
        "its invoice or sales receipt; when money moved, say so for a person to decide.",
        description="Void the invoice or sales receipt of an order cancelled in Saleor when no "
        "money moved; otherwise record why not, for a person.")
    update_edited_orders: EditUpdates = _setting(
        EditUpdates.ASK, _choice(EditUpdates), kind=Kind.CHOICE,
        label="Orders edited after export",
        help_text="When staff change an exported order's billing or shipping address in Saleor: "
        "off: QuickBooks keeps what was exported. ask: the order shows as changed since export "
        "until someone chooses Update in QuickBooks. automatic: the next Web Connector run "
        "updates the QuickBooks transaction.",
        description="What an edit in Saleor (billing or shipping address) of an order that is "
        "in QuickBooks does to its transaction.")
    ar_account: str = _setting(
        "Accounts Receivable", _text(limits.FULL_NAME_REF), label="Accounts receivable account",
        help_text="For invoices, e.g. Accounts Receivable.",
        description="Accounts receivable account of invoices.")
    #: account of the sales tax line item we create (line_item tax mode)
    sales_tax_account: str = _setting(
        "Sales Tax Payable", _text(limits.FULL_NAME_REF), label="Sales tax account",
        help_text="Account of the sales tax item the export creates (line_item tax mode), "
        "e.g. Sales Tax Payable.",
        description="Account of the sales tax item the export creates (LINE_ITEM), e.g. "
        "Sales Tax Payable.")
    #: account of the gift card item we create; empty: the income account
    gift_card_account: str = _setting(
        "", _text(limits.FULL_NAME_REF), label="Gift card account",
        help_text="Account of the gift card item the export creates (a liability such as "
        "Gift Card Liability); empty uses the income account.",
        description="Account of the gift card item the export creates; empty for the income "
        "account.")
    shipping_item_name: str = _setting(
        "Shipping", _text(limits.ITEM_NAME), label="Shipping item",
        help_text="Other-charge item for shipping.",
        description="Other-charge item for shipping.")
    discount_item_name: str = _setting(
        "Saleor Discount", _text(limits.ITEM_NAME), label="Discount item",
        help_text="Other-charge item for vouchers and discounts (a negative line).",
        description="Other-charge item for vouchers and discounts.")
    gift_card_item_name: str = _setting(
        "Gift Card", _text(limits.ITEM_NAME), label="Gift card item",
        help_text="Other-charge item for gift cards sold and gift cards applied.",
        description="Other-charge item for gift cards sold and applied.")
    refund_item_name: str = _setting(
        "Saleor Refund", _text(limits.ITEM_NAME), label="Refund item",
        help_text="Other-charge item for money Saleor refunded without naming lines, and for "
        "a refund's difference from its lines.",
        description="Other-charge item for refunds without lines and for a refund's "
        "difference from its lines.")
    tax_mode: TaxMode = _setting(
        TaxMode.LINE_ITEM, _choice(TaxMode), kind=Kind.CHOICE, label="Sales tax",
        help_text="line_item: Saleor's tax, to the cent, as one line. quickbooks_tax_item: "
        "QuickBooks computes tax with the sales tax item below.",
        description="How sales tax reaches QuickBooks.")
    sales_tax_item_name: str = _setting(
        "Saleor Sales Tax", _text(limits.ITEM_NAME), label="Sales tax item",
        help_text="Item for Saleor's tax (line_item) or QuickBooks' sales tax item.",
        description="Item for Saleor's tax (LINE_ITEM) or QuickBooks' sales tax item "
        "(QUICKBOOKS_TAX_ITEM).")
    ref_number_prefix: str = _setting(
        "", _ref_prefix, label="Number prefix",
        help_text="Put before the Saleor order number in QuickBooks (at most 8 characters; "
        "the whole number must fit 11).",
        description="Put before the order number in QuickBooks (at most 8 characters).")
    class_name: str = _setting(
        "", _text(limits.FULL_NAME_REF), label="QuickBooks class",
        help_text="Class for every transaction; empty for none.",
        description="QuickBooks class of every transaction; empty for none.")
    orders_per_request: int = _setting(
        250, _int_range(1, MAX_ORDERS_PER_REQUEST), kind=Kind.NUMBER,
        label="Orders per request",
        help_text="The most orders in one request to QuickBooks (1-500; a request also stays "
                  "under 1 MB). QuickBooks answers a request only once it has processed all of "
                  "it, and Web Connector waits about two minutes: lower it for a slow "
                  "QuickBooks.",
        description="The most orders in one request to QuickBooks (1-500; a request also stays "
                    "under 1 MB).")
    lists_max_age_hours: int = _setting(
        24, _int_range(0, 24 * 365), kind=Kind.NUMBER,
        label="Read QuickBooks lists every (hours)",
        help_text="Web Connector reads QuickBooks' accounts, items, customers, tax codes, "
                  "classes and payment methods again when our copy is older than this (only "
                  "what changed since, in chunks of 1,000). 0: only when staff ask (Refresh "
                  "QuickBooks lists).",
        description="How old our copy of QuickBooks' lists may get before Web Connector reads "
                    "what changed (hours); 0 for only when refreshed on demand.")
    qbxml_version: str = _setting(
        "13.0", _qbxml_version, label="qbXML version",
        help_text="The qbXML version we speak (13.0).",
        description="The qbXML version spoken (13.0, the only one).")
    web_connector_username: str = _setting(
        "", _text(100), label="Web Connector user name",
        help_text="Type this user name in Web Connector; it is in the .qwc file.",
        description="The user name typed in Web Connector; it is in the .qwc file.")
    #: a Django password hash (never the password itself once the plugin has saved it)
    web_connector_password: str = _setting(
        "", _password, kind=Kind.PASSWORD, label="Web Connector password",
        help_text="Type the same password in Web Connector. Stored only as a hash.",
        description="A new Web Connector password (stored only as a hash).")
    company_file: str = _setting(
        "", _text(1000), label="QuickBooks company file",
        help_text="Full path of the company file; empty uses the file open in QuickBooks.",
        description="Full path of the QuickBooks company file; empty for the file open in "
        "QuickBooks.")
    #: the store's time zone, used for date-range filters
    time_zone: str = _setting(
        "UTC", _time_zone, label="Store time zone",
        help_text="Used for date ranges, e.g. America/New_York.",
        description="The store's time zone, for date ranges, e.g. America/New_York.")
    run_every_minutes: int = _setting(
        30, _int_range(1, 1440), kind=Kind.NUMBER, label="Run every (minutes)",
        help_text="Web Connector's schedule in the .qwc file.",
        description="Web Connector's schedule in the .qwc file (1-1440 minutes).")
    #: the QuickBooks company's home currency
    company_currency: str = _setting(
        "USD", _currency, label="QuickBooks home currency",
        help_text="Without multicurrency in QuickBooks, orders in another currency are "
        "converted at its exchange rate below, or refused when it has none. With "
        "multicurrency on, they are booked in their own currency; this must be QuickBooks' "
        "home currency.",
        description="The QuickBooks company's home currency (ISO 4217). Without multicurrency "
        "orders in another are converted at its exchange rate, or refused when it has none; "
        "with multicurrency on (QuickBooks' preferences) they are booked in their own.")
    exchange_rates: tuple[str, ...] = _setting(
        (), _exchange_rates, kind=Kind.LIST, label="Exchange rates",
        help_text="Comma-separated CURRENCY=rate pairs, the home currency per unit of the "
        "other, e.g. EUR=1.08, PLN=0.25. Without multicurrency in QuickBooks: orders in those "
        "currencies are converted, and one in a currency not listed is refused, never booked "
        "with its own numbers. With multicurrency on: the rate each transaction carries; a "
        "currency not listed takes the rate of QuickBooks' currency list.",
        description="CURRENCY=rate pairs (home currency per unit of the other, e.g. "
        "\"PLN=0.25\"): without multicurrency, orders in those currencies are converted and "
        "others refused; with it, the exchange rate of their transactions (others: QuickBooks' "
        "own).")

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Preferences:
        """Build preferences from raw configuration values; unknown keys are ignored."""
        errors: list[PreferenceError] = []
        values: dict[str, Any] = {}
        defaults = cls()
        for f in fields(cls):
            if f.name not in config or config[f.name] is None:
                continue
            try:
                values[f.name] = SETTINGS[f.name].parse(f.name, config[f.name])
            except PreferenceError as exc:
                errors.append(exc)
        candidate = dataclasses.replace(defaults, **values)
        errors.extend(candidate._consistency_errors(skip={e.field for e in errors}))
        if errors:
            raise PreferencesInvalid(errors)
        return candidate

    def to_config(self) -> dict[str, Any]:
        """The inverse of ``from_config``: plain values suitable for storing."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, StrEnum):
                value = value.value
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = ",".join(value)
            out[f.name] = value
        return out

    def _consistency_errors(self, skip: set[str]) -> list[PreferenceError]:
        errors = []
        required_names = {
            "single_customer_name": self.customer_mode == CustomerMode.SINGLE_CUSTOMER,
            "default_item_name": self.item_mode == ItemMode.SINGLE_ITEM
            or self.missing_item_action == MissingItemAction.USE_DEFAULT,
            "sales_tax_item_name": True,
            "shipping_item_name": True,
            "discount_item_name": True,
            "gift_card_item_name": True,
            "refund_item_name": self.record_refunds,
            "income_account": True,
        }
        for name, needed in required_names.items():
            if needed and name not in skip and not getattr(self, name).strip():
                errors.append(PreferenceError(name, "must not be empty", code="required"))
        if "transaction_type" not in skip and self.transaction_type in (
            TransactionType.SALES_RECEIPT,
            TransactionType.BY_PAYMENT_STATUS,
        ) and not self.deposit_to_account.strip() and "deposit_to_account" not in skip:
            errors.append(
                PreferenceError(
                    "deposit_to_account",
                    "sales receipts need an account to deposit to (e.g. Undeposited Funds)",
                    code="required",
                )
            )
        return errors

    def fingerprint(self) -> str:
        """A short digest of the settings that shape what goes to QuickBooks: an order that
        failed under one fingerprint may pass under another."""
        config = {k: v for k, v in self.to_config().items() if k not in _NOT_IN_FINGERPRINT}
        return hashlib.sha256(repr(sorted(config.items())).encode()).hexdigest()[:16]

    def payment_method_for(self, *keys: str) -> str:
        """The QuickBooks payment method of the first of ``keys`` (a Saleor payment's method
        type, then its gateway or name) that ``payment_methods`` lists; empty for none."""
        methods = dict(pair.split("=", 1) for pair in self.payment_methods)
        return next((methods[k.lower()] for k in keys if k and k.lower() in methods), "")

    def rate_for(self, currency: str) -> Decimal | None:
        """Home currency per unit of ``currency`` (1 for the home currency); None when the
        settings give no rate."""
        if currency.upper() == self.company_currency:
            return Decimal(1)
        rates = dict(pair.split("=", 1) for pair in self.exchange_rates)
        return Decimal(rates[currency.upper()]) if currency.upper() in rates else None

    @property
    def is_automatic(self) -> bool:
        return self.export_mode == ExportMode.AUTOMATIC

    def missing_for_connection(self) -> list[str]:
        """What must still be configured before Web Connector can connect."""
        missing = []
        if not self.web_connector_username.strip():
            missing.append("web_connector_username")
        if not self.web_connector_password:
            missing.append("web_connector_password")
        return missing


#: every setting, in the order the forms list them
SETTINGS: dict[str, Setting] = {f.name: f.metadata["setting"] for f in fields(Preferences)}
#: the labels (as the plugin page shows them), for reasons that say which setting to change
SETTING_LABELS = {name: setting.label for name, setting in SETTINGS.items()}
#: the one password, which the hosts hash before storing it
PASSWORD_FIELD = next(name for name, setting in SETTINGS.items() if setting.kind is Kind.PASSWORD)
