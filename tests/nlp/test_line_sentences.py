import spacy

from eventlens.nlp.components.line_sentences import LineSentences


def test_line_sentences_starts_sentence_after_newline():
    nlp = spacy.blank("en")
    doc = LineSentences()(nlp("Threat of ISIS-K\nWith the Olympics near , police are on alert"))
    starts = [t.text for t in doc if t.is_sent_start]
    assert "With" in starts


def test_line_sentences_leaves_single_line_alone():
    nlp = spacy.blank("en")
    doc = LineSentences()(nlp("Gunmen attacked a checkpoint near Mosul ."))
    assert not any(t.is_sent_start for t in doc[1:])
