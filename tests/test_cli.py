"""The command-line contract: commands, JSON shapes, exit codes."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.store import Store
from tests.conftest import MINI_DIR


@pytest.fixture(autouse=True)
def _mini_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSCEBOT_KNOWLEDGE", str(MINI_DIR))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_ask_prints_the_reply_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "OSR", "founding", "year")
    assert code == 0
    assert out.startswith("The OSCE set up the Office of the Special Representative in 2003.")
    assert "Source: OSCE, 30 July 2024, https://www.osce.org/example" in out


def test_ask_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "--json", "Is Brazil an OSCE member?")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"query", "kind", "intent", "score", "text", "sources", "suggestions"}
    assert (data["kind"], data["intent"]) == ("answer", "member-not-listed")


def test_ask_json_lines_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    questions = ["OSR founding year", "", "qwerty", "hello", "Is Japan in the OSCE?"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(questions) + "\n"))
    code, out, _ = run(capsys, "ask", "--json", "-")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [r["query"] for r in rows] == questions
    assert [r["kind"] for r in rows] == ["answer", "fallback", "fallback", "smalltalk", "answer"]


def test_validate_ok_and_invalid(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert "valid" in out
    (tmp_path / "bad.yaml").write_text("facts:\n  - id: x\n    questions: [\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 1
    assert "bad.yaml:" in out and "not valid YAML" in out
    assert "Traceback" not in out


def test_commands_refuse_an_invalid_base(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "bad.yaml").write_text("facts: 3\n", encoding="utf-8")
    monkeypatch.setenv("OSCEBOT_KNOWLEDGE", str(tmp_path))
    code, _, err = run(capsys, "ask", "hello")
    assert code == 1
    assert "bad.yaml:1: -: facts: must be a list of records" in err


def test_run_without_token_points_to_chat(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "run")
    assert code == 2
    assert "TELEGRAM_BOT_TOKEN" in err and "oscebot chat" in err


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"OSCEBOT_TIMEZONE": "Mars/Olympus"}, "OSCEBOT_TIMEZONE"),
        ({"OSCEBOT_ADMINS": "alice"}, "OSCEBOT_ADMINS"),
        ({"OSCEBOT_ANNOUNCE_TIME": "25:00"}, "OSCEBOT_ANNOUNCE_TIME"),
        ({"OSCEBOT_ANNOUNCE_RATE": "fast"}, "OSCEBOT_ANNOUNCE_RATE"),
        ({"OSCEBOT_RECORD_MISSES": "maybe"}, "OSCEBOT_RECORD_MISSES"),
        ({"OSCEBOT_WEBHOOK_URL": "http://bot.example.org/hook"}, "https://"),
        ({"OSCEBOT_WEBHOOK_URL": "https://bot.example.org/hook"}, "OSCEBOT_WEBHOOK_SECRET"),
        (
            {"OSCEBOT_WEBHOOK_URL": "https://b.example/h", "OSCEBOT_WEBHOOK_SECRET": "a b"},
            "OSCEBOT_WEBHOOK_SECRET",
        ),
        ({"OSCEBOT_WEBHOOK_PORT": "99999"}, "OSCEBOT_WEBHOOK_PORT"),
    ],
)
def test_bad_configuration_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variables: dict[str, str],
    named: str,
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    code, _, err = run(capsys, "ask", "hello")
    assert code == 2
    assert named in err


def test_kb_lists_generated_entries(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kb", "--json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert code == 0
    assert rows["member-canada"]["generated"] is True
    assert rows["osr-created"]["sources"] == ["src-osce"]
    assert len(rows["osr-created"]["phrasings"]) == 4


def test_eval_reports_and_exit_code(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cases = tmp_path / "set.yaml"
    cases.write_text(
        "cases:\n"
        '- {q: "OSR founding year", expect: ["2003"]}\n'
        '- {q: "Who painted the Mona Lisa?", decline: true}\n'
        '- {q: "Palermo protocol", expect: ["1999"]}\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "eval", str(cases))
    assert code == 0
    assert "WRONG     'Palermo protocol' -> answer palermo-protocol" in out
    assert "accuracy: 66.7% of 3; confidently wrong: 33.3%" in out
    code, out, _ = run(capsys, "eval", str(cases), "--min", "0.9", "--json")
    assert code == 1
    assert json.loads(out)["in_scope"] == {"correct": 1, "wrong": 1, "total": 2}


def test_days_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "days", "--today", "2027-07-30", "--limit", "2", "--json")
    rows = json.loads(out)
    assert code == 0
    assert rows[0] == {
        "id": "world-day",
        "name": "World Day against Trafficking in Persons",
        "date": "2027-07-30",
        "days_until": 0,
        "sources": ["src-un"],
    }
    assert rows[1]["date"] == "2028-02-29"


def test_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["days", "--today", "2027-02-30"])
    assert caught.value.code == 2
    assert "is not a date" in capsys.readouterr().err


def test_chat_console(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("OSCE anti-trafficking\n1\nhello\n"))
    code, out, _ = run(capsys, "chat")
    assert code == 0
    assert "I'm not sure which of these you mean:" in out
    assert "The OSCE set up the Office of the Special Representative in 2003." in out
    assert "Hello!" in out


def test_no_command_without_token_opens_the_console(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, _ = run(capsys)
    assert code == 0
    assert out.startswith("oscebot console")


def test_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "hello"],
        capture_output=True,
        text=True,
        env={"OSCEBOT_KNOWLEDGE": str(MINI_DIR), "PATH": "/usr/bin:/bin"},
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["kind"] == "smalltalk"


def test_run_with_a_damaged_database_says_what_to_do(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    damaged = tmp_path / "oscebot.sqlite3"
    damaged.write_bytes(b"\x00garbage" * 500)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:SECRET")
    monkeypatch.setenv("OSCEBOT_DB", str(damaged))
    code, out, err = run(capsys, "run")
    assert code == 2
    assert f"{damaged} is not a readable oscebot database" in err
    assert "restore it from a backup" in err
    assert "SECRET" not in out + err
    assert damaged.read_bytes() == b"\x00garbage" * 500  # nothing overwritten


def test_announce_on_a_database_that_turned_read_only_says_so_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = tmp_path / "db.sqlite3"
    store = Store.open(db)
    store.claim(-1, 2027, dt.datetime(2027, 7, 30, 9, tzinfo=dt.UTC))
    store.close()
    opened = Store.open

    def open_read_only(path: Path) -> Store:
        store = opened(path)
        store._db.execute("PRAGMA query_only = 1")  # the file system turned read-only
        return store

    monkeypatch.setattr(Store, "open", open_read_only)
    monkeypatch.setenv("OSCEBOT_DB", str(db))
    code, _, err = run(capsys, "announce", "--retry-unconfirmed", "--date", "2027-07-30")
    assert code == 3
    [line] = err.splitlines()
    assert line.startswith(f"The database failed: {db} is read-only")


@pytest.mark.parametrize(("age_seconds", "code"), [(5, 0), (600, 1), (None, 1)])
def test_health_follows_the_heartbeat(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    age_seconds: int | None,
    code: int,
) -> None:
    heartbeat = tmp_path / "beat"
    if age_seconds is not None:
        heartbeat.touch()
        stamp = time.time() - age_seconds
        os.utime(heartbeat, (stamp, stamp))
    monkeypatch.setenv("OSCEBOT_HEARTBEAT", str(heartbeat))
    result, out, err = run(capsys, "health")
    assert result == code
    assert (out if code == 0 else err).startswith("healthy" if code == 0 else "unhealthy")


def test_announce_dry_run_and_misses(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = tmp_path / "db.sqlite3"
    store = Store.open(db)
    store.subscribe(-1, "Europe/Vienna", dt.date(2027, 1, 1))
    store.count_miss("recipe for soup", dt.date(2027, 1, 1), keep_days=90)
    store.close()
    monkeypatch.setenv("OSCEBOT_DB", str(db))
    code, out, _ = run(capsys, "announce", "--dry-run", "--date", "2027-07-30")
    assert code == 0
    assert out.startswith("Today is the World Day against Trafficking in Persons (test).")
    assert "1 subscribed, 1 owed now; nothing sent" in out
    code, out, _ = run(capsys, "announce", "--dry-run", "--date", "2027-07-31")
    assert "0 owed now" in out
    code, out, err = run(capsys, "misses")
    assert code == 0 and "     1  recipe for soup" in out
    assert "OSCEBOT_RECORD_MISSES is off" in err
    code, _, err = run(capsys, "announce")  # a real send needs a token
    assert code == 2 and "TELEGRAM_BOT_TOKEN is not set" in err


def test_chat_console_understands_the_day_and_quote_commands(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = "/next\n/day pizza\n1\n/days 1\n/quote political will\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    code, out, _ = run(capsys, "chat", "--today", "2026-11-24")
    assert code == 0
    assert out.count("World Day against Trafficking in Persons is marked every year") == 2
    assert "I don't know an awareness day by that name." in out
    assert "30 July 2027 (in 248 days): World Day against Trafficking in Persons." in out
    assert "“Political will is the single most important ingredient" in out


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/help", "/days: The next awareness days"),
        ("/start", "Hello! I answer questions about the OSCE's work"),
        ("/about", "independent informational tool"),
        ("/privacy", "What I keep: nothing about you."),
        ("/sources", "public sources. Some of them:"),
        ("/subscribe", "Sorry, /subscribe is not a console command. /help lists them."),
    ],
)
def test_console_commands_do_what_they_say(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, line: str, expected: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{line}\n"))
    code, out, _ = run(capsys, "chat")
    assert code == 0
    assert expected in out
    assert "116 000" not in out  # /help is not a plea for help: no hotline list


def test_console_help_lists_only_what_works_offline(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("/help\n"))
    _, out, _ = run(capsys, "chat")
    assert "/quote" in out and "quit" in out
    assert "/subscribe" not in out and "/calendar" not in out and "/reload" not in out


@pytest.mark.parametrize("word", ["quit", "exit", "QUIT", "/exit"])
def test_quit_and_exit_leave_the_console(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, word: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{word}\nWhere is ODIHR?\n"))
    code, out, _ = run(capsys, "chat")
    assert code == 0
    assert "Warsaw" not in out  # nothing after quit is read


def test_a_reader_that_goes_away_is_no_error() -> None:
    """`oscebot ask - | head -1`: the pipe closes early; no traceback, exit 0."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "OSCEBOT_KNOWLEDGE": str(MINI_DIR)},
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"hello\n" * 2000)
    process.stdin.close()
    process.stdout.readline()
    process.stdout.close()
    process.wait(timeout=120)
    assert process.stderr is not None
    with process.stderr:
        errors = process.stderr.read().decode()
    assert "Traceback" not in errors
    assert process.returncode == 0
