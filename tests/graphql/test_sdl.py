"""The SDL printer: descriptions kept (graphql-core 2's own printer drops them), and ``--check``.

That the committed ``schema.graphql`` is the printer's output for our schema is
``test_schema.py``'s; here the printer is given a small schema of each kind of type.
"""

from __future__ import annotations

import graphene
import pytest

from saleor_qb_sync.graphql import sdl
from saleor_qb_sync.graphql.sdl import print_schema


class Colour(graphene.Enum):
    class Meta:
        description = "A colour."

    RED = "red"
    BLUE = "blue"

    @property
    def description(self):
        return "The sky's." if self == Colour.BLUE else None


class Node(graphene.Interface):
    id = graphene.ID(required=True, description="An id.")


class Filter(graphene.InputObjectType):
    limit = graphene.Int(default_value=10, description="At most this many.")
    exact = graphene.Boolean(default_value=False)

    class Meta:
        description = "How to filter."


class Thing(graphene.ObjectType):
    name = graphene.String(description="x" * 95)
    old = graphene.String(deprecation_reason="Use name.")
    colour = graphene.Field(Colour)

    class Meta:
        interfaces = (Node,)
        description = 'A thing with a """quoted""" description.\n\nOn two paragraphs.'


class Query(graphene.ObjectType):
    things = graphene.List(graphene.NonNull(Thing), description="Things.",
                           filter=Filter(description="The filter."),
                           first=graphene.Int(default_value=20))


SCHEMA = graphene.Schema(query=Query, types=[Thing])


@pytest.fixture(scope="module")
def printed() -> str:
    return print_schema(SCHEMA)


def block(printed: str, head: str) -> str:
    """The printed block that contains ``head`` (blocks are separated by a blank line, and a
    description may hold one of its own: the block runs to the closing brace)."""
    start = printed.index(head)
    start = printed.rfind("\n\n", 0, start) + 2 if "\n\n" in printed[:start] else 0
    end = printed.find("\n}", start)
    return printed[start:end + 2]


def test_the_schema_block_names_the_root_types_and_builtin_scalars_are_left_out(printed):
    # then
    assert printed.startswith("schema {\n  query: Query\n}\n\n")
    assert "scalar String" not in printed and "__Schema" not in printed
    assert printed.endswith("}\n")


def test_an_enum_keeps_its_own_and_its_values_descriptions(printed):
    # then
    assert block(printed, "enum Colour") == (
        '"""A colour."""\nenum Colour {\n  RED\n  """The sky\'s."""\n  BLUE\n}')


def test_an_input_keeps_its_descriptions_and_defaults_in_graphql_syntax(printed):
    # then
    assert block(printed, "input Filter") == (
        '"""How to filter."""\ninput Filter {\n  """At most this many."""\n  limit: Int = 10\n'
        "  exact: Boolean = false\n}")


def test_arguments_are_printed_one_per_line_with_their_descriptions(printed):
    # then
    assert block(printed, "type Query") == (
        'type Query {\n  """Things."""\n  things(\n    """The filter."""\n    filter: Filter\n'
        "    first: Int = 20\n  ): [Thing!]\n}")


def test_long_and_multi_line_descriptions_get_a_block_and_quotes_inside_are_escaped(printed):
    # when
    thing = printed[printed.index('"""\nA thing'):]

    # then
    assert thing.startswith('"""\nA thing with a \\"""quoted\\""" description.\n\n'
                            'On two paragraphs.\n"""\ntype Thing implements Node {\n')
    assert f'  """\n  {"x" * 95}\n  """\n  name: String\n' in thing
    assert '  old: String @deprecated(reason: "Use name.")\n' in thing
    assert '  """An id."""\n  id: ID!\n' in block(printed, "interface Node")


def test_check_fails_on_a_stale_file_and_passes_on_a_fresh_one(tmp_path, monkeypatch, capsys):
    # given
    target = tmp_path / "schema.graphql"
    monkeypatch.setattr(sdl, "SCHEMA_FILE", target)
    monkeypatch.setattr(sdl, "printed_schema", lambda: "type Query { a: Int }\n")

    # when: missing, then written, then changed by hand
    missing = sdl.main(["--check"])
    written = sdl.main([])
    fresh = sdl.main(["--check"])
    target.write_text("type Query { b: Int }\n", encoding="utf-8")
    stale = sdl.main(["--check"])

    # then
    assert (missing, written, fresh, stale) == (1, 0, 0, 1)
    assert target.read_text(encoding="utf-8") == "type Query { b: Int }\n"  # check writes nothing
    assert "is out of date; run python -m saleor_qb_sync.graphql.sdl" in capsys.readouterr().err
