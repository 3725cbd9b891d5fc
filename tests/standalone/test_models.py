"""The standalone tables' own guarantees, enforced by PostgreSQL."""

from __future__ import annotations

import time

import pytest
from django.db import IntegrityError, transaction

from saleor_qb_sync.standalone.models import SampleOrder, SampleOrderDocument, StoredPreferences
from saleor_qb_sync.standalone.order_source import store_sample_orders
from saleor_qb_sync.testing.sample_orders import generate_orders

pytestmark = pytest.mark.django_db


def test_an_order_number_is_one_orders_only():
    # given
    first, second = generate_orders(2, seed=1)
    store_sample_orders([first])
    row = SampleOrder.objects.get()

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        SampleOrder.objects.create(**{
            f.attname: getattr(row, f.attname) for f in SampleOrder._meta.concrete_fields
            if f.attname != "order_id"}, order_id=second.order_id)


def test_the_order_row_holds_no_document_and_its_document_goes_with_it():
    # given: the columns a count reads stay narrow; the document lives beside them
    first, second = generate_orders(2, seed=1)
    store_sample_orders([first, second])

    # when
    SampleOrder.objects.filter(order_id=first.order_id).delete()

    # then
    assert "document" not in {f.name for f in SampleOrder._meta.concrete_fields}
    assert [str(pk) for pk in SampleOrderDocument.objects.values_list("order_id", flat=True)] \
        == [second.order_id]


def test_stored_preferences_start_empty_and_record_when_they_changed():
    # given
    stored = StoredPreferences.objects.create()
    other = StoredPreferences(pk=2)
    first_saved = stored.updated_at

    # when
    stored.configuration["export_mode"] = "automatic"
    time.sleep(0.01)
    stored.save()
    stored.refresh_from_db()

    # then: defaults are not shared between rows
    assert other.configuration == {}
    assert stored.configuration == {"export_mode": "automatic"}
    assert stored.updated_at > first_saved
    assert stored.updated_by == ""
