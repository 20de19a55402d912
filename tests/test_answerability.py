"""Answerability: a known topic whose asked detail is not in the sources is not answered as if
it were; the bot says what it lacks and offers what it knows."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.answerability import detail_rules, missing_detail, numbered_item
from bot.evaluation import Case, judge
from bot.responder import Responder

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("question", "detail", "offered"),
    [
        ("How old is Kari Johnstone?", "their age or date of birth", "person-sr-johnstone"),
        ("Is Kari Johnstone married?", "details of their private life", "person-sr-johnstone"),
        ("What was the theme of the 2019 Alliance conference?", "the theme", "alliance-19th-2019"),
        ("Who is the current president of GRETA?", "who holds that post", "greta"),
        (
            "On which day of the week does the Permanent Council meet?",
            "the day of the week",
            "osce-permanent-council",
        ),
        (
            "Who was ODIHR Director before Matteo Mecacci?",
            "who came before or after",
            "person-odihr-director-mecacci",
        ),
        (
            "Which article of the Council of Europe Convention gives the recovery and "
            "reflection period?",
            "the number of that article",
            "coe-convention-victims-rights",
        ),
        (
            "What was Matteo Mecacci's job before he became ODIHR Director?",
            "what they did before that post",
            "person-odihr-director-mecacci",
        ),
        (
            "What languages does Madina Jarbussynova speak?",
            "the languages",
            "person-sr-jarbussynova",
        ),
        (
            "Who is Feridun Sinirlioğlu's wife?",
            "details of their private life",
            "person-sg-sinirlioglu",
        ),
        ("What did Helga Maria Schmid study at university?", "their education", "person-sg-schmid"),
        (
            "Who heads the OSCE Programme Office in Astana right now?",
            "who holds that post",
            "fieldop-programme-office-in-astana",
        ),
        (
            "Who were the keynote speakers at the 19th Alliance conference in 2019?",
            "who spoke there",
            "alliance-19th-2019",
        ),
    ],
)
def test_a_close_entry_without_the_detail_is_offered_not_answered(
    real: Responder, question: str, detail: str, offered: str
) -> None:
    reply = real.reply(question, TODAY)
    assert reply.kind == "missing", (reply.kind, reply.intent)
    assert reply.text.startswith(f"I don't have {detail} in my sources. Here is what I know about")
    assert [s.intent for s in reply.suggestions] == [offered]
    assert len(reply.sources) == 1 and "Source: " in reply.text
    assert judge(Case(question, decline=True), reply) == "correct"  # counted as declined


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Who is the OSCE Secretary General?", "role-secretary-general-current"),
        ("How many participating States does the OSCE have?", "osce-participating-states-count"),
        (
            "When is the World Day against Trafficking in Persons in 2027?",
            "day-world-day-against-trafficking",
        ),
        (
            "what share of trafficking victims are ever identified",
            "figure-victims-identified-share",
        ),
        ("Who founded the Alliance against Trafficking in Persons?", "alliance-founding"),
        ("how old is the office of the special representative", "institution-osr-cthb-office"),
        ("un voluntary trust fund trafficking who runs it", "un-voluntary-trust-fund"),  # run by
    ],
)
def test_an_entry_that_gives_the_detail_is_answered(
    real: Responder, question: str, intent: str
) -> None:
    reply = real.reply(question, TODAY)
    assert (reply.kind, reply.intent) == ("answer", intent)


def test_named_details_must_be_covered(real: Responder) -> None:
    profile = real.entry("person-sr-giammarinaro")
    assert profile is not None
    assert missing_detail("What did she do in 2011?", profile, TODAY) is None  # within her term
    assert missing_detail("What did she do in 2019?", profile, TODAY) == "anything for 2019"
    handbook = real.entry("concept-nrm-handbook-2022")
    assert handbook is not None
    assert missing_detail("what does standard number 12 say", handbook, TODAY) == "item 12"
    conferences = real.entry("alliance-conference")
    assert conferences is not None
    assert missing_detail("the 22nd conference", conferences, TODAY) == "anything on the 22nd"


def test_the_question_not_its_context_is_checked(real: Responder) -> None:
    profile = real.entry("person-sr-johnstone")
    assert profile is not None
    message = "I was born in Kyiv and I'm writing a profile for a newspaper. Who is Kari Johnstone?"
    assert missing_detail(message, profile, TODAY) is None


def test_every_rule_of_the_language_data_is_valid() -> None:
    rules = detail_rules("en")
    assert len({rule.name for rule in rules}) == len(rules) >= 10
    assert all(rule.asked.pattern for rule in rules)
    assert numbered_item("en").search("What does Article 3 say?")
    assert not numbered_item("en").search("three articles")
    assert all(isinstance(rule.asked, re.Pattern) for rule in rules)


@pytest.mark.parametrize(
    ("question", "detail", "entry_id"),
    [
        ("Сколько лет Феридуну Синирлиоглу?", "возраст или дата рождения", "person-sg-sinirlioglu"),
        ("Есть ли у Хельги Марии Шмид дети?", "подробности частной жизни", "person-sg-schmid"),
        ("В каком университете учился Валиант Ричи?", "образование", "richey-background"),
        ("Что изучала Хельга Мария Шмид в университете?", "образование", "person-sg-schmid"),
        ("Кто жена Феридуна Синирлиоглу?", "подробности частной жизни", "person-sg-sinirlioglu"),
        (
            "Кем работал Маттео Меккаччи до того, как возглавил БДИПЧ?",
            "чем они занимались до этой должности",
            "person-odihr-director-mecacci",
        ),
        (
            "В какой статье Конвенции Совета Европы прописан период восстановления?",
            "номер статьи или пункта",
            "coe-convention-victims-rights",
        ),
    ],
)
def test_russian_details_the_sources_lack(
    real: Responder, question: str, detail: str, entry_id: str
) -> None:
    entry = real.entry(entry_id, "ru")
    assert entry is not None
    assert missing_detail(question, entry, TODAY, "ru") == detail
    reply = real.reply(question, TODAY)
    assert reply.kind != "answer" and reply.language == "ru", reply.text
    if reply.kind == "missing":
        assert reply.body.startswith(f"В моих источниках нет этих сведений: {detail}.")
