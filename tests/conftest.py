"""Shared fixtures: the small test knowledge base, the real bundled one, and responders."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from bot.distress import DistressClassifier, build_classifier
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
def classifier(real_kb: KnowledgeBase) -> DistressClassifier:
    """The real safety classifier: the packaged encoder and the bundled exemplars."""
    return build_classifier(real_kb.directory)


@pytest.fixture(scope="session")
def real(real_kb: KnowledgeBase, classifier: DistressClassifier) -> Responder:
    """The bot as deployed: the bundled base and the safety classifier."""
    return Responder(real_kb, classifier)


pytest_plugins = ["tests.fake_bot_api_fixtures", "tests.offline_harness"]


def pytest_configure(config: pytest.Config) -> None:
    """The bots the tests start as processes share one start-up cache, in a temporary
    directory (never the user's own ~/.cache)."""
    directory = tempfile.mkdtemp(prefix="oscebot-cache-")
    config.stash[_CACHE_DIR] = directory
    os.environ.setdefault("OSCEBOT_CACHE_DIR", directory)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(config.stash.get(_CACHE_DIR, ""), ignore_errors=True)


_CACHE_DIR = pytest.StashKey[str]()
