"""The schema: the only place where fields are wired to resolvers and mutations."""

from __future__ import annotations

import graphene

from .enums import QbQuickBooksListKey
from .mappings import (
    QbCustomerMappingConnection,
    QbItemMappingConnection,
    QbUnmappedCustomerConnection,
    QbUnmappedSkuConnection,
    resolve_customer_mappings,
    resolve_item_mappings,
    resolve_unmapped_customers,
    resolve_unmapped_skus,
    search_argument,
)
from .mutations.customer_mapping_delete import QbCustomerMappingDelete
from .mutations.customer_mapping_set import QbCustomerMappingSet
from .mutations.failed_orders_retry import QbFailedOrdersRetry
from .mutations.follow_ups_queue import QbFollowUpsQueue
from .mutations.item_mapping_delete import QbItemMappingDelete
from .mutations.item_mapping_set import QbItemMappingSet
from .mutations.order_export_reset import QbOrderExportReset
from .mutations.order_transfer_queue import QbOrderTransferQueue
from .mutations.order_update_in_quickbooks import QbOrderUpdateInQuickbooks
from .mutations.orders_dry_run import QbOrdersDryRun
from .mutations.pending_operation_delete import QbPendingOperationDelete
from .mutations.quickbooks_lists_refresh import QbQuickBooksListsRefresh
from .mutations.settings_update import QbSettingsUpdate
from .pagination import after_argument, first_argument
from .resolvers import (
    resolve_customers,
    resolve_order_export,
    resolve_order_transfer_preview,
    resolve_pending_operations,
    resolve_quickbooks_list_entries,
    resolve_quickbooks_lists,
    resolve_sync_status,
    resolve_transfer_history,
    resolve_web_connector_file,
)
from .settings import QbChannel, QbSettings, resolve_channels, resolve_settings
from .types import (
    QbCustomerConnection,
    QbExportRecordConnection,
    QbOrderExport,
    QbOrderTransferFilterInput,
    QbOrderTransferPreviewConnection,
    QbPendingOperationConnection,
    QbQuickBooksListEntryConnection,
    QbQuickBooksLists,
    QbSyncStatus,
    QbTransferHistoryFilterInput,
)


