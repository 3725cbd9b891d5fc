"""Fixtures for the GraphQL API: ``api(query, variables, token=...)`` posts to our endpoint."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from tests.conftest import STAFF_TOKEN

URL = "/plugins/global/saleor_qb_sync/graphql/"
#: a staff member with MANAGE_ORDERS restricted to the channel "default-channel"
USD_ONLY_TOKEN = "usd-only-token"
#: a staff member without MANAGE_ORDERS
NO_PERMISSION_TOKEN = "no-permission-token"


@dataclass
class ApiResponse:
    status: int
    content: dict

    @property
    def data(self) -> dict:
        assert "errors" not in self.content, self.content
        return self.content["data"]

    @property
    def error_codes(self) -> list[str]:
        return [e["extensions"]["exception"]["code"] for e in self.content.get("errors", [])]


@pytest.fixture(autouse=True)
def _store(configure):
    """Every test runs against the standalone test store, with its development tokens."""


@pytest.fixture
def api(db, client):
    def call(query: str, variables: dict | None = None, *, token: str | None = STAFF_TOKEN,
             **extra) -> ApiResponse:
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        response = client.post(URL, data=json.dumps({"query": query, "variables": variables}),
                               content_type="application/json", **extra)
        return ApiResponse(response.status_code, response.json())

    return call


def edges(connection: dict) -> list[dict]:
    return [edge["node"] for edge in connection["edges"]]


def paginate(api, query: str, field: str, variables: dict | None = None, *, first: int = 7,
             token: str = STAFF_TOKEN) -> list[dict]:
    """Every node of a connection, page after page."""
    nodes: list[dict] = []
    after = None
    for _ in range(1000):
        result = api(query, {**(variables or {}), "first": first, "after": after}, token=token)
        connection = result.data[field]
        nodes.extend(edges(connection))
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]
    raise AssertionError("pagination did not end")
