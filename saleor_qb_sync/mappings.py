"""What staff mapped by hand: the one owner of ``ItemMapping`` and ``CustomerMapping``.

- **Items**: a Saleor SKU that QuickBooks knows under another name ("TS-RED-M" is
  "Shirts:T-shirt red M" there). Its lines use that item; it is never added, and the missing-item
  rule never touches it.
- **Customers**: a Saleor buyer (by e-mail, ``documents.customer_key``: what guests and
  registered users both have) whose orders go to a customer QuickBooks already has, confirmed by
  a person. No ``CustomerAdd`` is sent for them.

Both are checked against our copy of QuickBooks' lists (``quickbooks_lists``) when they are set:
a name the copy lacks is refused, naming it; before the lists were ever read nothing can be
checked and that is said instead. The export reads every mapping once per batch (``current``)
and passes them to the mapping of orders (``qbxml.mapping``), which stays pure.

"What is unmapped" is read through the host (``OrderSource``): the SKUs of the store's orders
that neither match an item of our copy of the list under the item rule nor have a mapping, and
the buyers without a mapping, each with the QuickBooks customers that look like them (the same
e-mail, or the same name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Lower

from . import clock, quickbooks_lists
from .documents import customer_key
from .errors import TransferError
from .list_checks import NOT_A_LINE
from .models import CustomerMapping, ItemMapping, QuickBooksListEntry
from .order_source import CustomerSummary, OrderFilter, OrderSource
from .qbxml import limits
from .qbxml.mapping import sku_item_name
from .qbxml.records import MappedCustomer, NameMappings

#: the most suggestions shown per buyer
MAX_SUGGESTIONS = 5


def current() -> NameMappings:
    """Every mapping, as the export uses them (one statement, both tables; read once per
    batch and per preview page)."""
    text = CharField()
    items = (ItemMapping.objects
             .annotate(kind=Value("item", output_field=text), no_currency=Value("", text))
             .values_list("kind", "sku", "item_full_name", "no_currency"))
    people = (CustomerMapping.objects.annotate(kind=Value("customer", output_field=text))
              .values_list("kind", "email", "customer_full_name", "currency"))
    by_sku: dict[str, str] = {}
    customers: dict[str, MappedCustomer] = {}
    for kind, key, name, currency in items.union(people, all=True):
        if kind == "item":
            by_sku[key] = name
        else:
            customers[key] = MappedCustomer(name, currency)
    return NameMappings(by_sku, customers)


# --- item mappings ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnmappedSku:
    """A SKU of the store's orders that QuickBooks has no item for, as far as our copy of its
    item list says, and that has no mapping."""

    sku: str
    #: a product it was sold as (the newest name Saleor gave)
    product_name: str
    #: how many of the orders looked at have it
    order_count: int
    #: the item name the item rule would use (and create, with ``missing_item_action=create``)
    rule_item_name: str


def item_mappings(search: str = "", *, offset: int = 0, limit: int = 20
                  ) -> tuple[list[ItemMapping], int]:
    """A page of the item mappings, by SKU, and how many match ``search`` (SKU or item); each
    with ``in_quickbooks``: our copy of QuickBooks' items still has it, active."""
    qs = ItemMapping.objects.all()
    if search:
        qs = qs.filter(Q(sku__icontains=search) | Q(item_full_name__icontains=search))
    page = qs.annotate(in_quickbooks=_still_in(quickbooks_lists.ITEMS, "item_full_name"))
    return list(page.order_by("sku")[offset:offset + limit]), qs.count()


def set_item(sku: str, item_full_name: str, *, by: str) -> ItemMapping:
    """Map ``sku`` to the QuickBooks item ``item_full_name`` (case as QuickBooks spells it);
    replaces the SKU's mapping if it had one."""
    sku = (sku or "").strip()
    if not sku:
        raise TransferError("Give the Saleor SKU to map.", field="sku", code="required")
    if len(sku) > ItemMapping._meta.get_field("sku").max_length:
        raise TransferError("A Saleor SKU is at most 255 characters.", field="sku",
                            code="too_long")
    entry = _pulled_entry(quickbooks_lists.ITEMS, item_full_name, "item", "itemFullName")
    mapping, _ = ItemMapping.objects.update_or_create(sku=sku, defaults={
        "item_full_name": entry.full_name, "item_list_id": entry.list_id, "set_by": by,
        "set_at": clock.now()})
    mapping.in_quickbooks = True  # just checked
    return mapping


