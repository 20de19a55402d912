"""Interface text in the user's language: gettext catalogues, read with Babel.

Every fixed text the bot shows (replies' frames, commands, pages, day names' countdowns) is
written in English in the code, marked with `N_` where it is a constant, and looked up at the
point of use with `translations(language).gettext(...)`. The catalogues are the gettext
standard (`bot/locale/<lang>/LC_MESSAGES/oscebot.po`), extracted and updated with Babel's
`pybabel` (see the README); a translator edits them with any .po editor. They are read with
Babel and compiled in memory at first use, so no compiled file is kept in the repository.
Babel is also the source of Russian plural rules (1 день, 2 дня, 5 дней) in the catalogue
header and of CLDR date formats.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "oscebot"
SOURCE_LANGUAGE = "en"
INTERFACE_LANGUAGES = ("en", "ru")
"""Languages the interface and the knowledge base are complete in."""


INTERFACE_BY_USER_LANGUAGE = {"ru": "ru", "be": "ru", "kk": "ru", "ky": "ru", "tg": "ru"}
"""Telegram language settings whose users read the interface in Russian: Russian, and the
languages of States where Russian is an official or common language of the interface. Any
other setting reads English (a message's own language still decides its answer)."""


def interface_language(user_language: str | None) -> str:
    """The interface language for a sender's Telegram `language_code` ("ru", "en-GB")."""
    code = (user_language or "").split("-")[0].lower()
    return INTERFACE_BY_USER_LANGUAGE.get(code, SOURCE_LANGUAGE)


def N_(message: str) -> str:
    """Mark a constant for extraction; it is translated where it is shown."""
    return message


def catalogue_path(language: str) -> Path:
    """Where the catalogue of one language lives."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of `language`; English (the source language), or a language without a
    catalogue, shows the text as written."""
    path = catalogue_path(language)
    if language == SOURCE_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def gettext_for(language: str, message: str) -> str:
    """One message in `language`."""
    return translations(language).gettext(message)


def ngettext_for(language: str, singular: str, plural: str, count: int) -> str:
    """One message with a count in `language`, in the plural form the count needs."""
    return translations(language).ngettext(singular, plural, count)


def cldr_date(day: dt.date, pattern: str, language: str) -> str:
    """A date in `language` by a CLDR pattern ("d MMMM y": 30 июля 2024)."""
    return format_date(day, pattern, locale=language)
