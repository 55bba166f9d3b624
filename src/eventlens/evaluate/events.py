"""Score extracted events on labelled corpora (``eventlens eval events``).

Corpora are read by :mod:`eventlens.evaluate.event_formats` into :class:`GoldCase` records (ACLED
CSV, PLOVER gold-standard JSON, PETRARCH validation XML, JSONL with ``gold`` objects). Each case
is one document with one gold event; only the fields the corpus labels are scored.

Matching rule (per document): the predicted event scored against the gold is the best of the
document's events by, in order, (1) its type agrees with the gold (PLOVER type for PLOVER,
PETRARCH and JSONL gold; ACLED event type for ACLED), (2) its modality is "occurred", (3) the
highest confidence. A corpus sentence or ACLED note normally describes one event, so this picks
the event the gold is about without letting a second, unrelated event cost the document. Because
it prefers the gold's type, type accuracy reads "some predicted event has the gold's type"; the
table shows events per document so that leniency stays visible. A document with no event (or a
pipeline failure) scores 0 on every field.

Field rules:

* types compare through :data:`TYPE_EQUIVALENTS`: PLOVER 0.5 FIGHT is 2021 ASSAULT, and the 2021
  ACCUSE/REQUEST merge DISAPPROVE+INVESTIGATE / DEMAND.
* mode: scored where the gold has one; a hit when a predicted mode equals a gold mode or shares
  its stem before "-" (PLOVER 0.5 "demo-org" and "demo").
* actors (per role, ``source`` and ``target``; ACLED ``actor1`` is the source): a hit when some
  gold actor of the role matches some predicted actor of that role, either by name (case and
  accents ignored, parenthesised parts such as "(2015-)" or "(Nigeria)" dropped, the predicted
  text, name or an alias equal to, or contained word-wise in, or containing a gold name of at
  least 3 characters) or, for labels that name a class of actor, by kind and country: the
  predicted kind is one of the class's kinds and the countries agree. ACLED class labels
  ("Military Forces of Nigeria (2015-)", "Police Forces of X", "Government of X", "Unidentified
  Armed Group (X)", "Civilians (X)") are matched by kind and country only, never by name, so
  that "forces" or "police" in the text does not match them; "Protesters"/"Rioters" match the
  predicted name of either. PLOVER actors with a CAMEO country code match by name or by country
  (kind from the CAMEO sector when given). A predicted actor without a country agrees only with
  non-state classes (armed groups, civilians); state classes (military, police, government)
  need the same country.
* country: the predicted location's ISO code. admin1: the same subdivision of the same
  country, by any spelling the gazetteer knows ("Donetsk" and "Donetska oblast", "Idleb" and
  "Idlib"); names the gazetteer does not know are compared after dropping accents, case,
  punctuation and words such as "province", "oblast", "governorate".
* location: great-circle distance from the predicted location within 25 km and 161 km; a
  predicted location without coordinates misses.
* killed: a predicted null is read as 0 in both directions, since ACLED codes 0 where the text
  reports no deaths and the contract gives null where it gives no figure; ``killed (gold > 0)``
  shows the same over documents with deaths.
* date: exact, predicted start and end equal the gold start and end (ACLED: the event date).
* no event (PETRARCH ``noevents`` sentences): a hit when the pipeline produced no event.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from ..geo import haversine_km
from ..models import ActorRef, DocumentFailure, Event
from ..resolve.gazetteer import Gazetteer
from .event_formats import GoldActor, GoldCase, read_cases

__all__ = ["AdminKey", "EventScores", "FieldScore", "TYPE_EQUIVALENTS", "actor_matches", "case_outcomes",
           "gazetteer_admin_key",
           "match_event", "predict_events", "run_eval", "score_events"]

TYPE_EQUIVALENTS: dict[str, frozenset[str]] = {
    "FIGHT": frozenset({"ASSAULT"}),
    "ASSAULT": frozenset({"FIGHT"}),
    "ACCUSE": frozenset({"DISAPPROVE", "INVESTIGATE"}),
    "DISAPPROVE": frozenset({"ACCUSE"}),
    "INVESTIGATE": frozenset({"ACCUSE"}),
    "REQUEST": frozenset({"DEMAND"}),
    "DEMAND": frozenset({"REQUEST"}),
}
FIELDS = (
    ("type", "PLOVER type"), ("mode", "mode overlap"), ("modality", "modality"),
    ("source_actor", "source actor"), ("target_actor", "target actor"),
    ("acled_event_type", "ACLED event_type"), ("acled_sub_event_type", "ACLED sub_event_type"),
    ("country", "country"), ("admin1", "admin1"), ("location_25km", "location <= 25 km"),
    ("location_161km", "location <= 161 km"), ("killed", "killed (null = 0)"),
    ("killed_nonzero", "killed (gold > 0)"), ("date", "date exact"), ("no_event", "no event"),
)
_STATE_KINDS = frozenset({"state", "government", "military", "police"})
_ADMIN_WORDS = frozenset({
    "province", "state", "region", "governorate", "oblast", "department", "division", "district",
    "county", "prefecture", "territory", "of", "the", "muhafazat", "wilayat", "city",
    "municipality", "capital", "federal", "autonomous", "republic", "krai", "kray"})


@dataclass(frozen=True, slots=True)
class FieldScore:
    """Hits over the documents whose gold labels the field."""

    name: str
    label: str
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        """correct / total, 0.0 when no document labels the field."""
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class EventScores:
    """Per-field accuracy of events over a corpus, with counts and speed."""

    corpus: str
    documents: int
    failures: int
    without_events: int
    predicted_events: int
    fields: tuple[FieldScore, ...]
    seconds: float = 0.0

    @property
    def seconds_per_1000(self) -> float:
        """Pipeline wall time per 1,000 documents (0.0 when not timed)."""
        return 1000.0 * self.seconds / self.documents if self.documents else 0.0

    def field(self, name: str) -> FieldScore:
        """Return the score of one field by name (e.g. ``"acled_event_type"``).

        RAISES KeyError: when no document of the corpus labels that field.
        """
        for score in self.fields:
            if score.name == name:
                return score
        raise KeyError(name)

    def to_table(self) -> str:
        """Render the scores as an aligned plain-text table (fields with gold only)."""
        per_doc = self.predicted_events / self.documents if self.documents else 0.0
        rows = [("documents", f"{self.documents}"),
                ("failures / without events", f"{self.failures} / {self.without_events}"),
                ("events per document", f"{per_doc:.2f}")]
        rows += [(s.label, f"{s.accuracy:.3f}  ({s.correct}/{s.total})") for s in self.fields]
        if self.seconds:
            rows.append(("seconds per 1,000 documents", f"{self.seconds_per_1000:.1f}"))
        width = max(len(name) for name, _ in rows)
        return "\n".join([f"events: {self.corpus}"]
                         + [f"  {name:<{width}}  {value}" for name, value in rows])


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\([^)]*\)", " ", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _contains(longer: str, shorter: str) -> bool:
    return len(shorter) >= 3 and f" {shorter} " in f" {longer} "


def _names_match(gold: Iterable[str], predicted: Iterable[str]) -> bool:
    gold_names = [g for g in map(_fold, gold) if g]
    for name in filter(None, map(_fold, predicted)):
        for g in gold_names:
            if name == g or _contains(g, name) or _contains(name, g):
                return True
    return False


def actor_matches(gold: GoldActor, predicted: ActorRef) -> bool:
    """Whether a predicted actor matches a gold actor (rule in the module docstring).

    gold (GoldActor): the labelled actor.
    predicted (ActorRef): an actor of a predicted event (its role is not checked here).
    RETURNS (bool): True on a name match or a kind + country match.
    """
    if _names_match(gold.names, [predicted.text or "", predicted.name, *predicted.aliases]):
        return True
    if not gold.kinds or predicted.kind not in gold.kinds:
        return False
    if predicted.country is None:
        return not gold.kinds & _STATE_KINDS
    return gold.country is None or predicted.country == gold.country


def _type_ok(case: GoldCase, event: Event) -> bool:
    if case.types:
        return any(event.type == t or event.type in TYPE_EQUIVALENTS.get(t, ())
                   for t in case.types)
    if case.acled_event_type:
        return event.acled is not None and event.acled.event_type == case.acled_event_type
    return False


def match_event(case: GoldCase, events: Sequence[Event]) -> Optional[Event]:
    """Pick the predicted event to score against the case's gold (rule in the module docstring).

    case (GoldCase): the labelled document.
    events (Sequence[Event]): the events the pipeline extracted from it.
    RETURNS (Event | None): the best event, or None when there is none.
    """
    if not events:
        return None
    return max(events, key=lambda e: (_type_ok(case, e), e.modality == "occurred", e.confidence))


def _admin(name: Optional[str]) -> str:
    return " ".join(w for w in _fold(name or "").split() if w not in _ADMIN_WORDS)


def _mode_ok(gold: Sequence[str], predicted: Sequence[str]) -> bool:
    stems = {m.split("-")[0] for m in predicted} | set(predicted)
    return any(m in stems or m.split("-")[0] in stems for m in gold)


def _actor_ok(case: GoldCase, event: Event, role: str) -> Optional[bool]:
    gold = [a for a in case.actors if a.role == role]
    if not gold:
        return None
    predicted = [a for a in event.actors if a.role == role]
    return any(actor_matches(g, p) for g in gold for p in predicted)


# Maps (country, first-level subdivision name) to a key that is equal for two spellings of one
# subdivision ("Donetsk" and "Donetska oblast"); the default compares folded names.
AdminKey = Callable[[Optional[str], str], str]


def _folded_admin_key(country: Optional[str], name: str) -> str:
    return _admin(name)


def gazetteer_admin_key(gazetteer: Gazetteer) -> AdminKey:
    """An :data:`AdminKey` that knows the gazetteer's spellings of each subdivision, so that
    ACLED's "Donetsk" and the gazetteer's "Donetska oblast" are one province.

    gazetteer (Gazetteer): an open gazetteer (its ``admin1`` lookup).
    RETURNS (AdminKey): the subdivision's entry id when the gazetteer knows the name in that
        country, else the folded name.
    """
    def key(country: Optional[str], name: str) -> str:
        entry = gazetteer.admin1(country or "", name)
        return f"#{entry.id}" if entry is not None else _admin(name)
    return key


def _location_fields(case: GoldCase, event: Event,
                     admin_key: AdminKey = _folded_admin_key) -> dict[str, Optional[bool]]:
    loc = event.location
    out: dict[str, Optional[bool]] = {}
    if case.country:
        out["country"] = loc is not None and loc.country == case.country
    if case.admin1:
        out["admin1"] = loc is not None and bool(loc.admin1) and \
            loc.country == (case.country or loc.country) and \
            admin_key(loc.country, loc.admin1) == admin_key(loc.country, case.admin1)
    if case.lat is not None and case.lon is not None:
        km = (haversine_km(case.lat, case.lon, loc.lat, loc.lon)
              if loc is not None and loc.lat is not None and loc.lon is not None else None)
        out["location_25km"] = km is not None and km <= 25.0
        out["location_161km"] = km is not None and km <= 161.0
    return out


def case_outcomes(case: GoldCase, events: Sequence[Event],
                  admin_key: AdminKey = _folded_admin_key) -> dict[str, bool]:
    """Score one document: hit or miss for every field its gold labels.

    case (GoldCase): the labelled document.
    events (Sequence[Event]): the events predicted for it.
    admin_key (AdminKey): how first-level subdivision names are compared.
    RETURNS (dict[str, bool]): by field name (see ``FIELDS``); unlabelled fields are absent.
    """
    if case.expect_no_event:
        return {"no_event": not events}
    event = match_event(case, events)
    labelled = {
        "type": bool(case.types), "mode": bool(case.mode), "modality": bool(case.modality),
        "source_actor": any(a.role == "source" for a in case.actors),
        "target_actor": any(a.role == "target" for a in case.actors),
        "acled_event_type": bool(case.acled_event_type),
        "acled_sub_event_type": bool(case.acled_sub_event_type),
        "country": bool(case.country), "admin1": bool(case.admin1),
        "location_25km": case.lat is not None and case.lon is not None,
        "location_161km": case.lat is not None and case.lon is not None,
        "killed": case.has_killed, "killed_nonzero": case.has_killed and bool(case.killed),
        "date": case.date_start is not None,
    }
    if event is None:
        return {name: False for name, on in labelled.items() if on}
    acled = event.acled
    got: dict[str, Optional[bool]] = {
        "type": _type_ok(case, event) if case.types else None,
        "mode": _mode_ok(case.mode, event.mode),
        "modality": event.modality == case.modality,
        "source_actor": _actor_ok(case, event, "source"),
        "target_actor": _actor_ok(case, event, "target"),
        "acled_event_type": acled is not None and acled.event_type == case.acled_event_type,
        "acled_sub_event_type": acled is not None
        and acled.sub_event_type == case.acled_sub_event_type,
        "killed": (event.killed or 0) == (case.killed or 0),
        "killed_nonzero": (event.killed or 0) == (case.killed or 0),
        "date": event.date.start == case.date_start and event.date.end == case.date_end,
        **_location_fields(case, event, admin_key),
    }
    return {name: bool(got.get(name)) for name, on in labelled.items() if on}


def score_events(cases: Sequence[GoldCase], predictions: Iterable[Optional[Sequence[Event]]], *,
                 seconds: float = 0.0, admin_key: AdminKey = _folded_admin_key) -> EventScores:
    """Score predicted events against the gold cases.

    cases (Sequence[GoldCase]): the labelled documents.
    predictions (Iterable[Sequence[Event] | None]): the events predicted for each case, in the
        same order; None for a document the pipeline failed on (it scores 0 on every field).
    seconds (float): pipeline wall time, reported per 1,000 documents.
    admin_key (AdminKey): how first-level subdivision names are compared (by default, folded
        names; :func:`gazetteer_admin_key` also knows other spellings).
    RETURNS (EventScores): per-field accuracy over the documents that label each field.
    RAISES ValueError: when there are not as many predictions as cases.
    """
    correct = {name: 0 for name, _ in FIELDS}
    total = dict(correct)
    failures = without = predicted = 0
    for case, events in zip(cases, predictions, strict=True):
        failures += events is None
        events = events or []
        without += not events
        predicted += len(events)
        for name, hit in case_outcomes(case, events, admin_key).items():
            total[name] += 1
            correct[name] += hit
    corpora = sorted({c.corpus for c in cases})
    return EventScores(
        corpus="+".join(corpora) or "empty", documents=len(cases), failures=failures,
        without_events=without, predicted_events=predicted,
        fields=tuple(FieldScore(name, label, correct[name], total[name])
                     for name, label in FIELDS if total[name]),
        seconds=seconds)


def predict_events(cases: Sequence[GoldCase], pipeline,
                   progress: Optional[Callable[[int], None]] = None
                   ) -> list[Optional[list[Event]]]:
    """Run the pipeline over the cases' documents in one stream.

    cases (Sequence[GoldCase]): the labelled documents (document ids must be unique).
    pipeline (Pipeline): a built :class:`~eventlens.pipeline.Pipeline`.
    progress (Callable[[int], None] | None): called with the number of documents done.
    RETURNS (list[list[Event] | None]): events per case in case order; None for a failure.
    """
    by_id: dict[str, Optional[list[Event]]] = {}
    for done, result in enumerate(pipeline.run(c.document for c in cases), start=1):
        if isinstance(result, DocumentFailure):
            by_id[result.doc_id] = None
        else:
            by_id[result.document.id] = list(result.events)
        if progress is not None:
            progress(done)
    return [by_id.get(c.document.id) for c in cases]


def run_eval(path: str | Path, pipeline, *, limit: Optional[int] = None,
             progress: Optional[Callable[[int], None]] = None,
             cameo_map: str | Path | None = None) -> EventScores:
    """Read a labelled corpus, run the pipeline over it and score the events.

    path (str | Path): ACLED CSV, PLOVER JSON, PETRARCH XML or JSONL with ``gold`` objects.
    pipeline (Pipeline): a built :class:`~eventlens.pipeline.Pipeline`.
    limit (int | None): score only the first ``limit`` cases.
    progress (Callable[[int], None] | None): called with the number of documents done.
    cameo_map (str | Path | None): a PLOVER ``CAMEO2PLOVER`` file instead of the shipped table.
    RETURNS (EventScores): the scores, timed per 1,000 documents.
    RAISES IngestError: when the corpus cannot be read.
    """
    cases = read_cases(path, limit, cameo_map=cameo_map)
    started = time.perf_counter()
    predictions = predict_events(cases, pipeline, progress)
    return score_events(cases, predictions, seconds=time.perf_counter() - started,
                        admin_key=gazetteer_admin_key(pipeline.gazetteer))
