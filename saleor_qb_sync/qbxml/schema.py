"""Intuit's qbXML 13.0 schema, loaded once, to check what we send before QuickBooks sees it.

The XSD is Intuit's and is not shipped with this package. Point ``QBXML_SCHEMA_DIR`` at the
folder holding ``qbxmlops130.xsd`` and the three files it includes (``qbxml130.xsd``,
``qbxmltypes130.xsd``, ``qbxmlso130.xsd``). The schema enforces element order, required
elements, enumerations, number patterns and most length limits, which is exactly what
QuickBooks rejects with an unhelpful "error when parsing the provided XML text stream".
Only our own requests are validated: QuickBooks' responses do not always follow the schema.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from lxml import etree

from ..errors import QbSyncError
from .parse import parse_xml

#: environment variable naming the folder with Intuit's qbXML 13.0 XSD files
SCHEMA_DIR_ENV = "QBXML_SCHEMA_DIR"
#: the root schema; it includes the others (loading qbxml130.xsd alone fails)
ROOT_SCHEMA_FILE = "qbxmlops130.xsd"
INCLUDED_SCHEMA_FILES = ("qbxml130.xsd", "qbxmltypes130.xsd", "qbxmlso130.xsd")

_WHERE_TO_GET_IT = (
    "The qbXML 13.0 schema comes with Intuit's QuickBooks Desktop SDK (download it from "
    "developer.intuit.com; after installing, the files are in the SDK's tools/xsd folder, e.g. "
    r"C:\Program Files (x86)\Intuit\IDN\QBSDK13.0\tools\xsd). Copy qbxmlops130.xsd, "
    "qbxml130.xsd, qbxmltypes130.xsd and qbxmlso130.xsd into one folder and set "
    f"{SCHEMA_DIR_ENV} to that folder."
)


class SchemaUnavailable(QbSyncError):
    """The qbXML schema files are not where ``QBXML_SCHEMA_DIR`` says (or it is not set)."""

    code = "schema_unavailable"


def schema_dir(directory: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the schema: ``directory`` or ``$QBXML_SCHEMA_DIR``."""
    raw = directory if directory is not None else os.environ.get(SCHEMA_DIR_ENV, "")
    if not str(raw).strip():
        raise SchemaUnavailable(f"{SCHEMA_DIR_ENV} is not set. {_WHERE_TO_GET_IT}")
    folder = Path(raw).expanduser()
    missing = [n for n in (ROOT_SCHEMA_FILE, *INCLUDED_SCHEMA_FILES)
               if not (folder / n).is_file()]
    if missing:
        raise SchemaUnavailable(
            f"{', '.join(missing)} not found in {folder}. {_WHERE_TO_GET_IT}"
        )
    return folder.resolve()


def load_schema(directory: str | os.PathLike[str] | None = None) -> etree.XMLSchema:
    """Intuit's qbXML 13.0 schema (cached per folder); raises ``SchemaUnavailable``."""
    return _load(str(schema_dir(directory)))


@functools.lru_cache(maxsize=4)
def _load(folder: str) -> etree.XMLSchema:
    path = Path(folder) / ROOT_SCHEMA_FILE
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.XMLSchema(etree.parse(str(path), parser))
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise SchemaUnavailable(
            f"{path} is not a usable qbXML schema ({exc}). {_WHERE_TO_GET_IT}"
        ) from exc


def validate(
    xml: bytes | str | etree._Element, schema: etree.XMLSchema | None = None
) -> list[str]:
    """Every schema error in ``xml`` as ``"line N: message"``; empty when it is valid."""
    schema = schema if schema is not None else load_schema()
    doc = xml if isinstance(xml, etree._Element) else parse_xml(xml)
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
