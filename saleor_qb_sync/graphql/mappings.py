"""The mappings staff make by hand, as the API shows them: ``qbItemMappings``,
``qbUnmappedSkus``, ``qbCustomerMappings`` and ``qbUnmappedCustomers``; their types and
resolvers (the mutations are in ``mutations/``; the picker of QuickBooks' records is
``qbQuickBooksListEntries``). Resolvers fetch through the core (``mappings``); the types only
read what they fetched.
"""

from __future__ import annotations

import graphene

from .. import mappings
from ..saleor_ids import to_global_id
from .context import QbSyncContext
from .filters import orders_with_customers, search_text
from .pagination import CountableConnection, connection, page_window
from .types import QbQuickBooksListEntry


class QbItemMapping(graphene.ObjectType):
    sku = graphene.String(required=True, description="The Saleor SKU.")
    item_full_name = graphene.String(required=True,
                                     description="The QuickBooks item its lines use.")
    item_list_id = graphene.String(required=True, description="That item's ListID when it was "
                                   "picked from QuickBooks' list; empty otherwise.")
    set_by = graphene.String(required=True, description="Who set it: a staff e-mail or an app.")
    set_at = graphene.DateTime(required=True, description="When it was set.")
    in_quickbooks = graphene.Boolean(
        name="inQuickBooks", required=True,
        description="Our copy of QuickBooks' items, as last read, still has the item, active; "
        "false when it was deleted, renamed or made inactive there: QuickBooks would refuse the "
        "lines, so map the SKU again.")

    class Meta:
        description = ("A Saleor SKU that QuickBooks knows under another item name: its lines "
                       "use that item, which is never created, whatever the item rules say.")


class QbItemMappingConnection(CountableConnection):
    class Meta:
        node = graphene.NonNull(QbItemMapping)
        description = "A page of item mappings, by SKU."


class QbUnmappedSku(graphene.ObjectType):
    sku = graphene.String(required=True, description="The Saleor SKU.")
    product_name = graphene.String(required=True,
                                   description="A product name it was sold under.")
    order_count = graphene.Int(required=True, description="How many orders have it.")
    rule_item_name = graphene.String(
        required=True, description="The QuickBooks item name the item rule gives it now (the "
        "SKU fitted to QuickBooks' 31 characters): created, replaced by the default item or "
        "failed as the missing-item rule says.")

    class Meta:
        description = ("A SKU of the store's orders with no mapping whose item QuickBooks does "
                       "not have, as far as our copy of its item list says.")


class QbUnmappedSkuConnection(CountableConnection):
    class Meta:
        node = graphene.NonNull(QbUnmappedSku)
        description = "A page of unmapped SKUs, by SKU."


class QbCustomerMapping(graphene.ObjectType):
    email = graphene.String(required=True, description="The Saleor customer's e-mail (lower "
                            "case): every order with it goes to the QuickBooks customer.")
    customer_full_name = graphene.String(required=True,
                                         description="The QuickBooks customer.")
    customer_list_id = graphene.String(required=True, description="That customer's ListID "
                                       "when it was picked from QuickBooks' list.")
    currency = graphene.String(required=True, description="That customer's currency in "
                               "QuickBooks (multicurrency); empty if not said.")
    confirmed_by = graphene.String(required=True,
                                   description="Who confirmed it: a staff e-mail or an app.")
    confirmed_at = graphene.DateTime(required=True, description="When it was confirmed.")
    in_quickbooks = graphene.Boolean(
        name="inQuickBooks", required=True,
        description="Our copy of QuickBooks' customers, as last read, still has the customer, "
        "active; false when it was deleted, renamed or made inactive there: QuickBooks would "
        "refuse the orders, so confirm another.")

    class Meta:
        description = ("A Saleor customer whose orders go to a customer QuickBooks already "
                       "has; no customer is created for them.")


class QbCustomerMappingConnection(CountableConnection):
    class Meta:
        node = graphene.NonNull(QbCustomerMapping)
        description = "A page of customer mappings, by e-mail."


class QbSuggestionMatch(graphene.Enum):
    EMAIL = "email"
    NAME = "name"

    class Meta:
        description = "Why a QuickBooks customer is suggested for a Saleor customer."

    @property
    def description(self):
        return {"EMAIL": "It has the same e-mail address (in any case).",
                "NAME": "It has the same name (in any case)."}[self.name]


class QbCustomerSuggestion(graphene.ObjectType):
    customer = graphene.Field(QbQuickBooksListEntry, required=True,
                              description="The QuickBooks customer, from our copy of its list.")
    matched_by = QbSuggestionMatch(required=True, description="Why it is suggested.")

    class Meta:
        description = "A QuickBooks customer that looks like a Saleor customer: confirm it, "\
            "or pick another."

    @staticmethod
    def resolve_customer(root, info):
        return root.entry


class QbUnmappedCustomer(graphene.ObjectType):
    email = graphene.String(required=True, description="The customer's e-mail address.")
    name = graphene.String(required=True, description="The customer's name, if known.")
    user_id = graphene.ID(description="The Saleor User ID; null for guests.")
    order_count = graphene.Int(required=True, description="How many orders they placed.")
    suggestions = graphene.List(
        graphene.NonNull(QbCustomerSuggestion), required=True,
        description=f"QuickBooks customers with the same e-mail or name, e-mail matches first "
        f"(at most {mappings.MAX_SUGGESTIONS}); empty when none looks alike.")

    class Meta:
        description = ("A Saleor customer with orders and no mapping: the customer rule names "
                       "their QuickBooks customer (created if QuickBooks lacks it).")

    @staticmethod
    def resolve_email(root, info):
        return root.customer.email

    @staticmethod
    def resolve_name(root, info):
        return root.customer.name

    @staticmethod
    def resolve_user_id(root, info):
        user_id = root.customer.user_id
        return to_global_id("User", user_id) if user_id else None

    @staticmethod
    def resolve_order_count(root, info):
        return root.customer.order_count

    @staticmethod
    def resolve_suggestions(root, info):
        return list(root.suggestions)


class QbUnmappedCustomerConnection(CountableConnection):
    class Meta:
        node = graphene.NonNull(QbUnmappedCustomer)
        description = "A page of unmapped customers, by e-mail."


def search_argument() -> graphene.String:
    return graphene.String(description="Part of a SKU, name or e-mail address.")


# --- resolvers ------------------------------------------------------------------------------


def resolve_item_mappings(context: QbSyncContext, search, first, after):
    offset, limit = page_window(first, after)
    rows, total = mappings.item_mappings(search_text(search), offset=offset, limit=limit)
    return connection(QbItemMappingConnection, rows, offset, total)


def resolve_unmapped_skus(context: QbSyncContext, search, first, after):
    offset, limit = page_window(first, after)
    rows, total = mappings.unmapped_skus(context.source, orders_with_customers(context),
                                         search_text(search), offset=offset, limit=limit)
    return connection(QbUnmappedSkuConnection, rows, offset, total)


def resolve_customer_mappings(context: QbSyncContext, search, first, after):
    offset, limit = page_window(first, after)
    rows, total = mappings.customer_mappings(search_text(search), offset=offset, limit=limit)
    return connection(QbCustomerMappingConnection, rows, offset, total)


def resolve_unmapped_customers(context: QbSyncContext, search, first, after):
    offset, limit = page_window(first, after)
    rows, total = mappings.unmapped_customers(context.source, orders_with_customers(context),
                                              search_text(search), offset=offset, limit=limit)
    return connection(QbUnmappedCustomerConnection, rows, offset, total)
