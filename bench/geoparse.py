"""Benchmark the geoparser: gazetteer open time and place resolution speed after parsing.

Usage: .venv/bin/python bench/geoparse.py CORPUS.xml [--limit N] [--repeat R]

CORPUS.xml is an annotated corpus in the LGL/GeoVirus/TR-News or GeoWebNews layout (see
``eventlens.evaluate.places``). The spaCy parse is done first and not timed; then the resolver
runs over every parsed document: once cold (empty lookup caches, as in a fresh process) and
``R`` times warm, timed by the wall clock and by this process's CPU time (the latter is what the
resolver costs on an otherwise idle core). Settings (model, data_dir) come from ``eventlens.config.load_settings``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from eventlens.config import load_settings
from eventlens.evaluate.places import read_gold_xml
from eventlens.nlp import build_nlp
from eventlens.resolve.gazetteer import Gazetteer
from eventlens.resolve.places import PlaceResolver


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
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
    resolver = PlaceResolver(gazetteer)  # reads the demonym table
    setup_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    mentions = sum(len(resolver(doc)) for doc in docs)
    cold_s, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
    warm, warm_cpu = [], []
    for _ in range(max(1, args.repeat)):
        start, cpu = time.perf_counter(), time.process_time()
        for doc in docs:
            resolver(doc)
        warm.append(time.perf_counter() - start)
        warm_cpu.append(time.process_time() - cpu)
    n = len(docs)
    print(f"corpus            {args.corpus} ({n} documents, {mentions} place mentions)")
    print(f"gazetteer         {gazetteer.path} ({gazetteer.path.stat().st_size / 1e6:.1f} MB)")
    print(f"gazetteer open    best {min(opens):.3f} s, worst {max(opens):.3f} s (5 opens)")
    print(f"resolver setup    {setup_s:.3f} s (demonym table)")
    print(f"spaCy parse       {n / parse_s:.0f} docs/s (not part of the target)")
    print(f"place resolution  cold {n / cold_s:.0f} docs/s, warm {n / min(warm):.0f} docs/s "
          "(wall clock)")
    # CPU time is what the resolver costs when it has a core to itself; wall clock also counts
    # time other processes took on a loaded machine.
    print(f"                  cold {n / cold_cpu:.0f} docs/s, warm {n / min(warm_cpu):.0f} "
          "docs/s (per CPU second of this process)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
