"""The Django app: its label, and that our tables never point at Saleor's (or any other app's)."""

from __future__ import annotations

from django.apps import apps
from django.db import models


def test_the_app_is_installed_under_its_own_label():
    # when
    config = apps.get_app_config("saleor_qb_sync")

    # then
    assert config.name == "saleor_qb_sync"
    assert config.verbose_name == "QuickBooks Desktop sync"


def test_every_table_has_a_64_bit_id_so_the_ledger_never_runs_out():
    # given
    config = apps.get_app_config("saleor_qb_sync")

    # then: an explicit primary key is fine; an automatic one is a BigAutoField
    automatic = [model for model in config.get_models()
                 if isinstance(model._meta.pk, models.AutoField | models.BigAutoField)
                 and model._meta.pk.auto_created]
    assert automatic
    assert all(isinstance(model._meta.pk, models.BigAutoField) for model in automatic)


def test_no_table_references_a_table_outside_the_app():
    # given: Saleor's orders are kept by id, so Saleor can change without our migrations
    config = apps.get_app_config("saleor_qb_sync")

    # when
    outside = [f"{model.__name__}.{field.name} → {field.related_model._meta.label}"
               for model in config.get_models() for field in model._meta.get_fields()
               if field.is_relation and field.concrete and field.related_model is not None
               and field.related_model._meta.app_label != config.label]

    # then
    assert outside == []
