"""What every resolver gets in ``info.context``: the request, the host and who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.http import HttpRequest

from ..order_source import OrderSource
from ..preferences import Preferences
from ..transfers import Actor

if TYPE_CHECKING:
    from ..routes import Host


@dataclass
class QbSyncContext:
    request: HttpRequest
    host: Host
    #: the authenticated staff user or app (it holds MANAGE_ORDERS)
    actor: Actor

    @property
    def user(self) -> Actor:
        return self.actor

    @cached_property
    def preferences(self) -> Preferences:
        return self.host.preferences()

    @cached_property
    def source(self) -> OrderSource:
        return self.host.order_source()
