# oscebot: the Telegram bot. Build: docker build -t oscebot .
# Run: docker run -d --read-only --tmpfs /tmp -e TELEGRAM_BOT_TOKEN -v oscebot-data:/data oscebot
FROM python:3.11-slim

# PTB_TIMEDELTA: PTB 22 gives retry_after as a timedelta (its future default) instead of warning
# on every 429; the bot handles both.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OSCEBOT_DB=/data/oscebot.sqlite3 \
    OSCEBOT_HEARTBEAT=/data/oscebot.heartbeat \
    PTB_TIMEDELTA=true

WORKDIR /app

# Dependencies first, in their own cached layer.
COPY pyproject.toml README.md ./
RUN mkdir -p bot knowledge && touch bot/__init__.py \
    && pip install . \
    && pip uninstall -y oscebot

# Then the code and the knowledge base.
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip install --no-deps . && rm -rf /app/build

# A broken knowledge base fails the build.
RUN oscebot validate

RUN useradd --system --create-home --uid 10001 oscebot \
    && mkdir -p /data && chown oscebot /data
USER oscebot
VOLUME ["/data"]

# Healthy while the bot keeps polling: it refreshes the heartbeat after each successful poll.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
    CMD ["oscebot", "health"]

# The token is passed at run time (-e TELEGRAM_BOT_TOKEN), never baked in. The knowledge base
# is installed with the code (owned by root, read-only for this user); only /data is written.
CMD ["oscebot", "run"]
