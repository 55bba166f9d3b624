"""Score cross-document merging on reports labelled with their incident (``eventlens eval merge``).

Corpus: contract JSONL (``docs/contract.md``) whose every line also carries
``"gold": {"incident": "<label>"}``, the incident the report is mainly about; reports with the same
label describe the same incident.

Prediction: the real pipeline extracts each document's events; every event of every document is
merged in file order (background mentions take part, as they do in the store), either in memory
with :func:`eventlens.store.merging.cluster` or, with ``store=True``, by adding the documents to a
temporary SQLite :class:`~eventlens.store.EventStore` as ``eventlens ingest`` does and reading back
each report's incident. A document is then placed in the incident of its **lead event**: the
event whose evidence starts earliest in the text (news puts the main incident first), ties broken
by realised modality (occurred/alleged/denied before threats and plans), then confidence, then
extraction order. A document without events (or that failed) is an incident of its own.

Scores, over documents:

* pairwise precision / recall / F1: a pair of documents is predicted together when their lead
  events share an incident, and is gold together when their labels are equal;
* B-cubed precision / recall / F1 (Bagga and Baldwin 1998) on the same assignment;
* pairwise "any event": a pair is predicted together when any event of one shares an incident
  with any event of the other (shows what background mentions add or cost).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Optional, Sequence

from ..errors import IngestError
from ..ingest.jsonl import read_jsonl
from ..models import Document, DocumentFailure, Event
from ..resolve.actor_kb import ActorKB
from ..store.merging import cluster

if TYPE_CHECKING:
    from ..pipeline import Pipeline

__all__ = ["MergeCase", "MergeScores", "PairScores", "bcubed", "cluster_incidents", "lead_event",
           "pair_scores", "predict_incidents", "read_merge_cases", "run_merge_eval",
           "score_merge", "store_incidents"]

_MODALITY_RANK = {"occurred": 0, "alleged": 0, "denied": 0}


@dataclass(frozen=True, slots=True)
class MergeCase:
    """One labelled report: the document (or why it could not be read) and its gold incident."""

    doc_id: str
    incident: str
    document: Optional[Document]
    failure: Optional[str] = None


@dataclass(frozen=True, slots=True)
class PairScores:
    """Counts of document pairs: together in both, only predicted together, only gold together."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing is predicted together (no wrong merge)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when no two documents are gold together."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class MergeScores:
    """Merging scores over a labelled corpus, with counts."""

    corpus: str
    method: str
    documents: int
    incidents: int
    failures: int
    without_events: int
    events: int
    predicted_incidents: int
    pairwise: PairScores
    bcubed: tuple[float, float, float]
    any_event: PairScores
    seconds: float = 0.0
    assignment: tuple[tuple[str, str, str], ...] = ()  # (doc id, gold, predicted incident)

    def to_table(self) -> str:
        """Render the scores as an aligned plain-text table."""
        def prf(p: float, r: float, f: float) -> str:
            return f"{p:.3f} / {r:.3f} / {f:.3f}"

        pw, ae = self.pairwise, self.any_event
        rows = [
            ("merged by", self.method),
            ("documents / gold incidents", f"{self.documents} / {self.incidents}"),
            ("failures / without events", f"{self.failures} / {self.without_events}"),
            ("events / predicted incidents (lead)", f"{self.events} / {self.predicted_incidents}"),
            ("pairwise P / R / F1 (lead event)",
             f"{prf(pw.precision, pw.recall, pw.f1)}  (tp {pw.tp}, fp {pw.fp}, fn {pw.fn})"),
            ("B-cubed P / R / F1 (lead event)", prf(*self.bcubed)),
            ("pairwise P / R / F1 (any event)",
             f"{prf(ae.precision, ae.recall, ae.f1)}  (tp {ae.tp}, fp {ae.fp}, fn {ae.fn})"),
        ]
        if self.seconds:
            rows.append(("seconds", f"{self.seconds:.1f}"))
        width = max(len(name) for name, _ in rows)
        return "\n".join([f"merge: {self.corpus}"]
                         + [f"  {name:<{width}}  {value}" for name, value in rows])


    def to_groups(self) -> str:
        """Render each gold incident with the predicted incident of each of its documents.

        RETURNS (str): one line per gold incident, e.g. ``kabul-bombing  r01 r02 | r03``: the
            documents the prediction put together are separated by spaces, different predicted
            incidents by ``|``; a predicted incident shared with another gold incident is marked
            with ``*``.
        """
        golds_of: dict[str, set[str]] = {}
        for _, gold, predicted in self.assignment:
            golds_of.setdefault(predicted, set()).add(gold)
        lines = []
        width = max((len(g) for _, g, _ in self.assignment), default=0)
        for gold in dict.fromkeys(g for _, g, _ in self.assignment):
            parts: dict[str, list[str]] = {}
            for doc_id, g, predicted in self.assignment:
                if g == gold:
                    parts.setdefault(predicted, []).append(doc_id)
            shown = [" ".join(docs) + ("*" if len(golds_of[p]) > 1 else "")
                     for p, docs in parts.items()]
            lines.append(f"  {gold:<{width}}  {' | '.join(shown)}")
        return "\n".join(lines)