def delete_item(sku: str) -> ItemMapping:
    """Remove the mapping of ``sku`` (its lines follow the item rule again); returns it."""
    mapping = ItemMapping.objects.annotate(
        in_quickbooks=_still_in(quickbooks_lists.ITEMS, "item_full_name")).filter(
        sku=(sku or "").strip()).first()
    if mapping is None:
        raise TransferError(f"The SKU “{sku}” has no mapping.", field="sku", code="not_found")
    mapping.delete()
    return mapping


def unmapped_skus(source: OrderSource, flt: OrderFilter, search: str = "", *, offset: int = 0,
                  limit: int = 20) -> tuple[list[UnmappedSku], int]:
    """A page of the SKUs of the orders ``flt`` matches that have no mapping and whose item
    (by the item rule, ``qbxml.mapping.sku_item_name``) is not in our copy of QuickBooks'
    items, by SKU; and how many there are. Every SKU of the matching orders is read (one query
    through the host) and compared here, by the export's own rule."""
    mapped = set(ItemMapping.objects.values_list("sku", flat=True))
    in_quickbooks = {name.casefold() for name in QuickBooksListEntry.objects.filter(
        list=quickbooks_lists.ITEMS.key).values_list("full_name", flat=True)}
    needle = search.strip().casefold()
    rows = []
    for seen in source.skus(flt):
        sku = seen.sku.strip()
        name = sku_item_name(sku)
        if not sku or sku in mapped or (name and name.casefold() in in_quickbooks):
            continue
        if needle and needle not in sku.casefold() and needle not in (
                seen.product_name.casefold()):
            continue
        rows.append(UnmappedSku(sku, seen.product_name, seen.order_count, name))
    return rows[offset:offset + limit], len(rows)


# --- customer mappings ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A QuickBooks customer that looks like a Saleor buyer, and why."""

    entry: QuickBooksListEntry
    #: "email" (the same address, in any case) or "name" (the same name, in any case)
    matched_by: str


@dataclass(frozen=True, slots=True)
class UnmappedCustomer:
    customer: CustomerSummary
    suggestions: tuple[Suggestion, ...]


def customer_mappings(search: str = "", *, offset: int = 0, limit: int = 20
                      ) -> tuple[list[CustomerMapping], int]:
    """A page of the customer mappings, by e-mail, and how many match ``search`` (e-mail or
    QuickBooks customer); each with ``in_quickbooks`` as for items."""
    qs = CustomerMapping.objects.all()
    if search:
        qs = qs.filter(Q(email__icontains=search) | Q(customer_full_name__icontains=search))
    page = qs.annotate(in_quickbooks=_still_in(quickbooks_lists.CUSTOMERS,
                                               "customer_full_name"))
    return list(page.order_by("email")[offset:offset + limit]), qs.count()


def _still_in(lst: quickbooks_lists.QuickBooksList, name_field: str) -> Exists:
    """The subquery "our copy of ``lst`` has this mapping's record, active" (a full read drops
    what QuickBooks deleted; a rename there leaves the old name here without a record)."""
    return Exists(QuickBooksListEntry.objects.annotate(lower=Lower("full_name")).filter(
        list=lst.key, is_active=True, lower=Lower(OuterRef(name_field))))


def set_customer(email: str, customer_full_name: str, *, by: str) -> CustomerMapping:
    """Send the orders of the buyer ``email`` to the QuickBooks customer
    ``customer_full_name``, confirmed now by ``by``; replaces the buyer's mapping if any."""
    key = customer_key(email)
    if not key:
        raise TransferError("Give the e-mail address of the Saleor customer to map.",
                            field="email", code="required")
    if len(key) > CustomerMapping._meta.get_field("email").max_length or "@" not in key:
        raise TransferError(f"“{email}” is not an e-mail address.", field="email",
                            code="invalid")
    entry = _pulled_entry(quickbooks_lists.CUSTOMERS, customer_full_name, "customer",
                          "customerFullName")
    mapping, _ = CustomerMapping.objects.update_or_create(email=key, defaults={
        "customer_full_name": entry.full_name, "customer_list_id": entry.list_id,
        "currency": entry.currency, "confirmed_by": by, "confirmed_at": clock.now()})
    mapping.in_quickbooks = True  # just checked
    return mapping


