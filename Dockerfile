# oscebot: the Telegram bot. Build: docker build -t oscebot .
# Run: docker run -d --read-only --tmpfs /tmp -e TELEGRAM_BOT_TOKEN -v oscebot-data:/data oscebot
#
# Two stages: the first builds the wheel from the sources, the second installs only that wheel.
# CI cannot run a container engine, so `.ci/run` replays this file's steps with
# `tests/image_build.py` (the same COPYs, the same RUN commands, the same wheel) and then drives
# the installed bot end to end. Lines after a "# image only" comment set up the image's own user
# and are the only RUN lines the replay does not execute.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN python -m pip wheel --no-deps --wheel-dir dist .

FROM python:3.11-slim
# PTB_TIMEDELTA: PTB 22 gives retry_after as a timedelta (its future default) instead of warning
# on every 429; the bot handles both. OPENBLAS_NUM_THREADS=1: the safety classifier's matrix
# products on one thread cost ~7.5 ms of CPU a message instead of ~17 ms, at the same rate.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OSCEBOT_DB=/data/oscebot.sqlite3 \
    OSCEBOT_CACHE_DIR=/opt/oscebot/cache \
    OSCEBOT_HEARTBEAT=/data/oscebot.heartbeat \
    PTB_TIMEDELTA=true \
    OPENBLAS_NUM_THREADS=1
WORKDIR /app
COPY --from=build /src/dist ./dist
RUN python -m pip install dist/oscebot-*.whl && rm -rf dist

# A broken knowledge base fails the build. Validating builds the matchers, and one question
# encodes the safety exemplars: both are kept in the image's start-up cache, so the bot starts
# without rebuilding them (the files are readable by the bot's user; a stale or missing cache
# is rebuilt in memory, never an error).
RUN oscebot validate
RUN oscebot ask "hello" > /dev/null

# image only
RUN useradd --system --no-create-home --uid 10001 oscebot \
    && mkdir -p /data && chown oscebot /data
USER oscebot
VOLUME ["/data"]

# Healthy while the bot keeps polling: it refreshes the heartbeat after each successful poll.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
    CMD ["oscebot", "health"]

# The token is passed at run time (-e TELEGRAM_BOT_TOKEN), never baked in. The code and the
# knowledge base are installed by root and read-only for this user; only /data is written.
CMD ["oscebot", "run"]
