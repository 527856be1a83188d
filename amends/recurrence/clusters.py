"""Groups of alike complaints for managers: which problems come back, and which grow.

Open cases and those received in the last two periods are grouped greedily in the order they
arrived: a case joins the group whose centre it is most like, if that cosine (e5) reaches
CLUSTER_THRESHOLD, else it starts a group. One pass, O(cases x groups), over stored vectors.
Once the desk has HISTORY_MIN older cases, the vectors are first centred on the mean of the
newest HISTORY_SAMPLE of them (similar.history_centred): within one business the stored
cosines of unrelated complaints are high, and on the CFPB sample 0.40 put 99 % of them in one
group; centred, 95 % of a group's complaints share their product (bench/cluster_eval.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.db.models import Q

from amends.cases.models import OPEN_STATES, Case, CaseQuerySet
from amends.recurrence import similar
from amends.recurrence.models import CaseEmbedding

# Cosine at which two complaints are about the same problem: our four-language washing-machine
# pairs score 0.46-0.60 and unrelated complaints at most 0.31 (stored vectors); on the CFPB
# sample, history-centred, 95 % of a group's complaints share their product and 26 % of the
# complaints are in a group (0.35: 90 %, 38 %). See docs/benchmarks.md, "Clusters".
CLUSTER_THRESHOLD = 0.40
# Older cases whose mean vector is taken away: at least this many, the newest this many.
HISTORY_MIN = 100
HISTORY_SAMPLE = 2000
PERIOD_DAYS = 30
SHOWN_CASES = 5


@dataclass
class Cluster:
    cases: list[Case] = field(default_factory=list)  # oldest first
    now: int = 0  # received this period
    before: int = 0  # received in the period before
    open: int = 0

    @property
    def growth(self) -> int:
        return self.now - self.before

    @property
    def growing(self) -> bool:
        return self.now > self.before

    @property
    def newest(self) -> list[Case]:
        return self.cases[::-1][:SHOWN_CASES]

    @property
    def languages(self) -> list[str]:
        return sorted({c.language for c in self.cases})


def growing_clusters(
    cases: CaseQuerySet,
    *,
    at: datetime,
    days: int = PERIOD_DAYS,
    threshold: float = CLUSTER_THRESHOLD,
    min_size: int = 2,
) -> list[Cluster]:
    """Clusters of at least `min_size` cases, the fastest-growing first."""
    start = at - timedelta(days=days)
    before = start - timedelta(days=days)
    recent = cases.filter(Q(received_at__gte=before) | Q(state__in=OPEN_STATES)).filter(
        received_at__lt=at
    )
    # Only these cases' vectors, read with them (a subquery, not a list of ids).
    stored = {
        case_id: similar.from_bytes(bytes(vector))
        for case_id, vector in CaseEmbedding.objects.filter(
            model=similar.MODEL_NAME, case__in=recent.values("pk")
        ).values_list("case_id", "vector")
    }
    chosen = [
        c for c in recent.select_related("customer").order_by("received_at", "pk") if c.pk in stored
    ]
    vectors = np.vstack([stored[c.pk] for c in chosen]) if chosen else np.zeros((0, 1))
    older = (
        cases.filter(received_at__lt=before)
        .exclude(state__in=OPEN_STATES)
        .order_by("-received_at", "-pk")
    )
    history = [
        similar.from_bytes(bytes(vector))
        for vector in CaseEmbedding.objects.filter(
            model=similar.MODEL_NAME, case__in=older.values("pk")[:HISTORY_SAMPLE]
        ).values_list("vector", flat=True)
    ]
    if chosen and len(history) >= HISTORY_MIN:
        vectors = similar.history_centred(vectors, np.vstack(history))
    clusters = [
        Cluster(cases=[chosen[i] for i in members]) for members in similar.group(vectors, threshold)
    ]
    for cluster in clusters:
        for case in cluster.cases:
            cluster.now += case.received_at >= start
            cluster.before += before <= case.received_at < start
            cluster.open += case.is_open
    shown = [c for c in clusters if len(c.cases) >= min_size]
    return sorted(shown, key=lambda c: (-c.growth, -c.now, -len(c.cases)))
