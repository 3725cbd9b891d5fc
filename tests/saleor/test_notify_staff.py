"""The Web Connector outage alert inside Saleor: who ``SaleorHost.notify_staff`` e-mails, read
from Saleor's own users, permission groups and permissions."""

from __future__ import annotations

from saleor.account.models import User

from saleor_qb_sync.preferences import Preferences
from saleor_qb_sync.saleor_host.host import SaleorHost


def staff(email: str, **fields) -> User:
    return User.objects.create(**{"email": email, "is_staff": True, "is_active": True, **fields})


def test_the_alert_goes_to_staff_who_manage_orders_by_group_directly_or_as_superuser(
        permission_group_manage_orders, permission_manage_orders, mailoutbox):
    # given: one member of Saleor's "manage orders" group (from Saleor's fixture), one with
    # the permission of their own, a superuser, and three who must not be told
    in_group = permission_group_manage_orders.user_set.get()
    direct = staff("direct@example.com")
    direct.user_permissions.add(permission_manage_orders)
    boss = staff("boss@example.com", is_superuser=True)
    staff("no-permission@example.com")
    gone = staff("gone@example.com", is_active=False)
    gone.user_permissions.add(permission_manage_orders)
    User.objects.create(email="customer@example.com", is_active=True)

    # when
    recipients = SaleorHost(Preferences()).notify_staff("Web Connector stopped",
                                                       "It missed three runs.")

    # then: one e-mail to exactly those three, through Django's mail as Saleor configures it
    assert recipients == sorted([in_group.email, direct.email, boss.email])
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == recipients
    assert mailoutbox[0].subject == "Web Connector stopped"


def test_with_nobody_to_tell_no_mail_is_sent(db, mailoutbox):
    staff("no-permission@example.com")
    assert SaleorHost(Preferences()).notify_staff("Subject", "Body") == []
    assert mailoutbox == []
