"""``manage load_sample_orders``: give the standalone store orders to preview and export."""

from django.core.management.base import BaseCommand
from django.db.models import Max

from ...models import SampleOrder
from ...order_source import store_sample_orders


class Command(BaseCommand):
    help = ("Store generated sample orders (and the real Saleor sample when present) in the "
            "standalone server's order table; does nothing when it already has orders.")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=200)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true",
                            help="add even if orders exist (another --seed adds other orders)")

    def handle(self, *args, count, seed, force, **options):
        from saleor_qb_sync.testing.saleor_sample import load_sample_orders, sample_path
        from saleor_qb_sync.testing.sample_orders import generate_orders

        if SampleOrder.objects.exists() and not force:
            self.stdout.write(f"{SampleOrder.objects.count()} sample orders already stored")
            return
        # numbered after what is stored, so --force with another seed adds orders; orders
        # already stored (the same seed again) are left as they are
        highest = SampleOrder.objects.aggregate(highest=Max("number"))["highest"] or 0
        stored_ids = {str(pk) for pk in SampleOrder.objects.values_list("order_id", flat=True)}
        documents = [d for d in generate_orders(count, seed=seed,
                                                start_number=max(1001, highest + 1))
                     if d.order_id not in stored_ids]
        if sample_path().exists():
            documents += load_sample_orders()
        stored = store_sample_orders(documents)
        self.stdout.write(f"stored {stored} sample orders")
