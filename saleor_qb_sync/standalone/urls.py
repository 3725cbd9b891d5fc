"""Routes of the standalone server: the plugin's routes under the same prefix Saleor uses."""

from django.urls import path

urlpatterns: list = []
