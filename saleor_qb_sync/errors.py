"""One exception tree for the whole package, so callers can catch ``QbSyncError`` and read a code.

    QbSyncError                     root; ``code`` is a stable machine-readable string
    ├── PreferenceError             a preference has a value we cannot use (``field``)
    ├── MappingError                an order cannot become a QuickBooks transaction
    ├── QbXmlError                  qbXML we received cannot be understood
    │   └── HostileXmlError         the XML tried entity expansion, a DTD or a network fetch
    ├── TransferError               a preview/queue/delete request cannot be honoured (``field``)
    └── AuthenticationError         a caller could not be authenticated or lacks a permission

Every message is written for the person who will read it: a bookkeeper or a store owner, not
only a developer.
"""

from __future__ import annotations


class QbSyncError(Exception):
    """Root of every error raised on purpose by saleor_qb_sync."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class PreferenceError(QbSyncError):
    """A preference value is missing or not one of the allowed values."""

    code = "invalid_preference"

    def __init__(self, field: str, message: str, *, code: str | None = None) -> None:
        super().__init__(f"{field}: {message}", code=code)
        self.field = field
        self.reason = message


class PreferencesInvalid(QbSyncError):
    """Several preferences are wrong at once; ``errors`` lists each of them."""

    code = "invalid_preferences"

    def __init__(self, errors: list[PreferenceError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors

    @property
    def fields(self) -> list[str]:
        return [e.field for e in self.errors]


class MappingError(QbSyncError):
    """An order cannot be turned into a QuickBooks transaction under the current preferences."""

    code = "mapping_failed"

    def __init__(self, order_number: int | str, message: str, *, code: str | None = None) -> None:
        super().__init__(f"Order #{order_number}: {message}", code=code)
        self.order_number = order_number


class QbXmlError(QbSyncError):
    """A qbXML document we received is not well-formed or not what the protocol allows."""

    code = "invalid_qbxml"


class HostileXmlError(QbXmlError):
    """The XML carried a DTD, an entity declaration or an external reference (never expanded)."""

    code = "hostile_xml"


class TransferError(QbSyncError):
    """A transfer request (preview, queue, delete, reset) cannot be honoured."""

    code = "invalid_transfer"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


class AuthenticationError(QbSyncError):
    """The caller presented no valid credentials, or lacks the permission an operation needs."""

    code = "unauthenticated"
