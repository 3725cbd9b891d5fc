"""Saleor's global IDs (base64 of ``Type:pk``), which every Saleor client speaks.

Our GraphQL API and the Dashboard extension name orders by Saleor's global ``Order`` id; our
tables store the UUID. Standard library only, so the core can use it without Saleor.
"""

from __future__ import annotations

import base64
import binascii
import uuid

from .errors import QbSyncError


class InvalidGlobalId(QbSyncError):
    code = "invalid_id"


def to_global_id(type_name: str, pk: object) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def from_global_id(global_id: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(global_id.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidGlobalId(f"{global_id!r} is not a valid Saleor ID") from None
    type_name, sep, pk = decoded.partition(":")
    if not sep or not pk:
        raise InvalidGlobalId(f"{global_id!r} is not a valid Saleor ID")
    return type_name, pk


def uuid_from_global_id(global_id: str, expected_type: str) -> uuid.UUID:
    """The UUID inside a global ID of ``expected_type``; a bare UUID is accepted too."""
    try:
        return uuid.UUID(global_id)
    except ValueError:
        pass
    type_name, pk = from_global_id(global_id)
    if type_name != expected_type:
        raise InvalidGlobalId(f"{global_id!r} is a {type_name} ID, not an {expected_type} ID")
    try:
        return uuid.UUID(pk)
    except ValueError:
        raise InvalidGlobalId(f"{global_id!r} is not a valid {expected_type} ID") from None
