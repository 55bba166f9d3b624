import pytest

from eventlens.errors import ResolutionError
from eventlens.extract.lexicon import load_lexicon


def test_lexicon_loads_packaged_triggers():
    lex = load_lexicon()
    assert lex.lookup("arrest", "VERB").type == "COERCE"
    assert "arrest" in lex.lookup("arrest", "VERB").modes
    assert lex.phrases["drone strike"].modes == ("drone",)
    assert lex.cues.modality["foil"] == "planned"


def test_lexicon_rejects_unknown_plover_type(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("- {type: EXPLODE, pos: [VERB], lemmas: [boom]}\n")
    with pytest.raises(ResolutionError, match="EXPLODE"):
        load_lexicon(triggers=bad)


def test_lexicon_release_needs_a_person_object():
    spec = load_lexicon().lookup("release", "VERB")
    assert spec.type == "RETREAT" and "prisoner" in spec.objects
