"""Sample orders for the standalone server: the order source when Saleor is not there.

One row per order with the columns the preview filters on and counts, and beside it, in a table
of its own, the full ``OrderDocument`` as JSON (``documents.document_to_json``): counting 100,000
orders then reads narrow rows, not their documents, as Saleor keeps an order's lines apart from
it. Only the standalone app has these tables; they never exist inside Saleor.
"""

from __future__ import annotations

from django.db import models


class SampleOrder(models.Model):
    order_id = models.UUIDField(primary_key=True)
    number = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField()
    channel_slug = models.CharField(max_length=255)
    status = models.CharField(max_length=32)
    charge_status = models.CharField(max_length=32)
    currency = models.CharField(max_length=3)
    total_gross = models.DecimalField(max_digits=20, decimal_places=3)
    customer_email = models.CharField(max_length=254)
    customer_user_id = models.CharField(max_length=64, null=True, blank=True)
    customer_name = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        app_label = "qb_sync_standalone"
        indexes = [
            models.Index(fields=["created_at", "number"], name="qb_sample_created"),
            models.Index(fields=["customer_email", "created_at"], name="qb_sample_email"),
            models.Index(fields=["customer_user_id", "created_at"], name="qb_sample_user"),
            models.Index(fields=["status", "created_at"], name="qb_sample_status"),
        ]


class SampleOrderDocument(models.Model):
    """The whole order, read only when its page is shown or it is exported (``load``)."""

    order = models.OneToOneField(SampleOrder, primary_key=True, on_delete=models.CASCADE,
                                 related_name="+")
    document = models.JSONField()

    class Meta:
        app_label = "qb_sync_standalone"


class StoredPreferences(models.Model):
    """Preferences changed from the app's Settings tab (the plugin configuration, in Saleor).

    One row; ``configuration`` holds only the changed values (raw, as the plugin stores them,
    the password as a hash) and wins over ``settings.SALEOR_QB_SYNC_PREFERENCES``.
    """

    configuration = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        app_label = "qb_sync_standalone"
