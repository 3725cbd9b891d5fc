"""Store the e2e's sample orders (run after ``migrate`` on a fresh database)."""

import django

django.setup()

from saleor_qb_sync.standalone.order_source import store_sample_orders  # noqa: E402
from saleor_qb_sync.testing.sample_orders import generate_orders  # noqa: E402

print(store_sample_orders(generate_orders(30)), "sample orders stored")
