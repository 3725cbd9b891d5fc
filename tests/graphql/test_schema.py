from __future__ import annotations

from graphql.type import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from saleor_qb_sync.graphql.schema import schema
from saleor_qb_sync.graphql.sdl import SCHEMA_FILE, printed_schema

OPERATIONS = {
    "Query": {"qbOrderTransferPreview", "qbOrderExport", "qbCustomers", "qbPendingOperations",
              "qbTransferHistory", "qbSyncStatus", "qbWebConnectorFile",
              "qbSettings", "qbChannels", "qbQuickBooksLists",
              "qbQuickBooksListEntries",
              "qbItemMappings", "qbUnmappedSkus", "qbCustomerMappings", "qbUnmappedCustomers"},
    "Mutation": {"qbOrderTransferQueue", "qbFollowUpsQueue", "qbPendingOperationDelete",
                 "qbOrderExportReset", "qbOrderUpdateInQuickbooks",
                 "qbFailedOrdersRetry", "qbOrdersDryRun",
                 "qbSettingsUpdate", "qbQuickBooksListsRefresh",
                 "qbItemMappingSet", "qbItemMappingDelete", "qbCustomerMappingSet",
                 "qbCustomerMappingDelete"},
}


def test_committed_schema_is_up_to_date():
    # when
    printed = printed_schema()

    # then
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed, (
        "saleor_qb_sync/graphql/schema.graphql is out of date; regenerate it with "
        "`python -m saleor_qb_sync.graphql.sdl`")


def test_the_public_operations_exist():
    # then
    assert set(schema.get_query_type().fields) == OPERATIONS["Query"]
    assert set(schema.get_mutation_type().fields) == OPERATIONS["Mutation"]


def test_every_type_field_and_argument_is_described():
    # given
    missing = []

    # when
    for name, type_ in schema.get_type_map().items():
        if name.startswith("__") or name in ("Query", "Mutation", "String", "Boolean", "Int",
                                             "Float", "ID"):
            if name not in ("Query", "Mutation"):
                continue
        elif not type_.description:
            missing.append(name)
        if isinstance(type_, GraphQLObjectType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing.extend(f"{name}.{field_name}({arg})"
                               for arg, value in field.args.items() if not value.description)
        elif isinstance(type_, GraphQLInputObjectType):
            missing.extend(f"{name}.{f}" for f, value in type_.fields.items()
                           if not value.description)
        elif isinstance(type_, GraphQLEnumType):
            missing.extend(f"{name}.{v.name}" for v in type_.values if not v.description)

    # then
    assert missing == []


def test_our_type_names_do_not_collide_with_saleors():
    # given
    shared = {"Query", "Mutation", "PageInfo", "Date", "DateTime", "String", "Boolean", "Int",
              "Float", "ID"}

    # then
    assert all(name.startswith(("Qb", "__")) or name in shared
               for name in schema.get_type_map())
