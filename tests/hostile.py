"""The hostile-input corpus and its helpers: what "nothing was written" means, answer shapes.

``PAYLOADS`` are values an attacker or a broken client may send; the GraphQL and SOAP corpus
tests put each into every template of theirs (a variable, a literal, the query text, an XML
element, the raw body), so a new template or payload widens both.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection

#: the apps whose tables a refused request must leave as they were
OUR_APPS = ("saleor_qb_sync", "qb_sync_standalone")

BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                  '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                  '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>')
XXE = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'

#: name → value (JSON-able); text payloads are also spliced into query text and XML
PAYLOADS: dict[str, object] = {
    "empty": "",
    "spaces": "   ",
    "huge-string": "A" * 300_000,
    "nul": "a\x00b",
    "control-chars": "\x01\x02\x1b[31m\x7f",
    "lone-surrogate": "\ud800",
    "rtl-override": "\u202eevil",
    "emoji": "\U0001F4A9" * 50,
    "deep-brackets": "[" * 5000,
    "deep-braces": "{" * 5000,
    "deep-parens": "(" * 5000,
    "quotes": "\"'\\\"\\",
    "sql": "' OR 1=1; DROP TABLE saleor_qb_sync_pendingoperation; --",
    "format-string": "%s%n%x{0}{__class__}",
    "path": "../../../../etc/passwd",
    "billion-laughs": BILLION_LAUGHS,
    "xxe": XXE,
    "xml-close": "</strVersion></clientVersion></soap:Body>",
    "cdata": "<![CDATA[x]]>",
    "html": "<script>alert(1)</script>",
    "graphql-injection": '") { __schema { types { name } } } #',
    "long-number-text": "9" * 5000,
    "int-overflow": 2**63,
    "negative": -(2**31) - 1,
    "float": 1.5e308,
    "true": True,
    "null": None,
    "list": ["a", 1, None],
    "deep-list": [[[[[[[[[["x"]]]]]]]]]],
    "object": {"a": {"b": "c"}},
    "many-keys": {f"k{i}": i for i in range(2000)},
}
TEXT_PAYLOADS = {name: value for name, value in PAYLOADS.items() if isinstance(value, str)}

#: raw bodies: bytes no encoder would produce
RAW_BODIES: dict[str, bytes] = {
    "invalid-utf8": b"\xff\xfe\xfd\x80\x81",
    "overlong-utf8": b"\xc0\xaf\xe0\x80\xaf",
    "utf16-no-bom": "{\"query\": 1}".encode("utf-16-le"),
    "nul-bytes": b"\x00" * 1000,
    "binary": bytes(range(256)) * 20,
    "empty": b"",
    "whitespace": b" \r\n\t " * 100,
    "deep-json": b"[" * 100_000,
    "gzip-magic": b"\x1f\x8b\x08\x00" + b"\x00" * 100,
    "bom-only": b"\xef\xbb\xbf",
}


def row_counts() -> dict[str, int]:
    """Rows in each of our tables (ledger, operations, sessions, sample orders, settings)."""
    existing = set(connection.introspection.table_names())
    return {model._meta.db_table: model.objects.count()
            for label in OUR_APPS for model in apps.get_app_config(label).get_models()
            if model._meta.db_table in existing}


def is_html(response) -> bool:
    return "html" in response.get("Content-Type", "").lower()
