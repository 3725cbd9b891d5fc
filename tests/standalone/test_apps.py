"""The standalone app: its own label, its tables apart from the plugin's."""

from django.apps import apps
from django.db import models

from saleor_qb_sync.standalone.models import SampleOrder, SampleOrderDocument, StoredPreferences


def test_the_standalone_app_has_its_own_label_and_tables():
    # when
    config = apps.get_app_config("qb_sync_standalone")

    # then
    assert config.name == "saleor_qb_sync.standalone"
    assert set(config.get_models()) == {SampleOrder, SampleOrderDocument, StoredPreferences}
    assert SampleOrder._meta.db_table.startswith("qb_sync_standalone_")


def test_an_automatic_id_is_64_bit():
    # then
    assert isinstance(StoredPreferences._meta.pk, models.BigAutoField)
