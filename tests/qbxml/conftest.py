"""Fixtures for the qbXML tests: Intuit's schema, loaded once per session (it is slow)."""

from __future__ import annotations

import os

import pytest

from saleor_qb_sync.qbxml.schema import SCHEMA_DIR_ENV, load_schema

SKIP_REASON = (
    f"set {SCHEMA_DIR_ENV} to the folder with Intuit's qbXML 13.0 schema files "
    "(qbxmlops130.xsd and its includes) from the QuickBooks Desktop SDK"
)


@pytest.fixture(scope="session")
def qbxml_schema():
    """Intuit's qbXML 13.0 schema; skips the test when QBXML_SCHEMA_DIR is not set."""
    if not os.environ.get(SCHEMA_DIR_ENV, "").strip():
        pytest.skip(SKIP_REASON)
    return load_schema()
