"""Clusters that grow: a problem reported in several languages this month, once the month before."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from amends.cases.models import Case
from amends.recurrence.clusters import growing_clusters
from tests.recurrence.conftest import BILLING, WASHER


def test_alike_complaints_in_four_languages_form_one_growing_cluster(
    complaint, customer_pl, customer_en, login, marta
) -> None:
    now = timezone.now()
    earlier = complaint(
        customer_en, WASHER["en"], language="en", received_at=now - timedelta(days=40)
    )
    recent = [
        complaint(customer_pl, WASHER[lang], language=lang, received_at=now - timedelta(days=d))
        for lang, d in (("pl", 10), ("fi", 5), ("bg", 1))
    ]
    bill = complaint(customer_en, BILLING, received_at=now - timedelta(days=2))
    complaint(
        customer_en, WASHER["en"], received_at=now - timedelta(days=200)
    )  # still open: in the cluster, in neither period

    (cluster, *rest) = growing_clusters(Case.objects.all(), at=now)

    assert set(cluster.cases) >= {earlier, *recent}
    assert bill not in cluster.cases
    assert (cluster.now, cluster.before) == (3, 1)
    assert cluster.growing
    assert cluster.languages == ["bg", "en", "fi", "pl"]
    assert all(bill not in c.cases or len(c.cases) == 1 for c in rest)
    page = login(marta).get(reverse("recurrence:clusters")).content.decode()
    assert recent[-1].reference in page


def test_a_lone_complaint_is_no_cluster(complaint, customer_en) -> None:
    complaint(customer_en, BILLING)
    assert growing_clusters(Case.objects.all(), at=timezone.now()) == []
