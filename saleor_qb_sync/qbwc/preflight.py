"""Once per Web Connector session, before any order goes: do the accounts and items the
settings name exist in the QuickBooks company?

Without this check a missing account shows only as QuickBooks refusing an item (status 3140)
and then every order using it, with a reason that names the item, not the account. So the
first message set of a session asks, in one round trip, for every account (``AccountQuery``),
item (``ItemQuery``) and sales tax item (``ItemSalesTaxQuery``) the settings name, plus the
names failed orders wait for. The answer (``Preflight``) then decides, order by order, what is
not sent (``blocker``): no sales receipts without the deposit account, no item created when its
account is missing, no order on a sales tax item that does not exist. Each such order fails with
a reason naming the record and the setting, and a ``Cause`` a later session checks again.

No framework here: requests in, answers read, sentences out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lxml import etree

from ..ledger import Cause, CauseKind
from ..preferences import SETTING_LABELS, ItemMode, MissingItemAction, Preferences, TaxMode
from ..qbxml import build, limits, text
from ..qbxml.parse import ResponseItem
from ..qbxml.records import ItemRecord, MappedOrder, TxnKind
from ..qbxml.status import STATUS_NO_MATCH, STATUS_PARTIAL, StatusClass

#: requestIDs of the preflight's three queries
ACCOUNTS_REQUEST = "pa"
ITEMS_REQUEST = "pi"
TAX_ITEMS_REQUEST = "pt"
_KIND_OF_REQUEST = {ACCOUNTS_REQUEST: CauseKind.ACCOUNT, ITEMS_REQUEST: CauseKind.ITEM,
                    TAX_ITEMS_REQUEST: CauseKind.TAX_ITEM}

#: where a person creates each kind of record in QuickBooks Desktop
_WHERE = {
    CauseKind.ACCOUNT: "Lists → Chart of Accounts",
    CauseKind.ITEM: "Lists → Item List",
    CauseKind.TAX_ITEM: "Lists → Item List → New → Sales Tax Item",
}
_NOUN = {CauseKind.ACCOUNT: "account", CauseKind.ITEM: "item",
         CauseKind.TAX_ITEM: "sales tax item"}


@dataclass(frozen=True, slots=True)
class Requirement:
    """A QuickBooks record the export relies on, and the setting that names it ("" when a
    failed order names it)."""

    kind: CauseKind
    name: str
    setting: str = ""


def requirements(preferences: Preferences, waiting: Iterable[Cause] = ()) -> list[Requirement]:
    """What the settings (and the causes failed orders wait on) need in QuickBooks."""
    p = preferences
    accounts = [("income_account", p.income_account)]
    if p.transaction_type.value in ("sales_receipt", "by_payment_status"):
        accounts.append(("deposit_to_account", p.deposit_to_account))
    if p.transaction_type.value in ("invoice", "by_payment_status"):
        accounts.append(("ar_account", p.ar_account))
    if p.tax_mode == TaxMode.LINE_ITEM:
        accounts.append(("sales_tax_account", p.sales_tax_account))
    accounts.append(("gift_card_account", p.gift_card_account))
    items = [("shipping_item_name", p.shipping_item_name),
             ("discount_item_name", p.discount_item_name),
             ("gift_card_item_name", p.gift_card_item_name)]
    tax_items = []
    if p.tax_mode == TaxMode.LINE_ITEM:
        items.append(("sales_tax_item_name", p.sales_tax_item_name))
    else:
        tax_items.append(("sales_tax_item_name", p.sales_tax_item_name))
    if (p.item_mode == ItemMode.SINGLE_ITEM
            or p.missing_item_action == MissingItemAction.USE_DEFAULT):
        items.append(("default_item_name", p.default_item_name))
    found: dict[tuple[CauseKind, str], Requirement] = {}
    for kind, pairs, limit in ((CauseKind.ACCOUNT, accounts, limits.FULL_NAME_REF),
                               (CauseKind.ITEM, items, limits.ITEM_NAME),
                               (CauseKind.TAX_ITEM, tax_items, limits.ITEM_SALES_TAX_REF)):
        for setting, name in pairs:
            name = text.fit(name, limit)
            if name:
                found.setdefault((kind, name.casefold()), Requirement(kind, name, setting))
    for cause in waiting:
        if cause.kind in _WHERE and cause.name:
            found.setdefault((cause.kind, cause.name.casefold()),
                             Requirement(cause.kind, cause.name, cause.setting))
    return list(found.values())


def requests(needed: list[Requirement]) -> tuple[list[etree._Element], dict]:
    """The preflight's queries and their meta (what each asked for)."""
    out, meta = [], {}
    for request_id, kind in _KIND_OF_REQUEST.items():
        wanted = [r for r in needed if r.kind == kind]
        if not wanted:
            continue
        names = [r.name for r in wanted]
        builder = {CauseKind.ACCOUNT: build.account_query, CauseKind.ITEM: build.item_query,
                   CauseKind.TAX_ITEM: build.item_sales_tax_query}[kind]
        out.append(builder(names, request_id))
        meta[request_id] = {"kind": "preflight", "what": kind.value,
                            "names": {r.name: r.setting for r in wanted}}
    return out, meta


