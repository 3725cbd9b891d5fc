"""The orders of a step, loaded and mapped once: what QuickBooks will receive for each."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ...errors import MappingError
from ...ledger import Cause, CauseKind, Claim, Unsent
from ...order_source import OrderFilter
from ...preferences import ItemMode, MissingItemAction
from ...qbxml import limits
from ...qbxml.mapping import kind_for_charge, map_order, ref_number
from ...qbxml.records import NO_MAPPINGS, ItemKind, ItemRecord, MappedOrder, TxnKind
from .context import Context


@dataclass(frozen=True, slots=True)
class Prepared:
    claim: Claim
    mapped: MappedOrder


def prepare(ctx: Context, claims: list[Claim]) -> tuple[list[Prepared], list[Unsent]]:
    """Each order mapped (one load for all of them, staff's mappings first), or, if it cannot
    be, why."""
    documents = ctx.source.load([c.order_id for c in claims])
    currencies = ctx.currencies
    by_hand = ctx.name_mappings() if documents else NO_MAPPINGS
    ready: list[Prepared] = []
    unsent: list[Unsent] = []
    for claim in claims:
        document = documents.get(claim.order_id)
        if document is None:
            unsent.append(_vanished(claim))
            continue
        try:
            mapped = map_order(document, ctx.preferences, currencies, by_hand)
        except MappingError as exc:
            unsent.append(_unmappable(ctx, claim, exc))
            continue
        ready.append(Prepared(claim, apply_item_rule(ctx, mapped)))
    return ready, unsent


@dataclass(frozen=True, slots=True)
class Numbered:
    """What a duplicate check needs of an order: the transaction type and its RefNumber."""

    claim: Claim
    kind: TxnKind
    ref_number: str


def number(ctx: Context, claims: list[Claim]) -> tuple[list[Numbered], list[Unsent]]:
    """The type and RefNumber each order will have, by the mapping's own rules, from the
    orders' summaries (a look-up of thousands of orders needs no more than that)."""
    ids = tuple(c.order_id for c in claims)
    summaries = ctx.source.search(
        OrderFilter(order_ids=ids, include_exported=True, any_status=True),
        offset=0, limit=len(ids))
    charge = {s.order_id: s.charge_status for s in summaries}
    numbered: list[Numbered] = []
    unsent: list[Unsent] = []
    for claim in claims:
        if claim.order_id not in charge:
            unsent.append(_vanished(claim))
            continue
        try:
            ref = ref_number(claim.order_number, ctx.preferences)
        except MappingError as exc:
            unsent.append(_unmappable(ctx, claim, exc))
            continue
        numbered.append(Numbered(claim, kind_for_charge(charge[claim.order_id],
                                                        ctx.preferences), ref))
    return numbered, unsent


def _vanished(claim: Claim) -> Unsent:
    return Unsent(claim, "The order no longer exists in Saleor.", "order_missing")


def _unmappable(ctx: Context, claim: Claim, exc: MappingError) -> Unsent:
    # the settings may be what is wrong (a prefix too long): tried again when they change
    return Unsent(claim, exc.message, exc.code,
                  cause=Cause(CauseKind.SETTINGS, ctx.preferences.fingerprint()))


def apply_item_rule(ctx: Context, mapped: MappedOrder) -> MappedOrder:
    """With ``use_default``, product items QuickBooks lacks are replaced by the default."""
    preferences = ctx.preferences
    missing = set(ctx.session.work.missing_items)
    if (not missing or preferences.missing_item_action != MissingItemAction.USE_DEFAULT
            or preferences.item_mode == ItemMode.SINGLE_ITEM):
        return mapped
    default = preferences.default_item_name[:limits.ITEM_NAME]
    lines = tuple(replace(line, item_name=default) if line.item_name in missing else line
                  for line in mapped.transaction.lines)
    items = {i.name: i for i in mapped.items if i.name not in missing}
    items.setdefault(default, ItemRecord(default, ItemKind.NON_INVENTORY, "Saleor product",
                                         preferences.income_account))
    return replace(mapped, transaction=replace(mapped.transaction, lines=lines),
                   items=tuple(items.values()))


def items_need_lookup(ctx: Context) -> bool:
    """Whether the missing-item rule must know which items QuickBooks lacks before sending
    (``create`` adds them at the head of the set instead; one item for all needs nothing)."""
    return (ctx.preferences.missing_item_action != MissingItemAction.CREATE
            and ctx.preferences.item_mode != ItemMode.SINGLE_ITEM)
