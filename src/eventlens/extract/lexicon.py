"""The trigger lexicon and cue lists, loaded from ``data/triggers.yaml`` and ``data/cues.yaml``.

Patterns live in data so that analysts can extend them without touching code; this module only
validates and indexes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Mapping, Optional

import yaml

from ..errors import ResolutionError
from .constructions import Constructions, parse_constructions

__all__ = ["Cues", "Lexicon", "TriggerSpec", "load_lexicon"]

PLOVER_TYPES = frozenset(
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT INVESTIGATE DEMAND DISAPPROVE REJECT "
    "THREATEN PROTEST CRIME SANCTION MOBILIZE COERCE ASSAULT ACCUSE REQUEST".split()
)


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    """What one trigger word means."""

    lemma: str
    pos: str
    type: str
    modes: tuple[str, ...]
    weight: float
    objects: tuple[str, ...] = ()
    two_sided: bool = False
    # The trigger says where something comes from ("threats originate from Afghan soil"): the
    # speaker of the governing statement accuses the "from" party (see data/constructions.yaml).
    attribution: bool = False


@dataclass(frozen=True, slots=True)
class Cues:
    """Cue word lists that qualify a trigger (see ``data/cues.yaml``)."""

    modality: Mapping[str, str]
    modal_aux: Mapping[str, str]
    habitual: frozenset[str]
    modes: tuple[tuple[str, str], ...]
    person_titles: frozenset[str]
    light_verbs: frozenset[str]
    lemma_fixes: Mapping[str, str]
    armed_objects: frozenset[str] = frozenset()
    riot: tuple[str, ...] = ()
    two_sided: tuple[str, ...] = ()
    off_duty: tuple[str, ...] = ()
    front_lines: frozenset[str] = frozenset()

    def lemma(self, word: str, lemma: str) -> str:
        """The lemma to use for a word, correcting the model's known lemmatizer slips.

        word (str): the lower-case word form ("staged").
        lemma (str): the model's lemma ("stag").
        RETURNS (str): the corrected lemma ("stage").
        """
        return self.lemma_fixes.get(word, lemma.lower())


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Single-word triggers by (lemma, POS) and multi-word triggers by phrase."""

    words: Mapping[tuple[str, str], TriggerSpec]
    phrases: Mapping[str, TriggerSpec]
    cues: Cues
    constructions: Constructions

    def lookup(self, lemma: str, pos: str) -> Optional[TriggerSpec]:
        """Return the trigger for a lemma used as ``pos`` ("VERB" or "NOUN"), if any.

        lemma (str): lower-case lemma.
        pos (str): coarse part of speech.
        RETURNS (TriggerSpec | None): the trigger, or None.
        """
        return self.words.get((lemma, pos))


def _read_yaml(path: Optional[Path], default_name: str) -> object:
    try:
        if path is None:
            text = resources.files("eventlens").joinpath(f"data/{default_name}").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        return yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ResolutionError(f"cannot read lexicon {path or default_name}: {exc}") from exc


def _parse_triggers(rows: object) -> tuple[dict, dict]:
    if not isinstance(rows, list):
        raise ResolutionError("triggers.yaml must be a list of entries")
    words: dict[tuple[str, str], TriggerSpec] = {}
    phrases: dict[str, TriggerSpec] = {}
    for row in rows:
        etype = row.get("type")
        if etype not in PLOVER_TYPES:
            raise ResolutionError(f"triggers.yaml: unknown PLOVER type {etype!r} in {row}")
        for lemma in row["lemmas"]:
            for pos in row.get("pos", ["VERB", "NOUN"]):
                spec = TriggerSpec(lemma, pos, etype, tuple(row.get("modes", ())),
                                   float(row.get("weight", 0.6)), tuple(row.get("objects", ())),
                                   bool(row.get("two_sided", False)))
                if " " in lemma:
                    phrases.setdefault(lemma, spec)
                else:
                    words.setdefault((lemma, pos), spec)
    return words, phrases


def _parse_cues(data: object) -> Cues:
    if not isinstance(data, dict):
        raise ResolutionError("cues.yaml must be a mapping")
    modality = {w: m for m, ws in data["modality"].items() for w in ws}
    modal_aux = {w: m for m, ws in data["modal_aux"].items() for w in ws}
    modes = tuple((w, m) for m, ws in data["modes"].items() for w in ws)
    return Cues(
        modality=modality,
        modal_aux=modal_aux,
        habitual=frozenset(data["habitual"]),
        modes=modes,
        person_titles=frozenset(data["person_titles"]),
        light_verbs=frozenset(data["light_verbs"]),
        armed_objects=frozenset(data.get("armed_objects") or ()),
        riot=tuple(data.get("riot") or ()),
        two_sided=tuple(data.get("two_sided") or ()),
        off_duty=tuple(data.get("off_duty") or ()),
        front_lines=frozenset(data.get("front_lines") or ()),
        lemma_fixes=dict(data.get("lemma_fixes") or {}),
    )


def load_lexicon(triggers: Optional[Path] = None, cues: Optional[Path] = None,
                 constructions: Optional[Path] = None) -> Lexicon:
    """Load and validate the trigger lexicon, cue lists and trigger constructions.

    triggers (Path | None): a triggers YAML file; the packaged one when None.
    cues (Path | None): a cues YAML file; the packaged one when None.
    constructions (Path | None): a constructions YAML file; the packaged one when None.
    RETURNS (Lexicon): the indexed lexicon.
    RAISES ResolutionError: when a file cannot be read or names an unknown PLOVER type.
    """
    words, phrases = _parse_triggers(_read_yaml(triggers, "triggers.yaml"))
    try:
        cue_data = _parse_cues(_read_yaml(cues, "cues.yaml"))
    except KeyError as exc:
        raise ResolutionError(f"cues.yaml lacks the section {exc}") from exc
    built = parse_constructions(_read_yaml(constructions, "constructions.yaml"), PLOVER_TYPES)
    return Lexicon(words=words, phrases=phrases, cues=cue_data, constructions=built)
