"""Group subscriptions to the 30 July announcement: /subscribe, /unsubscribe, the bot being
added to or removed from a group, and a group becoming a supergroup.

Only a group's admins (including anonymous admins) may change its subscription. Removal or a
block ends the subscription; a migration moves it, with its ledger rows, to the new chat id.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.commands import (
    ADMINS_ONLY,
    GROUP_HELLO,
    NOT_SUBSCRIBED,
    SUBSCRIBE_IN_PRIVATE,
    UNSUBSCRIBED,
    subscribed_text,
    unknown_zone_text,
)
from bot.i18n import INTERFACE_LANGUAGES, interface_language, translations
from bot.store import Store
from bot.telegram.handlers import Clock, Context, language_of

log = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
PRESENT_STATUSES = frozenset(
    {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
)
GONE_STATUSES = frozenset({ChatMemberStatus.LEFT, ChatMemberStatus.BANNED})
MAX_ZONE_CHARS = 64


class Subscriptions:
    """Handlers that change who gets the announcement."""

    def __init__(self, store: Store, default_zone: str, send_at: str, clock: Clock) -> None:
        self.store = store
        self.default_zone = default_zone
        self.send_at = send_at
        self.clock = clock

    async def subscribe(self, update: Update, context: Context) -> None:
        """/subscribe [Area/City] (group admins)."""
        message = update.effective_message
        if message is None or not await self._may_change(message, context):
            return
        # "/subscribe Europe/Kyiv ru": a language code chooses the announcement's language;
        # without one, the admin's own Telegram language does
        args = [a for a in (context.args or []) if a.strip()]
        chosen = [a.lower() for a in args if a.lower() in INTERFACE_LANGUAGES]
        language = chosen[0] if chosen else language_of(update)
        name = " ".join(a for a in args if a.lower() not in INTERFACE_LANGUAGES).strip()
        name = name or self.default_zone
        if not _known_zone(name):
            await message.reply_text(unknown_zone_text(name, language), parse_mode=None)
            return
        new = self.store.subscribe(message.chat.id, name, self.clock().date(), language)
        log.info("update=%s subscribed new=%s language=%s", update.update_id, new, language)
        await message.reply_text(
            subscribed_text(name, self.send_at, changed=not new, language=language),
            parse_mode=None,
        )

    async def unsubscribe(self, update: Update, context: Context) -> None:
        """/unsubscribe (group admins)."""
        message = update.effective_message
        if message is None or not await self._may_change(message, context):
            return
        ended = self.store.unsubscribe(message.chat.id)
        log.info("update=%s unsubscribed ended=%s", update.update_id, ended)
        text = translations(language_of(update)).gettext(UNSUBSCRIBED if ended else NOT_SUBSCRIBED)
        await message.reply_text(text, parse_mode=None)

    async def membership(self, update: Update, context: Context) -> None:
        """The bot was added to a chat (say hello) or removed or blocked (end the subscription)."""
        change = update.my_chat_member
        if change is None:
            return
        chat = change.chat
        old, new = change.old_chat_member.status, change.new_chat_member.status
        if new in GONE_STATUSES:
            ended = self.store.unsubscribe(chat.id)
            log.info("update=%s bot left chat=%s ended=%s", update.update_id, chat.type, ended)
        elif (
            new in PRESENT_STATUSES
            and old in GONE_STATUSES
            and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        ):
            log.info("update=%s bot added chat=%s", update.update_id, chat.type)
            try:
                hello = translations(language_of(update)).gettext(GROUP_HELLO)
                await context.bot.send_message(chat.id, hello, parse_mode=None)
            except TelegramError as exc:  # e.g. a group where the bot may not write
                log.warning("could not say hello: %s", type(exc).__name__)

    async def migration(self, update: Update, context: Context) -> None:
        """A group became a supergroup: the subscription follows it to the new id."""
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id is not None:
            moved = self.store.migrate(message.chat.id, message.migrate_to_chat_id)
        elif message.migrate_from_chat_id is not None:
            moved = self.store.migrate(message.migrate_from_chat_id, message.chat.id)
        else:
            return
        log.info("update=%s chat migrated moved=%s", update.update_id, moved)

    async def _may_change(self, message: Message, context: Context) -> bool:
        """True for a group admin; otherwise says why not."""
        chat = message.chat
        sender = message.from_user
        _ = translations(interface_language(sender.language_code if sender else None)).gettext
        if chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
            await message.reply_text(_(SUBSCRIBE_IN_PRIVATE), parse_mode=None)
            return False
        if message.sender_chat is not None and message.sender_chat.id == chat.id:
            return True  # an anonymous admin posts as the group itself
        user = message.from_user
        allowed = False
        if user is not None:
            try:
                member = await context.bot.get_chat_member(chat.id, user.id)
                allowed = member.status in ADMIN_STATUSES
            except TelegramError as exc:
                log.warning("could not check admin rights: %s", type(exc).__name__)
        if not allowed:
            await message.reply_text(_(ADMINS_ONLY), parse_mode=None)
        return allowed


def _known_zone(name: str) -> bool:
    if len(name) > MAX_ZONE_CHARS or not name.isprintable():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
