"""Print the schema as SDL with its descriptions; ``schema.graphql`` is this output, committed.

graphql-core 2's ``print_schema`` leaves descriptions out (Saleor prints its own for the same
reason), and here the schema is the documentation. Regenerate after changing the schema::

    python -m saleor_qb_sync.graphql.sdl            # writes saleor_qb_sync/graphql/schema.graphql
    python -m saleor_qb_sync.graphql.sdl --check    # exits 1 when the file is out of date
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SCHEMA_FILE = Path(__file__).with_name("schema.graphql")
BUILTIN_SCALARS = frozenset({"String", "Boolean", "Int", "Float", "ID"})


def printed_schema() -> str:
    from .schema import schema

    return print_schema(schema)


def print_schema(schema) -> str:
    from graphql.type import (
        GraphQLEnumType,
        GraphQLInputObjectType,
        GraphQLInterfaceType,
        GraphQLObjectType,
        GraphQLScalarType,
        GraphQLUnionType,
    )

    roots = [("query", schema.get_query_type()), ("mutation", schema.get_mutation_type()),
             ("subscription", schema.get_subscription_type())]
    blocks = ["schema {\n" + "".join(f"  {op}: {t.name}\n" for op, t in roots if t) + "}"]
    for name, type_ in sorted(schema.get_type_map().items()):
        if name.startswith("__") or name in BUILTIN_SCALARS:
            continue
        head = _description(type_.description, "")
        if isinstance(type_, GraphQLScalarType):
            blocks.append(f"{head}scalar {name}")
        elif isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            keyword = "type" if isinstance(type_, GraphQLObjectType) else "interface"
            interfaces = getattr(type_, "interfaces", None) or ()
            implements = (" implements " + " & ".join(i.name for i in interfaces)
                          if interfaces else "")
            blocks.append(f"{head}{keyword} {name}{implements} {{\n"
                          + "".join(_field(n, f) for n, f in type_.fields.items()) + "}")
        elif isinstance(type_, GraphQLUnionType):
            blocks.append(f"{head}union {name} = " + " | ".join(t.name for t in type_.types))
        elif isinstance(type_, GraphQLEnumType):
            blocks.append(f"{head}enum {name} {{\n" + "".join(
                _description(v.description, "  ") + f"  {v.name}{_deprecated(v)}\n"
                for v in type_.values) + "}")
        elif isinstance(type_, GraphQLInputObjectType):
            blocks.append(f"{head}input {name} {{\n" + "".join(
                _description(f.description, "  ") + f"  {_input_value(n, f)}\n"
                for n, f in type_.fields.items()) + "}")
    return "\n\n".join(blocks) + "\n"


def _description(text: str | None, indent: str) -> str:
    if not text:
        return ""
    text = text.replace('"""', '\\"""')
    if "\n" not in text and len(text) + len(indent) <= 92:
        return f'{indent}"""{text}"""\n'
    lines = "".join(f"{indent}{line}\n" if line else "\n" for line in text.split("\n"))
    return f'{indent}"""\n{lines}{indent}"""\n'


def _field(name: str, field) -> str:
    args = ""
    if field.args:
        args = "(\n" + "".join(
            _description(a.description, "    ") + f"    {_input_value(n, a)}\n"
            for n, a in field.args.items()) + "  )"
    return (_description(field.description, "  ")
            + f"  {name}{args}: {field.type}{_deprecated(field)}\n")


def _input_value(name: str, value) -> str:
    from graphql.language.printer import print_ast
    from graphql.utils.ast_from_value import ast_from_value

    default = ""
    if value.default_value is not None:
        default = " = " + print_ast(ast_from_value(value.default_value, value.type))
    return f"{name}: {value.type}{default}"


def _deprecated(item) -> str:
    reason = getattr(item, "deprecation_reason", None)
    if reason is None:
        return ""
    return f' @deprecated(reason: "{reason}")'


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
