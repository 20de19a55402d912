"""Curation checks on sources: aggregator hosts are flagged, links are well formed."""

from __future__ import annotations

from dataclasses import replace

from bot.curation import aggregator_hosts, check_sources, host_of
from bot.knowledge import KnowledgeBase


def with_source(kb: KnowledgeBase, source_id: str, **changes: object) -> KnowledgeBase:
    sources = dict(kb.sources)
    sources[source_id] = sources[source_id].model_copy(update=changes)
    return replace(kb, sources=sources)


def test_the_bundled_sources_have_no_errors(real_kb: KnowledgeBase) -> None:
    errors, _ = check_sources(real_kb)
    assert errors == []


def test_a_malformed_host_is_an_error(real_kb: KnowledgeBase) -> None:
    source_id = next(iter(real_kb.sources))
    broken = with_source(real_kb, source_id, url="https://issuu.com./osce/docs/report")
    errors, _ = check_sources(broken)
    assert [(e.entry_id, e.field) for e in errors] == [(source_id, "url")]


def test_an_aggregator_must_be_marked_secondary(real_kb: KnowledgeBase) -> None:
    source_id = next(s.id for s in real_kb.sources.values() if s.kind == "osce")
    copied = with_source(real_kb, source_id, url="https://www.einpresswire.com/article/1")
    errors, _ = check_sources(copied)
    assert [(e.entry_id, e.field) for e in errors] == [(source_id, "kind")]
    assert "einpresswire.com is a copy or aggregator" in errors[0].reason


def test_records_resting_on_aggregators_alone_are_listed_for_curators(
    real_kb: KnowledgeBase,
) -> None:
    _, notes = check_sources(real_kb)
    assert notes and all("cites only copies or aggregators" in n.reason for n in notes)
    hosts = aggregator_hosts(real_kb.directory)
    for note in notes:
        record = next(r for r in real_kb.records() if r.id == note.entry_id)
        for source_id in record.sources:  # type: ignore[attr-defined]
            url = real_kb.sources[source_id].url
            assert url is not None
            assert any(host_of(url) == h or host_of(url).endswith(f".{h}") for h in hosts)


def test_host_of_ignores_www_and_case() -> None:
    assert host_of("https://WWW.OSCE.org/x") == "osce.org"
