"""What users install holds the whole bot, and the image installs exactly what CI tests.

The wheel is built here from the sources, as the Dockerfile's build stage builds it, and must
contain every module under `bot/` and every knowledge file. The Dockerfile is read to check
that its final stage installs only that wheel, as a non-root user with a /data volume and a
health check, and that `.ci/run` replays it (tests/image_build.py) and drives the result.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.image_build import parse

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("oscebot-*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_holds_every_module_of_the_bot(wheel: zipfile.ZipFile) -> None:
    modules = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "bot").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert "bot/telegram/app.py" in modules  # the adapter that was once left out
    assert modules <= set(wheel.namelist())


def test_the_wheel_holds_every_knowledge_file(wheel: zipfile.ZipFile) -> None:
    files = {
        f"bot/knowledge_data/{path.relative_to(ROOT / 'knowledge').as_posix()}"
        for path in (ROOT / "knowledge").rglob("*")
        if path.is_file()
    }
    assert "bot/knowledge_data/structures.yaml" in files
    assert files <= set(wheel.namelist())


def test_the_wheel_holds_no_tests_caches_or_checkout_files(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", ".ci/"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_the_wheel_declares_the_command(wheel: zipfile.ZipFile) -> None:
    [entry_points] = [n for n in wheel.namelist() if n.endswith("entry_points.txt")]
    assert "oscebot = bot.cli:main" in wheel.read(entry_points).decode()


def test_the_image_builds_the_wheel_then_installs_only_the_wheel() -> None:
    build, final = parse(DOCKERFILE.read_text(encoding="utf-8"))
    assert build.name == "build"
    built = [i.argument for i in build.instructions if i.keyword == "RUN"]
    assert built == ["python -m pip wheel --no-deps --wheel-dir dist ."]
    copies = [i.argument for i in final.instructions if i.keyword == "COPY"]
    assert copies == ["--from=build /src/dist ./dist"]  # no source file reaches the image
    runs = [i for i in final.instructions if i.keyword == "RUN"]
    assert runs[0].argument == "python -m pip install dist/oscebot-*.whl && rm -rf dist"
    assert any(i.argument == "oscebot validate" for i in runs)


def test_the_image_runs_as_a_user_with_a_data_volume_and_a_health_check() -> None:
    _, final = parse(DOCKERFILE.read_text(encoding="utf-8"))
    by_keyword = {i.keyword: i.argument for i in final.instructions}
    assert by_keyword["USER"] not in {"root", "0"}
    assert by_keyword["VOLUME"] == '["/data"]'
    assert by_keyword["HEALTHCHECK"].endswith('CMD ["oscebot", "health"]')
    assert by_keyword["CMD"] == '["oscebot", "run"]'
    assert "OSCEBOT_DB=/data/" in by_keyword["ENV"]
    # the start-up cache is filled while the image is built, outside the data volume
    assert "OSCEBOT_CACHE_DIR=/opt/oscebot/cache" in by_keyword["ENV"]
    runs = [i.argument for i in final.instructions if i.keyword == "RUN"]
    assert runs.index("oscebot validate") < runs.index('oscebot ask "hello" > /dev/null')
    # The replay skips only what sets up the image's own user, nothing that installs code.
    skipped = [i.argument for i in final.instructions if i.image_only]
    assert len(skipped) == 1
    steps = [step.split()[0] for step in skipped[0].split("&&")]
    assert steps == ["useradd", "mkdir", "chown"]


def test_ci_replays_the_dockerfile_and_drives_what_it_installed() -> None:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    script = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    replay = script.index("tests/image_build.py --dockerfile Dockerfile")
    smoke = script.index("tests/smoke_installed.py")
    tests = script.index("make test")
    assert replay < smoke < tests


def test_an_instruction_ci_cannot_replay_fails_the_replay() -> None:
    with pytest.raises(ValueError, match="ADD is not replayed"):
        parse("FROM python:3.11-slim\nADD https://example.org/x /x\n")
    with pytest.raises(ValueError, match="only a RUN line can be image only"):
        parse("FROM python:3.11-slim\n# image only\nCOPY bot ./bot\n")


def test_the_readme_docker_section_matches_the_dockerfile() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Docker", 1)[1].split("\n## ", 1)[0]
    assert "docker build -t oscebot ." in section
    assert "--read-only" in section and "/data" in section
    assert "tests/image_build.py" in section  # says how CI stands in for the engine
    assert "not built here" in section


def test_the_wheel_holds_the_language_files_and_catalogues(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert {"bot/language/en.yaml", "bot/language/ru.yaml"} <= names
    assert {"bot/safety_phrases.yaml", "bot/encoder_letters.yaml"} <= names
    assert "bot/locale/ru/LC_MESSAGES/oscebot.po" in names
