"""The curated texts of the safety reply, per language, and the countries it can place a
person in (`knowledge/safety/replies.yaml`).

Every sentence of the safety reply is data, reviewed by people who read the language; no number
is written here: numbers come from the sourced help lines (`help.yaml`), named by their kind in
the reader's language. A country is recognised in a message by the stems of its names in the
region's languages ("герман" finds Германия, Германии, Германию).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

GUIDE_FILE = Path("safety") / "replies.yaml"
KINDS = ("emergency", "hotline", "police", "missing_children", "citizens_abroad", "other")

Line = Annotated[str, StringConstraints(min_length=1, max_length=400, strip_whitespace=True)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=28, strip_whitespace=True)]
"""Button labels: phones cut longer ones."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SafetyTexts(_Frozen):
    """The safety reply's sentences and labels in one language."""

    emergency: Line
    """112 first: the one number that works everywhere in the region."""
    numbers: Line
    """Introduces the numbers of one country; has {country}."""
    no_country: Line
    """When no country is known: ask for it."""
    no_line: Line
    """A country the message names that has no line in the sources; has {country}."""
    not_to_blame: Line
    cannot_report: Line
    sources: Label
    all_numbers: Label
    all_numbers_intro: Line
    delete_chat_button: Label
    delete_chat: Line
    your_question: Label
    group: Line
    group_button: Label
    other_language: Line
    """'I answer in English and Russian', for a message in a language the bot cannot answer."""
    kinds: dict[str, Line]
    asking: tuple[Annotated[str, StringConstraints(min_length=1, to_lower=True)], ...] = ()
    """Words that, beside a country's name, only ask for its help numbers ("гаряча лінія в
    Україні"): a message of nothing else gets the safety reply placed in that country. Never
    a word that asks something else ("victims", "how many")."""
    counting: tuple[Annotated[str, StringConstraints(min_length=2, to_lower=True)], ...] = ()
    """Words that count something ("how many", "number of"): a question naming a country with
    one of them ("how many victims in Ukraine") asks for no help number, unless it has only
    asking words ("the number of the hotline in Ukraine")."""


class Country(_Frozen):
    """A country the reply can place a person in."""

    names: dict[str, Line]
    """Its name in each language of `languages`."""
    stems: tuple[Annotated[str, StringConstraints(min_length=4, to_lower=True)], ...] = Field(
        min_length=1
    )
    """Word beginnings that name it in any language here (lower case)."""
    words: tuple[Annotated[str, StringConstraints(min_length=2, to_lower=True)], ...] = ()
    """Whole words that name it, for names too short to be stems ("usa", "сша")."""
    languages: tuple[str, ...] = ()
    """Languages whose speakers are most likely in this country (for the Telegram language)."""


class SafetyGuide(_Frozen):
    """The whole file."""

    languages: dict[str, SafetyTexts]
    countries: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")], Country]

    def texts(self, language: str | None) -> SafetyTexts:
        """The texts in `language`, else in English."""
        return self.languages.get(language or "en", self.languages["en"])


class GuideError(ValueError):
    """The file is invalid; the message says where and why."""


def parse_guide(data: Any) -> SafetyGuide:
    """The guide from the file's parsed YAML; raises GuideError."""
    try:
        guide = SafetyGuide.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise GuideError(f"{where}: {first['msg']}") from None
    problems = check_guide(guide)
    if problems:
        raise GuideError("; ".join(problems))
    return guide


def check_guide(guide: SafetyGuide) -> list[str]:
    """What the schema cannot say: English present, every kind and country name given."""
    problems: list[str] = []
    if "en" not in guide.languages:
        problems.append("languages: English (en) is missing")
    for code, texts in guide.languages.items():
        missing = [k for k in KINDS if k not in texts.kinds]
        if missing:
            problems.append(f"languages.{code}.kinds: missing {', '.join(missing)}")
        for field in ("numbers", "no_line"):
            if "{country}" not in getattr(texts, field):
                problems.append(f"languages.{code}.{field}: must contain {{country}}")
        for field in ("emergency", "group"):
            if "112" not in getattr(texts, field):
                problems.append(f"languages.{code}.{field}: must name 112")
    for country_code, country in guide.countries.items():
        missing = [code for code in guide.languages if code not in country.names]
        if missing:
            problems.append(f"countries.{country_code}.names: missing {', '.join(missing)}")
    return problems
