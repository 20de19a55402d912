"""Telegram handlers: each reads the update, makes one core call and sends one reply.

Logs carry the update id, the chat type, the outcome (kind, intent, score) and timings; never
the message text or a user's name.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.answers import Reply, shorten
from bot.commands import (
    ABOUT,
    APOLOGY,
    ASK_USAGE,
    NOT_TEXT,
    STALE_BUTTON,
    UNKNOWN_COMMAND,
    WELCOME,
    help_text,
    privacy_text,
    sources_text,
)
from bot.i18n import N_, SOURCE_LANGUAGE, interface_language, translations
from bot.languages import LANGUAGE_MARK
from bot.live import LiveKnowledge
from bot.responder import Responder
from bot.telegram.formatting import (
    callback_data,
    deep_link,
    deep_link_intent,
    inline_html,
    intent_of,
    keyboard,
    reply_keyboard,
    split_html,
)

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
Clock = Callable[[], dt.datetime]
INLINE_RESULTS = 10
INLINE_CACHE_SECONDS = 300
SAFETY_TITLE = N_("In danger? Emergency and hotline numbers")
INLINE_TITLE_LIMIT = 64
INLINE_DESCRIPTION_LIMIT = 120
INLINE_PRIVATE_BUTTON = N_("Ask me in a private chat")
CONTINUE_PRIVATELY = N_("More in a private chat")
CORE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oscebot-core")
"""The one thread the core's replies are computed on, one at a time, in the order asked."""


def _plain(text: str, language: str = "en") -> Reply:
    return Reply(query="", kind="smalltalk", intent=None, score=100.0, body=text, language=language)


def language_of(update: object) -> str:
    """The interface language for an update: the sender's Telegram language, where the bot
    has that language (Russian), else English."""
    user = update.effective_user if isinstance(update, Update) else None
    return interface_language(user.language_code if user else None)


