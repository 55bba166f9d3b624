"""Find place-name spans in a parsed document (the recognition half of the geoparser).

Sources, in order of trust: spaCy GPE/LOC/FAC entities; "X province" / "province of X" patterns
(which also give a feature hint); ORG/PERSON entities and bare capitalised words that are the
name of a country, subdivision or big city and follow a locative preposition; and demonyms
("Afghan forces"), which stand for their country.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
import numpy as np
from spacy.attrs import ENT_TYPE, IS_STOP, IS_TITLE, LOWER, ORTH, POS
from spacy.strings import hash_string
from spacy.tokens import Doc, Span

from .gazetteer import Gazetteer

__all__ = ["PlaceSpan", "find_place_spans"]

# Words after (or before "of") a name that say what kind of place it is.
_HINTS = {
    **dict.fromkeys(("province", "provinces", "governorate", "governorates", "state", "states",
                     "region", "regions", "oblast", "prefecture", "department", "emirate"),
                    "admin1"),
    **dict.fromkeys(("district", "districts", "county", "counties", "municipality", "parish"),
                    "admin2"),
    **dict.fromkeys(("city", "cities", "town", "towns", "village", "villages", "capital"),
                    "city"),
}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_MAYBE_PLACE_LABELS = {"ORG", "PERSON", "NORP"}
_ORG_LABELS = {"ORG", "FAC"}
_USED_LABELS = _PLACE_LABELS | _MAYBE_PLACE_LABELS | {"EVENT"}
_LOCATIVE = {"in", "at", "near", "outside", "across", "into", "from", "throughout", "around",
             "towards", "toward", "to", "inside"}
_DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
               "central", "northeast", "northwest", "southeast", "southwest", "northeastern",
               "northwestern", "southeastern", "southwestern", "north-east", "north-west",
               "south-east", "south-west", "north-eastern", "north-western", "south-eastern",
               "south-western", "upper", "lower", "greater"}
# Capitalised words that are also names of places in the major-name table but are far more
# often ordinary words, titles or given names in English news.
_COMMON_WORDS = {
    "central", "northern", "southern", "eastern", "western", "north", "south", "east", "west",
    "national", "capital", "centre", "center", "union", "independence", "liberty", "victory",
    "federal", "republic", "coast", "island", "islands", "lakes", "river", "upper", "lower",
    "middle", "new", "saint", "san", "santa", "mary", "george", "victoria", "may", "march",
    "nice", "reading", "police", "army", "government", "president", "minister", "islamic",
    "state", "province", "orient", "oriental", "sud", "nord", "est", "ouest", "mobile",
    "concord", "providence", "hope", "unity", "jordan", "chad", "georgia", "israel", "eden",
    "lincoln", "jackson", "washington", "houston", "charlotte", "florence", "marion", "milton",
}
_STRIP_PREFIX = {"the"}


@dataclass(frozen=True, slots=True)
class PlaceSpan:
    """A candidate place mention before resolution.

    ``hint`` is the feature the text asks for ('admin1' after "province", 'city' after "town"),
    ``demonym_cc`` the country of a demonym, ``source`` where the span came from.
    """

    start: int
    end: int
    tok_start: int
    tok_end: int
    text: str
    hint: str | None
    demonym_cc: str | None
    source: str


def _hint_around(doc: Doc, start: int, end: int) -> str | None:
    """Feature hint from the word after the span, or from "province of" before it."""
    if end < len(doc) and doc[end].lower_ in _HINTS:
        return _HINTS[doc[end].lower_]
    if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in _HINTS:
        return _HINTS[doc[start - 2].lower_]
    # "Nangarhar and Kunar provinces": a plural keyword after the last of a coordinated list.
    i = end
    while i + 1 < len(doc) and doc[i].lower_ in {",", "and"} and doc[i + 1].is_title:
        i += 1
        while i < len(doc) and doc[i].is_title:
            i += 1
        if i < len(doc) and doc[i].lower_ in _HINTS and doc[i].lower_.endswith("s"):
            return _HINTS[doc[i].lower_]
    return None


def _trim(span: Span, gazetteer: Gazetteer | None = None) -> tuple[int, int, str | None]:
    """Token bounds without a leading "the", trailing "'s" or a trailing type word; the type
    word stays when the whole name is a gazetteer name itself ("Laurel County")."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in _STRIP_PREFIX:
        start += 1
    while end > start and doc[end - 1].lower_ in {"'s", "’s", "'", "’"}:
        end -= 1
    hint = None
    if end - start > 1 and doc[end - 1].lower_ in _HINTS:
        hint = _HINTS[doc[end - 1].lower_]
        if gazetteer is None or not gazetteer.lookup(doc[start:end].text):
            end -= 1
    return start, end, hint


