"""The token table that recognition and resolution read a document through."""

from __future__ import annotations

import gc

import spacy
from spacy.tokens import Doc

from eventlens._cli_common import settled_heap
from eventlens.resolve.place_recognize import TokenTable


def _table(text: str) -> tuple[TokenTable, object]:
    doc = spacy.blank("en")(text)
    return TokenTable(doc), doc


def test_texts_and_offsets_match_the_doc():
    table, doc = _table("Clashes in  Deir ez-Zor, Syria (AFP) left 3 dead.\n\nMore later")
    for start in range(len(doc)):
        for end in range(start + 1, min(len(doc), start + 5) + 1):
            assert table.text_of(start, end) == doc[start:end].text
        assert table.start_of(start) == doc[start].idx
        assert table.end_of(start) == doc[start].idx + len(doc[start].text)
        assert table.space_after(start) == bool(doc[start].whitespace_)
        assert table.word(start) == doc[start].text
        assert table.low(start) == doc[start].lower_
    assert table.lower_words(0, 3) == ("clashes", "in", " ")


def test_title_case_is_read_from_the_words():
    table, doc = _table("the UN said Kabul and al-Qaim were calm")
    assert table.title_list == [t.is_title for t in doc]


def test_a_proper_noun_with_an_apostrophe_counts_as_title_case():
    # str.istitle reads "Dar'a" as two words, the second lower-case.
    doc = Doc(spacy.blank("en").vocab, words=["in", "Dar'a", "and", "don't"],
              pos=["ADP", "PROPN", "CCONJ", "VERB"])
    assert TokenTable(doc).title_list == [False, True, False, False]


def test_stop_words_are_read_per_token():
    table, doc = _table("They met in Paris")
    assert [table.is_stop(i) for i in range(len(doc))] == [t.is_stop for t in doc]


def test_settled_heap_freezes_the_loaded_heap_for_the_batch_only():
    assert gc.get_freeze_count() == 0
    before = gc.get_threshold()
    with settled_heap():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] > before[0]  # young objects collected less often
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
