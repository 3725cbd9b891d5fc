"""``manage.py qb_unlock``: let Web Connector log in again at once after wrong passwords.

Without options every address waits no more; ``--address`` and ``--username`` narrow it down.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ...models import LoginThrottle
from ...qbwc.login import unlock


class Command(BaseCommand):
    help = ("Forget failed Web Connector passwords, so the addresses that must wait can log in "
            "again at once (all, or those of --address / --username).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--address", help="only this client address (e.g. 203.0.113.7)")
        parser.add_argument("--username", help="only this Web Connector user name")
        parser.add_argument("--list", action="store_true",
                            help="show who has failed passwords; change nothing")

    def handle(self, *args, address=None, username=None, list=False, **options) -> None:  # noqa: A002
        if list:
            rows = LoginThrottle.objects.order_by("address", "username")
            for row in rows:
                until = row.blocked_until.isoformat() if row.blocked_until else "-"
                self.stdout.write(f"{row.address or '?'}\t{row.username}\t{row.failures} "
                                  f"failed\twaits until {until}")
            if not rows:
                self.stdout.write("No failed Web Connector passwords are counted.")
            return
        count = unlock(address=address, username=username)
        self.stdout.write(f"Unlocked {count} address/user name pair{'s' if count != 1 else ''}.")
