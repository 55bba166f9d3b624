"""The fronted-subjects component, on hand-built parses (as the small model gets them wrong)."""

from spacy.tokens import Doc
import spacy

from eventlens.nlp.components.fronted_subjects import FrontedSubjects


def _doc(rows: list[tuple[str, int, str, str]], ents: list[str] | None = None) -> Doc:
    """rows: (word, head index, dep, coarse tag)."""
    nlp = spacy.blank("en")
    words, heads, deps, pos = zip(*rows)
    return Doc(nlp.vocab, words=list(words), heads=list(heads), deps=list(deps), pos=list(pos),
               ents=ents)


# "In Chilpancingo , Guerrero , a group of workers demanded wages ." as the model parses it:
# the subject hangs on the place list as an apposition.
_APPOSED = [("In", 10, "prep", "ADP"), ("Chilpancingo", 0, "pobj", "PROPN"),
            (",", 1, "punct", "PUNCT"), ("Guerrero", 1, "conj", "PROPN"),
            (",", 3, "punct", "PUNCT"), ("a", 6, "det", "DET"), ("group", 1, "appos", "NOUN"),
            ("of", 6, "prep", "ADP"), ("workers", 7, "pobj", "NOUN"),
            ("reportedly", 10, "advmod", "ADV"), ("demanded", 10, "ROOT", "VERB"),
            ("wages", 10, "dobj", "NOUN"), (".", 10, "punct", "PUNCT")]


def test_apposition_before_a_subjectless_verb_becomes_its_subject():
    doc = FrontedSubjects()(_doc(_APPOSED))
    assert doc[6].dep_ == "nsubj" and doc[6].head.i == 10
    assert [t.text for t in doc[6].subtree] == ["a", "group", "of", "workers"]


def test_passive_verb_gets_a_passive_subject_and_loses_a_date_subject():
    # "Around 8 May , in Zapopan , Jalisco , bags were found ." with "8" read as the subject.
    rows = [("Around", 1, "advmod", "ADV"), ("8", 11, "nsubjpass", "NUM"),
            ("May", 1, "npadvmod", "PROPN"), (",", 11, "punct", "PUNCT"),
            ("in", 11, "prep", "ADP"), ("Zapopan", 4, "pobj", "PROPN"),
            (",", 5, "punct", "PUNCT"), ("Jalisco", 5, "conj", "PROPN"),
            (",", 7, "punct", "PUNCT"), ("bags", 7, "appos", "NOUN"),
            ("were", 11, "auxpass", "AUX"), ("found", 11, "ROOT", "VERB"),
            (".", 11, "punct", "PUNCT")]
    doc = FrontedSubjects()(_doc(rows, ents=["O", "O", "B-DATE"] + ["O"] * 10))
    assert doc[9].dep_ == "nsubjpass" and doc[9].head.i == 11
    assert doc[1].dep_ == "npadvmod"


def test_verb_with_a_subject_of_its_own_is_left_alone():
    # "In Kabul , the capital , gunmen attacked ."
    rows = [("In", 7, "prep", "ADP"), ("Kabul", 0, "pobj", "PROPN"), (",", 1, "punct", "PUNCT"),
            ("the", 4, "det", "DET"), ("capital", 1, "appos", "NOUN"), (",", 1, "punct", "PUNCT"),
            ("gunmen", 7, "nsubj", "NOUN"), ("attacked", 7, "ROOT", "VERB"),
            (".", 7, "punct", "PUNCT")]
    doc = FrontedSubjects()(_doc(rows))
    assert doc[4].dep_ == "appos" and doc[6].dep_ == "nsubj"


def test_proper_name_apposition_stays_a_place():
    # "In Kabul , Afghanistan attacked ..." would never be repaired: only common nouns move.
    rows = [("In", 4, "prep", "ADP"), ("Kabul", 0, "pobj", "PROPN"), (",", 1, "punct", "PUNCT"),
            ("Afghanistan", 1, "appos", "PROPN"), ("attacked", 4, "ROOT", "VERB"),
            (".", 4, "punct", "PUNCT")]
    doc = FrontedSubjects()(_doc(rows))
    assert doc[3].dep_ == "appos"
