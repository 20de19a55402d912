"""Shared fixtures: the small test knowledge base, the real bundled one, and responders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, bundled_knowledge_dir, load_knowledge
from bot.responder import Responder

MINI_DIR = Path(__file__).parent / "data" / "mini"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="session")
def mini_kb() -> KnowledgeBase:
    return load_knowledge(MINI_DIR)


@pytest.fixture(scope="session")
def mini(mini_kb: KnowledgeBase) -> Responder:
    return Responder(mini_kb)


@pytest.fixture(scope="session")
def real_kb() -> KnowledgeBase:
    return load_knowledge(bundled_knowledge_dir())


@pytest.fixture(scope="session")
def real(real_kb: KnowledgeBase) -> Responder:
    return Responder(real_kb)


pytest_plugins = ["tests.fake_bot_api_fixtures", "tests.offline_harness"]
