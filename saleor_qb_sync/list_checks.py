"""The settings that name QuickBooks records, checked against our copy of QuickBooks' lists.

Accounts, items, the single customer, the class and the payment methods are names a bookkeeper
types (or picks, in the app's Settings tab) that QuickBooks must know: a name it lacks used to
show only at the first sync, as a refused order. Once Web Connector has read a list
(``quickbooks_lists``), both forms check what they save against it, the same way:

- an **error** refuses the save: an account, class or payment method QuickBooks lacks (the
  export never creates those), a record QuickBooks has but marks inactive, an account of a type
  QuickBooks refuses in that place (invoices post only to an accounts receivable account), an
  item that cannot carry a line (a subtotal or a group), QuickBooks' sales tax computed with an
  item that is no sales tax item, a home currency other than QuickBooks' own;
- a **notice** saves and says what will happen: an item or the single customer QuickBooks lacks
  is created by the first export; an account of an unusual type; a list never read, so nothing
  could be checked.

Only what a save changes is checked (``changed``): a name that was valid when saved and has
since gone from QuickBooks is shown as a problem of the settings in force (``check`` with every
field), never a reason to refuse saving another one. Names compare as QuickBooks compares them:
the full name (``Parent:Child``), without regard to case.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum

from . import company, quickbooks_lists
from .errors import PreferenceError
from .preferences import SETTING_LABELS, CustomerMode, Preferences, TaxMode


class Severity(StrEnum):
    ERROR = "error"
    NOTICE = "notice"


@dataclass(frozen=True, slots=True)
class ListProblem:
    """What the check found of one setting (``value``: the name it is about)."""

    field: str
    severity: Severity
    code: str
    message: str
    value: str = ""

    def as_error(self) -> PreferenceError:
        return PreferenceError(self.field, self.message, code=self.code)


@dataclass(frozen=True, slots=True)
class _AccountRule:
    """The account types an account setting takes: one outside ``required`` is refused (None:
    QuickBooks takes any), one outside ``usual`` only noticed, as ``usual_words`` say."""

    required: frozenset[str] | None
    usual: frozenset[str]
    usual_words: str


_ACCOUNT_TYPES = {
    "income_account": _AccountRule(None, frozenset({"Income", "OtherIncome"}), "an income"),
    "deposit_to_account": _AccountRule(frozenset({"Bank", "OtherCurrentAsset"}),
                                       frozenset({"Bank", "OtherCurrentAsset"}),
                                       "a bank or other current asset"),
    "ar_account": _AccountRule(frozenset({"AccountsReceivable"}),
                               frozenset({"AccountsReceivable"}), "an accounts receivable"),
    "sales_tax_account": _AccountRule(None, frozenset({"OtherCurrentLiability"}),
                                      "an other current liability"),
    "gift_card_account": _AccountRule(None, frozenset({"OtherCurrentLiability",
                                                       "LongTermLiability"}), "a liability"),
}
_ACCOUNT_WORDS = {
    "AccountsPayable": "accounts payable", "AccountsReceivable": "accounts receivable",
    "Bank": "bank", "CostOfGoodsSold": "cost of goods sold", "CreditCard": "credit card",
    "Equity": "equity", "Expense": "expense", "FixedAsset": "fixed asset", "Income": "income",
    "LongTermLiability": "long term liability", "NonPosting": "non-posting",
    "OtherAsset": "other asset", "OtherCurrentAsset": "other current asset",
    "OtherCurrentLiability": "other current liability", "OtherExpense": "other expense",
    "OtherIncome": "other income",
}
#: item types that cannot be a line with an amount of its own
NOT_A_LINE = frozenset({"ItemSubtotal", "ItemGroup", "ItemSalesTaxGroup", "ItemPayment"})
_SALES_TAX_ITEMS = frozenset({"ItemSalesTax", "ItemSalesTaxGroup"})
#: the item settings, each a line the export may add (and creates when QuickBooks lacks it)
_ITEMS = ("default_item_name", "shipping_item_name", "discount_item_name",
          "gift_card_item_name", "refund_item_name", "sales_tax_item_name")
#: the settings each list backs
LIST_OF = {**dict.fromkeys(_ACCOUNT_TYPES, quickbooks_lists.ACCOUNTS.key),
           **dict.fromkeys(_ITEMS, quickbooks_lists.ITEMS.key),
           "single_customer_name": quickbooks_lists.CUSTOMERS.key,
           "class_name": quickbooks_lists.CLASSES.key,
           "payment_methods": quickbooks_lists.PAYMENT_METHODS.key}
#: every setting the check looks at
CHECKED = frozenset({*LIST_OF, "company_currency"})


@dataclass(frozen=True, slots=True)
class Choices:
    """What a picker of one setting offers: records of ``list`` of the types in ``types`` (all
    when empty) but those in ``excluded``."""

    list: str
    types: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()


def choices_for(name: str, preferences: Preferences) -> Choices | None:
    """The records a picker of setting ``name`` offers, or None for a setting no list backs:
    the types QuickBooks takes there (a sales tax item for QuickBooks' own tax), never an item
    that cannot carry a line."""
    if name not in LIST_OF:
        return None
    key = LIST_OF[name]
    if name in _ACCOUNT_TYPES:
        return Choices(key, _ACCOUNT_TYPES[name].required or frozenset())
    if name == "sales_tax_item_name" and preferences.tax_mode is TaxMode.QUICKBOOKS_TAX_ITEM:
        return Choices(key, _SALES_TAX_ITEMS)
    if name in _ITEMS:
        return Choices(key, excluded=NOT_A_LINE)
    return Choices(key)


def changed_fields(previous: Preferences | None, candidate: Preferences) -> set[str]:
    """The checked settings whose value ``candidate`` changes (all of them without
    ``previous``); a change of mode makes the names it starts using changed too."""
    if previous is None:
        return set(CHECKED)
    changed = {name for name in CHECKED if getattr(previous, name) != getattr(candidate, name)}
    if previous.customer_mode != candidate.customer_mode:
        changed.add("single_customer_name")
    if previous.tax_mode != candidate.tax_mode:
        changed.add("sales_tax_item_name")
    return changed


def check(preferences: Preferences, fields: Collection[str] | None = None) -> list[ListProblem]:
    """The problems of ``fields`` (every checked setting by default) against our copy of the
    lists, in the order the forms list the settings. One statement per list that is looked at."""
    fields = CHECKED if fields is None else set(fields) & CHECKED
    if not fields:
        return []
    wanted: dict[str, set[str]] = {}
    for name in fields:
        if name in LIST_OF and _applies(preferences, name):
            wanted.setdefault(LIST_OF[name], set()).update(_names(preferences, name))
    read = quickbooks_lists.read_lists(wanted)
    found = {key: quickbooks_lists.find(key, names) for key, names in wanted.items()
             if key in read}
    problems: list[ListProblem] = []
    for name in SETTING_LABELS:
        if name not in fields:
            continue
        if name == "company_currency":
            problems.extend(_home_currency(preferences))
        elif name in LIST_OF and _applies(preferences, name):
            key = LIST_OF[name]
            if key not in read:
                problems.extend(_never_read(name, key, _names(preferences, name)))
                continue
            problems.extend(_RULES[key](preferences, name, found[key]))
    return problems


def refusals(previous: Preferences | None, candidate: Preferences) -> list[PreferenceError]:
    """Why saving ``candidate`` over ``previous`` must be refused: the errors of what it
    changes (both forms, and the API, refuse with these)."""
    problems = check(candidate, changed_fields(previous, candidate))
    return [p.as_error() for p in problems if p.severity is Severity.ERROR]


def _applies(preferences: Preferences, name: str) -> bool:
    if name == "single_customer_name":
        return preferences.customer_mode is CustomerMode.SINGLE_CUSTOMER
    if name == "gift_card_account":
        return bool(preferences.gift_card_account.strip())
    return True


def _names(preferences: Preferences, name: str) -> list[str]:
    if name == "payment_methods":
        return [pair.split("=", 1)[1] for pair in preferences.payment_methods]
    value = getattr(preferences, name).strip()
    return [value] if value else []


def _never_read(name: str, key: str, names: list[str]) -> list[ListProblem]:
    if not names:
        return []
    label = quickbooks_lists.BY_KEY[key].label.lower()
    return [ListProblem(name, Severity.NOTICE, "lists_not_read", (
        f"Not checked: Web Connector has not read QuickBooks' {label} yet (Refresh QuickBooks "
        "lists, then the next Web Connector update)."), names[0])]


def _missing(name: str, value: str, what: str) -> ListProblem:
    return ListProblem(name, Severity.ERROR, "not_in_quickbooks", (
        f"QuickBooks has no {what} named \"{value}\": pick one from the list, or add it in "
        "QuickBooks and refresh the lists."), value)


def _inactive(name: str, value: str, what: str) -> ListProblem:
    return ListProblem(name, Severity.ERROR, "inactive_in_quickbooks", (
        f"The {what} \"{value}\" is inactive in QuickBooks, which refuses transactions that "
        "use it: make it active in QuickBooks, or pick another."), value)


def _unusable(name: str, value: str, entry, what: str) -> ListProblem | None:
    """Why a record the export never creates cannot be named: QuickBooks lacks it, or marks it
    inactive."""
    if entry is None:
        return _missing(name, value, what)
    if not entry.is_active:
        return _inactive(name, value, what)
    return None


def _accounts(preferences: Preferences, name: str, found) -> list[ListProblem]:
    value = getattr(preferences, name).strip()
    if not value:
        return []
    entry = found.get(value.lower())
    if problem := _unusable(name, value, entry, "account"):
        return [problem]
    rule = _ACCOUNT_TYPES[name]
    kind = _ACCOUNT_WORDS.get(entry.record_type, entry.record_type or "unknown")
    setting = SETTING_LABELS[name].lower()
    if rule.required is not None and entry.record_type not in rule.required:
        return [ListProblem(name, Severity.ERROR, "wrong_account_type", (
            f"\"{value}\" is a{_n(kind)} {kind} account; QuickBooks takes only "
            f"{rule.usual_words} account as the {setting}."), value)]
    if entry.record_type not in rule.usual:
        return [ListProblem(name, Severity.NOTICE, "unusual_account_type", (
            f"\"{value}\" is a{_n(kind)} {kind} account; the {setting} is usually "
            f"{rule.usual_words} account."), value)]
    return []


def _items(preferences: Preferences, name: str, found) -> list[ListProblem]:
    value = getattr(preferences, name).strip()
    if not value:
        return []
    tax_item = (name == "sales_tax_item_name"
                and preferences.tax_mode is TaxMode.QUICKBOOKS_TAX_ITEM)
    entry = found.get(value.lower())
    if entry is None:
        if tax_item:
            return [_missing(name, value, "sales tax item")]
        return [ListProblem(name, Severity.NOTICE, "created_by_export", (
            f"QuickBooks has no item named \"{value}\" yet: the first export that needs it "
            "adds it (an other-charge item)."), value)]
    if not entry.is_active:
        return [_inactive(name, value, "item")]
    if tax_item and entry.record_type not in _SALES_TAX_ITEMS:
        return [ListProblem(name, Severity.ERROR, "not_a_sales_tax_item", (
            f"\"{value}\" is not a sales tax item in QuickBooks; for QuickBooks to compute the "
            "tax, pick a sales tax item (or group)."), value)]
    if not tax_item and entry.record_type in NOT_A_LINE:
        return [ListProblem(name, Severity.ERROR, "not_a_line_item", (
            f"\"{value}\" is a {_item_words(entry.record_type)} in QuickBooks, which cannot "
            "carry an amount of its own on a line: pick a service, non-inventory, "
            "other-charge or discount item."), value)]
    return []


def _customer(preferences: Preferences, name: str, found) -> list[ListProblem]:
    value = preferences.single_customer_name.strip()
    entry = found.get(value.lower())
    if entry is None:
        return [ListProblem(name, Severity.NOTICE, "created_by_export", (
            f"QuickBooks has no customer named \"{value}\" yet: the first export adds it."),
            value)]
    if not entry.is_active:
        return [_inactive(name, value, "customer")]
    return []


def _class(preferences: Preferences, name: str, found) -> list[ListProblem]:
    value = preferences.class_name.strip()
    if not value:
        return []
    problem = _unusable(name, value, found.get(value.lower()), "class")
    return [problem] if problem else []


def _payment_methods(preferences: Preferences, name: str, found) -> list[ListProblem]:
    problems = []
    for pair in preferences.payment_methods:
        saleor, value = pair.split("=", 1)
        problem = _unusable(name, value, found.get(value.lower()), "payment method")
        if problem is None:
            continue
        problems.append(ListProblem(name, problem.severity, problem.code,
                                    f"{saleor}: {problem.message}", value))
    return problems


def _home_currency(preferences: Preferences) -> list[ListProblem]:
    """With multicurrency on, the home currency must be QuickBooks' (what the last session
    read of its currency list; nothing to check before one did)."""
    currencies = company.known_currencies()
    home = currencies.home
    if not currencies.multicurrency or not home or home == preferences.company_currency:
        return []
    name = currencies.name_of(home)
    label = f"{name} ({home})" if name else home
    return [ListProblem("company_currency", Severity.ERROR, "home_currency_mismatch", (
        f"QuickBooks' home currency is {label}, not {preferences.company_currency}: with "
        f"multicurrency on, set it to {home}."), preferences.company_currency)]


_RULES: dict[str, Callable[[Preferences, str, dict], list[ListProblem]]] = {
    quickbooks_lists.ACCOUNTS.key: _accounts,
    quickbooks_lists.ITEMS.key: _items,
    quickbooks_lists.CUSTOMERS.key: _customer,
    quickbooks_lists.CLASSES.key: _class,
    quickbooks_lists.PAYMENT_METHODS.key: _payment_methods,
}


def _n(word: str) -> str:
    return "n" if word[:1].lower() in "aeiou" else ""


def _item_words(record_type: str) -> str:
    words = {"ItemSubtotal": "subtotal item", "ItemGroup": "group of items",
             "ItemSalesTaxGroup": "sales tax group", "ItemPayment": "payment item"}
    return words.get(record_type, record_type)
