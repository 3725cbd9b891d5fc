"""The standalone server's own commands: what `make serve` runs before it serves."""

from io import StringIO

import pytest
from django.core.management import call_command

from saleor_qb_sync.standalone.models import SampleOrder


@pytest.mark.django_db
def test_load_sample_orders_fills_an_empty_store_once():
    # given
    out = StringIO()

    # when
    call_command("load_sample_orders", count=15, stdout=out)
    call_command("load_sample_orders", count=15, stdout=out)

    # then: 15 generated orders plus the real Saleor sample, and the second call adds nothing
    stored = SampleOrder.objects.count()
    assert stored >= 15
    assert out.getvalue().splitlines() == [f"stored {stored} sample orders",
                                           f"{stored} sample orders already stored"]


@pytest.mark.django_db
def test_the_standalone_routes_serve_soap_and_refuse_strangers(client, configure):
    # when
    soap = client.get("/plugins/global/saleor_qb_sync/qbwc")
    qwc = client.get("/plugins/global/saleor_qb_sync/qwc")
    unknown = client.get("/plugins/global/saleor_qb_sync/nothing-here")

    # then
    assert soap.status_code == 200
    assert qwc.status_code == 401
    assert unknown.status_code == 404
