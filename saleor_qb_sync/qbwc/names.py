"""The names we know QuickBooks has (customers, items): the one owner of ``QuickBooksName``.

A name is remembered when QuickBooks confirmed it (a look-up found it, an add succeeded or
answered 3100 "already in use") and forgotten when a transaction naming it failed with 3140
(someone deleted or renamed it in QuickBooks). A known name is never looked up or added again.
QuickBooks compares names without case; so do these sets.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from ..models import QuickBooksName

CUSTOMER = QuickBooksName.Kind.CUSTOMER
ITEM = QuickBooksName.Kind.ITEM


def known(customers: Iterable[str], items: Iterable[str]) -> set[tuple[str, str]]:
    """``(kind, name)`` of those names QuickBooks is known to have (one statement)."""
    customers, items = set(customers), set(items)
    if not customers and not items:
        return set()
    rows = QuickBooksName.objects.filter(
        Q(kind=CUSTOMER, name__in=customers) | Q(kind=ITEM, name__in=items),
    ).values_list("kind", "name")
    return {(kind, name) for kind, name in rows}


def every() -> set[tuple[str, str]]:
    """``(kind, name)`` of every name QuickBooks is known to have (a dry run seeds its
    simulated company with them: the export never adds these again)."""
    return set(QuickBooksName.objects.values_list("kind", "name"))


def remember(names: Iterable[tuple[str, str]]) -> None:
    """``(kind, name)`` pairs QuickBooks confirmed (one statement)."""
    rows = [QuickBooksName(kind=kind, name=name) for kind, name in set(names) if name]
    if rows:
        QuickBooksName.objects.bulk_create(rows, ignore_conflicts=True)


def forget(customers: Iterable[str], items: Iterable[str]) -> None:
    """Names a failed transaction suggests QuickBooks no longer has."""
    customers, items = set(filter(None, customers)), set(items)
    if customers or items:
        QuickBooksName.objects.filter(
            Q(kind=CUSTOMER, name__in=customers) | Q(kind=ITEM, name__in=items)).delete()
