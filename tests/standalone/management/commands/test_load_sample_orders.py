"""``manage load_sample_orders``: what `make serve` runs to give the standalone store orders."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from saleor_qb_sync.standalone.models import SampleOrder
from saleor_qb_sync.testing.saleor_sample import sample_path

pytestmark = pytest.mark.django_db


def load(*args, **options) -> str:
    out = StringIO()
    call_command("load_sample_orders", *args, stdout=out, **options)
    return out.getvalue()


def test_load_sample_orders_fills_an_empty_store_once():
    # when
    first = load(count=15)
    second = load(count=15)

    # then: 15 generated orders plus the real Saleor sample, and the second call adds nothing
    stored = SampleOrder.objects.count()
    assert stored >= 15
    assert (first + second).splitlines() == [f"stored {stored} sample orders",
                                             f"{stored} sample orders already stored"]


def test_generated_orders_are_numbered_from_1001_and_the_real_sample_keeps_its_numbers(
        monkeypatch, tmp_path):
    # given: no real sample on this machine
    monkeypatch.setenv("SALEOR_SAMPLE", str(tmp_path / "absent.json"))

    # when
    output = load(count=5)

    # then
    assert output == "stored 5 sample orders\n"
    assert sorted(SampleOrder.objects.values_list("number", flat=True)) == list(
        range(1001, 1006))


def test_force_loads_again_into_a_store_that_has_orders(monkeypatch, tmp_path):
    # given
    monkeypatch.setenv("SALEOR_SAMPLE", str(tmp_path / "absent.json"))
    load(count=3)

    # when: the same seed gives the same first orders again, which are already there
    output = load("--force", "--count", "6")

    # then: only the three new ones are stored
    assert output == "stored 3 sample orders\n"
    assert SampleOrder.objects.count() == 6


def test_force_with_another_seed_adds_orders(monkeypatch, tmp_path):
    # given
    monkeypatch.setenv("SALEOR_SAMPLE", str(tmp_path / "absent.json"))
    load(count=3)

    # when
    with transaction.atomic():
        load("--force", "--count", "3", "--seed", "7")

    # then: numbered after the stored ones; the same seed again adds nothing
    assert SampleOrder.objects.count() == 6
    assert sorted(SampleOrder.objects.values_list("number", flat=True)) == list(
        range(1001, 1007))
    load("--force", "--count", "3", "--seed", "7")
    assert SampleOrder.objects.count() == 6


@pytest.mark.skipif(not sample_path().exists(), reason="the real Saleor sample is not here")
def test_the_real_saleor_sample_is_added_when_present():
    # when
    load(count=1)

    # then: its orders are numbered 1 to 20
    assert set(range(1, 21)) <= set(SampleOrder.objects.values_list("number", flat=True))
