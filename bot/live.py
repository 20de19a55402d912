"""The knowledge base in use, swapped whole when an operator reloads it.

Front ends read `live.responder` for every update, so a reload takes effect at once; a
knowledge base that does not validate is never swapped in, and the operator is told exactly
what is wrong with it while the old one keeps answering.
"""

from __future__ import annotations

import threading
from pathlib import Path

from bot.distress import DistressClassifier, ExemplarError, load_exemplars
from bot.knowledge import KnowledgeError, load_knowledge
from bot.responder import Responder

MAX_PROBLEMS_SHOWN = 15


class LiveKnowledge:
    """Holds the current responder and the directory it was loaded from."""

    def __init__(self, responder: Responder, directory: Path) -> None:
        self.responder = responder
        self.directory = directory
        self._reloading = threading.Lock()

    def reload(self) -> tuple[bool, str]:
        """Re-read the directory; (True, summary) when swapped in, (False, problems) if not.
        Safe to run in a worker thread while the old responder answers: one reload at a time,
        and the swap is a single assignment."""
        with self._reloading:
            return self._reload()

    def _reload(self) -> tuple[bool, str]:
        try:
            kb = load_knowledge(self.directory, self.responder.cache)
            old = self.responder.classifier
            classifier = (
                DistressClassifier(
                    old.encoder,
                    load_exemplars(self.directory, self.responder.cache),
                    self.responder.cache,
                )
                if old is not None
                else None
            )
            fresh = Responder(kb, classifier, self.responder.cache)
        except ExemplarError as exc:
            return False, f"The knowledge base was NOT reloaded; I keep the old one: {exc}"
        except KnowledgeError as exc:
            lines = [str(p) for p in exc.problems]
            shown = lines[:MAX_PROBLEMS_SHOWN]
            more = len(lines) - len(shown)
            tail = [f"…and {more} more."] if more > 0 else []
            return False, "\n".join(
                [
                    "The knowledge base was NOT reloaded; I keep the old one. Problems:",
                    *shown,
                    *tail,
                ]
            )
        except OSError as exc:
            return False, f"The knowledge base was NOT reloaded; I keep the old one: {exc}"
        self.responder = fresh
        return True, (
            f"Reloaded: {len(fresh.entries)} entries, {len(kb.sources)} sources, "
            f"{len(kb.facts)} facts."
        )
