"""PhraseScanner (lexicon.py) must find exactly the spans PhraseIndex.spans finds: it only skips
phrases that cannot start at a word, judged by fold(), which must agree with re.IGNORECASE."""

from __future__ import annotations

import random
import re

import pytest

from amends.playbook.lexicon import (
    ELEMENTS,
    FLAGS,
    fold,
    index_phrases,
    load_lexicon,
    parse_lexicon,
    word_starts,
)
from amends.playbook.templates import CaseFacts, fill_template

LANGS = ["en", "pl", "bg", "fi"]
# Letters re.IGNORECASE takes as one although their lower cases differ, and the "İ" whose lower
# case is two characters: a word holding one must still find what the regex finds.
ODD = "ıIiİſsSµμ\u0345ιΙ\u1fbeσςΣβϐвᲀВтᲄᲅТоᲂ"


def _indexes(lang: str) -> list:
    lex = load_lexicon(lang)
    return [
        index
        for kind in ELEMENTS + FLAGS
        for index in (
            lex.categories[kind].phrases,
            lex.categories[kind].subjects,
            lex.categories[kind].predicates,
            lex.categories[kind].exclude,
        )
        if index is not None
    ]


def _texts(lang: str) -> list[str]:
    from datetime import date

    facts = CaseFacts("Maria", "Anna", "AM-2026-0042", date(2026, 11, 27))
    base = [fill_template("acknowledgement", lang, facts).body]
    lex = load_lexicon(lang)
    # Every phrase of the lexicon written out plainly, as a reply could contain it.
    words = []
    for index in _indexes(lang):
        for group in index.groups.values():
            for phrase in group:
                words.append(re.sub(r"[\[\]()|*{}]", " ", phrase.split("|")[0]))
    rng = random.Random(lang)
    texts = list(base)
    for _ in range(60):
        picked = rng.sample(words, min(len(words), 12))
        text = ". ".join(picked)
        chars = list(text)
        for _ in range(6):  # odd letters and apostrophes where words start or end
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(ODD + "'’ "))
        glued = re.sub(r"\s+'", "'", text)  # "I 've" as written: "I've"
        texts += [text, glued, text.upper(), "".join(chars), text.replace(" ", "'")]
        texts.append(re.sub(r"(?<=\w) (?=\w)", "", text))  # "I" + "have" glued: "Ihave"
    assert lex.scanner is not None
    return texts


@pytest.mark.parametrize("lang", LANGS)
def test_scanner_finds_the_spans_of_every_index(lang):
    lex = load_lexicon(lang)
    indexes = _indexes(lang)
    for text in _texts(lang):
        starts = word_starts(text)
        scan = lex.scanner.scan(text, starts)
        for index in indexes:
            assert sorted(scan.spans(index)) == sorted(index.spans(text, starts)), text


def test_scanner_skips_words_that_only_share_the_first_letters():
    lex = parse_lexicon("en", {"apology": {"phrases": ["I am sorry", "sorr*"]}}, "x.toml")
    text = "It is sorrow. I am sorry. Iam"
    starts = word_starts(text)
    index = lex.categories["apology"].phrases
    assert sorted(lex.scanner.scan(text, starts).spans(index)) == [(6, 12), (14, 24), (19, 24)]
    plans = lex.scanner._plans  # noqa: SLF001 - the words tried: not "It", "is", "Iam"
    assert plans["It"] == ()
    assert plans["is"] == ()
    assert plans["Iam"] == ()


def test_word_starts_keys_and_tokens():
    starts = word_starts("I'm 'sorry' — Ölçü I'm")
    assert starts["i"] == starts["i'"] == [0, 19]
    assert starts["so"] == [5]
    assert starts["öl"] == [14]
    assert starts.tokens == {"I'm": [0, 19], "sorry'": [5], "Ölçü": [14]}


def test_index_keeps_the_alternation_order_of_each_group():
    index = index_phrases(["we are sorry", "we", "we are"], "x")
    assert index is not None
    assert index.groups["we"] == ("we are sorry", "we are", "we")


def test_fold_agrees_with_re_ignorecase():
    """Every letter of the four lexicons and the odd ones, against every character of the BMP."""
    letters = set(ODD) - {"İ"}
    for lang in LANGS:
        for index in _indexes(lang):
            for group in index.groups.values():
                letters |= set("".join(group))
    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)
    by_fold: dict[str, set[str]] = {}
    for ch in every:
        folded = fold(ch)
        if folded is not None:
            by_fold.setdefault(folded, set()).add(ch)
    for ch in sorted(letters):
        found = {m.group() for m in re.finditer(re.escape(ch), every, re.IGNORECASE)}
        folded = fold(ch)
        assert folded is not None
        assert {c for c in found if fold(c) is not None} == by_fold[folded], ch


def test_fold_groups_are_the_ones_re_uses():
    casefix = pytest.importorskip("re._casefix")
    groups: list[set[int]] = []
    for k, others in casefix._EXTRA_CASES.items():
        group = {k, *others}
        for g in [g for g in groups if g & group]:
            groups.remove(g)
            group |= g
        groups.append(group)
    for group in groups:
        assert len({fold(chr(c)) for c in group}) == 1, [chr(c) for c in group]


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("I ('ve|have) understood", "Ihave understood, I've understood"),
        ("(I am|I'm) [so] sorry", "I'm so sorry, Iam sorry, so sorry"),
        ("we [really] ... apologise", "we truly apologise"),
        ("[very|so] sorr*", "sorrow, so sorry"),
        ("(zgubi|zawali)(ł|ła) ...", "zgubiła zawalił"),
    ],
)
def test_scanner_on_glued_optional_and_grouped_first_words(phrase, text):
    lex = parse_lexicon("en", {"apology": {"phrases": [phrase]}}, "x.toml")
    index = lex.categories["apology"].phrases
    starts = word_starts(text)
    found = lex.scanner.scan(text, starts).spans(index)
    assert found
    assert sorted(found) == sorted(index.spans(text, starts))
