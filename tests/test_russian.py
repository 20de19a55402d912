"""Russian as a full second language: reading a message's language, answering Russian from
Russian entries, honest replies in languages the bot cannot read, and the language-aware
pieces (dates, buttons, the announcement, the calendar)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from icalendar import Calendar

from bot.announcement import announcement
from bot.calendar_ics import calendar_ics
from bot.dates import countdown, format_partial_date
from bot.day_replies import day_reply, days_reply, next_day_reply
from bot.knowledge import KnowledgeBase
from bot.languages import LANGUAGE_MARK, reading_language
from bot.responder import Responder

TODAY = dt.date(2026, 12, 7)
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@pytest.fixture(scope="module")
def bilingual(real_kb: KnowledgeBase) -> Responder:
    """The real base without the encoder: the rules alone decide safety here."""
    return Responder(real_kb)


@pytest.mark.parametrize(
    ("text", "user_language", "expected"),
    [
        ("Что такое Палермский протокол?", None, "ru"),
        ("что такое обсе", "en", "ru"),
        ("Що таке ОБСЄ і коли її створили?", None, "uk"),
        ("What is the Palermo Protocol?", "ru", "en"),
        ("GRETA", "ru", "en"),  # a name in Latin letters is read in English
        ("ما هو بروتوكول باليرمو؟", None, "und"),
        ("116 000", "ru", "ru"),  # nothing to read: the sender's language
        ("116 000", "de", "en"),
        ("🙂", None, "en"),
        ("тема 25-й конференции альянса", None, "ru"),  # "-й" is not Ukrainian "й" (and)
        ("Кто основал инициативу Tech Against Trafficking?", None, "ru"),  # Latin: a name
        ("What does the word допомога mean?", None, "en"),
    ],
)
def test_reading_language(text: str, user_language: str | None, expected: str) -> None:
    assert reading_language(text, user_language) == expected


@pytest.mark.parametrize(
    ("question", "intent", "words"),
    [
        ("Что такое Палермский протокол?", "palermo-protocol", ("2000",)),
        (
            "Кто сейчас специальный представитель ОБСЕ по борьбе с торговлей людьми?",
            "role-special-representative-current",
            ("Джонстон",),
        ),
        (
            "когда всемирный день борьбы с торговлей людьми",
            "day-world-day-against-trafficking",
            ("30 июля",),
        ),
        ("Россия входит в ОБСЕ?", "member-russian-federation", ("57",)),
        ("где находится БДИПЧ", "institution-odihr", ("Варшав",)),
    ],
)
def test_russian_questions_get_russian_answers(
    bilingual: Responder, question: str, intent: str, words: tuple[str, ...]
) -> None:
    reply = bilingual.reply(question, TODAY)
    assert (reply.kind, reply.intent) == ("answer", intent), reply.text
    assert reply.language == "ru"
    assert CYRILLIC.search(reply.body)
    for word in words:
        assert word in reply.body
    assert "Источник" in reply.text  # the frame is Russian too
    assert reply.sources  # the same sources as the English answer


def test_russian_buttons_stay_russian(bilingual: Responder) -> None:
    reply = bilingual.reply("Что такое Палермский протокол?", TODAY)
    assert reply.related and all(s.intent.startswith(f"ru{LANGUAGE_MARK}") for s in reply.related)
    pressed = bilingual.reply_to_intent(reply.related[0].intent, TODAY)
    assert pressed is not None and pressed.language == "ru" and CYRILLIC.search(pressed.body)


@pytest.mark.parametrize(
    "forged",
    [
        "ru~no-such-entry",
        "xx~palermo-protocol",
        "ru~",
        "~palermo-protocol",
        "ru~ru~palermo-protocol",
    ],
)
def test_forged_language_marks_are_refused(bilingual: Responder, forged: str) -> None:
    assert bilingual.reply_to_intent(forged, TODAY) is None


def test_a_detail_the_sources_lack_is_said_in_russian(bilingual: Responder) -> None:
    reply = bilingual.reply("Сколько лет Кари Джонстон?", TODAY)
    assert reply.kind in ("missing", "clarify", "fallback"), reply.text
    assert reply.kind != "answer"
    if reply.kind == "missing":
        assert "В моих источниках" in reply.body or "нет" in reply.body


@pytest.mark.parametrize("question", ["горячая линия", "телефон доверия", "помощь"])
def test_short_russian_requests_for_help_get_the_numbers(
    bilingual: Responder, question: str
) -> None:
    reply = bilingual.reply(question, TODAY)
    assert reply.intent == "help-numbers" or reply.kind == "safety", reply.text
    assert "112" in reply.body


def test_off_topic_russian_is_declined_in_russian(bilingual: Responder) -> None:
    reply = bilingual.reply("Какая завтра погода в Москве?", TODAY)
    assert reply.kind == "fallback"
    assert CYRILLIC.search(reply.body) and "Sorry" not in reply.body


def test_other_languages_get_an_honest_reply_with_the_emergency_line(bilingual: Responder) -> None:
    reply = bilingual.reply("Що таке ОБСЄ і коли її створили?", TODAY)
    assert reply.kind == "fallback"
    first = reply.body.split("\n\n")[0]
    assert "112" in first  # the emergency line first, in Ukrainian
    assert "Я відповідаю англійською та російською" in reply.body
    assert "English and Russian" in reply.body


def test_russian_distress_still_gets_help_first(bilingual: Responder) -> None:
    reply = bilingual.reply("помогите, у меня забрали паспорт и не отпускают", TODAY)
    assert reply.kind == "safety"
    assert "112" in reply.body


def test_english_is_unchanged_by_the_second_language(bilingual: Responder) -> None:
    reply = bilingual.reply("What is the Palermo Protocol?", TODAY)
    assert (reply.kind, reply.intent, reply.language) == ("answer", "palermo-protocol", "en")
    assert not CYRILLIC.search(reply.text)


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, "сегодня"), (1, "завтра"), (2, "через 2 дня"), (5, "через 5 дней"), (21, "через 21 день")],
)
def test_russian_countdown_uses_russian_plurals(days: int, expected: str) -> None:
    assert countdown(days, "ru") == expected


def test_russian_dates() -> None:
    assert format_partial_date("2024-07-30", "ru") == "30 июля 2024"
    assert format_partial_date("2024", "ru") == "2024"
    assert format_partial_date("2024-07-30") == "30 July 2024"


def test_days_commands_in_russian(bilingual: Responder) -> None:
    listed = days_reply(bilingual, TODAY, 3, "ru")
    assert listed.language == "ru" and listed.body.startswith("Ближайшие")
    assert CYRILLIC.search(listed.body.split("\n")[1])
    nxt = next_day_reply(bilingual, TODAY, "ru")
    assert nxt.language == "ru" and CYRILLIC.search(nxt.body)
    named = day_reply(bilingual, "Всемирный день борьбы с торговлей людьми", TODAY, "ru")
    assert named.intent == "day-world-day-against-trafficking" and "30 июля" in named.body
    dated = day_reply(bilingual, "30 июля", TODAY, "ru")
    assert dated.intent == "day-world-day-against-trafficking" and dated.language == "ru"


def test_russian_calendar_has_russian_summaries(real_kb: KnowledgeBase) -> None:
    stamp = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    cal = Calendar.from_ical(calendar_ics(real_kb, stamp=stamp, language="ru"))
    summaries = [str(event["summary"]) for event in cal.walk("VEVENT")]
    assert summaries and all(CYRILLIC.search(s) for s in summaries)
    english = Calendar.from_ical(calendar_ics(real_kb, stamp=stamp))
    assert not any(CYRILLIC.search(str(e["summary"])) for e in english.walk("VEVENT"))


def test_the_announcement_in_russian(bilingual: Responder) -> None:
    reply = announcement(bilingual, 2027, "ru")
    assert reply is not None and reply.language == "ru"
    assert "Всемирный день" in reply.body
    assert "(перевод с английского)" in reply.body  # the quote is marked as a translation
    assert "в то время Генеральный секретарь" in reply.body  # Schmid left office in 2024
    english = announcement(bilingual, 2027)
    assert english is not None and not CYRILLIC.search(english.body)
    assert {s.title for s in english.sources} <= {s.title for s in reply.sources}


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("Сколько жертв торговли людьми было выявлено в Казахстане в 2023 году?", "Казахстан"),
        ("How many trafficking victims were identified in Kazakhstan in 2023?", "Kazakhstan"),
    ],
)
def test_a_country_the_answer_never_names_is_a_missing_detail(
    bilingual: Responder, question: str, place: str
) -> None:
    reply = bilingual.reply(question, TODAY)
    assert reply.kind in ("missing", "clarify", "fallback"), reply.text
    if reply.kind == "missing":
        assert place in reply.body


def test_a_country_named_only_in_the_context_does_not_count(bilingual: Responder) -> None:
    reply = bilingual.reply(
        "I run training sessions for an NGO in Moldova and want to open with the global "
        "picture. What share of trafficking victims are ever identified, according to the OSCE?",
        TODAY,
    )
    assert (reply.kind, reply.intent) == ("answer", "figure-victims-identified-share")


def test_other_languages_are_offered_the_closest_english_questions(real: Responder) -> None:
    """With the multilingual encoder, a German question is not answered (the bot does not
    read German) but the English questions closest in meaning are offered as choices."""
    reply = real.reply("Wann ist der Welttag gegen Menschenhandel?", TODAY)
    assert reply.kind == "fallback"
    assert reply.body.startswith("Sind Sie in Gefahr?")
    assert "day-world-day-against-trafficking" in [s.intent for s in reply.suggestions]
    without_encoder = Responder(real.kb).reply("Wann ist der Welttag gegen Menschenhandel?", TODAY)
    assert [s.intent for s in without_encoder.suggestions] == [s.intent for s in real.starters()]


def test_quote_in_russian(bilingual: Responder) -> None:
    found = bilingual.quote("Джонстон", TODAY)
    assert found.language == "ru" and "Кари Джонстон" in found.body
    assert "(перевод с английского)" in found.body
    missing = bilingual.quote("погода", TODAY)
    assert missing.kind == "fallback" and missing.body.startswith("У меня нет такой цитаты.")
    assert "Кари Джонстон" in missing.body  # the speakers, in Russian
    assert bilingual.quote("Johnstone", TODAY).language == "en"