def delete_customer(email: str) -> CustomerMapping:
    """Remove the buyer's mapping (their orders follow the customer rule again); returns it."""
    mapping = CustomerMapping.objects.annotate(
        in_quickbooks=_still_in(quickbooks_lists.CUSTOMERS, "customer_full_name")).filter(
        email=customer_key(email)).first()
    if mapping is None:
        raise TransferError(f"The customer “{email}” has no mapping.", field="email",
                            code="not_found")
    mapping.delete()
    return mapping


def unmapped_customers(source: OrderSource, flt: OrderFilter, search: str = "", *,
                       offset: int = 0, limit: int = 20) -> tuple[list[UnmappedCustomer], int]:
    """A page of the buyers of the orders ``flt`` matches who have no mapping (and an e-mail to
    map), by e-mail, each with suggestions from our copy of QuickBooks' customers; and how many
    there are. One query through the host, one for all the page's suggestions."""
    page, total = source.customers(search, replace(flt, skip_mapped_customers=True),
                                   offset=offset, limit=limit)
    found = suggestions(page)
    return [UnmappedCustomer(c, found.get(customer_key(c.email), ())) for c in page], total


def suggestions(customers: Sequence[CustomerSummary]) -> dict[str, tuple[Suggestion, ...]]:
    """Per buyer (``customer_key``), the QuickBooks customers with the same e-mail address or the
    same name, ignoring case: e-mail matches first, active ones first, at most
    ``MAX_SUGGESTIONS`` (one statement)."""
    emails = {customer_key(c.email) for c in customers} - {""}
    names = {c.name.strip().lower() for c in customers} - {""}
    if not emails and not names:
        return {}
    entries = list(QuickBooksListEntry.objects.alias(
        email_lower=Lower("email"), name_lower=Lower("name"),
        full_name_lower=Lower("full_name")).filter(
        Q(email_lower__in=emails) | Q(name_lower__in=names) | Q(full_name_lower__in=names),
        list=quickbooks_lists.CUSTOMERS.key).order_by("-is_active", "full_name", "list_id"))
    result: dict[str, tuple[Suggestion, ...]] = {}
    for c in customers:
        key, name = customer_key(c.email), c.name.strip().lower()
        by_email = [Suggestion(e, "email") for e in entries if key and
                    e.email.strip().lower() == key]
        by_name = [Suggestion(e, "name") for e in entries if name and e not in
                   {s.entry for s in by_email} and name in (e.name.lower(), e.full_name.lower())]
        if by_email or by_name:
            result[key] = tuple((by_email + by_name)[:MAX_SUGGESTIONS])
    return result


# --- checks against our copy of QuickBooks' lists --------------------------------------------


def _pulled_entry(lst: quickbooks_lists.QuickBooksList, full_name: str, what: str,
                  field: str) -> QuickBooksListEntry:
    """The record of ``lst`` named ``full_name`` (QuickBooks compares names without case), or
    a ``TransferError`` that names it; also when the list was never read."""
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise TransferError(f"Choose the QuickBooks {what}.", field=field, code="required")
    limit = limits.FULL_NAME_REF if lst is quickbooks_lists.ITEMS else limits.CUSTOMER_FULL_NAME
    if len(full_name) > limit:
        raise TransferError(f"A QuickBooks {what} name is at most {limit} characters.",
                            field=field, code="too_long")
    entry = quickbooks_lists.find(lst.key, [full_name]).get(full_name.lower())
    if entry is None and not quickbooks_lists.read_lists([lst.key]):
        raise TransferError(
            f"QuickBooks' {lst.label.lower()} have not been read yet, so “{full_name}” cannot be "
            "checked: refresh QuickBooks' lists (or let Web Connector run an update) first.",
            field=field, code="lists_never_read")
    if entry is None:
        raise TransferError(
            f"QuickBooks has no {what} named “{full_name}” (in its list as last read). Pick one "
            "from the list, or refresh QuickBooks' lists if it was just added.",
            field=field, code="not_in_quickbooks")
    if not entry.is_active:
        raise TransferError(
            f"The QuickBooks {what} “{entry.full_name}” is inactive; QuickBooks refuses "
            "transactions that use it. Make it active in QuickBooks, or pick another.",
            field=field, code="inactive_in_quickbooks")
    if lst is quickbooks_lists.ITEMS and entry.record_type in NOT_A_LINE:
        raise TransferError(
            f"“{entry.full_name}” is a {entry.record_type} in QuickBooks, which cannot carry an "
            "amount of its own on a line: pick a service, non-inventory, inventory, "
            "other-charge or discount item.", field=field, code="not_a_line_item")
    return entry
