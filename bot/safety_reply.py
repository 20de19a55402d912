"""The reply to a message that may come from someone in danger: emergency and hotline numbers
first, then (if the message also asked something the bot knows) the normal answer.

Pure. The numbers come from the knowledge base's `help-numbers` entry (112, 116 000 and the
national numbers, each sourced), so the safety reply and "what is the hotline?" never differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.answers import Reply, SourceRef

HELP_INTENT = "help-numbers"
FALLBACK_FIRST_LINE = (
    "If you or someone else is in immediate danger, call 112 (the European emergency number) "
    "or the local emergency number."
)
DELETE_CHAT = (
    "If someone might check this phone, you can delete this chat: open the chat menu and choose "
    "Delete chat."
)
ALSO_ASKED = "About your question:"


def safety_reply(
    query: str,
    normal: Reply,
    today: dt.date,
    answer_intent: Callable[[str, dt.date], Reply | None],
) -> Reply:
    """Help first; the normal answer after it when there was one."""
    help_reply = answer_intent(HELP_INTENT, today)
    parts = [help_reply.body if help_reply else FALLBACK_FIRST_LINE, DELETE_CHAT]
    sources: list[SourceRef] = list(help_reply.sources) if help_reply else []
    answered = normal.kind == "answer" and normal.intent not in (None, HELP_INTENT)
    if answered:
        parts.append(f"{ALSO_ASKED}\n{normal.body}")
        sources += [s for s in normal.sources if s not in sources]
    return Reply(
        query=query,
        kind="safety",
        intent=normal.intent if answered else HELP_INTENT,
        score=100.0,
        body="\n\n".join(parts),
        sources=tuple(sources),
        as_of=normal.as_of if answered else None,
        related=normal.related if answered else (),
    )