def _gold_labels(path: Path) -> dict[str, str]:
    labels: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"cannot read merge gold {path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            doc_id, incident = record["id"], record["gold"]["incident"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise IngestError(f"{path}:{number}: not a merge gold record ({exc!r}); expected "
                              "'id', 'text' and 'gold': {'incident': label}") from exc
        if not isinstance(incident, str) or not incident:
            raise IngestError(f"{path}:{number}: 'gold.incident' must be a non-empty string")
        labels[str(doc_id)] = incident
    if not labels:
        raise IngestError(f"merge gold {path} has no records")
    return labels


def read_merge_cases(path: str | Path) -> list[MergeCase]:
    """Read a merge test set: documents through the JSONL reader, labels from ``gold.incident``.

    path (str | Path): contract JSONL whose lines carry ``"gold": {"incident": label}``.
    RETURNS (list[MergeCase]): in file order; a line the reader rejects keeps its label and
        carries the reader's error instead of a document.
    RAISES IngestError: when the file cannot be read or a line has no gold incident.
    """
    path = Path(path)
    labels = _gold_labels(path)
    cases = []
    for item in read_jsonl(path):
        incident = labels.get(item.doc_id if isinstance(item, DocumentFailure) else item.id)
        if incident is None:
            raise IngestError(f"{path}: record {getattr(item, 'doc_id', None)!r} has no id "
                              "with a gold incident")
        if isinstance(item, DocumentFailure):
            cases.append(MergeCase(item.doc_id, incident, None, item.error))
        else:
            cases.append(MergeCase(item.id, incident, item))
    return cases


def lead_event(events: Sequence[Event]) -> Optional[Event]:
    """The event a document is mainly about (rule in the module docstring).

    events (Sequence[Event]): the document's events, in extraction order.
    RETURNS (Event | None): the lead event; None when there are no events.
    """
    if not events:
        return None
    ranked = sorted(enumerate(events), key=lambda ie: (
        min(e.start for e in ie[1].evidence), _MODALITY_RANK.get(ie[1].modality, 1),
        -ie[1].confidence, ie[0]))
    return ranked[0][1]


def cluster_incidents(events_by_doc: Mapping[str, Sequence[Event]],
                      kb: Optional[ActorKB] = None) -> dict[str, str]:
    """Merge every event in memory with :func:`~eventlens.store.merging.cluster`.

    events_by_doc (Mapping[str, Sequence[Event]]): each document's events, in corpus order.
    kb (ActorKB | None): the actor knowledge base for the comparisons.
    RETURNS (dict[str, str]): event id -> incident label.
    """
    events = [e for evs in events_by_doc.values() for e in evs]
    return {ev.event_id: f"incident-{number}"
            for number, group in enumerate(cluster(events, kb)) for ev in group}


