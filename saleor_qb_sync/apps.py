"""Django app configuration: our tables live in Saleor's database but never reference its tables."""

from django.apps import AppConfig


class SaleorQbSyncConfig(AppConfig):
    name = "saleor_qb_sync"
    label = "saleor_qb_sync"
    verbose_name = "QuickBooks Desktop sync"
    default_auto_field = "django.db.models.BigAutoField"
