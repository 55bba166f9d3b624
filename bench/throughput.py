"""Throughput of the full eventlens pipeline against the spaCy model alone, on the same texts.

Measures, in one process and one run:

(a) ``spacy.load(settings.model)`` then ``nlp.pipe(texts)``: the floor set by the model;
(b) :meth:`eventlens.pipeline.Pipeline.run` over the same texts as documents, events included
    (what ``eventlens extract`` does, without the JSON writing);

timed chunk by chunk, alternating (a) and (b), so that other load on the machine weighs on both
alike; and reports documents/s and words/s of each, the ratio (b)/(a) (the target is >= 0.75), and the
process's peak memory (``ru_maxrss``; with ``--tracemalloc`` also the peak of Python
allocations, which slows both runs down). Each run is preceded by a warm-up on a few documents.

Texts: by default the bundled example articles replicated to ``--docs`` documents; or the
documents of ``--input FILE.jsonl`` (replicated too when there are fewer than ``--docs``).
``--profile FILE`` writes a cProfile of run (b) and prints its top functions.

    .venv/bin/python bench/throughput.py --docs 400
    .venv/bin/python bench/throughput.py --input my_docs.jsonl --json
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import platform
import pstats
import resource
import shlex
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Callable

import spacy

from eventlens.config import load_settings
from eventlens.ingest import read_paths
from eventlens.models import Document, DocumentFailure
from eventlens.pipeline import Pipeline

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles.jsonl"
TARGET_RATIO = 0.75
WARMUP_DOCS = 8


def _documents(path: Path, count: int) -> list[Document]:
    base = [d for d in read_paths([path]) if isinstance(d, Document)]
    if not base:
        sys.exit(f"{path}: no readable documents")
    count = max(count, len(base))
    return [base[i % len(base)].model_copy(update={"id": f"{base[i % len(base)].id}#{i}"})
            for i in range(count)]


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    scale = 1024 * 1024 if platform.system() == "Darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _spacy_alone(model: str, batch_size: int, warmup: list[str]) -> Callable[[list], int]:
    nlp = spacy.load(model)
    for _ in nlp.pipe(warmup, batch_size=batch_size):
        pass

    def run(texts: list[str]) -> int:
        tokens = 0
        for doc in nlp.pipe(texts, batch_size=batch_size):
            tokens += len(doc)
        return tokens
    return run


def _eventlens(pipeline: Pipeline, warmup: list[Document]) -> Callable[[list], int]:
    for _ in pipeline.run(warmup):
        pass

    def run(docs: list[Document]) -> int:
        events = 0
        for result in pipeline.run(docs):
            if isinstance(result, DocumentFailure):
                raise SystemExit(f"document {result.doc_id} failed: {result.error}")
            events += len(result.events)
        return events
    return run


def _interleaved(spacy_run: Callable[[list], int], eventlens_run: Callable[[list], int],
                 docs: list[Document], chunk: int,
                 use_tracemalloc: bool) -> tuple[list[float], list[int], list[float | None]]:
    """Time both runs chunk by chunk, alternating, so that load from other processes on the
    machine weighs on both alike; returns seconds, outputs and tracemalloc peaks of each."""
    seconds, produced, peaks = [0.0, 0.0], [0, 0], [None, None]
    for lo in range(0, len(docs), chunk):
        part = docs[lo:lo + chunk]
        for i, (run, items) in enumerate(((spacy_run, [d.text for d in part]),
                                          (eventlens_run, part))):
            if use_tracemalloc:
                tracemalloc.start()
            started = time.perf_counter()
            produced[i] += run(items)
            seconds[i] += time.perf_counter() - started
            if use_tracemalloc:
                peak = tracemalloc.get_traced_memory()[1] / 2**20
                peaks[i] = max(peaks[i] or 0.0, peak)
                tracemalloc.stop()
    return seconds, produced, peaks


def _profile(run: Callable[[list], int], docs: list[Document], out: Path, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.runcall(run, docs)
    profiler.dump_stats(str(out))
    buf = io.StringIO()
    stats = pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    buf.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def _row(name: str, seconds: float, n_docs: int, n_words: int, extra: str) -> dict:
    return {"name": name, "seconds": round(seconds, 3), "docs_per_s": round(n_docs / seconds, 1),
            "words_per_s": round(n_words / seconds), "output": extra}


def _table(results: dict) -> str:
    lines = [f"{'run':<22}{'seconds':>9}{'docs/s':>9}{'words/s':>10}  output",
             "-" * 64]
    for row in results["runs"]:
        lines.append(f"{row['name']:<22}{row['seconds']:>9.2f}{row['docs_per_s']:>9.1f}"
                     f"{row['words_per_s']:>10,}  {row['output']}")
    lines.append("-" * 64)
    verdict = "ok" if results["ratio"] >= TARGET_RATIO else "BELOW TARGET"
    lines.append(f"ratio eventlens / spaCy alone: {results['ratio']:.2f} "
                 f"(target >= {TARGET_RATIO}: {verdict})")
    mem = f"peak RSS {results['peak_rss_mb']:.0f} MiB"
    if results.get("tracemalloc_peak_mb"):
        mem += ", tracemalloc peaks " + ", ".join(
            f"{k} {v:.0f} MiB" for k, v in results["tracemalloc_peak_mb"].items())
    lines.append(mem)
    lines.append(f"{results['documents']} documents, {results['words']:,} words "
                 f"(model {results['model']}, batch size {results['batch_size']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=400, help="documents to process (400)")
    parser.add_argument("--input", type=Path, default=EXAMPLES, help="contract JSONL of texts")
    parser.add_argument("--chunk", type=int, default=64,
                        help="documents per timed chunk; the two runs alternate by chunk (64)")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure Python allocation peaks (slows both runs)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="write a cProfile of the eventlens run here and print its top")
    parser.add_argument("--top", type=int, default=30, help="profile lines to print")
    args = parser.parse_args(argv)

    settings = load_settings()
    docs = _documents(args.input, args.docs)
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)

    warmup = docs[:WARMUP_DOCS]
    spacy_run = _spacy_alone(settings.model, settings.batch_size, [d.text for d in warmup])
    pipeline = Pipeline(settings)
    eventlens_run = _eventlens(pipeline, warmup)

    (s_sec, e_sec), (tokens, events), (s_peak, e_peak) = _interleaved(
        spacy_run, eventlens_run, docs, args.chunk, args.tracemalloc)
    command = " ".join(shlex.quote(a) for a in [sys.executable, *sys.argv])
    results = {
        "documents": len(docs), "words": words, "model": settings.model,
        "batch_size": settings.batch_size,
        "runs": [_row("spaCy alone", s_sec, len(docs), words, f"{tokens:,} tokens"),
                 _row("eventlens pipeline", e_sec, len(docs), words, f"{events:,} events")],
        "ratio": round(s_sec / e_sec, 3),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "command": command,
    }
    if args.tracemalloc:
        results["tracemalloc_peak_mb"] = {"spaCy alone": s_peak, "eventlens": e_peak}
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(_table(results))
        print(f"\nrerun: {command}")
    if args.profile:
        print(_profile(eventlens_run, docs, args.profile, args.top), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