@dataclass(slots=True)
class Preflight:
    """What the preflight found, kept in the session's work state (``to_json``/``from_json``).
    A name absent from ``checked`` was not asked about (or QuickBooks did not answer): it is
    neither present nor missing, and blocks nothing."""

    #: kind → casefolded name → "present" | "missing" | "inactive"
    checked: dict[str, dict[str, str]] = field(default_factory=dict)
    #: the missing or inactive accounts and sales tax items: kind, name, setting, message
    problems: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"checked": self.checked, "problems": self.problems}

    @classmethod
    def from_json(cls, data: dict | None) -> Preflight:
        data = data or {}
        return cls(dict(data.get("checked") or {}), list(data.get("problems") or []))

    def state(self, kind: CauseKind, name: str) -> str | None:
        return self.checked.get(kind.value, {}).get(name.casefold())

    def present(self, kind: CauseKind, name: str) -> bool | None:
        state = self.state(kind, name)
        return None if state is None else state == "present"

    def missing(self, kind: CauseKind, name: str) -> bool:
        return self.state(kind, name) in ("missing", "inactive")

    def messages(self) -> list[str]:
        return [problem["message"] for problem in self.problems]


def read_answers(meta: dict, answer_to: Callable[[str], ResponseItem | None]) -> Preflight:
    """``answer_to(requestID)``: QuickBooks' answer to that request, None if it gave none."""
    result = Preflight()
    for request_id, asked in meta.items():
        answer = answer_to(request_id)
        if answer is None or not (answer.ok or answer.status_code in (
                STATUS_NO_MATCH, STATUS_PARTIAL) or answer.status_class == StatusClass.NOT_FOUND):
            continue  # not answered: nothing is known, nothing is blocked
        kind = CauseKind(asked["what"])
        records = {(r.get("FullName") or r.get("Name") or "").casefold(): r
                   for r in answer.records}
        states = result.checked.setdefault(kind.value, {})
        for name, setting in asked["names"].items():
            record = records.get(name.casefold())
            if record is None:
                state = "missing"
            elif record.get("IsActive", "true").lower() == "false":
                state = "inactive"
            else:
                state = "present"
            states[name.casefold()] = state
            # a missing item is created when an order needs it: only its account can stop it
            if state != "present" and kind != CauseKind.ITEM:
                result.problems.append({"kind": kind.value, "name": name, "setting": setting,
                                        "state": state,
                                        "message": problem_message(kind, name, setting, state)})
    return result


def found_item_names(result: Preflight, meta: dict) -> list[str]:
    """The items the preflight found (for the engine's cache of QuickBooks names)."""
    asked = meta.get(ITEMS_REQUEST, {}).get("names", {})
    return [name for name in asked if result.state(CauseKind.ITEM, name) == "present"]


def setting_phrase(setting: str) -> str:
    label = SETTING_LABELS.get(setting)
    return f" (setting “{label}”)" if label else ""


def problem_message(kind: CauseKind, name: str, setting: str, state: str = "missing") -> str:
    """"The account “Sales Tax Payable” (setting “Sales tax account”) does not exist in the
    QuickBooks company: create it in QuickBooks (Lists → Chart of Accounts) or choose another
    in the settings." """
    noun = _NOUN[kind]
    where = _WHERE[kind]
    otherwise = " or choose another in the settings" if setting else ""
    if state == "inactive":
        return (f"The {noun} “{name}”{setting_phrase(setting)} is inactive in the QuickBooks "
                f"company: make it active in QuickBooks ({where}){otherwise}.")
    return (f"The {noun} “{name}”{setting_phrase(setting)} does not exist in the QuickBooks "
            f"company: create it in QuickBooks ({where}){otherwise}.")


@dataclass(frozen=True, slots=True)
class Blocker:
    """Why an order is not sent this session: a sentence, and the cause to check next time."""

    message: str
    cause: Cause


def item_account_setting(item: ItemRecord, preferences: Preferences) -> str:
    """The setting naming the account an item we create posts to."""
    p = preferences
    if item.name == text.fit(p.sales_tax_item_name, limits.ITEM_NAME) and p.sales_tax_account:
        return "sales_tax_account"
    if item.name == text.fit(p.gift_card_item_name, limits.ITEM_NAME) and p.gift_card_account:
        return "gift_card_account"
    return "income_account"


