"""End-to-end smoke test of the installed bot, as the image runs it (CI's `.ci/run` step).

Takes the JSON that `tests/image_build.py` printed: the installed `oscebot` is run by its own
path, with the image's ENV, from the image's working directory, the `/data` volume mapped to
a temporary directory, and no source checkout in sight. Against the fake Bot API on loopback:

1. the image's CMD (`oscebot run`, long polling) answers /start and a question;
2. the image's HEALTHCHECK (`oscebot health`) passes while it runs;
3. `oscebot announce --dry-run` prints the announcement;
4. SIGTERM stops it cleanly (exit 0);
5. a webhook start (`OSCEBOT_WEBHOOK_URL`) registers the webhook and answers a posted update,
   and refuses one without the secret;
6. nothing was written into the installed files (the image's root file system is read-only).

Run with the development environment's Python (it needs the fake server, which needs aiohttp):

    .venv/bin/python tests/smoke_installed.py image.json

Exit 0 when every step passed; otherwise the failing step and the bot's output.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fake_bot_api import FakeBotApi

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_SECRET = "smoke-Secret_42"
STEP_TIMEOUT = 60.0
START_TIMEOUT = 180.0
"""Start-up loads the knowledge base and the safety classifier: allow for a loaded machine."""


class SmokeFailure(Exception):
    """A step did not do what the image promises."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def image_env(image: dict[str, Any], data: Path, server: FakeBotApi) -> dict[str, str]:
    """The container's environment: the image's ENV with the volume mapped, plus `-e` values."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OSCEBOT_", "TELEGRAM_"))}
    env.pop("PYTHONPATH", None)
    for key, value in image["env"].items():
        for volume in image["volumes"]:
            if value == volume or value.startswith(volume.rstrip("/") + "/"):
                value = str(data) + value[len(volume.rstrip("/")) :]
        env[key] = value
    env["PATH"] = f"{image['bin']}{os.pathsep}{env.get('PATH', '')}"
    env["TELEGRAM_BOT_TOKEN"] = server.token
    env["TELEGRAM_API_BASE_URL"] = server.base_url
    return env


def snapshot(root: Path) -> dict[str, int]:
    """Every file under `root` with its modification time."""

    def walk() -> Iterator[tuple[str, int]]:
        for path in root.rglob("*"):
            if path.is_file():
                yield str(path), path.stat().st_mtime_ns

    return dict(walk())


async def run_command(argv: list[str], env: dict[str, str], cwd: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        *argv,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=STEP_TIMEOUT)
    assert process.returncode is not None
    return process.returncode, out.decode(errors="replace")


async def stop(process: asyncio.subprocess.Process) -> tuple[int, str]:
    """SIGTERM, as `docker stop` sends; the output so far."""
    process.send_signal(signal.SIGTERM)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=STEP_TIMEOUT)
    assert process.returncode is not None
    return process.returncode, out.decode(errors="replace")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


async def polling(server: FakeBotApi, image: dict[str, Any], env: dict[str, str]) -> None:
    cwd = image["workdir"]
    process = await asyncio.create_subprocess_exec(
        *image["cmd"],
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        user = server.add_user("Smoke")
        chat = server.private_chat(user)
        await server.send_text(chat, user, "/start")
        welcome = await server.next_bot_message(chat, timeout=START_TIMEOUT)
        check(
            "112" in welcome["text"] and "source" in welcome["text"],
            f"/start: unexpected reply {welcome['text'][:200]!r}",
        )
        print("ok: oscebot run (polling) answers /start")
        await server.send_text(chat, user, "Where is ODIHR?")
        answer = await server.next_bot_message(chat, timeout=STEP_TIMEOUT)
        check("Warsaw" in answer["text"], f"question: unexpected reply {answer['text'][:200]!r}")
        print("ok: oscebot run (polling) answers a question")
        await server.send_text(chat, user, "Где находится БДИПЧ?")
        russian = await server.next_bot_message(chat, timeout=STEP_TIMEOUT)
        check(
            "Варшав" in russian["text"] and "Источник" in russian["text"],
            f"Russian question: unexpected reply {russian['text'][:200]!r}",
        )
        print("ok: oscebot run (polling) answers a Russian question in Russian")
        code, out = await run_command(image["healthcheck"], env, cwd)
        check(code == 0, f"HEALTHCHECK {image['healthcheck']} exited {code}: {out}")
        print(f"ok: {' '.join(image['healthcheck'])}: {out.strip()}")
        code, out = await run_command(
            ["oscebot", "announce", "--dry-run", "--date", "2027-07-30"], env, cwd
        )
        check(code == 0 and "dry run" in out, f"announce --dry-run exited {code}: {out}")
        print("ok: oscebot announce --dry-run")
    except (SmokeFailure, TimeoutError) as exc:
        code, out = await stop(process)
        raise SmokeFailure(f"{exc}\n--- oscebot run (exit {code}) printed:\n{out}") from None
    code, out = await stop(process)
    check(code == 0, f"oscebot run exited {code} on SIGTERM:\n{out}")
    check("Traceback" not in out, f"oscebot run printed a traceback:\n{out}")
    print("ok: oscebot run stops cleanly on SIGTERM")


async def webhook(server: FakeBotApi, image: dict[str, Any], env: dict[str, str]) -> None:
    port = free_port()
    env = {
        **env,
        "OSCEBOT_WEBHOOK_URL": "https://bot.example.org/tg/hook",
        "OSCEBOT_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "OSCEBOT_WEBHOOK_PORT": str(port),
    }
    process = await asyncio.create_subprocess_exec(
        *image["cmd"],
        env=env,
        cwd=image["workdir"],
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await server.wait_for(lambda: server.webhook_url, timeout=START_TIMEOUT)
        check(server.webhook_url == env["OSCEBOT_WEBHOOK_URL"], "setWebhook got another URL")
        user = server.add_user("Hook")
        chat = server.private_chat(user)
        await server.send_text(chat, user, "When was the OSR/CTHB created?")
        update = server.all_updates[-1]
        local = f"http://127.0.0.1:{port}/tg/hook"
        async with aiohttp.ClientSession() as http:
            for _ in range(100):  # the listener starts just after setWebhook
                try:
                    forged = await http.post(local, json=update, headers={SECRET_HEADER: "no"})
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                raise SmokeFailure("the webhook listener never accepted a connection")
            check(forged.status == 403, f"a post without the secret got {forged.status}")
            posted = await http.post(local, json=update, headers={SECRET_HEADER: WEBHOOK_SECRET})
            check(posted.status == 200, f"a post with the secret got {posted.status}")
        reply = await server.next_bot_message(chat, timeout=STEP_TIMEOUT)
        check("2003" in reply["text"], f"webhook: unexpected reply {reply['text'][:200]!r}")
        check(len(server.messages_in(chat)) == 1, "the forged update was answered")
        print("ok: oscebot run (webhook) answers a posted update and refuses a forged one")
    except (SmokeFailure, TimeoutError, aiohttp.ClientError) as exc:
        code, out = await stop(process)
        raise SmokeFailure(
            f"{exc}\n--- webhook oscebot run (exit {code}) printed:\n{out}"
        ) from None
    code, out = await stop(process)
    check(code == 0, f"webhook oscebot run exited {code} on SIGTERM:\n{out}")
    print("ok: the webhook bot stops cleanly on SIGTERM")


async def smoke(image: dict[str, Any]) -> None:
    installed = Path(image["bin"]).parent
    before = snapshot(installed)
    with tempfile.TemporaryDirectory(prefix="oscebot-data-") as data:
        async with FakeBotApi(bot_username="oscebot_smoke") as server:
            env = image_env(image, Path(data), server)
            await polling(server, image, env)
        async with FakeBotApi(bot_username="oscebot_smoke") as server:
            await webhook(server, image, image_env(image, Path(data), server))
        check((Path(data) / "oscebot.sqlite3").exists(), "the database is not on the volume")
    changed = sorted(set(snapshot(installed).items()) ^ set(before.items()))
    check(not changed, f"the bot wrote into its installed files: {changed[:5]}")
    print("ok: nothing was written outside the data volume")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    image = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    try:
        asyncio.run(smoke(image))
    except (SmokeFailure, TimeoutError) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    print("smoke: all steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
