"""Configuration from the environment: one frozen `Settings`, the only reader of os.environ.

The bot token is wrapped in `Secret`, whose repr and str never show it, so it cannot leak
into a log line, an exception message or a traceback's locals by accident.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.knowledge import bundled_knowledge_dir

DEFAULT_TIMEZONE = "Europe/Vienna"
DEFAULT_ANNOUNCE_TIME = "09:00"
DEFAULT_WEBHOOK_PORT = 8443
DEFAULT_ANNOUNCE_RATE = 25.0


_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class SettingsError(ValueError):
    """An environment variable has a value the bot cannot use."""


class Secret:
    """A string that does not show itself in repr(), str() or f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that needs it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def _default_cache_dir(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "oscebot"


CACHE_OFF = frozenset({"off", "none", "0"})
"""OSCEBOT_CACHE_DIR values that turn the start-up cache off."""


def _default_db_path(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "oscebot" / "oscebot.sqlite3"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, read once at start-up."""

    token: Secret | None = None
    api_base_url: str | None = None
    knowledge_dir: Path = field(default_factory=bundled_knowledge_dir)
    db_path: Path = field(default_factory=lambda: _default_db_path(os.environ))
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    admins: frozenset[int] = frozenset()
    log_level: str = "INFO"
    webhook_url: str | None = None
    webhook_secret: Secret | None = None
    webhook_port: int = DEFAULT_WEBHOOK_PORT
    announce_rate: float = DEFAULT_ANNOUNCE_RATE
    record_misses: bool = False
    heartbeat_path: Path | None = None
    announce_time: str = DEFAULT_ANNOUNCE_TIME
    cache_dir: Path | None = None
    """Where start-up results are kept between starts (`build_cache`); None: not kept."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the environment (os.environ by default); raise SettingsError on bad values."""
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        zone_name = env.get("OSCEBOT_TIMEZONE", DEFAULT_TIMEZONE).strip() or DEFAULT_TIMEZONE
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(
                f"OSCEBOT_TIMEZONE={zone_name!r} is not a time zone such as Europe/Vienna"
            ) from None
        admins: set[int] = set()
        for part in env.get("OSCEBOT_ADMINS", "").replace(",", " ").split():
            if not part.lstrip("-").isdigit():
                raise SettingsError(f"OSCEBOT_ADMINS must be numeric user ids, not {part!r}")
            admins.add(int(part))
        level = env.get("OSCEBOT_LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise SettingsError(f"OSCEBOT_LOG_LEVEL={level!r} is not a logging level")
        knowledge = env.get("OSCEBOT_KNOWLEDGE", "").strip()
        db = env.get("OSCEBOT_DB", "").strip()
        secret = env.get("OSCEBOT_WEBHOOK_SECRET", "").strip()
        announce = env.get("OSCEBOT_ANNOUNCE_TIME", DEFAULT_ANNOUNCE_TIME).strip()
        hours, _, minutes = announce.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise SettingsError(f"OSCEBOT_ANNOUNCE_TIME={announce!r} is not a time like 09:00")
        port = env.get("OSCEBOT_WEBHOOK_PORT", str(DEFAULT_WEBHOOK_PORT)).strip()
        if not (port.isdigit() and 0 < int(port) < 65536):
            raise SettingsError(f"OSCEBOT_WEBHOOK_PORT={port!r} is not a port number")
        rate_text = env.get("OSCEBOT_ANNOUNCE_RATE", str(DEFAULT_ANNOUNCE_RATE)).strip()
        try:
            rate = float(rate_text)
        except ValueError:
            rate = 0.0
        if not 0 < rate <= 1000:
            raise SettingsError(
                f"OSCEBOT_ANNOUNCE_RATE={rate_text!r} is not a rate in messages per second"
            )
        misses = env.get("OSCEBOT_RECORD_MISSES", "").strip().lower()
        if misses not in ("", "0", "1", "true", "false", "yes", "no"):
            raise SettingsError(f"OSCEBOT_RECORD_MISSES={misses!r} must be 1 or 0")
        webhook_url = env.get("OSCEBOT_WEBHOOK_URL", "").strip()
        if webhook_url and not webhook_url.startswith("https://"):
            raise SettingsError("OSCEBOT_WEBHOOK_URL must be an https:// URL")
        if webhook_url and not _WEBHOOK_SECRET.fullmatch(secret):
            raise SettingsError(
                "OSCEBOT_WEBHOOK_SECRET is required with OSCEBOT_WEBHOOK_URL: 1-256 characters "
                "of A-Z, a-z, 0-9, _ and - (Telegram sends it with every update)"
            )
        db_path = Path(db) if db else _default_db_path(env)
        heartbeat = env.get("OSCEBOT_HEARTBEAT", "").strip()
        cache_dir = env.get("OSCEBOT_CACHE_DIR", "").strip()
        return cls(
            token=Secret(token) if token else None,
            api_base_url=env.get("TELEGRAM_API_BASE_URL", "").strip() or None,
            knowledge_dir=Path(knowledge) if knowledge else bundled_knowledge_dir(),
            db_path=db_path,
            timezone=zone,
            admins=frozenset(admins),
            log_level=level,
            webhook_url=webhook_url or None,
            webhook_secret=Secret(secret) if secret else None,
            webhook_port=int(port),
            announce_rate=rate,
            record_misses=misses in ("1", "true", "yes"),
            heartbeat_path=Path(heartbeat) if heartbeat else db_path.parent / "oscebot.heartbeat",
            announce_time=announce,
            cache_dir=(
                None
                if cache_dir.lower() in CACHE_OFF
                else Path(cache_dir)
                if cache_dir
                else _default_cache_dir(env)
            ),
        )
