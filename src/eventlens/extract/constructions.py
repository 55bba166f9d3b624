"""Trigger constructions: words that mean an event only with the right object, particle,
preposition or modifier, loaded from ``data/constructions.yaml``.

"Fired mortars at", "exchanged fire", "blocked the highway", "artillery fire" and "the body was
found with gunshot wounds" are events; "fired the manager", "exchanged views", "blocked the bill"
and "found a solution" are not. Each construction names its words and the dependents that make
it an event; the weapon named ("fired mortars") gives the event's mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Union

from spacy.tokens import Token

from ..errors import ResolutionError

__all__ = ["Construction", "Constructions", "parse_constructions"]

_SUBJECTS = ("nsubj", "nsubjpass")
_OBJECTS = ("dobj", "nsubjpass", "oprd", "acomp")
_COMPLEMENTS = ("acomp", "oprd", "xcomp", "ccomp")
WEAPONS = "@weapons"
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
# A listed preposition whose object may be anything ("fired at", "fired upon").
ANY = "*"
# Weapon names that say a weapon was used but not which ("unknown weapons"): they complete a
# construction but give it no mode.
UNSPECIFIED = "unspecified"
# Participles and prepositions that name the weapon of a noun ("shots involving small arms",
# "bursts of fire from a machine gun").
_USING_VERBS = frozenset({"involve", "use"})
_USING_PREPS = frozenset({"from", "with", "by"})
# Words that count a noun ("several explosions") besides a number.
_COUNTING = frozenset({"several", "multiple", "numerous", "many", "dozens", "hundreds"})


@dataclass(frozen=True, slots=True)
class Construction:
    """One construction: its words, what it needs, and the event it signals."""

    lemmas: frozenset[str]
    pos: frozenset[str]
    type: str
    modes: tuple[str, ...]
    weight: float
    two_sided: bool = False
    objects: Union[frozenset[str], str] = frozenset()
    preps: Mapping[str, Union[frozenset[str], str]] = None  # type: ignore[assignment]
    particles: frozenset[str] = frozenset()
    of: frozenset[str] = frozenset()
    modifiers: Union[frozenset[str], str] = frozenset()
    subjects: Union[frozenset[str], str] = frozenset()
    complements: frozenset[str] = frozenset()
    clause_aux: frozenset[str] = frozenset()
    clause: bool = False
    cues: tuple[str, ...] = ()
    uses: bool = False
    counted: bool = False
    unless: tuple[str, ...] = ()
    two_sided_with: frozenset[str] = frozenset()
    attribution: bool = False
    described: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ConstructionMatch:
    """A construction that matched a token, with the modes its weapon adds."""

    construction: Construction
    modes: tuple[str, ...]


def _set(value: object) -> Union[frozenset[str], str]:
    if value == WEAPONS or value == ANY:
        return str(value)
    return frozenset(str(v).lower() for v in (value or ()))  # type: ignore[union-attr]


def _check_words(row: dict) -> None:
    """YAML reads bare on/off/yes/no as booleans: refuse them instead of matching "True"."""
    for key in ("objects", "particles", "of", "modifiers", "subjects", "complements", "cues",
                "lemmas", "clause_aux", "unless", "described"):
        value = row.get(key)
        if isinstance(value, list) and any(isinstance(v, bool) for v in value):
            raise ValueError(f"{key} holds a boolean; quote words such as \"on\" and \"off\"")
    if any(isinstance(k, bool) for k in (row.get("preps") or {})):
        raise ValueError('a preposition key is a boolean; quote "on"')


def _build(row: dict) -> Construction:
    _check_words(row)
    preps = {str(k): _set(v) for k, v in (row.get("preps") or {}).items()}
    return Construction(
        lemmas=frozenset(row["lemmas"]), pos=frozenset(row.get("pos", ["VERB"])),
        type=row["type"], modes=tuple(row.get("modes", ())),
        weight=float(row.get("weight", 0.6)), two_sided=bool(row.get("two_sided", False)),
        objects=_set(row.get("objects")), preps=preps,
        particles=frozenset(row.get("particles", ())), of=frozenset(row.get("of", ())),
        modifiers=_set(row.get("modifiers")), subjects=_set(row.get("subjects")),
        complements=frozenset(row.get("complements", ())),
        clause_aux=frozenset(row.get("clause_aux", ())),
        clause=bool(row.get("clause", False)),
        cues=tuple(str(c).lower() for c in row.get("cues", ())),
        uses=bool(row.get("uses", False)), counted=bool(row.get("counted", False)),
        unless=tuple(str(c).lower() for c in row.get("unless", ())),
        two_sided_with=frozenset(row.get("two_sided_with", ())),
        attribution=bool(row.get("attribution", False)),
        described=frozenset(str(d).lower() for d in row.get("described", ())))


class Constructions:
    """The constructions indexed by lemma, and the weapon table.

    rows (list[dict]): the ``constructions`` entries of ``data/constructions.yaml``.
    weapons (Mapping[str, str]): weapon name (one or two words) -> PLOVER mode.
    """

    def __init__(self, rows: list[Construction], weapons: Mapping[str, str]) -> None:
        self.weapons = dict(weapons)
        self.by_lemma: dict[str, list[Construction]] = {}
        for row in rows:
            for lemma in row.lemmas:
                self.by_lemma.setdefault(lemma, []).append(row)

    def weapon_mode(self, tok: Token) -> Optional[str]:
        """The mode of the weapon a noun names ("mortars" -> heavy-weapons), else None.

        tok (Token): a noun; its compound/adjective modifiers make two-word names ("machine
            gun", "heavy machine gun", "small arms").
        RETURNS (str | None): the PLOVER mode.
        """
        lemma = tok.lemma_.lower()
        mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")]
        if len(mods) >= 2:
            # "heavy machine gun": the three-word name says more than "machine gun".
            name = f"{mods[-2].lower_} {mods[-1].lower_} {lemma}"
            if name in self.weapons:
                return self.weapons[name]
        for mod in mods:
            for name in (f"{mod.lower_} {lemma}", f"{mod.lower_} {tok.lower_}"):
                if name in self.weapons:
                    return self.weapons[name]
        own = self.weapons.get(lemma) or self.weapons.get(tok.lower_)
        if own is None and lemma == "fire":
            # "artillery fire", "mortar fire": the modifier names the weapon.
            for mod in mods:
                mode = self.weapons.get(mod.lemma_.lower())
                if mode:
                    return mode
        return own

    def _listed(self, tok: Token, wanted: Union[frozenset[str], str]) -> tuple[bool, Optional[str]]:
        if wanted == ANY:
            return True, None
        if wanted == WEAPONS:
            mode = self.weapon_mode(tok)
            return mode is not None, (None if mode == UNSPECIFIED else mode)
        return tok.lemma_.lower() in wanted or tok.lower_ in wanted, None  # type: ignore[operator]

    def _heads(self, tok: Token, deps: tuple[str, ...]) -> list[Token]:
        out = []
        if deps is _OBJECTS and tok.dep_ == "acl" and tok.tag_ == "VBN":
            out.append(tok.head)  # "shells fired by the army": the shells were fired
        for child in tok.children:
            if child.dep_ in deps:
                if child.lower_ in _RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                    child = tok.head  # "protesters who gathered": the protesters gathered
                out.extend([child, *child.conjuncts])
                # "hundreds of protesters", "a group of workers": the "of" phrase says who.
                out.extend(p for prep in child.children if prep.dep_ == "prep"
                           and prep.lower_ == "of" for p in prep.children if p.dep_ == "pobj")
            elif deps is _COMPLEMENTS and child.dep_ == "dobj":
                # "leaving 2 militants dead": an adjective after the object is its complement
                # (English puts attributive adjectives before the noun).
                out.extend(a for a in child.children if a.dep_ == "amod" and a.i > child.i)
        return out

    def _condition(self, c: Construction, tok: Token) -> tuple[bool, tuple[str, ...]]:
        """Whether one of the construction's alternatives holds, and the weapon modes found."""
        modes: list[str] = []
        # A construction with no condition but its cues ("a motorcade" with a cause named).
        hit = not (c.objects or c.subjects or c.complements or c.modifiers or c.preps
                   or c.particles or c.of or c.uses or c.counted or c.clause_aux or c.described)
        checks: list[tuple[list[Token], Union[frozenset[str], str]]] = []
        if c.described:
            # "a dead man was thrown from a car", "a human head was found": the object is
            # described by an adjective of the list (and, with `objects`, is a listed noun).
            hit = any((not c.objects or self._listed(head, c.objects)[0]) and any(
                m.dep_ in ("amod", "compound") and (m.lemma_.lower() in c.described
                                                    or m.lower_ in c.described)
                for m in head.children) for head in self._heads(tok, _OBJECTS))
        elif c.objects:
            checks.append((self._heads(tok, _OBJECTS), c.objects))
        if c.subjects:
            checks.append((self._heads(tok, _SUBJECTS), c.subjects))
        if c.complements:
            checks.append((self._heads(tok, _COMPLEMENTS), c.complements))
        if c.modifiers:
            # "npadvmod": the model reads "baton charged" as a noun modifying the verb.
            checks.append(([m for m in tok.children
                            if m.dep_ in ("compound", "amod", "nmod", "npadvmod")],
                           c.modifiers))
        used = self._used(tok)
        if c.uses and used:
            # "shots involving small arms", "explosions involving unknown weapons"
            hit = True
        for heads, wanted in checks:
            for head in heads:
                ok, mode = self._listed(head, wanted)
                hit = hit or ok
                if ok and mode:
                    modes.append(mode)
        if c.modifiers == WEAPONS and not modes:
            # "machine-gun fire": the modifier pair names the weapon.
            mode = self.weapon_mode(tok)
            if mode and mode != UNSPECIFIED and tok.lemma_.lower() not in self.weapons:
                hit, modes = True, [mode]
        if c.counted and any(ch.dep_ == "nummod" or ch.lower_ in _COUNTING
                             for ch in tok.children):
            hit = True
        # "bursts of fire involving heavy machineguns": the weapon named decides the mode.
        modes.extend(m for m in used if m != UNSPECIFIED)
        if c.particles and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in c.particles:
            hit = True  # "set alight 4 suspects", with "alight" read as a modifier of the object
        for child in tok.children:
            # The parser reads "set alight a bar" with "alight" as a dative or an adverb.
            if child.dep_ in ("prt", "dative", "advmod") and child.lower_ in c.particles:
                hit = True
            if child.dep_ == "ccomp" and c.clause_aux and any(
                    a.dep_ == "aux" and a.lower_ in c.clause_aux for a in child.children):
                hit = True
            if child.dep_ == "prep" and c.preps and child.lower_ in c.preps:
                wanted = c.preps[child.lower_]
                pobjs = [p for p in child.children if p.dep_ == "pobj"]
                if wanted == ANY or any(self._listed(p, wanted)[0] for p in pobjs):
                    hit = True
            if child.dep_ == "prep" and child.lower_ == "of" and c.of:
                # lemma or word form: the model lemmatises a capitalised "Missiles" as itself
                if any(p.lemma_.lower() in c.of or p.lower_ in c.of
                       for p in child.children if p.dep_ == "pobj"):
                    hit = True
            if child.dep_ == "prep" and child.lower_ == "with":
                # "fired at the convoy with mortars", "pelted the police with stones".
                for p in child.children:
                    mode = self.weapon_mode(p) if p.dep_ == "pobj" else None
                    if mode and mode != UNSPECIFIED:
                        modes.append(mode)
        return hit, tuple(dict.fromkeys(modes))

    def _used(self, tok: Token) -> list[str]:
        """The modes of the weapons a noun is said to involve ("shots involving small
        arms/heavy machineguns", "bursts of fire from a rifle"); UNSPECIFIED for "unknown
        weapons". The phrase is read word by word: the parser splits slash lists unreliably."""
        nouns = [tok] + [p for prep in tok.children if prep.dep_ == "prep" and prep.lower_ == "of"
                         for p in prep.children if p.dep_ == "pobj"]
        modes: list[str] = []
        for noun in nouns:
            for child in noun.children:
                if not ((child.dep_ == "acl" and child.lemma_.lower() in _USING_VERBS) or (
                        child.dep_ == "prep" and child.lower_ in _USING_PREPS)):
                    continue
                words = [t for t in child.subtree if t.i > child.i]
                i = 0
                while i < len(words):
                    pair = (f"{words[i].lower_} {words[i + 1].lemma_.lower()}"
                            if i + 1 < len(words) else "")
                    if pair in self.weapons:
                        modes.append(self.weapons[pair])
                        i += 2
                        continue
                    one = self.weapons.get(words[i].lemma_.lower())
                    if one and words[i].pos_ == "NOUN":
                        modes.append(one)
                    i += 1
        return modes

    @staticmethod
    def _cued(c: Construction, tok: Token) -> bool:
        """Whether a cue word is in the token's sentence or the next one ("A man was found
        dead. His hands were tied.")."""
        if not c.cues:
            return True
        sent = tok.sent
        end = sent.end if sent.end >= len(tok.doc) else tok.doc[sent.end].sent.end
        words = [t.lower_ for t in tok.doc[sent.start:end]]
        return any(w.startswith(cue) for w in words for cue in c.cues)

    @staticmethod
    def _vetoed(c: Construction, tok: Token) -> bool:
        """Whether a word of the token's sentence starts with one of the construction's
        ``unless`` words ("two explosions" is shelling unless a bomb is named)."""
        return bool(c.unless) and any(t.lower_.startswith(c.unless) for t in tok.sent)

    def match(self, tok: Token, pos: str) -> Optional[ConstructionMatch]:
        """The first construction that ``tok`` completes, if any.

        tok (Token): a candidate trigger.
        pos (str): its coarse part of speech as the trigger finder reads it.
        RETURNS (ConstructionMatch | None): the construction and the weapon modes found.
        """
        for c in self.by_lemma.get(tok.lemma_.lower(), ()):
            if pos not in c.pos:
                continue
            hit, modes = self._condition(c, tok)
            if hit and c.clause and not any(ch.dep_ in ("xcomp", "ccomp") for ch in tok.children):
                hit = False
            if hit and self._cued(c, tok) and not self._vetoed(c, tok):
                return ConstructionMatch(c, modes)
        return None


def parse_constructions(data: object, known_types: frozenset[str]) -> Constructions:
    """Validate and index the ``constructions.yaml`` data.

    data (object): the parsed YAML (a mapping with ``weapons`` and ``constructions``).
    known_types (frozenset[str]): the PLOVER types a construction may name.
    RETURNS (Constructions): the index.
    RAISES ResolutionError: when the file is malformed or names an unknown type.
    """
    if not isinstance(data, dict) or not isinstance(data.get("constructions"), list):
        raise ResolutionError("constructions.yaml must map 'constructions' to a list")
    weapons = {str(w).lower(): mode for mode, ws in (data.get("weapons") or {}).items()
               for w in ws}
    rows = []
    for row in data["constructions"]:
        if row.get("type") not in known_types:
            raise ResolutionError(f"constructions.yaml: unknown PLOVER type in {row}")
        try:
            rows.append(_build(row))
        except (KeyError, TypeError, ValueError) as exc:
            raise ResolutionError(f"constructions.yaml: bad entry {row}: {exc}") from exc
    return Constructions(rows, weapons)
