"""Rendering replies: plain text, Telegram HTML (escaped), and the exact JSON contract."""

from __future__ import annotations

from bot.answers import Reply, SourceRef, Suggestion
from bot.responder import Responder
from tests.conftest import TODAY

JSON_KEYS = {"query", "kind", "intent", "score", "text", "sources", "suggestions"}


def test_json_has_exactly_the_contract_keys(mini: Responder) -> None:
    for question in ("OSR founding year", "OSCE anti-trafficking", "qwerty", "hello"):
        data = mini.reply(question, TODAY).to_json()
        assert set(data) == JSON_KEYS
        assert 0 <= data["score"] <= 100
        for source in data["sources"]:
            assert set(source) == {"title", "url", "date"}
        for suggestion in data["suggestions"]:
            assert set(suggestion) == {"intent", "question"}


def test_json_of_an_answer(mini: Responder) -> None:
    data = mini.reply("OSR founding year", TODAY).to_json()
    assert data["kind"] == "answer"
    assert data["intent"] == "osr-created"
    assert data["suggestions"] == []
    assert data["sources"] == [
        {"title": "OSCE page", "url": "https://www.osce.org/example", "date": "2024-07-30"}
    ]
    assert data["text"].endswith("https://www.osce.org/example")


def test_clarify_text_lists_the_suggestions(mini: Responder) -> None:
    reply = mini.reply("OSCE anti-trafficking", TODAY)
    assert "I'm not sure which of these you mean:" in reply.text
    for i, suggestion in enumerate(reply.suggestions, start=1):
        assert f"{i}. {suggestion.question}" in reply.text


def test_html_escapes_everything_and_links_sources() -> None:
    reply = Reply(
        query="q",
        kind="answer",
        intent="x",
        score=90,
        body="<script>alert(1)</script> & more",
        sources=(SourceRef("A <b> title", "Pub & Co", "https://e.org/?a=1&b=2", "2024-12"),),
        as_of="2025-12",
    )
    html = reply.html()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    link = '<a href="https://e.org/?a=1&amp;b=2">Pub &amp; Co, December 2024</a>'
    assert f"Source: {link}" in html
    assert "<i>As of December 2025.</i>" in html
    assert "<script>" not in html


def test_source_without_url_or_date() -> None:
    reply = Reply("q", "answer", "x", 90, "Body.", (SourceRef("T", "P", None, None),))
    assert reply.text == "Body.\n\nSource: P"


def test_one_short_source_line_however_many_sources() -> None:
    sources = (SourceRef("T1", "P", "https://p.org/1", "2024"), SourceRef("T2", "Q", None, None))
    reply = Reply("q", "answer", "x", 90, "Body.", sources)
    assert reply.text.endswith("\n\nSource: P, 2024, https://p.org/1 (and 1 more)")
    assert "T2" not in reply.text


def test_the_sources_page_lists_every_source_in_full() -> None:
    sources = (SourceRef("T1", "P", None, "2024"), SourceRef("T2", "P", None, "2023-04-19"))
    reply = Reply("q", "answer", "x", 90, "Sources:", sources, list_sources=True)
    assert reply.text.endswith("• T1 (P, 2024)\n• T2 (P, 19 April 2023)")


def test_an_old_as_of_date_says_so() -> None:
    reply = Reply("q", "answer", "x", 90, "Body.", as_of="2024-12", stale=True)
    assert "As of December 2024, more than a year ago: the source may have newer" in reply.text


def test_with_buttons_the_text_says_what_they_are() -> None:
    suggestions = (Suggestion("a", "Question A?"), Suggestion("b", "Question B?"))
    clarify = Reply("q", "clarify", None, 50, "", suggestions=suggestions)
    fallback = Reply("q", "fallback", None, 0, "Sorry.", suggestions=suggestions)
    assert clarify.html().strip().endswith("Tap one below, or ask again in other words.")
    assert "Tap a question below" in fallback.html()
    assert not fallback.html().rstrip().endswith(":")


def test_fallback_suggestions_in_text_but_buttons_in_html() -> None:
    reply = Reply("q", "fallback", None, 0, "Sorry.", suggestions=(Suggestion("a", "Question A?"),))
    assert "1. Question A?" in reply.text
    assert "Question A?" not in reply.html()
    assert "Question A?" in reply.html(list_suggestions=True)


def test_a_single_choice_is_offered_as_one() -> None:
    one = Reply(
        query="q",
        kind="clarify",
        intent=None,
        score=50.0,
        body="",
        suggestions=(Suggestion("x", "When was the OSCE Mission to Skopje established?"),),
    )
    assert one.text.startswith("Did you mean this?\n1. When was")
    assert "Choose it," in one.text and "Choose one," not in one.text