def blocker(mapped: MappedOrder, items_to_create: Iterable[str], result: Preflight,
            preferences: Preferences) -> Blocker | None:
    """What keeps this order from going, given what the preflight found, or None."""
    txn = mapped.transaction
    number = txn.order_number

    def blocked(kind: CauseKind, name: str, setting: str, what: str) -> Blocker:
        state = result.state(kind, name) or "missing"
        return Blocker(f"Order #{number} was not sent: {what} "
                       + problem_message(kind, name, setting, state),
                       Cause(kind, preferences.fingerprint(), name, setting))

    if txn.kind == TxnKind.SALES_RECEIPT and txn.deposit_to_account and result.missing(
            CauseKind.ACCOUNT, txn.deposit_to_account):
        return blocked(CauseKind.ACCOUNT, txn.deposit_to_account, "deposit_to_account",
                       "sales receipts are deposited to an account QuickBooks lacks.")
    if txn.kind == TxnKind.INVOICE and txn.ar_account and result.missing(
            CauseKind.ACCOUNT, txn.ar_account):
        return blocked(CauseKind.ACCOUNT, txn.ar_account, "ar_account",
                       "invoices post to an accounts receivable account QuickBooks lacks.")
    if txn.item_sales_tax and result.missing(CauseKind.TAX_ITEM, txn.item_sales_tax):
        return blocked(CauseKind.TAX_ITEM, txn.item_sales_tax, "sales_tax_item_name",
                       "QuickBooks computes its tax with a sales tax item it lacks.")
    to_create = set(items_to_create)
    for item in mapped.items:
        if item.name in to_create and result.missing(CauseKind.ACCOUNT, item.account):
            return blocked(CauseKind.ACCOUNT, item.account,
                           item_account_setting(item, preferences),
                           f"the item “{item.name}” it needs cannot be created, because it "
                           "would post to an account QuickBooks lacks.")
    return None


# --- QuickBooks' own "invalid reference" (status 3140), made to name the record ------------

_INVALID_REFERENCE = re.compile(
    r'invalid reference to QuickBooks\s+(?P<type>[A-Za-z]+)\s+"(?P<name>[^"]*)"')
_REFERENCE_KINDS = {"account": CauseKind.ACCOUNT, "itemsalestax": CauseKind.TAX_ITEM}


def invalid_reference(message: str) -> tuple[str, str] | None:
    """(QuickBooks' record type, name) from a 3140 message, e.g. ("Account", "Sales")."""
    match = _INVALID_REFERENCE.search(message or "")
    return (match["type"], match["name"]) if match else None


def setting_naming(kind: CauseKind, name: str, preferences: Preferences) -> str:
    """The setting whose value is ``name``, for a record of ``kind``; "" if none."""
    for req in requirements(preferences):
        if req.kind == kind and req.name.casefold() == name.casefold():
            return req.setting
    return ""


def reference_failure(message: str, preferences: Preferences) -> Blocker | None:
    """A 3140 answer that names an account, an item or a sales tax item, as a reason naming it
    and the setting, with the cause to check next session; None when the message names none."""
    reference = invalid_reference(message)
    if reference is None:
        return None
    qb_type, name = reference
    kind = _REFERENCE_KINDS.get(qb_type.casefold(),
                                CauseKind.ITEM if qb_type.casefold().startswith("item") else None)
    if kind is None or not name:
        return None
    setting = setting_naming(kind, name, preferences)
    return Blocker(problem_message(kind, name, setting),
                   Cause(kind, preferences.fingerprint(), name, setting))


def refused_item(item_name: str, account: str, message: str,
                 preferences: Preferences) -> Blocker:
    """QuickBooks would not create an item an order needs: why, naming what it refers to."""
    reference = invalid_reference(message)
    if reference is not None and reference[0].casefold() == "account":
        account = reference[1] or account
        setting = setting_naming(CauseKind.ACCOUNT, account, preferences) or "income_account"
        return Blocker(
            f"QuickBooks refused to create the item “{item_name}”, which posts to the account "
            f"“{account}”: " + problem_message(CauseKind.ACCOUNT, account, setting),
            Cause(CauseKind.ACCOUNT, preferences.fingerprint(), account, setting))
    said = " ".join((message or "").split())
    return Blocker(
        f"QuickBooks refused to create the item “{item_name}” (posting to the account "
        f"“{account}”)" + (f": {said}" if said else "") + " Create the item in QuickBooks "
        f"({_WHERE[CauseKind.ITEM]}) or change the settings.",
        Cause(CauseKind.ITEM, preferences.fingerprint(), item_name, ""))