class Handlers:
    """The bot's handlers, bound to one responder and one clock."""

    def __init__(
        self,
        live: LiveKnowledge,
        timezone: dt.tzinfo,
        clock: Clock,
        on_miss: Callable[[str, dt.date], None] | None = None,
    ) -> None:
        self.live = live
        self.timezone = timezone
        self._clock = clock
        self._on_miss = on_miss
        """Called with an unanswered question only when an operator opted in (off by default)."""

    @property
    def responder(self) -> Responder:
        """The responder in use now (an operator's /reload replaces it)."""
        return self.live.responder

    def today(self) -> dt.date:
        """Today in the bot's time zone."""
        return self._clock().astimezone(self.timezone).date()

    # --- sending ------------------------------------------------------------------------

    async def send(self, message: Message, reply: Reply, *, quote: bool = False) -> None:
        """Send a reply as HTML, split to Telegram's limit, buttons under the last part."""
        chunks = split_html(reply.html())
        markup = reply_keyboard(reply, bot_username=message.get_bot().username)
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            await message.reply_text(
                chunk, reply_markup=markup if last else None, do_quote=quote and index == 0
            )

    def _log(self, update: Update, reply: Reply, started: float) -> None:
        chat = update.effective_chat
        log.info(
            "update=%s chat=%s kind=%s intent=%s score=%.1f ms=%.1f",
            update.update_id,
            chat.type if chat else "-",
            reply.kind,
            reply.intent or "-",
            reply.score,
            (time.perf_counter() - started) * 1000,
        )

    async def _reply(
        self, text: str, today: dt.date, update: Update, *, public: bool = False
    ) -> Reply:
        """The core's reply, computed off the event loop (the safety classifier runs a neural
        encoder for a few milliseconds; other chats are served meanwhile), on one thread of its
        own: with updates of several chats in hand (`bot.telegram.concurrency`), replies
        computed side by side in a pool of threads only fight over the GIL (measured with the
        classifier, 8 updates at once: 52.6 messages/s in asyncio's pool, 74.6 on one thread),
        and the core is called one reply at a time, as it always was."""
        user = update.effective_user
        return await asyncio.get_running_loop().run_in_executor(
            CORE,
            partial(
                self.responder.reply,
                text,
                today,
                user_language=user.language_code if user else None,
                public=public,
            ),
        )

    # --- messages -----------------------------------------------------------------------

    async def message(self, update: Update, context: Context) -> None:
        """A text message: in private any text is a question; in groups only when addressed."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        started = time.perf_counter()
        text = message.text
        in_group = message.chat.type != ChatType.PRIVATE
        if in_group:
            addressed = self._addressed_text(message, context.bot.username, context.bot.id)
            if addressed is None:
                return
            text = addressed
        today = self.today()
        reply = await self._reply(text, today, update, public=in_group)
        await self.send(message, reply, quote=in_group)
        self._log(update, reply, started)
        if reply.kind == "fallback" and self._on_miss is not None:
            self._on_miss(text, today)

    @staticmethod
    def _addressed_text(message: Message, username: str, bot_id: int) -> str | None:
        """The question when a group message mentions the bot or replies to it, else None."""
        text = message.text or ""
        mention = f"@{username}".casefold()
        for entity in message.entities:
            if entity.type == MessageEntity.MENTION:
                value = message.parse_entity(entity)
                if value.casefold() == mention:
                    return text.replace(value, " ").strip()
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
            return text
        return None

    # --- buttons ------------------------------------------------------------------------

    async def button(self, update: Update, context: Context) -> None:
        """A suggestion or related-entry button: answer that entry; stale data gets a note."""
        query = update.callback_query
        if query is None:
            return
        started = time.perf_counter()
        intent = intent_of(query.data)
        reply = self.responder.reply_to_intent(intent, self.today()) if intent else None
        if reply is None:
            await query.answer(translations(language_of(update)).gettext(STALE_BUTTON))
            log.info("update=%s button=stale", update.update_id)
            return
        await query.answer()
        if isinstance(query.message, Message):
            await self.send(query.message, reply)
        self._log(update, reply, started)

    # --- inline -------------------------------------------------------------------------

    async def inline(self, update: Update, context: Context) -> None:
        """@bot question in any chat: up to ten sourced answers to choose from."""
        inline_query = update.inline_query
        if inline_query is None:
            return
        started = time.perf_counter()
        today = self.today()
        text = inline_query.query.strip()
        replies: list[Reply] = []
        first = await self._reply(text, today, update) if text else None
        if first is not None and first.kind in ("answer", "safety"):
            replies.append(first)
        starters = self.responder.starters(language_of(update))
        intents = [s.intent for s in (first.suggestions if first else starters)]
        intents += [s.intent for s in (first.related if first else ())]
        for intent in intents:
            reply = self.responder.reply_to_intent(intent, today)
            if reply is not None and all(r.intent != reply.intent for r in replies):
                replies.append(reply)
        username = context.bot.username
        results = [
            InlineQueryResultArticle(
                id="safety" if reply.kind == "safety" else (reply.intent or "x")[:64],
                title=shorten(self._title(reply), INLINE_TITLE_LIMIT),
                description=shorten(reply.body, INLINE_DESCRIPTION_LIMIT),
                input_message_content=InputTextMessageContent(
                    inline_html(reply),
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                ),
                reply_markup=self._continue_privately(username, reply),
            )
            for reply in replies[:INLINE_RESULTS]
        ]
        private = translations(language_of(update)).gettext(INLINE_PRIVATE_BUTTON)
        await inline_query.answer(
            results,
            cache_time=INLINE_CACHE_SECONDS,
            is_personal=False,
            button=InlineQueryResultsButton(text=private, start_parameter="inline"),
        )
        log.info(
            "update=%s inline results=%d ms=%.1f",
            update.update_id,
            len(results),
            (time.perf_counter() - started) * 1000,
        )

    @staticmethod
    def _continue_privately(username: str, reply: Reply) -> InlineKeyboardMarkup | None:
        """A button under a posted answer that opens it in a private chat with the bot."""
        if reply.intent is None or callback_data(reply.intent) is None:
            return None
        language = next(
            (
                s.intent.rsplit("-", 1)[1]
                for s in reply.related
                if s.intent.startswith("safety-all-")
            ),
            "en",
        )
        marked = (
            reply.intent
            if reply.language == SOURCE_LANGUAGE
            else f"{reply.language}{LANGUAGE_MARK}{reply.intent}"
        )
        intent = f"safety-help-{language}" if reply.kind == "safety" else marked
        label = translations(reply.language).gettext(CONTINUE_PRIVATELY)
        button = InlineKeyboardButton(label, url=deep_link(username, intent))
        return InlineKeyboardMarkup([[button]])

    def _title(self, reply: Reply) -> str:
        if reply.kind == "safety":
            return translations(reply.language).gettext(SAFETY_TITLE)
        entry = self.responder.entry(reply.intent or "", reply.language)
        return entry.title if entry is not None else reply.body[:60]

    # --- commands -----------------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> None:
        """/start, with deep links such as /start fact_osr-created."""
        message = update.effective_message
        if message is None:
            return
        payload = context.args[0] if context.args else ""
        linked = deep_link_intent(payload)
        if linked is not None:
            reply = self.responder.reply_to_intent(linked, self.today())
            if reply is not None:
                await self.send(message, reply)
                return
        language = language_of(update)
        welcome = _plain(translations(language).gettext(WELCOME), language)
        starters = self.responder.starters(language)
        await message.reply_text(welcome.html(), reply_markup=keyboard(starters))

    async def help(self, update: Update, context: Context) -> None:
        """/help: the commands of this kind of chat."""
        chat = update.effective_chat
        in_group = chat is not None and chat.type != "private"
        await self._page(update, help_text(in_group=in_group, language=language_of(update)))

    async def about(self, update: Update, context: Context) -> None:
        """/about."""
        await self._page(update, translations(language_of(update)).gettext(ABOUT))

    async def privacy(self, update: Update, context: Context) -> None:
        """/privacy."""
        await self._page(update, privacy_text(self._on_miss is not None, language_of(update)))

    async def sources(self, update: Update, context: Context) -> None:
        """/sources."""
        await self._page(update, sources_text(self.responder.kb, language=language_of(update)))

    async def _page(self, update: Update, text: str) -> None:
        """A fixed page; in a group, as a reply to the command, so it is clear who asked."""
        message = update.effective_message
        if message is not None:
            page = _plain(text, language_of(update))
            await self.send(message, page, quote=message.chat.type != ChatType.PRIVATE)

    async def quote(self, update: Update, context: Context) -> None:
        """/quote [speaker or topic]."""
        message = update.effective_message
        if message is None:
            return
        query = " ".join(context.args or [])
        await self.send(message, self.responder.quote(query, self.today()))

    async def ask(self, update: Update, context: Context) -> None:
        """/ask QUESTION, or /ask as a reply to someone's question (answered in reply to it)."""
        message = update.effective_message
        if message is None:
            return
        question = " ".join(context.args or [])
        target = message
        replied = message.reply_to_message
        if not question and replied is not None and replied.text:
            question, target = replied.text, replied
        if not question.strip():
            await message.reply_text(translations(language_of(update)).gettext(ASK_USAGE))
            return
        started = time.perf_counter()
        in_group = message.chat.type != ChatType.PRIVATE
        reply = await self._reply(question, self.today(), update, public=in_group)
        await self.send(target, reply, quote=in_group)
        self._log(update, reply, started)

    async def not_text(self, update: Update, context: Context) -> None:
        """A sticker, photo, voice message, location or contact in a private chat."""
        message = update.effective_message
        if message is not None:
            text = translations(language_of(update)).gettext(NOT_TEXT)
            await message.reply_text(text, parse_mode=None)
            log.info("update=%s not-text", update.update_id)

    async def unknown_command(self, update: Update, context: Context) -> None:
        """Any other command (private chats only): a pointer to /help."""
        message = update.effective_message
        if message is not None:
            await message.reply_text(translations(language_of(update)).gettext(UNKNOWN_COMMAND))

    # --- errors -------------------------------------------------------------------------

    async def error(self, update: object, context: Context) -> None:
        """Log the error (update id and chat type only) and apologise; never stop the bot."""
        update_id = update.update_id if isinstance(update, Update) else "-"
        chat = update.effective_chat if isinstance(update, Update) else None
        log.error(
            "handler error update=%s chat=%s error=%s",
            update_id,
            chat.type if chat else "-",
            type(context.error).__name__,
            exc_info=context.error,
        )
        if chat is None:
            return
        try:
            apology = translations(language_of(update)).gettext(APOLOGY)
            await context.bot.send_message(chat.id, apology)
        except TelegramError:
            log.warning("could not send the apology for update=%s", update_id)
