"""Tests of eventlens.ingest.feeds: RSS and Atom entries, junk entries, ids."""

from __future__ import annotations

import datetime as dt

from eventlens.ingest import looks_like_feed, read_feed
from eventlens.models import Document, DocumentFailure

RSS_ITEM = """<item><title>{title}</title><guid>{guid}</guid>{date}
<description>{text}</description></item>"""


def _rss(tmp_path, *items: str):
    path = tmp_path / "feed.rss"
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                    f'{"".join(items)}</channel></rss>', encoding="utf-8")
    return path


def test_read_feed_rss_gives_documents_and_a_failure_for_the_junk_entry(fixtures):
    items = list(read_feed(fixtures / "feed.rss"))
    assert [type(item) for item in items] == [Document, DocumentFailure, Document]
    congo, junk, nairobi = items
    assert congo.title == "Rebels seize town in eastern Congo"
    assert congo.text.startswith("M23 rebels seized the town of Rubaya in North Kivu")
    assert congo.url == "https://wire.example.org/world/congo-rebels-seize-town"
    assert congo.source == "Example Wire: World"
    assert congo.published == dt.date(2024, 6, 4)
    assert nairobi.origin == f"{fixtures / 'feed.rss'}#entry-3"


def test_read_feed_keeps_publisher_local_date(fixtures):
    nairobi = list(read_feed(fixtures / "feed.rss"))[2]
    assert isinstance(nairobi, Document)
    assert nairobi.published == dt.date(2024, 6, 5)  # 23:30 -0400 is June 6 in UTC


def test_read_feed_junk_entry_failure_names_file_and_entry(fixtures):
    junk = list(read_feed(fixtures / "feed.rss"))[1]
    assert isinstance(junk, DocumentFailure)
    assert junk.doc_id == "https://wire.example.org/id/1002"
    assert f"{fixtures / 'feed.rss'}#entry-2" in junk.error
    assert "no text" in junk.error


def test_read_feed_atom_entries(fixtures):
    items = list(read_feed(fixtures / "feed.atom"))
    assert [type(item) for item in items] == [Document, DocumentFailure, Document]
    accord, _, troops = items
    assert accord.source == "Example Daily"
    assert accord.published == dt.date(2024, 6, 6)
    assert accord.url == "https://daily.example.com/2024/06/peace-accord"
    assert "<p>" not in accord.text and accord.text.startswith("The government and the main")
    assert troops.published == dt.date(2024, 6, 5)  # from <updated>, no <published>


def test_read_feed_ids_are_deterministic_and_unique(fixtures):
    first = list(read_feed(fixtures / "feed.atom"))
    assert first == list(read_feed(fixtures / "feed.atom"))
    ids = [item.id for item in first if isinstance(item, Document)]
    assert len(set(ids)) == len(ids) and all(i.startswith("doc-") for i in ids)


def test_read_feed_garbage_entry_fails_and_others_go_on(tmp_path):
    path = _rss(
        tmp_path,
        RSS_ITEM.format(title="Garbage", guid="g1", date="", text="\ufffd" * 40 + "ab"),
        RSS_ITEM.format(title="Good", guid="g2", date="", text="Police detained 12 people."),
    )
    garbage, good = read_feed(path)
    assert isinstance(garbage, DocumentFailure) and "mis-encoded" in garbage.error
    assert isinstance(good, Document) and good.text == "Police detained 12 people."


def test_read_feed_unreadable_entry_date_fails_that_entry_only(tmp_path):
    path = _rss(
        tmp_path,
        RSS_ITEM.format(title="A", guid="a", date="<pubDate>sometime soon</pubDate>", text="A."),
        RSS_ITEM.format(title="B", guid="b", date="<pubDate>1850-01-01</pubDate>", text="B."),
        RSS_ITEM.format(title="C", guid="c", date="<pubDate>2024-03-01</pubDate>", text="C."),
    )
    bad, absurd, good = read_feed(path)
    assert isinstance(bad, DocumentFailure) and "'sometime soon'" in bad.error
    assert isinstance(absurd, DocumentFailure) and "implausible" in absurd.error
    assert isinstance(good, Document) and good.published == dt.date(2024, 3, 1)


def test_read_feed_published_override_skips_entry_dates(tmp_path):
    path = _rss(tmp_path, RSS_ITEM.format(title="A", guid="a",
                                          date="<pubDate>nonsense</pubDate>", text="A."))
    (doc,) = read_feed(path, published=dt.date(2024, 1, 1), source="Desk")
    assert isinstance(doc, Document)
    assert (doc.published, doc.source) == (dt.date(2024, 1, 1), "Desk")


def test_read_feed_xml_without_entries_fails(tmp_path):
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    (failure,) = read_feed(path)
    assert isinstance(failure, DocumentFailure)
    assert "sitemap.xml" in failure.error and "no feed entries" in failure.error


def test_looks_like_feed_detects_rss_and_atom_only(fixtures):
    assert looks_like_feed((fixtures / "feed.rss").read_bytes())
    assert looks_like_feed((fixtures / "feed.atom").read_bytes())
    assert not looks_like_feed((fixtures / "page.html").read_bytes())
