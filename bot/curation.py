"""Curation checks on sources: copies and aggregators are flagged, and links are well formed.

A list of hosts that copy or aggregate other publishers' texts (news wires, calendar sites,
mirrors) is data, `knowledge/curation/aggregators.yaml`, each with the reason it is listed. A
source on such a host must be marked `secondary`, and no record may rest on such sources alone:
the primary publisher (osce.org, un.org, europa.eu, coe.int, ilo.org, unodc.org, a government)
must be cited beside it, and is shown first.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from bot.knowledge import KnowledgeBase, Problem, read_yaml

AGGREGATORS_FILE = Path("curation") / "aggregators.yaml"
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


def aggregator_hosts(knowledge_dir: Path) -> dict[str, str]:
    """Host -> why it is listed; empty when the base has no list (a test base)."""
    path = knowledge_dir / AGGREGATORS_FILE
    if not path.exists():
        return {}
    data = read_yaml(path)
    return {str(row["host"]).lower(): str(row["why"]) for row in data["aggregators"]}


def host_of(url: str) -> str:
    """The host of a link, lower case, without 'www.'."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _listed(host: str, hosts: dict[str, str]) -> str | None:
    return next((h for h in hosts if host == h or host.endswith(f".{h}")), None)


def check_sources(kb: KnowledgeBase) -> tuple[list[Problem], list[Problem]]:
    """(errors, notes): malformed hosts and aggregator sources not marked secondary are
    errors; records that rest on aggregators alone are notes for curators (each still has a
    source; the primary publisher's page was not found yet)."""
    hosts = aggregator_hosts(kb.directory)
    problems: list[Problem] = []
    notes: list[Problem] = []
    flagged: set[str] = set()
    for source in kb.sources.values():
        location = kb.locations.get(source.id)
        file, line = (location.file, location.of("url")) if location else ("sources", 0)
        if source.url is None:
            continue
        host = (urlsplit(source.url).hostname or "").lower()
        if not _HOST.match(host):
            problems.append(Problem(file, line, source.id, "url", f"{host!r} is not a host name"))
        listed = _listed(host_of(source.url), hosts)
        if listed is None:
            continue
        flagged.add(source.id)
        if source.kind != "secondary":
            problems.append(
                Problem(
                    file,
                    line,
                    source.id,
                    "kind",
                    f"{listed} is a copy or aggregator ({hosts[listed]}): mark it secondary",
                )
            )
    for record in kb.records():
        cited = tuple(getattr(record, "sources", ()))
        if cited and all(s in flagged for s in cited):
            notes.append(
                kb.problem(
                    record.id,
                    "sources",
                    "cites only copies or aggregators: cite the primary publisher",
                )
            )
    return problems, notes
