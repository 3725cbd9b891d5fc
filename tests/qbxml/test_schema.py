"""Loading Intuit's qbXML schema, and saying clearly where to get it when it is missing."""

from __future__ import annotations

import pytest

from saleor_qb_sync.errors import QbSyncError
from saleor_qb_sync.qbxml import build
from saleor_qb_sync.qbxml.schema import SCHEMA_DIR_ENV, SchemaUnavailable, load_schema, validate


def test_an_unset_schema_folder_says_which_variable_to_set_and_where_the_files_come_from(
    monkeypatch,
):
    # given
    monkeypatch.delenv(SCHEMA_DIR_ENV, raising=False)
    # when
    with pytest.raises(SchemaUnavailable) as caught:
        load_schema()
    # then
    assert isinstance(caught.value, QbSyncError)
    assert caught.value.code == "schema_unavailable"
    assert SCHEMA_DIR_ENV in str(caught.value)
    assert "QuickBooks Desktop SDK" in str(caught.value)


def test_a_folder_without_the_schema_files_names_the_missing_files(tmp_path):
    # given
    (tmp_path / "qbxmlops130.xsd").write_text("<not-a-schema/>")
    # when
    with pytest.raises(SchemaUnavailable) as caught:
        load_schema(tmp_path)
    # then
    assert "qbxml130.xsd" in str(caught.value)
    assert "qbxmlops130.xsd" not in str(caught.value).split(" not found")[0]


def test_a_broken_schema_file_is_reported_as_unavailable_not_as_a_crash(tmp_path):
    # given
    for name in ("qbxmlops130.xsd", "qbxml130.xsd", "qbxmltypes130.xsd", "qbxmlso130.xsd"):
        (tmp_path / name).write_text("<oops")
    # when / then
    with pytest.raises(SchemaUnavailable, match="not a usable qbXML schema"):
        load_schema(tmp_path)


@pytest.mark.schema
def test_the_schema_is_loaded_once_per_folder(qbxml_schema):
    assert load_schema() is load_schema()


@pytest.mark.schema
def test_validation_lists_each_problem_with_its_line(qbxml_schema):
    # given: a customer add without its required Name
    rq = build.customer_query(["Doe, Jane"], "1")
    rq.tag = "CustomerAddRq"
    # when
    errors = validate(build.message_set([rq]), qbxml_schema)
    # then
    assert errors and all(e.startswith("line ") for e in errors)
