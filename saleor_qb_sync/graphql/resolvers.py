"""Query resolvers: arguments in, services of ``transfers.py`` called, types out."""

from __future__ import annotations

import logging
from dataclasses import replace

from django.utils import timezone
from graphene.utils.str_converters import to_camel_case, to_snake_case

from .. import ledger, list_checks, quickbooks_lists
from ..checkin import alert_if_overdue, check_in_status
from ..company import known_currencies
from ..edits import since_export
from ..errors import TransferError
from ..models import WebConnectorSession
from ..transfers import (
    history,
    list_operations,
    order_export_state,
    preview,
    queued_counts,
)
from .context import QbSyncContext
from .filters import order_filter, orders_with_customers, search_text
from .pagination import connection, page_window
from .types import (
    PAGE_IN_QUICKBOOKS,
    QbCustomerConnection,
    QbExportRecordConnection,
    QbOrderTransferPreviewConnection,
    QbPendingOperationConnection,
    QbQuickBooksList,
    QbQuickBooksListEntryConnection,
    QbQuickBooksLists,
    QbSyncStatus,
    prefetch_order_numbers,
)

logger = logging.getLogger(__name__)

def resolve_order_transfer_preview(context: QbSyncContext, filter, first, after):
    offset, limit = page_window(first, after)
    flt = order_filter(context, filter)
    page = preview(context.source, context.preferences, flt, offset=offset, limit=limit)
    setattr(context, PAGE_IN_QUICKBOOKS, [r.order.order_id for r in page.rows if r.exported])
    result = connection(QbOrderTransferPreviewConnection, page.rows, offset, page.total)
    result.queued_count = page.queued
    return result


def resolve_order_export(context: QbSyncContext, order_id: str):
    state = order_export_state(context.source, context.preferences, context.actor, order_id)
    return replace(state, since_export=since_export(context.source, context.preferences,
                                                    state.row.order.order_id))


def resolve_customers(context: QbSyncContext, search, first, after):
    offset, limit = page_window(first, after)
    # the orders the preview would list for "all customers", exported ones included
    customers, total = context.source.customers(search_text(search),
                                                orders_with_customers(context),
                                                offset=offset, limit=limit)
    return connection(QbCustomerConnection, customers, offset, total)


def resolve_pending_operations(context: QbSyncContext, first, after):
    offset, limit = page_window(first, after)
    operations, total = list_operations(offset=offset, limit=limit,
                                        channels=context.actor.channels)
    return connection(QbPendingOperationConnection, prefetch_order_numbers(operations),
                      offset, total)


def resolve_transfer_history(context: QbSyncContext, filter, first, after):
    offset, limit = page_window(first, after)
    filter = filter or {}
    records, total = history(state=filter.get("state"), order_number=filter.get("order_number"),
                             order_id=filter.get("order_id"), offset=offset, limit=limit,
                             channels=context.actor.channels,
                             changed_since_export=filter.get("changed_since_export"))
    return connection(QbExportRecordConnection, records, offset, total)


def resolve_sync_status(context: QbSyncContext):
    preferences = context.preferences
    operations, orders = queued_counts()
    missing = preferences.missing_for_connection()
    try:  # the status line must show even when mail cannot be sent; the alert is retried
        check_in = alert_if_overdue(preferences, context.host.notify_staff, timezone.now())
    except Exception:  # noqa: BLE001 - logged; the status is still answered
        logger.exception("saleor-qb-sync could not notify staff of a Web Connector outage")
        check_in = check_in_status(preferences, timezone.now())
    currencies = known_currencies()
    return QbSyncStatus(
        quickbooks_multicurrency=currencies.multicurrency,
        quickbooks_currencies=[code for code, _ in currencies.names],
        run_every_minutes=preferences.run_every_minutes,
        expected_check_in_by=check_in.expected_by,
        check_in_overdue=check_in.overdue,
        quickbooks_problems=latest_quickbooks_problems(),
        export_mode=preferences.export_mode.value,
        last_check_in=WebConnectorSession.objects.order_by("-started_at", "-id").first(),
        queued_operations=operations,
        queued_orders=orders,
        configuration_complete=not missing,
        missing_configuration=missing,
        web_connector_username=preferences.web_connector_username,
    )


def latest_quickbooks_problems() -> list[str]:
    """The preflight problems of the latest session that ran one."""
    work = (WebConnectorSession.objects.filter(work__has_key="preflight")
            .order_by("-started_at", "-id").values_list("work", flat=True).first()) or {}
    return [p.get("message", "") for p in (work.get("preflight") or {}).get("problems", [])]


def resolve_web_connector_file(context: QbSyncContext) -> str:
    from ..routes import qwc_content

    return qwc_content(context.request, context.preferences).decode("utf-8")


def resolve_quickbooks_lists(context: QbSyncContext):
    """Counts and read times of our copy of QuickBooks' lists (three statements)."""
    company = quickbooks_lists.company_preferences()
    return QbQuickBooksLists(
        lists=[QbQuickBooksList(
            key=s.key, label=s.label, count=s.count, active_count=s.active,
            last_read_at=s.pulled_at, records_read=s.records_read, round_trips=s.round_trips,
            incremental=s.incremental) for s in quickbooks_lists.summaries()],
        sales_tax_on=company.sales_tax, multicurrency_on=company.multi_currency,
        home_currency=company.home_currency, preferences_read_at=company.read_at,
        max_age_hours=context.preferences.lists_max_age_hours,
        refresh_waiting=ledger.list_refresh_waiting())


def resolve_quickbooks_list_entries(context: QbSyncContext, list_key, setting, search,
                                    include_inactive, first, after):
    """A page of one list for a picker: by ``list_key``, or the records setting ``setting``
    (camelCase) may name (``list_checks.choices_for``): one of the two."""
    offset, limit = page_window(first, after)
    search = search_text(search)
    if (list_key is None) == (setting is None):
        raise TransferError("Give either list or setting.", field="list", code="invalid")
    choices = list_checks.Choices(list_key) if list_key else list_checks.choices_for(
        to_snake_case(setting), context.preferences)
    if choices is None:
        names = sorted(to_camel_case(name) for name in list_checks.LIST_OF)
        raise TransferError(f"{setting!r} names no QuickBooks record; settings that do: "
                            f"{', '.join(names)}.", field="setting", code="invalid_choice")
    entries, total = quickbooks_lists.search(
        choices.list, search, record_types=choices.types, excluded_types=choices.excluded,
        active_only=not include_inactive, offset=offset, limit=limit)
    return connection(QbQuickBooksListEntryConnection, entries, offset, total)
