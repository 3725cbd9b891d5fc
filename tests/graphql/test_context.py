"""``info.context``: the host is asked for preferences and orders once per request, when needed."""

from __future__ import annotations

from collections import Counter

from django.test import RequestFactory

from saleor_qb_sync.graphql.context import QbSyncContext
from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.transfers import Actor


class CountingHost:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def preferences(self) -> Preferences:
        self.calls["preferences"] += 1
        return Preferences(company_currency="EUR")

    def order_source(self):
        self.calls["order_source"] += 1
        return object()


def context(host) -> QbSyncContext:
    return QbSyncContext(request=RequestFactory().get("/"), host=host,
                         actor=Actor(email="staff@example.com", channels=("default-channel",)))


def test_nothing_is_asked_of_the_host_until_a_resolver_needs_it():
    # given
    host = CountingHost()

    # when
    context(host)

    # then
    assert host.calls == {}


def test_preferences_and_the_order_source_are_asked_once_however_often_they_are_read():
    # given
    host = CountingHost()
    ctx = context(host)

    # when
    preferences = [ctx.preferences for _ in range(3)]
    sources = [ctx.source for _ in range(3)]

    # then
    assert preferences[0].company_currency == "EUR"
    assert all(p is preferences[0] for p in preferences)
    assert all(s is sources[0] for s in sources)
    assert host.calls == {"preferences": 1, "order_source": 1}


def test_the_user_is_the_authenticated_actor():
    # given
    ctx = context(CountingHost())

    # then
    assert ctx.user is ctx.actor
    assert ctx.user.channels == ("default-channel",)