class Query(graphene.ObjectType):
    qb_order_transfer_preview = graphene.Field(
        QbOrderTransferPreviewConnection,
        required=True,
        filter=QbOrderTransferFilterInput(required=True, description="Which orders to list."),
        first=first_argument(),
        after=after_argument(),
        description="Orders as they would be transferred to QuickBooks, newest first. "
        "Requires MANAGE_ORDERS.")
    qb_order_export = graphene.Field(
        QbOrderExport,
        required=True,
        order_id=graphene.ID(required=True, description="The Saleor Order ID."),
        description="One order's export: in QuickBooks, waiting, or why it cannot go. "
        "Requires MANAGE_ORDERS.")
    qb_customers = graphene.Field(
        QbCustomerConnection,
        required=True,
        search=graphene.String(description="Part of a name or e-mail address."),
        first=first_argument(),
        after=after_argument(),
        description="Customers who have orders. Requires MANAGE_ORDERS.")
    qb_pending_operations = graphene.Field(
        QbPendingOperationConnection,
        required=True,
        first=first_argument(),
        after=after_argument(),
        description="Queued transfers, newest first (deleted ones left out). "
        "Requires MANAGE_ORDERS.")
    qb_transfer_history = graphene.Field(
        QbExportRecordConnection,
        required=True,
        filter=QbTransferHistoryFilterInput(description="Which attempts to list."),
        first=first_argument(),
        after=after_argument(),
        description="Every attempt to put an order into QuickBooks, newest first. "
        "Requires MANAGE_ORDERS.")
    qb_sync_status = graphene.Field(
        QbSyncStatus, required=True,
        description="How the QuickBooks connection is doing. Requires MANAGE_ORDERS.")
    qb_web_connector_file = graphene.String(
        required=True,
        description="The .qwc file to add to Web Connector (XML). Requires MANAGE_ORDERS.")
    qb_settings = graphene.Field(
        QbSettings, required=True,
        description="The QuickBooks export settings (the plugin configuration), typed; never "
        "the password. Requires MANAGE_ORDERS; changing them (qbSettingsUpdate) also "
        "MANAGE_PLUGINS.")
    qb_quick_books_lists = graphene.Field(
        QbQuickBooksLists, required=True, name="qbQuickBooksLists",
        description="What we hold of QuickBooks' lists (counts, when each was last read) and "
        "the company's preferences. Requires MANAGE_ORDERS.")
    qb_quick_books_list_entries = graphene.Field(
        QbQuickBooksListEntryConnection, required=True, name="qbQuickBooksListEntries",
        list=QbQuickBooksListKey(description="The list to page through; or give setting."),
        setting=graphene.String(
            description="A setting that names a QuickBooks record (camelCase, e.g. "
            "depositToAccount): the records of its list it may name (deposit accounts are "
            "bank or other current asset accounts, items those that can carry a line…)."),
        search=graphene.String(description="Part of the full name, in any case."),
        include_inactive=graphene.Boolean(
            default_value=False, description="Also the records QuickBooks marks inactive."),
        first=first_argument(), after=after_argument(),
        description="Our copy of one QuickBooks list, a page at a time, for choosing a name "
        "(the Settings tab's pickers). Requires MANAGE_ORDERS.")
    qb_item_mappings = graphene.Field(
        QbItemMappingConnection, required=True,
        search=graphene.String(description="Part of a SKU or an item name."),
        first=first_argument(),
        after=after_argument(),
        description="Saleor SKUs mapped to QuickBooks items of other names, by SKU. "
        "Requires MANAGE_ORDERS.")
    qb_unmapped_skus = graphene.Field(
        QbUnmappedSkuConnection, required=True,
        search=graphene.String(description="Part of a SKU or a product name."),
        first=first_argument(),
        after=after_argument(),
        description="SKUs of the orders the store exports (exported ones included, in the "
        "channels you may see) that have no mapping and whose item, by the item rule, is not "
        "in our copy of QuickBooks' items; by SKU. Requires MANAGE_ORDERS.")
    qb_customer_mappings = graphene.Field(
        QbCustomerMappingConnection, required=True,
        search=graphene.String(description="Part of an e-mail address or a customer name."),
        first=first_argument(),
        after=after_argument(),
        description="Saleor customers mapped to existing QuickBooks customers, by e-mail. "
        "Requires MANAGE_ORDERS.")
    qb_unmapped_customers = graphene.Field(
        QbUnmappedCustomerConnection, required=True,
        search=search_argument(),
        first=first_argument(),
        after=after_argument(),
        description="Customers of the orders the store exports (exported ones included, in "
        "the channels you may see) with no mapping, by e-mail, each with the QuickBooks "
        "customers that look alike. Requires MANAGE_ORDERS.")
    qb_channels = graphene.List(
        graphene.NonNull(QbChannel), required=True,
        description="The store's channels (those you may see), to choose which to export. "
        "Requires MANAGE_ORDERS.")

    @staticmethod
    def resolve_qb_order_transfer_preview(root, info, filter, first=None, after=None):
        return resolve_order_transfer_preview(info.context, filter, first, after)

    @staticmethod
    def resolve_qb_order_export(root, info, order_id):
        return resolve_order_export(info.context, order_id)

    @staticmethod
    def resolve_qb_customers(root, info, search=None, first=None, after=None):
        return resolve_customers(info.context, search, first, after)

    @staticmethod
    def resolve_qb_pending_operations(root, info, first=None, after=None):
        return resolve_pending_operations(info.context, first, after)

    @staticmethod
    def resolve_qb_transfer_history(root, info, filter=None, first=None, after=None):
        return resolve_transfer_history(info.context, filter, first, after)

    @staticmethod
    def resolve_qb_sync_status(root, info):
        return resolve_sync_status(info.context)

    @staticmethod
    def resolve_qb_web_connector_file(root, info):
        return resolve_web_connector_file(info.context)

    @staticmethod
    def resolve_qb_settings(root, info):
        return resolve_settings(info.context)

    @staticmethod
    def resolve_qb_quick_books_lists(root, info):
        return resolve_quickbooks_lists(info.context)

    @staticmethod
    def resolve_qb_quick_books_list_entries(root, info, list=None, setting=None, search=None,
                                            include_inactive=False, first=None, after=None):
        return resolve_quickbooks_list_entries(info.context, list, setting, search,
                                               include_inactive, first, after)

    @staticmethod
    def resolve_qb_item_mappings(root, info, search=None, first=None, after=None):
        return resolve_item_mappings(info.context, search, first, after)

    @staticmethod
    def resolve_qb_unmapped_skus(root, info, search=None, first=None, after=None):
        return resolve_unmapped_skus(info.context, search, first, after)

    @staticmethod
    def resolve_qb_customer_mappings(root, info, search=None, first=None, after=None):
        return resolve_customer_mappings(info.context, search, first, after)

    @staticmethod
    def resolve_qb_unmapped_customers(root, info, search=None, first=None, after=None):
        return resolve_unmapped_customers(info.context, search, first, after)

    @staticmethod
    def resolve_qb_channels(root, info):
        return resolve_channels(info.context)


class Mutation(graphene.ObjectType):
    qb_order_transfer_queue = QbOrderTransferQueue.Field()
    qb_orders_dry_run = QbOrdersDryRun.Field()
    qb_follow_ups_queue = QbFollowUpsQueue.Field()
    qb_pending_operation_delete = QbPendingOperationDelete.Field()
    qb_order_export_reset = QbOrderExportReset.Field()
    qb_order_update_in_quickbooks = QbOrderUpdateInQuickbooks.Field()
    qb_failed_orders_retry = QbFailedOrdersRetry.Field()
    qb_settings_update = QbSettingsUpdate.Field()
    qb_quick_books_lists_refresh = QbQuickBooksListsRefresh.Field(
        name="qbQuickBooksListsRefresh")
    qb_item_mapping_set = QbItemMappingSet.Field()
    qb_item_mapping_delete = QbItemMappingDelete.Field()
    qb_customer_mapping_set = QbCustomerMappingSet.Field()
    qb_customer_mapping_delete = QbCustomerMappingDelete.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
