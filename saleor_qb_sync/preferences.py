"""The store's choices about how an order becomes a QuickBooks transaction, typed and checked once.

``Preferences`` is frozen; ``Preferences.from_config(mapping)`` accepts what Saleor's plugin
configuration holds (strings, booleans, lists) and raises ``PreferencesInvalid`` naming every bad
field at once. The field names are the plugin's configuration keys. Standard library only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from .errors import PreferenceError, PreferencesInvalid


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
#: the labels (as the plugin page shows them) of the settings that name QuickBooks accounts and
#: items, for reasons that say which setting to change
SETTING_LABELS = {
    "income_account": "Income account",
    "deposit_to_account": "Deposit to account",
    "ar_account": "Accounts receivable account",
    "sales_tax_account": "Sales tax account",
    "gift_card_account": "Gift card account",
    "shipping_item_name": "Shipping item",
    "discount_item_name": "Discount item",
    "gift_card_item_name": "Gift card item",
    "sales_tax_item_name": "Sales tax item",
    "default_item_name": "Default item",
    "single_customer_name": "Single customer name",
    "class_name": "QuickBooks class",
}
#: settings that do not change what is sent to QuickBooks (``Preferences.fingerprint``)
_NOT_IN_FINGERPRINT = frozenset({"web_connector_username", "web_connector_password",
                                 "run_every_minutes", "export_mode", "company_file"})
MAX_ORDERS_PER_REQUEST = 200


@dataclass(frozen=True, slots=True)
class Preferences:
    export_mode: ExportMode = ExportMode.ON_DEMAND
    transaction_type: TransactionType = TransactionType.BY_PAYMENT_STATUS
    check_duplicates: bool = True
    export_start_date: date | None = None
    eligible_statuses: tuple[str, ...] = ("unfulfilled", "partially fulfilled", "fulfilled")
    #: channel slugs; empty means every channel
    channels: tuple[str, ...] = ()
    customer_mode: CustomerMode = CustomerMode.PER_CUSTOMER
    single_customer_name: str = "Saleor Web Store"
    customer_name_format: CustomerNameFormat = CustomerNameFormat.FIRST_LAST
    item_mode: ItemMode = ItemMode.BY_SKU
    default_item_name: str = "Saleor Product"
    missing_item_action: MissingItemAction = MissingItemAction.CREATE
    income_account: str = "Sales"
    deposit_to_account: str = "Undeposited Funds"
    ar_account: str = "Accounts Receivable"
    #: account of the sales tax line item we create (line_item tax mode)
    sales_tax_account: str = "Sales Tax Payable"
    #: account of the gift card item we create; empty: the income account
    gift_card_account: str = ""
    shipping_item_name: str = "Shipping"
    discount_item_name: str = "Saleor Discount"
    gift_card_item_name: str = "Gift Card"
    tax_mode: TaxMode = TaxMode.LINE_ITEM
    sales_tax_item_name: str = "Saleor Sales Tax"
    ref_number_prefix: str = ""
    class_name: str = ""
    orders_per_request: int = 50
    qbxml_version: str = "13.0"
    web_connector_username: str = ""
    #: a Django password hash (never the password itself once the plugin has saved it)
    web_connector_password: str = field(default="", repr=False)
    company_file: str = ""
    #: the store's time zone, used for date-range filters
    time_zone: str = "UTC"
    run_every_minutes: int = 30
    #: the QuickBooks company's home currency; orders in other currencies get a warning
    company_currency: str = "USD"

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
                values[f.name] = _PARSERS[f.name](f.name, config[f.name])
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


def _ref_prefix(name: str, raw: Any) -> str:
    text = str(raw).strip()
    if len(text) > 8:
        raise PreferenceError(
            name, "must be at most 8 characters so that order numbers fit QuickBooks' "
            "11-character RefNumber", code="too_long",
        )
    return text


_PARSERS = {
    "export_mode": _choice(ExportMode),
    "transaction_type": _choice(TransactionType),
    "check_duplicates": _bool,
    "export_start_date": _optional_date,
    "eligible_statuses": _statuses,
    "channels": _channels,
    "customer_mode": _choice(CustomerMode),
    "single_customer_name": _text(41),
    "customer_name_format": _choice(CustomerNameFormat),
    "item_mode": _choice(ItemMode),
    "default_item_name": _text(31),
    "missing_item_action": _choice(MissingItemAction),
    "income_account": _text(159),
    "deposit_to_account": _text(159),
    "ar_account": _text(159),
    "sales_tax_account": _text(159),
    "gift_card_account": _text(159),
    "shipping_item_name": _text(31),
    "discount_item_name": _text(31),
    "gift_card_item_name": _text(31),
    "tax_mode": _choice(TaxMode),
    "sales_tax_item_name": _text(31),
    "ref_number_prefix": _ref_prefix,
    "class_name": _text(159),
    "orders_per_request": _int_range(1, MAX_ORDERS_PER_REQUEST),
    "qbxml_version": _qbxml_version,
    "web_connector_username": _text(100),
    "web_connector_password": _password,
    "company_file": _text(1000),
    "time_zone": _time_zone,
    "run_every_minutes": _int_range(1, 1440),
    "company_currency": _currency,
}
assert set(_PARSERS) == set(Preferences.field_names()), "every preference needs a parser"
