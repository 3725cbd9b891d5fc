"""Step 6, last in a session: read QuickBooks' lists into our tables (``quickbooks_lists``).

Which: every list when staff queued "Refresh QuickBooks lists" (a ``REFRESH_LISTS`` pending
operation; a full one reads all of every list, and drops what QuickBooks no longer has), else
those older than ``lists_max_age_hours`` (0: never by themselves). Decided once per session
(``Work.lists``), after the orders and what follows them: those are what the session is for,
and a session that drops while reading 25,000 customers has exported its orders first.

How: the short lists (accounts, sales tax codes, classes, payment methods: qbXML gives them no
iterator) go together in the first set, with the first chunk of items; items and customers are
read ``quickbooks_lists.CHUNK`` at a time with an iterator (``iterator="Start"``, then
``Continue`` with QuickBooks' ``iteratorID``) until ``iteratorRemainingCount`` is 0, one chunk
per set: QuickBooks answers only after processing a whole set, and Web Connector waits about
two minutes. Each read only what changed since the last (``FromModifiedDate``), after the first.

An iterator lives as long as the session that opened it; one QuickBooks no longer knows
(status 3391) starts its list over, once per session. A session that ends mid-list leaves what
it read stored and the list's watermark unmoved: the next session reads that list again from the
same point (re-reading is harmless, it replaces rows by ListID).
"""

from __future__ import annotations

from datetime import datetime

from ... import clock, ledger, quickbooks_lists
from ...models import MessageSet, MessageSetKind
from ...preferences import Preferences
from ...qbxml import build
from ...qbxml.answers import Answers
from ...qbxml.lists import ListPage, read_page
from ...qbxml.status import STATUS_ITERATOR_INVALID, STATUS_NO_MATCH, STATUS_OK
from ..session import ListPulls
from .context import Context

#: the kind of a list query in a set's meta
LIST = "list"


def waiting(preferences: Preferences) -> int:
    """1 when a session should be opened for the lists alone (refresh queued, or one is
    older than the preference allows), else 0."""
    return int(ledger.list_refresh_waiting()
               or bool(quickbooks_lists.due(preferences.lists_max_age_hours)))


def plan(ctx: Context) -> ListPulls:
    """What this session reads (decided at the first call, then kept in the work)."""
    work = ctx.session.work
    if work.lists is None:
        refreshes = ledger.claim_list_refreshes()
        keys = ([lst.key for lst in quickbooks_lists.LISTS] if refreshes
                else quickbooks_lists.due(ctx.preferences.lists_max_age_hours))
        full = any(asked.get("full") for _, asked in refreshes)
        pulls = ListPulls(queue=keys, refreshes=[pk for pk, _ in refreshes])
        now = clock.now().isoformat()
        for key in keys:
            since = None if full else quickbooks_lists.since(key)
            pulls.started[key] = now
            pulls.since[key] = since.isoformat() if since is not None else None
        if keys:
            quickbooks_lists.remember_preferences(ctx.session.row.host_info or {})
        work.lists = pulls
    return work.lists


def pending(ctx: Context) -> bool:
    return bool(plan(ctx).queue)


def request(ctx: Context) -> str | None:
    """The next set of list queries, or None when every list due is read."""
    pulls = plan(ctx)
    requests, meta = [], {}
    for key in pulls.queue:
        query = quickbooks_lists.BY_KEY[key].query
        iterating = query in build.ITERATOR_QUERIES
        since = pulls.since.get(key)
        request_id = f"l-{key}"
        requests.append(build.list_pull_query(
            query, request_id, since=datetime.fromisoformat(since) if since else None,
            max_returned=quickbooks_lists.CHUNK if iterating else None,
            iterator_id=pulls.iterator_id if iterating else ""))
        meta[request_id] = {"kind": LIST, "list": key}
        if iterating:
            break  # one chunk of a long list per set
    if not requests:
        return None
    return ctx.store(MessageSetKind.LISTS, requests, meta)


def read(ctx: Context, message_set: MessageSet, answers: Answers) -> None:
    pulls = plan(ctx)
    for request_id, asked in message_set.requests.items():
        key = asked.get("list", "")
        if asked.get("kind") != LIST or key not in pulls.queue:
            continue
        pulls.round_trips[key] = pulls.round_trips.get(key, 0) + 1
        answer = answers.answer(request_id)
        item = answer.item
        if item is not None and item.status_code == STATUS_ITERATOR_INVALID:
            if key in pulls.restarted:
                _give_up(ctx, pulls, key, item.message)
            else:
                pulls.restarted.append(key)  # start the list over with a new iterator
                pulls.iterator_id = ""
            continue
        if item is None or item.status_code not in (STATUS_OK, STATUS_NO_MATCH):
            _give_up(ctx, pulls, key, item.message if item is not None else (
                answer.problem or "no answer"))
            continue
        page = read_page(message_set.response_xml, request_id) if item.records else (
            ListPage(()))
        quickbooks_lists.store(key, page.entries)
        pulls.read[key] = pulls.read.get(key, 0) + len(page.entries)
        if page.remaining > 0 and page.iterator_id:
            pulls.iterator_id = page.iterator_id
            continue
        quickbooks_lists.finish(key, datetime.fromisoformat(pulls.started[key]),
                                full=pulls.since.get(key) is None, records=pulls.read[key],
                                round_trips=pulls.round_trips[key])
        pulls.queue.remove(key)
        pulls.iterator_id = ""
    if not pulls.queue and pulls.refreshes:
        ledger.finish_list_refreshes(pulls.refreshes, summary(pulls))
        pulls.refreshes = []


def _give_up(ctx: Context, pulls: ListPulls, key: str, reason: str) -> None:
    pulls.queue.remove(key)
    pulls.failed.append(key)
    pulls.iterator_id = ""
    label = quickbooks_lists.BY_KEY[key].label.lower()
    ctx.session.say(f"QuickBooks did not give its {label} list ({reason}); the next update "
                    "reads it again.")


def summary(pulls: ListPulls) -> str:
    """What a refresh read, in words."""
    parts = [f"{pulls.read.get(key, 0):,} {quickbooks_lists.BY_KEY[key].label.lower()}"
             for key in pulls.started if key not in pulls.failed]
    text = "read " + ", ".join(parts) if parts else "nothing read"
    if pulls.failed:
        text += "; QuickBooks did not give: " + ", ".join(
            quickbooks_lists.BY_KEY[key].label.lower() for key in pulls.failed)
    return text
