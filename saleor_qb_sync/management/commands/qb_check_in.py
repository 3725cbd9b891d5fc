"""``manage.py qb_check_in``: warn staff when Web Connector has stopped checking in.

The Dashboard's status query runs the same check whenever someone looks; this command is for a
schedule (cron, a Kubernetes CronJob, celery beat calling ``call_command``) so the warning goes out
even when nobody opens the Dashboard. Run it every few minutes: the staff who manage orders get
one e-mail per outage however often it runs (``checkin.alert_if_overdue``).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...checkin import alert_if_overdue


def current_host():
    """The Saleor host when we run inside Saleor (with the plugin's own settings), else the
    standalone one."""
    try:
        from saleor.plugins.manager import get_plugins_manager
    except ImportError:
        from ...standalone.host import StandaloneHost

        return StandaloneHost()
    from ...plugin import QuickBooksSyncPlugin
    from ...saleor_host.host import SaleorHost

    plugin = get_plugins_manager(allow_replica=False).get_plugin(QuickBooksSyncPlugin.PLUGIN_ID)
    if plugin is None or not plugin.active:
        raise CommandError("The QuickBooks plugin (saleor_qb_sync) is not active: nothing to "
                           "check.")
    if plugin.preferences is None:
        raise CommandError("The QuickBooks plugin's settings are not valid; fix them on the "
                           "plugin page first.")
    return SaleorHost(plugin.preferences)


class Command(BaseCommand):
    help = ("Warn the staff who manage orders (once per outage) when Web Connector has missed "
            "several of its scheduled runs.")

    def handle(self, *args, **options) -> None:
        host = current_host()
        status = alert_if_overdue(host.preferences(), host.notify_staff, timezone.now())
        if status.last_check_in is None:
            self.stdout.write("Web Connector has not checked in yet.")
        elif status.overdue:
            last = f"{status.last_check_in:%Y-%m-%d %H:%M}"
            due = f"{status.expected_by:%Y-%m-%d %H:%M}"
            self.stdout.write(f"Web Connector is overdue: last check-in {last} UTC, expected by "
                              f"{due} UTC; staff were told (once per outage).")
        else:
            self.stdout.write(f"Web Connector is on schedule: last check-in "
                              f"{status.last_check_in:%Y-%m-%d %H:%M} UTC.")
