from django.apps import AppConfig


class StandaloneConfig(AppConfig):
    name = "saleor_qb_sync.standalone"
    label = "qb_sync_standalone"
    default_auto_field = "django.db.models.BigAutoField"
