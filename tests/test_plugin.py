"""``plugin.py``'s settings, built from the declaration in ``preferences.py``.

Saleor is not installed here: the plugin module is loaded over a stand-in for the two Saleor
modules it imports, which hold only the names it uses. The real-Saleor tier
(``tests/saleor/test_plugin_in_saleor.py``) checks the same settings in Saleor's plugin page.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from enum import Enum
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

import saleor_qb_sync
from saleor_qb_sync.preferences import PASSWORD_FIELD, SETTINGS, Kind, Preferences


class ConfigurationTypeField:
    """Saleor's ``saleor.plugins.base_plugin.ConfigurationTypeField`` values."""

    STRING = "String"
    BOOLEAN = "Boolean"
    PASSWORD = "Password"


class PluginErrorCode(Enum):
    INVALID = "invalid"


@pytest.fixture
def plugin(monkeypatch):
    """``QuickBooksSyncPlugin``, from a copy of ``plugin.py`` not left in ``sys.modules``."""
    base_plugin = types.ModuleType("saleor.plugins.base_plugin")
    base_plugin.BasePlugin = object
    base_plugin.ConfigurationTypeField = ConfigurationTypeField
    error_codes = types.ModuleType("saleor.plugins.error_codes")
    error_codes.PluginErrorCode = PluginErrorCode
    for module in (types.ModuleType("saleor"), types.ModuleType("saleor.plugins"),
                   base_plugin, error_codes):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    path = Path(saleor_qb_sync.__file__).with_name("plugin.py")
    spec = importlib.util.spec_from_file_location("saleor_qb_sync.plugin", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.QuickBooksSyncPlugin


def test_the_plugin_page_lists_every_declared_setting_in_order(plugin):
    # when
    structure = plugin.CONFIG_STRUCTURE

    # then
    assert list(structure) == list(SETTINGS) == list(Preferences.field_names())
    for name, setting in SETTINGS.items():
        assert structure[name]["label"] == setting.label
        assert structure[name]["help_text"] == setting.help_text
    assert structure["export_mode"] == {
        "type": ConfigurationTypeField.STRING, "label": "Export mode",
        "help_text": "automatic: every new eligible order goes to QuickBooks on each Web "
        "Connector run. on_demand: only orders staff queue in Transfer orders."}


def test_each_kind_of_setting_gets_its_box_on_the_plugin_page(plugin):
    # when
    types_by_name = {name: field["type"] for name, field in plugin.CONFIG_STRUCTURE.items()}

    # then
    assert types_by_name["check_duplicates"] == ConfigurationTypeField.BOOLEAN
    assert types_by_name[PASSWORD_FIELD] == ConfigurationTypeField.PASSWORD
    assert {types_by_name[name] for name, setting in SETTINGS.items()
            if setting.kind not in (Kind.BOOLEAN, Kind.PASSWORD)} == {ConfigurationTypeField.STRING}


def test_the_default_configuration_holds_the_declared_defaults(plugin):
    # when
    defaults = {item["name"]: item["value"] for item in plugin.DEFAULT_CONFIGURATION}

    # then
    assert list(defaults) == list(SETTINGS)
    assert defaults["orders_per_request"] == 250
    assert defaults["eligible_statuses"] == "unfulfilled,partially fulfilled,fulfilled"
    assert defaults["check_duplicates"] is True
    assert Preferences.from_config(defaults) == Preferences()


def test_saving_keeps_only_a_hash_of_the_password_setting(plugin, settings):
    # given
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    configuration = types.SimpleNamespace(configuration=[
        {"name": PASSWORD_FIELD, "value": "s3cret"}, {"name": "class_name", "value": "s3cret"}])

    # when
    plugin.pre_save_plugin_configuration(configuration)

    # then
    password, class_name = (item["value"] for item in configuration.configuration)
    assert check_password("s3cret", password)
    assert class_name == "s3cret"


def test_an_invalid_configuration_names_each_field_with_its_parsers_reason(plugin):
    # given
    configuration = types.SimpleNamespace(configuration=[
        {"name": "export_mode", "value": "sometimes"},
        {"name": "orders_per_request", "value": "5000"}])

    # when
    with pytest.raises(ValidationError) as raised:
        plugin.validate_plugin_configuration(configuration)

    # then
    errors = raised.value.error_dict
    assert set(errors) == {"export_mode", "orders_per_request"}
    assert errors["orders_per_request"][0].message == (
        "orders_per_request: must be between 1 and 500")
    assert errors["orders_per_request"][0].code == "invalid"


def test_the_plugin_page_checks_the_names_it_saves_against_quickbooks_lists(plugin, db):
    # given: Web Connector has read QuickBooks' classes
    from saleor_qb_sync import quickbooks_lists
    from saleor_qb_sync.qbxml.lists import ListEntry

    started = quickbooks_lists.clock.now()
    quickbooks_lists.store("classes", [ListEntry(
        list_id="K1", name="Web", full_name="Web", record_type="", is_active=True,
        edit_sequence="1", time_modified=None)])
    quickbooks_lists.finish("classes", started, full=True, records=1, round_trips=1)
    configuration = types.SimpleNamespace(configuration=[
        {"name": "class_name", "value": "Retail"}])

    # when
    with pytest.raises(ValidationError) as raised:
        plugin.validate_plugin_configuration(configuration)

    # then
    errors = raised.value.error_dict
    assert list(errors) == ["class_name"]
    assert 'QuickBooks has no class named "Retail"' in errors["class_name"][0].message
    configuration.configuration[0]["value"] = "web"
    plugin.validate_plugin_configuration(configuration)  # a name QuickBooks has: saved
