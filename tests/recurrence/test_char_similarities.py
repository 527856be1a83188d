"""The lexical re-rank in numpy gives the scores of the plain-Python reference it replaced."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amends.recurrence import similar
from tests.recurrence.conftest import BILLING, WASHER


def reference(text: str, candidates: list[str]) -> np.ndarray:
    """char_similarities as it was: Counters of similar.char_ngrams and dictionaries."""
    if not candidates:
        return np.zeros(0, dtype=np.float32)
    documents = [Counter(similar.char_ngrams(t)) for t in [*candidates, text]]
    df: Counter[str] = Counter()
    for counts in documents:
        df.update(counts.keys())
    n = len(documents)
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}

    def weights(counts: Counter[str]) -> dict[str, float]:
        w = {t: (1.0 + math.log(c)) * idf[t] for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
        return {t: v / norm for t, v in w.items()}

    query = weights(documents[-1])
    out = np.zeros(len(candidates), dtype=np.float32)
    for i, counts in enumerate(documents[:-1]):
        doc = weights(counts)
        small, large = (query, doc) if len(query) < len(doc) else (doc, query)
        out[i] = sum(v * large.get(t, 0.0) for t, v in small.items())
    return out


TEXTS = [
    *(f"{s}. {d}" for s, d in WASHER.values()),
    f"{BILLING[0]}. {BILLING[1]}",
    "Źle naliczona opłata — żądam zwrotu 120,50 zł!",
    "Ääni katkeaa, pyydän hyvitystä. Pesukone, pesukone, PESUKONE.",
    "Сметката ми е грешна: таксуваха ме два пъти за един и същ месец.",
    "",
    " ",
    "a",
    "I  a m\tok\n\nx  y",
    "ß STRASSE straße ǅ ﬁ",  # casefold changes the length of some
    "emoji 😀😀 ok 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
]


@pytest.mark.parametrize("query", TEXTS)
def test_the_scores_are_the_reference_scores_on_multilingual_texts(query: str) -> None:
    np.testing.assert_allclose(
        similar.char_similarities(query, TEXTS), reference(query, TEXTS), atol=1e-5
    )


def test_no_candidates_give_no_scores() -> None:
    assert similar.char_similarities("pralka", []).shape == (0,)


def test_a_text_is_most_like_itself_and_shares_nothing_with_another_script() -> None:
    latin, cyrillic = "pralka przecieka", "пералнята тече"
    scores = similar.char_similarities(latin, [cyrillic, "pralka", latin])
    assert scores[0] == 0.0
    assert scores[2] == pytest.approx(1.0, abs=1e-6)
    assert 0.0 < scores[1] < scores[2]


def test_a_pool_with_a_huge_alphabet_still_matches_the_reference() -> None:
    # Over 7,000 distinct characters: windows are hashed instead of numbered exactly.
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 8000)]
    candidates = [" ".join("".join(chars[i : i + 7]) for i in range(s, 8000, 7)) for s in (0, 3)]
    query = candidates[0][:200] + " 好"
    assert len(set("".join(candidates))) > 7_200
    np.testing.assert_allclose(
        similar.char_similarities(query, candidates), reference(query, candidates), atol=1e-5
    )


words = st.text(
    alphabet=st.sampled_from(list("aąbcćeęłńoóśźżäöåАБВГДабвгджщъюя ÄÖ\t\n.,-'1")),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(query=words, candidates=st.lists(words, min_size=1, max_size=6))
def test_any_texts_score_as_the_reference(query: str, candidates: list[str]) -> None:
    np.testing.assert_allclose(
        similar.char_similarities(query, candidates), reference(query, candidates), atol=1e-5
    )


@settings(max_examples=100, deadline=None)
@given(query=st.text(max_size=30), candidates=st.lists(st.text(max_size=30), max_size=4))
def test_any_unicode_scores_as_the_reference(query: str, candidates: list[str]) -> None:
    np.testing.assert_allclose(
        similar.char_similarities(query, candidates), reference(query, candidates), atol=1e-5
    )