def _make(doc: Doc, start: int, end: int, hint: str | None, source: str,
          demonym_cc: str | None = None) -> PlaceSpan:
    span = doc[start:end]
    return PlaceSpan(span.start_char, span.end_char, start, end, span.text,
                     hint or _hint_around(doc, start, end), demonym_cc, source)


def _locative_before(doc: Doc, start: int) -> bool:
    i = start - 1
    while i >= 0 and doc[i].lower_ in _DIRECTIONS | {"the"}:
        i -= 1
    return i >= 0 and doc[i].lower_ in _LOCATIVE


def _entity_spans(doc: Doc, gazetteer: Gazetteer) -> list[PlaceSpan]:
    out = []
    for ent in doc.ents:
        label = ent.label_
        if label not in _USED_LABELS:
            continue
        start, end, hint = _trim(ent, gazetteer)
        if start >= end:
            continue
        if label in _PLACE_LABELS:
            if end - start == 1 and doc[start].lower_ in _DIRECTIONS:
                continue  # "the East part of Cali": a direction, not a place called East
            out.append(_make(doc, start, end, hint, "ner"))
            continue
        text = ent.text if (start, end) == (ent.start, ent.end) else doc[start:end].text
        if label in _MAYBE_PLACE_LABELS and not _is_demonym(text):
            if gazetteer.is_major_name(text) and (_locative_before(doc, start) or hint):
                out.append(_make(doc, start, end, hint, "ner-relabel"))
            elif label in _ORG_LABELS:
                out += _embedded_spans(doc, start, end, gazetteer)
        elif label == "EVENT":
            # "the Paris Olympics", "the Moscow Summit": an event named after its host city.
            out += _embedded_spans(doc, start, end, gazetteer, cities=True)
    return out


def _embedded_spans(doc: Doc, start: int, end: int, gazetteer: Gazetteer,
                    cities: bool = False) -> list[PlaceSpan]:
    """A country or first-level subdivision that opens an organisation's name ("Texas
    Department of Health", "Ohio State University"), a subdivision named with its type word
    ("Edgar County Community Foundation"), or with ``cities`` a major city that opens an
    event's name ("Paris Olympics"): the longest such prefix."""
    for stop in range(min(end - 1, start + 3), start, -1):
        if not all(t.is_title or t.is_upper for t in doc[start:stop]):
            continue
        text = doc[start:stop].text
        if gazetteer.key(text) in _COMMON_WORDS or _is_demonym(text):
            continue
        if stop - start > 1 and _HINTS.get(doc[stop - 1].lower_) in ("admin1", "admin2") \
                and any(c.kind < 2 and c.entry.feature in ("admin1", "admin2")
                        for c in gazetteer.candidates(gazetteer.key(text))):
            return [_make(doc, start, stop, None, "embedded")]
        features = ("country", "admin1", "city") if cities else ("country", "admin1")
        if not gazetteer.is_major_name(text, respelt=False):
            continue  # every country and subdivision name is a major name: no lookup needed
        if any(c.entry.feature in features and c.kind < 2
               for c in gazetteer.candidates(gazetteer.key(text))):
            return [_make(doc, start, stop, None, "embedded")]
    return []


def _is_demonym(text: str) -> bool:
    from .demonyms import load_demonyms

    return text.lower() in load_demonyms()


