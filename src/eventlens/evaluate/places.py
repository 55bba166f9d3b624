"""Score the geoparser on labelled corpora (``eventlens eval places``).

Two XML layouts are read, told apart per toponym by the tags it has:

* LGL / GeoVirus / TR-News: ``<article>`` with ``<text>`` and ``<toponyms><toponym>`` (LGL,
  TR-News: ``start``, ``end``, ``phrase``, ``gaztag/lat``, ``gaztag/lon``) or
  ``<locations><location>`` (GeoVirus: ``start``, ``end``, ``name``, ``lat``, ``lon``).
* GeoWebNews: ``<article>`` with ``<text>`` and ``<toponyms><toponym>`` holding ``start``,
  ``end``, ``extractedName``, ``latitude``, ``longitude``.

Offsets that do not slice the annotated name out of the text (GeoVirus counts from 1) are
re-aligned to the nearest occurrence of the name within a few characters.

Scoring rules:

* Gold toponyms without coordinates (street names and the like in LGL, non-toponyms in
  GeoWebNews) are *ignored*: they count neither for recall nor against precision, and a
  prediction that overlaps only such a toponym is dropped from the predicted set.
* A prediction matches a gold toponym when their character ranges overlap; each gold toponym
  and each prediction match at most once, larger overlaps first. Unmatched predictions are false
  positives, unmatched gold toponyms false negatives.
* Demonym mentions ("Afghan forces") are left out of the predicted set by default, since these
  corpora annotate place names, not adjectives (``include_demonyms`` turns them back on).
* Errors are great-circle distances between the predicted and the gold coordinates; accuracy
  at 161 km (100 miles) is given over the matched toponyms and over all gold toponyms.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from lxml import etree

from ..errors import IngestError
from ..geo import haversine_km
from ..models import PlaceMention

__all__ = ["GoldArticle", "GoldToponym", "PlaceScores", "haversine_km", "match_article",
           "predict_places", "read_gold_xml", "score_places"]

ACCURACY_KM = 161.0
_ALIGN_WINDOW = 8


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One annotated toponym; ``lat``/``lon`` are None when the corpus gives no coordinates."""

    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One annotated article: its text and its toponyms in text order."""

    doc_id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass(frozen=True, slots=True)
class PlaceScores:
    """Recognition and resolution scores over a corpus.

    ``acc161`` and ``median_km`` are over matched (recognised) toponyms; ``acc161_all`` counts
    every gold toponym with coordinates, unrecognised ones as misses.
    """

    documents: int
    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float
    acc161: float
    median_km: float
    mean_km: float
    acc161_all: float


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _float(node: etree._Element, paths: Sequence[str]) -> float | None:
    for path in paths:
        value = node.findtext(path)
        if value is not None and value.strip():
            return float(value)
    return None


def _align(text: str, start: int, end: int, name: str) -> tuple[int, int]:
    """Offsets that slice ``name`` out of ``text``: as given, else the nearest occurrence."""
    if not name or text[start:end] == name:
        return start, end
    lo = max(0, start - _ALIGN_WINDOW)
    window = text[lo:end + _ALIGN_WINDOW]
    best, pos = None, window.find(name)
    while pos >= 0:
        if best is None or abs(lo + pos - start) < abs(best - start):
            best = lo + pos
        pos = window.find(name, pos + 1)
    return (best, best + len(name)) if best is not None else (start, end)


def _toponym(node: etree._Element, text: str) -> GoldToponym:
    name = (node.findtext("phrase") or node.findtext("extractedName")
            or node.findtext("name") or "").strip()
    start, end = int(node.findtext("start")), int(node.findtext("end"))
    lat = _float(node, ("gaztag/lat", "lat", "latitude"))
    lon = _float(node, ("gaztag/lon", "lon", "longitude"))
    if (lat is None) != (lon is None):
        raise ValueError(f"toponym {name!r} at {start} has only one coordinate")
    start, end = _align(text, start, end, name)
    if not 0 <= start < end <= len(text):
        raise ValueError(f"toponym {name!r} has offsets {start}..{end} outside the text")
    return GoldToponym(start, end, text[start:end], lat, lon)


def _article(node: etree._Element, index: int) -> GoldArticle:
    doc_id = node.get("docid") or node.get("id") or str(index)
    text = node.findtext("text")
    if text is None:
        raise ValueError(f"article {doc_id} has no <text>")
    try:
        toponyms = [_toponym(t, text) for t in node.iterfind("toponyms/toponym")]
        toponyms += [_toponym(t, text) for t in node.iterfind("locations/location")]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"article {doc_id}: {exc}") from exc
    toponyms.sort(key=lambda t: (t.start, t.end))
    return GoldArticle(doc_id, text, tuple(toponyms))


def read_gold_xml(path: str | Path, limit: int | None = None) -> list[GoldArticle]:
    """Read an annotated corpus in the LGL/GeoVirus/TR-News or the GeoWebNews XML layout.

    path (str | Path): the XML file.
    limit (int | None): read only the first ``limit`` articles.
    RETURNS (list[GoldArticle]): articles in file order.
    RAISES IngestError: when the file cannot be read, is not well-formed XML, has no
        ``<article>`` elements, or an article lacks text or has unusable offsets/coordinates.
    """
    path = Path(path)
    try:
        root = etree.parse(str(path), etree.XMLParser(huge_tree=True)).getroot()
    except OSError as exc:
        raise IngestError(f"cannot read gold corpus {path}: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"gold corpus {path} is not well-formed XML: {exc}") from exc
    nodes = [root] if root.tag == "article" else root.findall("article")
    if not nodes:
        raise IngestError(f"gold corpus {path} has no <article> elements under <{root.tag}>; "
                          "expected the LGL/GeoVirus or GeoWebNews XML layout")
    if limit is not None:
        nodes = nodes[:max(0, limit)]
    try:
        return [_article(node, i) for i, node in enumerate(nodes)]
    except ValueError as exc:
        raise IngestError(f"gold corpus {path}: {exc}") from exc



def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return min(a_end, b_end) - max(a_start, b_start)


def match_article(gold: Sequence[GoldToponym], predicted: Sequence[PlaceMention]
                  ) -> tuple[list[tuple[GoldToponym, PlaceMention]], int]:
    """Pair predictions with gold toponyms of one article by character overlap.

    gold (Sequence[GoldToponym]): every annotated toponym, with or without coordinates.
    predicted (Sequence[PlaceMention]): the mentions to score.
    RETURNS (tuple): matched (gold, prediction) pairs with coordinates, and the number of
        scored predictions (those not overlapping only coordinate-less toponyms).
    """
    pairs = sorted(((_overlap(g.start, g.end, p.start, p.end), gi, pi)
                    for gi, g in enumerate(gold) for pi, p in enumerate(predicted)
                    if _overlap(g.start, g.end, p.start, p.end) > 0), reverse=True)
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    ignored: set[int] = set()
    matched = []
    for _size, gi, pi in pairs:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        if gold[gi].lat is None:
            ignored.add(pi)
        else:
            matched.append((gold[gi], predicted[pi]))
    return matched, len(predicted) - len(ignored)


def score_places(articles: Sequence[GoldArticle],
                 predictions: Iterable[Sequence[PlaceMention]], *,
                 include_demonyms: bool = False) -> PlaceScores:
    """Score predicted place mentions against the gold toponyms.

    articles (Sequence[GoldArticle]): the gold corpus.
    predictions (Iterable[Sequence[PlaceMention]]): one list of mentions per article, in the
        same order.
    include_demonyms (bool): also score mentions recognised from adjectives.
    RETURNS (PlaceScores): see the module docstring for the matching rules.
    """
    n_gold = n_pred = 0
    errors: list[float] = []
    for article, mentions in zip(articles, predictions, strict=True):
        mentions = [m for m in mentions if include_demonyms or not m.demonym]
        matched, scored = match_article(article.toponyms, mentions)
        n_gold += sum(1 for t in article.toponyms if t.lat is not None)
        n_pred += scored
        errors += [haversine_km(g.lat, g.lon, p.lat, p.lon) for g, p in matched]
    hits = sum(1 for e in errors if e <= ACCURACY_KM)
    precision, recall = _ratio(len(errors), n_pred), _ratio(len(errors), n_gold)
    return PlaceScores(
        documents=len(articles), gold=n_gold, predicted=n_pred, matched=len(errors),
        precision=precision, recall=recall,
        f1=_ratio(2 * precision * recall, precision + recall),
        acc161=_ratio(hits, len(errors)),
        median_km=statistics.median(errors) if errors else 0.0,
        mean_km=statistics.fmean(errors) if errors else 0.0,
        acc161_all=_ratio(hits, n_gold),
    )


def predict_places(articles: Sequence[GoldArticle], nlp, resolve: Callable,
                   batch_size: int = 32) -> list[list[PlaceMention]]:
    """Parse the articles with ``nlp`` in batches and resolve their places.

    articles (Sequence[GoldArticle]): the corpus.
    nlp (Language): the spaCy pipeline (``eventlens.nlp.build_nlp``).
    resolve (Callable): ``(Doc, doc_id) -> list[PlaceMention]``, e.g. a ``PlaceResolver``.
    batch_size (int): documents per ``nlp.pipe`` batch.
    RETURNS (list[list[PlaceMention]]): one list per article, in order.
    """
    stream = nlp.pipe(((a.text, a.doc_id) for a in articles), as_tuples=True,
                      batch_size=batch_size)
    return [resolve(doc, doc_id) for doc, doc_id in stream]
