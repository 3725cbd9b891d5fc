"""Where Intuit's files are: named by environment variables, checked to exist, else a skip."""

from __future__ import annotations

import pytest

from saleor_qb_sync.testing import intuit_files
from saleor_qb_sync.testing.intuit_files import (
    SCHEMA_ENV,
    WSDL_ENV,
    schema_dir,
    schema_dir_or_skip,
    wsdl_or_skip,
    wsdl_path,
)


@pytest.fixture
def schema_folder(tmp_path):
    (tmp_path / "qbxmlops130.xsd").write_text("<xsd/>", encoding="utf-8")
    return tmp_path


def test_a_folder_holding_the_qbxml_schema_is_used(monkeypatch, schema_folder):
    # given
    monkeypatch.setenv(SCHEMA_ENV, f"  {schema_folder}  ")

    # then
    assert schema_dir() == str(schema_folder)
    assert schema_dir_or_skip() == str(schema_folder)


@pytest.mark.parametrize("value", ["", "   ", "/nonexistent/qbxml"])
def test_no_folder_or_a_missing_one_is_no_schema(monkeypatch, value):
    # given
    monkeypatch.setenv(SCHEMA_ENV, value)

    # then
    assert schema_dir() is None


def test_a_folder_without_the_schemas_main_file_is_no_schema(monkeypatch, tmp_path):
    # given
    (tmp_path / "qbxmlops120.xsd").write_text("<xsd/>", encoding="utf-8")
    monkeypatch.setenv(SCHEMA_ENV, str(tmp_path))

    # then
    assert schema_dir() is None


def test_the_wsdl_is_a_file_that_exists(monkeypatch, tmp_path):
    # given
    wsdl = tmp_path / "QBWebConnectorSvc.wsdl"
    wsdl.write_text("<definitions/>", encoding="utf-8")

    # when / then
    monkeypatch.setenv(WSDL_ENV, str(wsdl))
    assert wsdl_path() == str(wsdl) == wsdl_or_skip()
    monkeypatch.setenv(WSDL_ENV, str(tmp_path / "other.wsdl"))
    assert wsdl_path() is None
    monkeypatch.delenv(WSDL_ENV)
    assert wsdl_path() is None


@pytest.mark.parametrize(("env", "ask", "help_text"), [
    (SCHEMA_ENV, schema_dir_or_skip, intuit_files.SCHEMA_HELP),
    (WSDL_ENV, wsdl_or_skip, intuit_files.WSDL_HELP),
])
def test_without_the_file_a_test_is_skipped_saying_where_to_get_it(monkeypatch, env, ask,
                                                                   help_text):
    # given
    monkeypatch.delenv(env, raising=False)

    # when
    with pytest.raises(pytest.skip.Exception) as skipped:
        ask()

    # then
    assert str(skipped.value) == help_text
    assert env in help_text and "developer.intuit.com" in help_text
