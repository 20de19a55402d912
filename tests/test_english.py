"""Everyday English words (bot/english.py), which typo correction leaves alone."""

from __future__ import annotations

import pytest

from bot.english import is_common_word


@pytest.mark.parametrize("word", ["great", "story", "weather", "state", "isaac"])
def test_everyday_words_and_common_names(word: str) -> None:
    assert is_common_word(word)


@pytest.mark.parametrize("word", ["greta", "istac", "odihr", "osce", "gseta", "cnaada", "sate"])
def test_acronyms_rare_names_and_typos_are_not(word: str) -> None:
    assert not is_common_word(word)
