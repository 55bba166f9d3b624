"""Benchmark the geoparser: gazetteer open time and place resolution speed after parsing.

Usage: .venv/bin/python bench/geoparse.py CORPUS.xml [--limit N] [--repeat R]

CORPUS.xml is an annotated corpus in the LGL/GeoVirus/TR-News or GeoWebNews layout (see
``eventlens.evaluate.places``). The spaCy parse is done first and not timed; then, in each of
``R`` rounds, a freshly opened index and resolver run over every parsed document twice: cold
(empty lookup caches, as in a new process) and warm (the steady state of a long batch). Rates
are medians over the rounds, by the wall clock and by this process's CPU time (the latter is
what the resolver costs on an otherwise idle core). As the batch commands do, the rounds run
with the heap settled (``settled_heap``: what loading left frozen, young objects collected
less often); ``--no-settle`` measures with plain garbage collection. Settings (model,
data_dir) come from ``eventlens.config.load_settings``.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

from eventlens._cli_common import settled_heap
from eventlens.config import load_settings
from eventlens.evaluate.places import read_gold_xml
from eventlens.nlp import build_nlp
from eventlens.resolve.gazetteer import Gazetteer
from eventlens.resolve.places import PlaceResolver


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=5, help="rounds (fresh index each)")
    parser.add_argument("--no-settle", dest="settle", action="store_false",
                        help="plain garbage collection (the CLI settles the heap: see settled_heap)")
    args = parser.parse_args(argv)
    if args.corpus is None:
        parser.print_usage()
        return 2
    settings = load_settings()
    Gazetteer.open(settings.data_dir).close()  # build it first if missing; not timed
    opens = []
    for _ in range(5):
        start = time.perf_counter()
        gazetteer = Gazetteer.open(settings.data_dir, build=False)
        opens.append(time.perf_counter() - start)
    articles = read_gold_xml(args.corpus, args.limit)
    nlp = build_nlp(settings.model, settings.model_meta)
    start = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=settings.batch_size))
    parse_s = time.perf_counter() - start
    start = time.perf_counter()
    PlaceResolver(gazetteer)  # reads the demonym table (once per process)
    setup_s = time.perf_counter() - start
    gazetteer.close()
    # Each round opens a fresh index (empty lookup caches), times a first pass over the corpus
    # (cold) and then a second one (warm). Medians over the rounds, not best times: on a shared
    # machine single passes vary by a quarter, and a best-of-N would favour whichever side got
    # more tries.
    cold, warm, cold_cpu, warm_cpu, mentions = [], [], [], [], 0
    # The batch commands run with the heap settled (settled_heap); so does this, unless
    # --no-settle asks for plain garbage collection.
    with settled_heap() if args.settle else contextlib.nullcontext():
        for _ in range(max(1, args.repeat)):
            resolver = PlaceResolver(Gazetteer.open(settings.data_dir, build=False))
            for walls, cpus in ((cold, cold_cpu), (warm, warm_cpu)):
                start, cpu = time.perf_counter(), time.process_time()
                mentions = sum(len(resolver(doc)) for doc in docs)
                walls.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
            resolver.gazetteer.close()
    n = len(docs)

    def rates(seconds: list[float]) -> str:
        per = sorted(n / s for s in seconds)
        return f"median {statistics.median(per):.0f} docs/s (range {per[0]:.0f}-{per[-1]:.0f})"

    print(f"corpus            {args.corpus} ({n} documents, {mentions} place mentions)")
    print(f"gazetteer         {gazetteer.path} ({gazetteer.path.stat().st_size / 1e6:.1f} MB)")
    print(f"gazetteer open    best {min(opens):.3f} s, worst {max(opens):.3f} s (5 opens)")
    print(f"resolver setup    {setup_s:.3f} s (demonym table)")
    print(f"spaCy parse       {n / parse_s:.0f} docs/s (not part of the target)")
    heap = "heap settled, as the CLI runs" if args.settle else "plain garbage collection"
    print(f"place resolution  over {len(cold)} rounds ({heap}), wall clock:")
    print(f"  cold (first pass of a freshly opened index)  {rates(cold)}")
    print(f"  warm (second pass, lookup caches filled)      {rates(warm)}")
    # CPU time is what the resolver costs when it has a core to itself; wall clock also counts
    # time other processes took on a loaded machine.
    print(f"  per CPU second of this process: cold {rates(cold_cpu)}, warm {rates(warm_cpu)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
