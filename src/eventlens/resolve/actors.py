"""Find actor mentions in a spaCy ``Doc``: named actors from the KB and generic actors.

One ``PhraseMatcher`` on ``LOWER`` holds every name, alias, generic term, demonym and non-actor
phrase, tokenised by the same tokenizer as the documents (so "ISIS-K", "Khalil-ur-Rahman" and
possessives such as "Taliban's" match however the tokenizer splits them). Acronym tokens ("US",
"TTP", "JeM") must then also match exactly, and a capitalised name never matches an all-lower-case
span, so the pronoun "us" is not the United States and "turkey" is not Turkey.

Overlaps are resolved longest first. A demonym before a generic term ("Afghan forces") becomes the
generic actor with the demonym's country; a state name before one ("Pakistan army") becomes the
state's own military/police/government actor when the KB has it; a named actor before one
("Taliban fighters") stays that actor. A person's bare surname later in the same document
("Haqqani") refers to the most recently named person with that surname. An acronym listed as
ambiguous ("NAF", "SNA") keeps its actor's country only where the document names that country too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.lang.en import English
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..models import Actor, ActorMention
from .actor_kb import ActorKB
from .demonyms import CURRENCY_WORDS, load_demonyms

__all__ = ["ActorKB", "ActorMatcher"]

_DASHES = re.compile(r"\s*[‐‑‒–—-]\s*")
_WORD_EDGES = re.compile(r"[\s\-./'’]+")
_NATIONAL_KINDS = ("military", "police", "government")
# A named actor of these kinds followed by a generic term of the same family stays that actor.
_ABSORBING = {"group", "military", "police", "government", "igo"}
_ABSORBED = {"group", "military", "police", "government"}
_SUFFIXES = {"jr", "sr", "ii", "iii"}
# Ranks break ties between candidates covering the same number of tokens (lower wins).
_RANK_KB, _RANK_NATIONAL, _RANK_DEMONYM, _RANK_GENERIC = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class _Form:
    """How one surface form must match beyond ``LOWER``."""

    exact: tuple[tuple[int, str], ...]  # (token offset, exact text) for acronym tokens
    proper: bool  # reject spans written all in lower case


@dataclass(slots=True)
class _Label:
    role: str  # "kb", "generic", "demonym" or "none"
    actor: Actor | None = None
    country: str | None = None
    forms: dict[tuple[str, ...], list[_Form]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    label: _Label
    actor: Actor | None
    generic: bool
    rank: int
    order: int


class ActorMatcher:
    """Match KB actors and generic actors in documents; build once, call per document."""

    def __init__(
        self,
        kb: ActorKB,
        nlp_or_vocab: Language | Vocab | Callable[[str], Doc],
        demonyms: Mapping[str, str] | None = None,
    ) -> None:
        """Build the phrase patterns.

        kb (ActorKB): the knowledge base.
        nlp_or_vocab (Language | Vocab | Callable[[str], Doc]): the pipeline (its tokenizer is
            used), a tokenizer, or a vocab (then spaCy's English tokenizer is used with it).
            Documents passed to the matcher must share this vocab and tokenizer.
        demonyms (Mapping[str, str] | None): lower-case demonym -> ISO2; default
            :func:`load_demonyms`.
        RAISES ResolutionError: when the demonym data cannot be read.
        """
        if isinstance(nlp_or_vocab, Language):
            self._tokenize: Callable[[str], Doc] = nlp_or_vocab.make_doc
            vocab = nlp_or_vocab.vocab
        elif isinstance(nlp_or_vocab, Vocab):
            vocab = nlp_or_vocab
            self._tokenize = English(vocab=vocab).tokenizer
        else:
            self._tokenize = nlp_or_vocab
            vocab = nlp_or_vocab.vocab  # type: ignore[attr-defined]
        self._kb = kb
        self._matcher = PhraseMatcher(vocab, attr="LOWER")
        self._labels: dict[int, _Label] = {}
        self._order: dict[int, int] = {}
        for actor in kb:
            self._add(f"kb:{actor.id}", _Label("kb", actor), (actor.name, *actor.aliases), True)
        for actor in kb.generic_actors():
            self._add(actor.id, _Label("generic", actor), actor.aliases, False)
        table = load_demonyms() if demonyms is None else demonyms
        by_country: dict[str, list[str]] = {}
        for word, cc in table.items():
            if re.fullmatch(r"[^\W\d_]+(?:[ -][^\W\d_]+)*", word):
                by_country.setdefault(cc, []).append(word.title())  # title case: proper names
        for cc, words in sorted(by_country.items()):
            self._add(f"demonym:{cc}", _Label("demonym", country=cc), words, True)
        self._add("not-actor", _Label("none"), kb.not_actors, False)
        self._surnames = {a.id: _surname_keys(a, self._tokenize) for a in kb if a.kind == "person"}

    def _add(self, key: str, label: _Label, surfaces: Iterable[str], proper: bool) -> None:
        """Register all spellings of ``surfaces`` under one matcher key."""
        variants = sorted({v for s in surfaces for v in _variants(s)})
        docs = list(self._tokenize.pipe(variants)) if hasattr(self._tokenize, "pipe") else None
        docs = docs or [self._tokenize(v) for v in variants]
        docs = [doc for doc in docs if len(doc)]
        for doc in docs:
            text = doc.text
            exact = tuple((i, t.text) for i, t in enumerate(doc) if _is_acronym(t.text))
            first = next((c for c in text if c.isalpha()), "")
            form = _Form(exact=exact, proper=proper and first.isupper())
            label.forms.setdefault(tuple(t.lower_ for t in doc), []).append(form)
        if docs:
            self._matcher.add(key, docs)
            match_id = self._matcher.vocab.strings[key]
            self._labels[match_id] = label
            self._order[match_id] = len(self._order)

    def __call__(self, doc: Doc) -> list[ActorMention]:
        """Find the actor mentions of a document.

        doc (Doc): a document made with the tokenizer (and vocab) given to the constructor.
        RETURNS (list[ActorMention]): sorted by start, non-overlapping; the longest match wins.
        """
        raw = []
        for match_id, start, end in self._matcher(doc):
            label = self._labels[match_id]
            if _accepts(label, doc, start, end):
                raw.append(_Candidate(start, end, label, label.actor, label.role == "generic",
                                      _RANK_GENERIC if label.role == "generic" else _RANK_KB,
                                      self._order[match_id]))
        raw = self._unsupported_acronyms(doc, raw)
        candidates = [c for c in raw if c.label.role != "demonym"] + self._combine(raw) + \
            self._combine_of(doc, raw)
        chosen = _select(candidates, len(doc))
        # "protests against the high US dollar": a currency's country is no party to anything.
        chosen = [c for c in chosen if c.actor is not None
                  and not (c.end < len(doc) and doc[c.end].lower_ in CURRENCY_WORDS)]
        chosen = sorted(chosen + self._corefer(doc, chosen), key=lambda c: c.start)
        mentions = []
        for c in chosen:
            span = doc[c.start : c.end]
            mentions.append(ActorMention(start=span.start_char, end=span.end_char, text=span.text,
                                         actor=c.actor, generic=c.generic))
        return mentions

    def _unsupported_acronyms(self, doc: Doc, raw: list[_Candidate]) -> list[_Candidate]:
        """Strip the country of an ambiguous acronym that nothing else in the document supports.

        "NAF rebel forces fired mortars near Donetsk": nothing says Nigeria, so "NAF" is not the
        Nigerian Air Force's country; alone it stays the KB actor without a country, before a
        generic term it qualifies the term like a demonym of no country.
        """
        def ambiguous(c: _Candidate) -> bool:
            return c.label.role == "kb" and c.actor is not None and c.actor.country is not None \
                and doc[c.start : c.end].text in self._kb.ambiguous
        supported = {c.label.country for c in raw if c.label.role == "demonym"}
        supported |= {c.actor.country for c in raw if c.actor is not None and not ambiguous(c)}
        out = []
        for c in raw:
            if not ambiguous(c) or c.actor.country in supported:
                out.append(c)
                continue
            bare = c.actor.model_copy(update={"country": None})
            out.append(replace(c, label=_Label("unsupported", bare), actor=bare))
            out.append(replace(c, label=_Label("demonym"), actor=None))
        return out

    def _combine(self, raw: list[_Candidate]) -> list[_Candidate]:
        """Join a modifier (demonym, state or named actor) with the generic term after it."""
        modifiers: dict[int, list[_Candidate]] = {}
        for c in raw:
            if c.label.role in ("demonym", "kb"):
                modifiers.setdefault(c.end, []).append(c)
        joined = []
        for term in (c for c in raw if c.generic and c.actor is not None):
            for mod in modifiers.get(term.start, []):
                actor, generic, rank = self._joined_actor(mod, term.actor)
                if actor is not None:
                    joined.append(_Candidate(mod.start, term.end, term.label, actor, generic,
                                             rank, mod.order))
        return joined

    def _combine_of(self, doc: Doc, raw: list[_Candidate]) -> list[_Candidate]:
        """Join a generic term with the state named after it ("military forces of Armenia",
        "the police of Kenya"): the state's own forces, as "Armenian military forces" would be."""
        states: dict[int, list[_Candidate]] = {}
        for c in raw:
            if c.label.role == "kb" and c.actor is not None and c.actor.kind == "state":
                states.setdefault(c.start, []).append(c)
        joined = []
        for term in (c for c in raw if c.generic and c.actor is not None):
            j = term.end
            if j >= len(doc) or doc[j].lower_ != "of":
                continue
            j += 1 + (j + 1 < len(doc) and doc[j + 1].lower_ == "the")
            for state in states.get(j, []):
                actor, generic, rank = self._joined_actor(state, term.actor)
                if actor is not None:
                    joined.append(_Candidate(term.start, state.end, term.label, actor, generic,
                                             rank, term.order))
        return joined

    def _joined_actor(self, mod: _Candidate, term: Actor) -> tuple[Actor | None, bool, int]:
        """The actor of "<modifier> <generic term>", whether it is generic, and its rank."""
        if mod.label.role == "demonym":
            return term.model_copy(update={"country": mod.label.country}), True, _RANK_DEMONYM
        named = mod.actor
        if named is None:
            return None, False, _RANK_KB
        if named.kind == "state" and named.country is not None:
            own = None
            if term.kind in _NATIONAL_KINDS:
                own = self._kb.national(named.country, term.kind)
            if own is not None:
                return own, False, _RANK_NATIONAL
            return term.model_copy(update={"country": named.country}), True, _RANK_NATIONAL
        if named.kind == "government" and named.country is not None and \
                term.kind in ("military", "police"):
            # "GNA forces", "the junta's police": a government's forces are its country's own.
            own = self._kb.national(named.country, term.kind)
            if own is not None:
                return own, False, _RANK_NATIONAL
        if named.kind in _ABSORBING and term.kind in _ABSORBED:
            return named, False, _RANK_NATIONAL
        return None, False, _RANK_KB

    def _corefer(self, doc: Doc, chosen: list[_Candidate]) -> list[_Candidate]:
        """Resolve bare surnames after a person's first mention to that person."""
        persons = sorted((c for c in chosen if c.actor.kind == "person"), key=lambda c: c.start)
        if not persons:
            return []
        taken = bytearray(len(doc))
        for c in chosen:
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        words = [t.text for t in doc[persons[0].end :]]
        offset = persons[0].end
        active: dict[tuple[str, ...], _Candidate] = {}
        found: list[_Candidate] = []
        next_person = 0
        i = 0
        while i < len(words):
            while next_person < len(persons) and persons[next_person].end <= i + offset:
                for key in self._surnames.get(persons[next_person].actor.id, ()):
                    active[key] = persons[next_person]
                next_person += 1
            hit = _surname_at(words, i, active, taken, offset)
            if hit is None:
                i += 1
                continue
            key, person = hit
            found.append(_Candidate(i + offset, i + offset + len(key), person.label, person.actor,
                                    False, _RANK_KB, person.order))
            i += len(key)
        return found


def _variants(surface: str) -> set[str]:
    """Spellings of one alias that news uses interchangeably (dashes, spaces, apostrophes)."""
    forms = {surface, _DASHES.sub("-", surface)}
    forms |= {f.replace("-", " ") for f in forms if "-" in f}
    forms |= {f.replace("'", "’") for f in forms} | {f.replace("’", "'") for f in forms}
    return {" ".join(f.split()) for f in forms if f.strip()}


def _is_acronym(token: str) -> bool:
    """A token that must match exactly: all capitals ("US", "M23") or inner capitals ("JeM")."""
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return False
    if all(c.isupper() for c in letters):
        return True
    return any(c.isupper() for part in _WORD_EDGES.split(token) for c in part[1:])


def _accepts(label: _Label, doc: Doc, start: int, end: int) -> bool:
    """Whether a LOWER match also keeps its acronyms' case and is not an all-lower proper name."""
    span = doc[start:end]
    forms = label.forms.get(tuple(t.lower_ for t in span), [])
    lowered = span.text.islower()
    return any(
        not (form.proper and lowered) and all(span[i].text == text for i, text in form.exact)
        for form in forms
    )


def _select(candidates: list[_Candidate], n_tokens: int) -> list[_Candidate]:
    """Greedy non-overlapping selection: longest span, then rank, then earliest, then KB order."""
    taken = bytearray(n_tokens)
    chosen = []
    for c in sorted(candidates, key=lambda c: (c.start - c.end, c.rank, c.start, c.order)):
        if not any(taken[c.start : c.end]):
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
            chosen.append(c)
    return chosen


def _surname_keys(person: Actor, tokenize: Callable[[str], Doc]) -> tuple[tuple[str, ...], ...]:
    """Token sequences of a person's surname: "al-Baghdadi" gives ("al", "-", "Baghdadi") and
    ("Baghdadi",)."""
    keys: set[tuple[str, ...]] = set()
    for surface in (person.name, *person.aliases):
        words = [w for w in surface.split() if w.strip(".").lower() not in _SUFFIXES]
        if len(words) < 2:
            continue
        tokens = tuple(t.text for t in tokenize(words[-1]))
        for key in (tokens, tokens[-1:]):
            if key and key[-1][:1].isupper() and len(key[-1]) > 2:
                keys.add(key)
    return tuple(sorted(keys, key=len, reverse=True))


def _surname_at(
    words: list[str],
    i: int,
    active: dict[tuple[str, ...], _Candidate],
    taken: bytearray,
    offset: int,
) -> tuple[tuple[str, ...], _Candidate] | None:
    """The longest active surname starting at ``words[i]`` on free tokens, with its person."""
    for key in sorted(active, key=len, reverse=True):
        end = i + len(key)
        if tuple(words[i:end]) == key and not any(taken[i + offset : end + offset]):
            return key, active[key]
    return None
