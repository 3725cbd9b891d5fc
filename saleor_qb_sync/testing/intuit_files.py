"""Where Intuit's own files are, for tests and tools: the qbXML 13.0 schema and the QBWC WSDL.

We do not redistribute them. ``QBXML_SCHEMA_DIR`` names the folder holding ``qbxmlops130.xsd``
(from the QuickBooks Desktop SDK) and ``QBWC_WSDL`` the ``QBWebConnectorSvc.wsdl`` file;
``.ci/run`` and the Makefile point both at ``../shared/``. Tests that need them skip, saying
where to get them.
"""

from __future__ import annotations

import os

SCHEMA_ENV = "QBXML_SCHEMA_DIR"
WSDL_ENV = "QBWC_WSDL"
SCHEMA_HELP = (f"needs Intuit's qbXML 13.0 schema: set {SCHEMA_ENV} to the folder holding "
               "qbxmlops130.xsd and the files it includes (QuickBooks Desktop SDK, "
               "developer.intuit.com → QuickBooks Desktop → SDK download, its xsd folder)")
WSDL_HELP = (f"needs Intuit's Web Connector WSDL: set {WSDL_ENV} to QBWebConnectorSvc.wsdl "
             "(QuickBooks Web Connector programmer's guide, developer.intuit.com, or the "
             "QuickBooks Desktop SDK's QBWC samples)")


def schema_dir() -> str | None:
    directory = os.environ.get(SCHEMA_ENV, "").strip()
    if directory and os.path.exists(os.path.join(directory, "qbxmlops130.xsd")):
        return directory
    return None


def wsdl_path() -> str | None:
    path = os.environ.get(WSDL_ENV, "").strip()
    return path if path and os.path.exists(path) else None


def schema_dir_or_skip() -> str:
    import pytest

    return schema_dir() or pytest.skip(SCHEMA_HELP)


def wsdl_or_skip() -> str:
    import pytest

    return wsdl_path() or pytest.skip(WSDL_HELP)