def store_incidents(documents: Sequence[tuple[Document, Sequence[Event]]],
                    kb: Optional[ActorKB] = None) -> dict[str, str]:
    """Merge every event through a temporary SQLite event store, as ``eventlens ingest`` does.

    documents (Sequence[tuple[Document, Sequence[Event]]]): documents with their events, in
        corpus order.
    kb (ActorKB | None): the actor knowledge base the store merges with.
    RETURNS (dict[str, str]): event (report) id -> the id of the incident it was stored in.
    RAISES StoreError: when the temporary store cannot be written or read.
    """
    from ..store import EventStore  # the ORM only when this path is asked for

    with tempfile.TemporaryDirectory(prefix="eventlens-merge-") as tmp:
        store = EventStore.open(str(Path(tmp) / "merge.db"), kb=kb)
        try:
            for document, evs in documents:
                store.add(document, evs)
            found = {e.event_id: store.incident_id(e.event_id) for _, evs in documents
                     for e in evs}
        finally:
            store.close()
    # A report the store did not keep (a duplicate document) stays an incident of its own.
    return {event_id: incident or f"lost:{event_id}" for event_id, incident in found.items()}


def predict_incidents(events_by_doc: Mapping[str, Sequence[Event]], incident_of: Mapping[str, str]
                      ) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Place each document in incidents: that of its lead event, and those of all its events.

    events_by_doc (Mapping[str, Sequence[Event]]): each document's events.
    incident_of (Mapping[str, str]): event id -> incident, from either merging path.
    RETURNS (tuple): the incident of each document's lead event (a document without events gets
        an incident of its own), and the set of incidents of all its events.
    """
    lead: dict[str, str] = {}
    every: dict[str, set[str]] = {}
    for doc_id, evs in events_by_doc.items():
        first = lead_event(evs)
        lead[doc_id] = incident_of[first.event_id] if first else f"alone:{doc_id}"
        every[doc_id] = {incident_of[e.event_id] for e in evs} or {f"alone:{doc_id}"}
    return lead, every


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pair_scores(gold: Mapping[str, str], predicted: Mapping[str, str]) -> PairScores:
    """Pairwise counts of two partitions of the same documents.

    gold (Mapping[str, str]): document id -> gold incident.
    predicted (Mapping[str, str]): document id -> predicted incident (same ids).
    RETURNS (PairScores): true, false and missed pairs.
    RAISES ValueError: when the two mappings cover different documents.
    """
    if set(gold) != set(predicted):
        raise ValueError("gold and predicted incidents must cover the same documents")
    both = sum(_pairs(n) for n in Counter((gold[d], predicted[d]) for d in gold).values())
    gold_pairs = sum(_pairs(n) for n in Counter(gold.values()).values())
    predicted_pairs = sum(_pairs(n) for n in Counter(predicted.values()).values())
    return PairScores(tp=both, fp=predicted_pairs - both, fn=gold_pairs - both)


def _any_pair_scores(gold: Mapping[str, str], predicted: Mapping[str, set[str]]) -> PairScores:
    members: dict[str, set[str]] = {}
    for doc_id, incidents in predicted.items():
        for incident in incidents:
            members.setdefault(incident, set()).add(doc_id)
    together = {pair for docs in members.values() for pair in combinations(sorted(docs), 2)}
    tp = sum(gold[a] == gold[b] for a, b in together)
    gold_pairs = sum(_pairs(n) for n in Counter(gold.values()).values())
    return PairScores(tp=tp, fp=len(together) - tp, fn=gold_pairs - tp)


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted partition against the gold one.

    gold (Mapping[str, str]): document id -> gold incident.
    predicted (Mapping[str, str]): document id -> predicted incident (same ids).
    RETURNS (tuple[float, float, float]): precision, recall, F1 averaged over documents.
    RAISES ValueError: when the mappings cover different documents or are empty.
    """
    if set(gold) != set(predicted) or not gold:
        raise ValueError("gold and predicted incidents must cover the same, non-empty documents")
    cell = Counter((gold[d], predicted[d]) for d in gold)
    gold_size, predicted_size = Counter(gold.values()), Counter(predicted.values())
    p = sum(cell[(gold[d], predicted[d])] / predicted_size[predicted[d]] for d in gold) / len(gold)
    r = sum(cell[(gold[d], predicted[d])] / gold_size[gold[d]] for d in gold) / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_merge(cases: Sequence[MergeCase], events_by_doc: Mapping[str, Sequence[Event]],
                incident_of: Mapping[str, str], *, corpus: str = "corpus",
                method: str = "in-memory cluster()", failures: Iterable[str] = (),
                seconds: float = 0.0) -> MergeScores:
    """Score the incidents documents were placed in against the gold incidents.

    cases (Sequence[MergeCase]): the labelled documents.
    events_by_doc (Mapping[str, Sequence[Event]]): events per document id; a document missing
        here (a failure) has no events.
    incident_of (Mapping[str, str]): event id -> incident (:func:`cluster_incidents` or
        :func:`store_incidents`).
    corpus (str): name shown in the table.
    method (str): how the events were merged, shown in the table.
    failures (Iterable[str]): ids of documents that could not be read or processed.
    seconds (float): wall time to report.
    RETURNS (MergeScores): pairwise, B-cubed and any-event scores.
    """
    gold = {c.doc_id: c.incident for c in cases}
    ordered = {c.doc_id: list(events_by_doc.get(c.doc_id, ())) for c in cases}
    lead, every = predict_incidents(ordered, incident_of)
    return MergeScores(
        corpus=corpus, method=method, documents=len(cases), incidents=len(set(gold.values())),
        failures=len(set(failures)), without_events=sum(not evs for evs in ordered.values()),
        events=sum(len(evs) for evs in ordered.values()),
        predicted_incidents=len(set(lead.values())), pairwise=pair_scores(gold, lead),
        bcubed=bcubed(gold, lead), any_event=_any_pair_scores(gold, every), seconds=seconds,
        assignment=tuple((c.doc_id, c.incident, lead[c.doc_id]) for c in cases))


