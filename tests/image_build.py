"""Replays the Dockerfile's steps without a container engine, so CI tests what the image holds.

No engine can run here, so `.ci/run` builds "the image" with this script instead: every stage
gets a directory standing for its root file system and a fresh virtual environment standing
for the base image's Python; COPY, WORKDIR and ENV are applied and every RUN command is run as
written, in the stage's working directory. The result is the same wheel, installed by the same
command, that the Dockerfile installs. A RUN line after a "# image only" comment (creating the
image's user) is the only thing skipped; an instruction this script does not know fails the
replay, so the Dockerfile cannot drift from what CI tests.

    python tests/image_build.py [--dockerfile Dockerfile] [--context .] WORKDIR

prints one JSON object: the final stage's bin directory, ENV, CMD, HEALTHCHECK command, USER
and VOLUMEs. Only the standard library is used: it runs before any project dependency exists.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass, field
from pathlib import Path

IMAGE_ONLY = "# image only"
KNOWN = {"FROM", "ENV", "WORKDIR", "COPY", "RUN", "USER", "VOLUME", "HEALTHCHECK", "CMD"}


@dataclass
class Instruction:
    """One Dockerfile instruction, continuation lines joined."""

    keyword: str
    argument: str
    line: int
    image_only: bool = False


@dataclass
class Stage:
    """One FROM ... section."""

    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)


def parse(text: str) -> list[Stage]:
    """The stages of a Dockerfile; raises ValueError on an instruction not understood here."""
    stages: list[Stage] = []
    pending_image_only = False
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = index
        line = lines[index].strip()
        index += 1
        if not line:
            continue
        if line.startswith("#"):
            if line.lower() == IMAGE_ONLY:
                pending_image_only = True
            continue
        while line.endswith("\\") and index < len(lines):
            following = lines[index].strip()
            index += 1
            if following.startswith("#"):
                continue
            line = line[:-1].rstrip() + " " + following
        keyword, _, argument = line.partition(" ")
        keyword = keyword.upper()
        if keyword not in KNOWN:
            raise ValueError(f"Dockerfile:{start + 1}: {keyword} is not replayed by CI")
        instruction = Instruction(keyword, argument.strip(), start + 1, pending_image_only)
        if pending_image_only and keyword != "RUN":
            raise ValueError(f"Dockerfile:{start + 1}: only a RUN line can be image only")
        pending_image_only = False
        if keyword == "FROM":
            words = argument.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
            continue
        if not stages:
            raise ValueError(f"Dockerfile:{start + 1}: {keyword} before FROM")
        stages[-1].instructions.append(instruction)
    return stages


def env_pairs(argument: str) -> dict[str, str]:
    """ENV KEY=value KEY2="value 2" -> a dict."""
    pairs: dict[str, str] = {}
    for word in shlex.split(argument):
        key, sep, value = word.partition("=")
        if not sep:
            raise ValueError(f"ENV {argument!r}: only the KEY=value form is replayed")
        pairs[key] = value
    return pairs


def exec_form(argument: str) -> list[str]:
    """CMD ["a", "b"] -> ["a", "b"]; the shell form is not used by this project."""
    value = json.loads(argument)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{argument!r} is not the exec form")
    return value


@dataclass
class Built:
    """What the replay produced for one stage."""

    root: Path
    python: Path
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    cmd: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    user: str = "root"
    volumes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def path(self, image_path: str) -> Path:
        """Where an absolute or workdir-relative image path lives in the replay."""
        joined = Path(self.workdir) / image_path
        return self.root / str(joined).lstrip("/")


def dockerignore(context: Path) -> list[str]:
    """The names .dockerignore keeps out of the build context (its simple patterns)."""
    path = context / ".dockerignore"
    if not path.exists():
        return []
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line.removeprefix("**/") for line in lines if line and not line.startswith("#")]


def _copy(sources: list[Path], destination: Path, ignored: list[str]) -> None:
    for source in sources:
        if not source.exists():
            raise FileNotFoundError(f"COPY: {source} does not exist")
        if source.is_dir():
            shutil.copytree(
                source, destination, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*ignored)
            )
        else:
            target = destination / source.name if destination.is_dir() else destination
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _context_files(context: Path, pattern: str) -> list[Path]:
    matches = sorted(context.glob(pattern))
    return [m for m in matches if "__pycache__" not in m.parts]


def replay(stages: list[Stage], context: Path, workdir: Path) -> Built:
    """Build every stage in `workdir`; returns the last (the image)."""
    built: dict[str, Built] = {}
    last: Built | None = None
    for number, stage in enumerate(stages):
        stage_dir = workdir / f"stage{number}"
        python_home = stage_dir / "python"
        venv.EnvBuilder(with_pip=True, clear=True).create(python_home)
        state = Built(root=stage_dir / "root", python=python_home / "bin" / "python")
        state.root.mkdir(parents=True)
        for ins in stage.instructions:
            _apply(ins, state, context, built)
        built[stage.name or str(number)] = state
        last = state
    if last is None:
        raise ValueError("the Dockerfile has no stage")
    return last


def _apply(ins: Instruction, state: Built, context: Path, built: dict[str, Built]) -> None:
    if ins.keyword == "ENV":
        state.env.update(env_pairs(ins.argument))
    elif ins.keyword == "WORKDIR":
        state.workdir = str(Path(state.workdir) / ins.argument)
        state.path(".").mkdir(parents=True, exist_ok=True)
    elif ins.keyword == "COPY":
        words = ins.argument.split()
        origin = None
        if words[0].startswith("--from="):
            origin = built[words.pop(0).removeprefix("--from=")]
        *sources, destination = words
        paths = (
            [origin.path(s) for s in sources]
            if origin is not None
            else [p for s in sources for p in _context_files(context, s)]
        )
        target = state.path(destination)
        if destination.endswith("/") or len(paths) > 1:
            target.mkdir(parents=True, exist_ok=True)
        _copy(paths, target, dockerignore(context) if origin is None else [])
    elif ins.keyword == "RUN":
        if ins.image_only:
            state.skipped.append(ins.argument)
            return
        _run(ins, state)
    elif ins.keyword == "USER":
        state.user = ins.argument
    elif ins.keyword == "VOLUME":
        state.volumes.extend(exec_form(ins.argument))
    elif ins.keyword == "HEALTHCHECK":
        state.healthcheck = exec_form(ins.argument.split(" CMD ", 1)[1])
    elif ins.keyword == "CMD":
        state.cmd = exec_form(ins.argument)


def _run(ins: Instruction, state: Built) -> None:
    bin_dir = state.python.parent
    env = {**os.environ, **state.env, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    env.pop("OSCEBOT_KNOWLEDGE", None)
    print(f"replay: RUN {ins.argument}", file=sys.stderr, flush=True)
    result = subprocess.run(
        ["/bin/sh", "-c", ins.argument],
        cwd=state.path("."),
        env=env,
        check=False,
        stdout=sys.stderr,  # stdout carries only the JSON result
    )
    if result.returncode != 0:
        raise SystemExit(f"Dockerfile:{ins.line}: RUN failed with exit code {result.returncode}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--dockerfile", type=Path, default=Path("Dockerfile"))
    parser.add_argument("--context", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    stages = parse(args.dockerfile.read_text(encoding="utf-8"))
    image = replay(stages, args.context.resolve(), args.workdir.resolve())
    print(
        json.dumps(
            {
                "bin": str(image.python.parent),
                "env": image.env,
                "workdir": str(image.path(".")),
                "cmd": image.cmd,
                "healthcheck": image.healthcheck,
                "user": image.user,
                "volumes": image.volumes,
                "skipped": image.skipped,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
