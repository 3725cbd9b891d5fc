"""What the QuickBooks company said of its currencies, kept from session to session.

Web Connector passes QuickBooks' preferences at the start of every session (``strHCPResponse``:
multicurrency on or off), and the session's settings check reads the currency list when it is on
(``qbwc/steps/check``). Both are kept on the session's row (``host_info["currencies"]``), so the
export of that session maps orders by them and the preview, between sessions, by the newest
session that read them. This module alone reads and writes that entry.
"""

from __future__ import annotations

from .models import WebConnectorSession
from .qbxml.currency import SINGLE_CURRENCY, CompanyCurrencies

_KEY = "currencies"


def remember_currencies(row: WebConnectorSession, currencies: CompanyCurrencies) -> None:
    """Keep what this session learned (saved with the session's row)."""
    row.host_info = {**(row.host_info or {}), _KEY: currencies.to_json()}


def session_currencies(row: WebConnectorSession) -> CompanyCurrencies | None:
    """What this session learned; None when it learned nothing (yet)."""
    data = (row.host_info or {}).get(_KEY)
    return CompanyCurrencies.from_json(data) if data is not None else None


def known_currencies() -> CompanyCurrencies:
    """What the newest session that asked learned; one currency when none ever did."""
    data = (WebConnectorSession.objects.filter(host_info__has_key=_KEY)
            .order_by("-started_at", "-id").values_list("host_info", flat=True).first())
    return CompanyCurrencies.from_json(data[_KEY]) if data else SINGLE_CURRENCY
