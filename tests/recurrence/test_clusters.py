"""Clusters that grow: a problem reported in several languages this month, once the month before."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import Case, State
from amends.recurrence import clusters, similar
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


HISTORY = [
    ("Parcel late", "My parcel was promised for Monday and came a week later, nobody told me."),
    ("Rude staff", "The shop assistant was rude to me when I asked about the warranty."),
    ("Screen cracked", "The phone I bought has a cracked screen straight out of the box."),
    ("Wrong size", "You sent trousers in size 40 instead of the 34 I ordered."),
]


def test_centred_on_a_varied_history_the_washing_machine_is_still_one_cluster(
    complaint, customer_pl, customer_en, ania, monkeypatch
) -> None:
    monkeypatch.setattr(clusters, "HISTORY_MIN", len(HISTORY))
    now = timezone.now()
    for text in HISTORY:  # closed complaints from before both periods: the desk's history
        old = complaint(customer_en, text, owner=ania, received_at=now - timedelta(days=90))
        Case.objects.filter(pk=old.pk).update(state=State.CLOSED)
    washers = [
        complaint(customer_pl, WASHER[lang], language=lang, received_at=now - timedelta(days=d))
        for lang, d in (("en", 20), ("pl", 10), ("fi", 5), ("bg", 1))
    ]
    bill = complaint(customer_en, BILLING, received_at=now - timedelta(days=2))

    (cluster, *rest) = growing_clusters(Case.objects.all(), at=now)

    assert set(cluster.cases) == set(washers)
    assert all(bill not in c.cases for c in [cluster, *rest])


def test_history_centring_takes_away_what_every_complaint_of_the_desk_shares() -> None:
    rng = np.random.default_rng(1)
    common = rng.standard_normal(similar.DIMENSIONS)

    def stored(n: int) -> np.ndarray:  # unit vectors, as stored
        v = common + 0.6 * rng.standard_normal((n, similar.DIMENSIONS))
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    history = stored(50)
    a, b = stored(2)
    assert a @ b > 0.7, "alike only through the desk's common part"

    ca, cb = similar.history_centred(np.vstack([a, b]), history)

    assert abs(ca @ cb) < 0.2
    assert np.isclose(np.linalg.norm(ca), 1.0)
