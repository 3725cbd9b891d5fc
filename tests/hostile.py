"""Helpers of the hostile-input tests: what "nothing was written" means, and answer shapes."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

#: the apps whose tables a refused request must leave as they were
OUR_APPS = ("saleor_qb_sync", "qb_sync_standalone")


def row_counts() -> dict[str, int]:
    """Rows in each of our tables (ledger, operations, sessions, sample orders, settings)."""
    existing = set(connection.introspection.table_names())
    return {model._meta.db_table: model.objects.count()
            for label in OUR_APPS for model in apps.get_app_config(label).get_models()
            if model._meta.db_table in existing}


def is_html(response) -> bool:
    return "html" in response.get("Content-Type", "").lower()
