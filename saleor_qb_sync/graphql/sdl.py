"""Print the schema as SDL; ``schema.graphql`` is this output, committed.

Regenerate after changing the schema::

    python -m saleor_qb_sync.graphql.sdl            # writes saleor_qb_sync/graphql/schema.graphql
    python -m saleor_qb_sync.graphql.sdl --check    # exits 1 when the file is out of date
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SCHEMA_FILE = Path(__file__).with_name("schema.graphql")


def printed_schema() -> str:
    from graphql.utils.schema_printer import print_schema

    from .schema import schema

    return print_schema(schema).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_qb_sync.standalone.settings")
    import django

    django.setup()
    text = printed_schema()
    if "--check" in argv:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if current != text:
            print(f"{SCHEMA_FILE} is out of date; run python -m saleor_qb_sync.graphql.sdl",
                  file=sys.stderr)
            return 1
        return 0
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