def run_merge_eval(path: str | Path, pipeline: "Pipeline", *, store: bool = False,
                   progress: Optional[Callable[[int], None]] = None) -> MergeScores:
    """Read a merge test set, run the pipeline, merge the events and score.

    path (str | Path): contract JSONL with ``gold.incident`` on every line.
    pipeline (Pipeline): a built :class:`~eventlens.pipeline.Pipeline`.
    store (bool): merge through a temporary SQLite event store instead of in memory.
    progress (Callable[[int], None] | None): called with the number of documents done.
    RETURNS (MergeScores): the scores.
    RAISES IngestError: when the test set cannot be read.
    RAISES StoreError: when the temporary store fails (``store=True``).
    """
    cases = read_merge_cases(path)
    started = time.perf_counter()
    processed: list[tuple[Document, list[Event]]] = []
    failures = [c.doc_id for c in cases if c.document is None]
    documents = [c.document for c in cases if c.document is not None]
    for done, result in enumerate(pipeline.run(documents), start=1):
        if isinstance(result, DocumentFailure):
            failures.append(result.doc_id)
        else:
            processed.append((result.document, list(result.events)))
        if progress is not None:
            progress(done)
    events = {document.id: evs for document, evs in processed}
    if store:
        incident_of, method = store_incidents(processed, pipeline.kb), "SQLite event store"
    else:
        incident_of, method = cluster_incidents(events, pipeline.kb), "in-memory cluster()"
    return score_merge(cases, events, incident_of, corpus=Path(path).name, method=method,
                       failures=failures, seconds=time.perf_counter() - started)
