"""Tests of eventlens.ingest.paths: dispatch, directories, overrides, batch safety."""

from __future__ import annotations

import datetime as dt
import shutil

from eventlens.ingest import iter_files, read_paths
from eventlens.ingest import paths as paths_module
from eventlens.models import Document, DocumentFailure


def _by_origin(items):
    return {item.origin: item for item in items}


def test_read_paths_fixture_directory_never_raises_and_reads_every_format(fixtures):
    items = list(read_paths([fixtures]))
    docs = [item for item in items if isinstance(item, Document)]
    failures = [item for item in items if isinstance(item, DocumentFailure)]
    origins = {doc.origin.split("#")[0].split(":")[0] for doc in docs}
    names = {origin.rsplit("/", 1)[-1] for origin in origins}
    assert names == {"article.txt", "broken.html", "docs.jsonl", "feed.atom", "feed.rss",
                     "latin1.txt", "page.html"}
    assert len(docs) == 10
    failed = sorted(f.origin.rsplit("/", 1)[-1] for f in failures)
    assert failed == ["docs.jsonl:2", "empty.txt", "feed.atom#entry-2", "feed.rss#entry-2",
                      "random.bin"]


def test_read_paths_same_input_twice_gives_equal_documents(fixtures):
    assert list(read_paths([fixtures])) == list(read_paths([fixtures]))


def test_read_paths_same_text_in_two_files_gets_same_id(tmp_path, fixtures):
    copy = tmp_path / "copy.txt"
    shutil.copy(fixtures / "article.txt", copy)
    original, copied = read_paths([fixtures / "article.txt", copy])
    assert original.id == copied.id and original.content_hash == copied.content_hash


def test_iter_files_walks_directories_sorted_and_skips_hidden(tmp_path):
    for name in ("b.txt", "a/z.txt", "a/c/d.txt", "c.txt", ".hidden.txt", ".git/x.txt", "A.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    found = [path.relative_to(tmp_path).as_posix() for path in iter_files([tmp_path])]
    assert found == ["A.txt", "a/c/d.txt", "a/z.txt", "b.txt", "c.txt"]


def test_iter_files_keeps_explicit_paths_in_caller_order(tmp_path):
    paths = [tmp_path / "z.txt", tmp_path / ".explicit.txt", tmp_path / "missing.txt"]
    assert list(iter_files(paths)) == paths


def test_read_paths_published_and_source_override_every_format(fixtures):
    day = dt.date(2024, 6, 1)
    items = list(read_paths([fixtures], published=day, source="Desk"))
    docs = [item for item in items if isinstance(item, Document)]
    assert len(docs) == 10
    assert all(doc.published == day and doc.source == "Desk" for doc in docs)


def test_read_paths_without_override_keeps_document_dates(fixtures):
    docs = _by_origin(read_paths([fixtures / "page.html", fixtures / "article.txt"]))
    assert docs[str(fixtures / "page.html")].published == dt.date(2024, 7, 18)
    assert docs[str(fixtures / "article.txt")].published is None


def test_read_paths_sniffs_unknown_extensions(tmp_path, fixtures):
    shutil.copy(fixtures / "feed.atom", tmp_path / "news.feed")
    shutil.copy(fixtures / "page.html", tmp_path / "page.php")
    shutil.copy(fixtures / "article.txt", tmp_path / "article.md")
    shutil.copy(fixtures / "feed.rss", tmp_path / "feed.txt")
    items = list(read_paths([tmp_path]))
    origins = [item.origin.rsplit("/", 1)[-1] for item in items]
    assert origins == ["article.md", "feed.txt#entry-1", "feed.txt#entry-2", "feed.txt#entry-3",
                       "news.feed#entry-1", "news.feed#entry-2", "news.feed#entry-3", "page.php"]
    assert "Subscribe now" not in items[-1].text  # read as HTML, not as text


def test_read_paths_large_file_fails_and_batch_goes_on(tmp_path, fixtures):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        chunk = b"Militants attacked a checkpoint. " * 32_768  # ~1 MB
        for _ in range(50):
            handle.write(chunk)
    failure, doc = read_paths([big, fixtures / "article.txt"])
    assert isinstance(failure, DocumentFailure)
    assert "big.txt" in failure.error and "too large" in failure.error
    assert isinstance(doc, Document)


def test_read_paths_missing_path_fails_and_batch_goes_on(tmp_path, fixtures):
    missing, doc = read_paths([tmp_path / "nowhere", fixtures / "article.txt"])
    assert isinstance(missing, DocumentFailure) and "nowhere: no such file" in missing.error
    assert isinstance(doc, Document)


def test_read_paths_unexpected_reader_error_becomes_failure(tmp_path, fixtures, monkeypatch):
    def broken_reader(path, **options):
        yield from ()
        raise RuntimeError("parser bug")
    monkeypatch.setitem(paths_module._BY_SUFFIX, ".jsonl", broken_reader)
    failure, doc = read_paths([fixtures / "docs.jsonl", fixtures / "article.txt"])
    assert isinstance(failure, DocumentFailure)
    assert "docs.jsonl" in failure.error and "RuntimeError: parser bug" in failure.error
    assert isinstance(doc, Document)