class _TokenTable:
    """Token attributes of one document as arrays, read once: iterating a ``Doc`` builds a
    Python ``Token`` per word, which made recognition cost more than resolution."""

    def __init__(self, doc: Doc) -> None:
        arr = doc.to_array([LOWER, ORTH, IS_TITLE, ENT_TYPE, POS, IS_STOP])
        self.lower, self.orth = arr[:, 0], arr[:, 1]
        self.lower_list: list[int] = self.lower.tolist()
        self.is_title = arr[:, 2].astype(bool)
        self.has_ent = arr[:, 3] != 0
        self.ent_type = arr[:, 3]
        self.propn = arr[:, 4] == doc.vocab.strings["PROPN"]
        self.is_stop = arr[:, 5].astype(bool)
        self.strings = doc.vocab.strings


_OPEN_PAREN = hash_string("(")
_SKIP_DEMONYM_ENTS = ("PERSON", "ORG", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT")


def _demonym_spans(doc: Doc, table: _TokenTable, taken: set[int]) -> list[PlaceSpan]:
    from .demonyms import load_demonyms

    demonyms = load_demonyms()
    keys = _demonym_hashes(tuple(demonyms))
    hits = [i for i, h in enumerate(table.lower_list) if h in keys]
    skip = _skip_hashes()
    out = []
    for i in hits:
        tok = doc[i]
        if i in taken or not tok.text[:1].isupper() or int(table.ent_type[i]) in skip:
            continue
        word = tok.lower_
        cc = demonyms.get(word) or (demonyms.get(word[:-1]) if word.endswith("s") else None)
        if cc:
            out.append(_make(doc, i, i + 1, None, "demonym", cc))
    return out


@functools.cache
def _demonym_hashes(demonyms: tuple[str, ...]) -> frozenset[int]:
    """Hashes of every demonym and its plural ("Afghans")."""
    return frozenset(hash_string(w) for w in set(demonyms) | {w + "s" for w in demonyms})


@functools.cache
def _skip_hashes() -> frozenset[int]:
    return frozenset(hash_string(label) for label in _SKIP_DEMONYM_ENTS)


def _container_slot(doc: Doc, i: int, taken: set[int]) -> bool:
    """Whether token ``i`` follows a recognised place and a comma: "near Mariupol, Donetsk"."""
    return i >= 2 and doc[i - 1].text == "," and (i - 2) in taken


def _capitalised_spans(doc: Doc, gazetteer: Gazetteer, table: _TokenTable,
                       taken: set[int]) -> list[PlaceSpan]:
    """Runs of capitalised proper nouns outside any entity that name a major place, or any
    gazetteer place when a type word follows ("Kunar province")."""
    ok = table.is_title & table.propn & ~table.has_ent
    out = []
    n = len(doc)
    i = 0
    starts = np.nonzero(ok)[0].tolist()
    for i0 in starts:
        if i0 < i or i0 in taken:
            continue
        i = j = i0
        while j < n and j - i < 4 and ok[j] and j not in taken:
            j += 1
        text = doc[i:j].text
        hint = _hint_around(doc, i, j)
        common = j - i == 1 and (doc[i].lower_ in _COMMON_WORDS or bool(table.is_stop[i]))
        if len(text) >= 4 and not common:
            if hint and gazetteer.lookup(text):
                out.append(_make(doc, i, j, hint, "pattern"))
            elif gazetteer.is_major_name(text) and (
                    _locative_before(doc, i) or _container_slot(doc, i, taken)):
                out.append(_make(doc, i, j, None, "gazetteer"))
        i = j
    return out


def _parenthesis_spans(doc: Doc, gazetteer: Gazetteer, table: _TokenTable,
                       taken: set[int]) -> list[PlaceSpan]:
    """Places named in a parenthesis of place names, the way conflict reports give the
    district and province of a village: "in Takalout (Kidal)", "Bossaso town (Bossaso, Bari)".
    Every comma-separated part must be a capitalised gazetteer name, or none is taken."""
    out: list[PlaceSpan] = []
    n = len(doc)
    for i0 in np.nonzero(table.orth == _OPEN_PAREN)[0].tolist():
        open_tok = doc[i0]
        if open_tok.i + 2 >= n:
            continue
        close = open_tok.i + 1
        while close < n and close - open_tok.i <= 8 and doc[close].text not in ("(", ")"):
            close += 1
        if close >= n or doc[close].text != ")":
            continue
        parts, start = [], open_tok.i + 1
        for i in range(open_tok.i + 1, close + 1):
            if i == close or doc[i].text == ",":
                parts.append((start, i))
                start = i + 1
        if not all(b > a and all(t.is_title or t.is_upper or t.text == "-" for t in doc[a:b])
                   and not any(k in taken for k in range(a, b))
                   and gazetteer.lookup(doc[a:b].text) for a, b in parts):
            continue
        out += [_make(doc, a, b, None, "parenthesis") for a, b in parts]
    return out


def _discourse_spans(doc: Doc, spans: list[PlaceSpan], table: _TokenTable,
                     taken: set[int]) -> list[PlaceSpan]:
    """Other capitalised occurrences of a name already recognised as a place in the same
    document (one sense per discourse): "Alexandria police" after "in Alexandria"."""
    names: dict[str, int] = {}
    for span in spans:
        if span.source in ("ner", "pattern", "ner-relabel") and span.demonym_cc is None:
            names.setdefault(span.text, span.tok_end - span.tok_start)
    out: list[PlaceSpan] = []
    if not names:
        return out
    first = {text.split()[0] for text in names}
    person = table.strings["PERSON"]
    first_hashes = {hash_string(w) for w in first}
    hits = [i for i, h in enumerate(table.orth.tolist()) if h in first_hashes]
    for i in hits:
        if i in taken or int(table.ent_type[i]) == person:
            continue
        for text, size in names.items():
            end = i + size
            if end <= len(doc) and doc[i:end].text == text and \
                    not any(k in taken for k in range(i, end)):
                out.append(_make(doc, i, end, None, "discourse"))
                taken.update(range(i, end))
                break
    return out


def _extend_left(doc: Doc, gazetteer: Gazetteer, span: PlaceSpan) -> PlaceSpan:
    """Take in a capitalised word before the span when the two together are a major name the
    model split ("Baja" + "California" is Baja California, Mexico)."""
    i = span.tok_start - 1
    if i < 0 or not doc[i].is_title or doc[i].ent_type_ in ("PERSON", "ORG") or span.demonym_cc:
        return span
    if not gazetteer.is_major_name(doc[i:span.tok_end].text, respelt=False):  # no query
        return span
    return _make(doc, i, span.tok_end, span.hint, span.source)


def find_place_spans(doc: Doc, gazetteer: Gazetteer) -> list[PlaceSpan]:
    """Candidate place spans of ``doc``, non-overlapping, in text order.

    doc (Doc): a document parsed by a pipeline with a tagger and NER.
    gazetteer (Gazetteer): used to accept names the NER model missed or mislabelled.
    RETURNS (list[PlaceSpan]): spans with token and character offsets into ``doc``.
    """
    table = _TokenTable(doc)
    spans = _entity_spans(doc, gazetteer)
    taken = {i for s in spans for i in range(s.tok_start, s.tok_end)}
    spans += _demonym_spans(doc, table, taken)
    taken = {i for s in spans for i in range(s.tok_start, s.tok_end)}
    spans += _capitalised_spans(doc, gazetteer, table, taken)
    taken = {i for s in spans for i in range(s.tok_start, s.tok_end)}
    spans += _parenthesis_spans(doc, gazetteer, table, taken)
    taken = {i for s in spans for i in range(s.tok_start, s.tok_end)}
    spans += _discourse_spans(doc, spans, table, taken)
    spans = [_extend_left(doc, gazetteer, span) for span in spans
             if not (len(span.text) <= 2 and span.text.istitle())]  # "La", "Al": not "La."
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[PlaceSpan] = []
    for span in spans:
        if not out or span.start >= out[-1].end:
            out.append(span)
    return out
