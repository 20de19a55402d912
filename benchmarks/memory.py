"""Memory when ready: the resident size of a process that has built the responder and a matcher
over the knowledge base grown FACTOR times (as `benchmarks/scale.py` grows it), measured twice
in fresh processes: building it (filling a start-up cache) and reading it from that cache, as
every start after the first does. Prints figures; asserts nothing.

Run: python benchmarks/memory.py [FACTORS...]   (default 1 10 30; 30x builds for ~30-60 s)
"""

from __future__ import annotations

import gc
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(factor: int, cache: Path) -> None:
    """In this process: the responder, the grown matcher, and the resident size after each."""
    from benchmarks.scale import scaled
    from bot.build_cache import BuildCache
    from bot.knowledge import bundled_knowledge_dir, load_knowledge
    from bot.matching import Matcher
    from bot.responder import Responder

    responder = Responder(load_knowledge(bundled_knowledge_dir()))
    entries = scaled(responder.matcher.entries, factor)
    gc.collect()
    before = _rss_mib()
    started = time.perf_counter()
    matcher = Matcher(entries, cache=BuildCache(cache))
    seconds = time.perf_counter() - started
    gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    phrasings = sum(len(e.questions) for e in matcher.entries)
    print(
        f"{factor:>4}x {phrasings:>9} {seconds:>8.1f} {before:>10.0f} {_rss_mib():>10.0f} "
        f"{peak:>9.0f}"
    )


def main(factors: list[int]) -> None:
    print(
        f"{'size':>5} {'phrasings':>9} {'build s':>8} {'RSS base':>10} {'RSS ready':>10} "
        f"{'peak':>9}   (MiB; 'base': the responder and the grown entries)"
    )
    for factor in factors:
        with tempfile.TemporaryDirectory(prefix="oscebot-memory-") as cache:
            for label in ("building, filling the cache", "reading it from the cache"):
                print(f"  {label}:", flush=True)
                subprocess.run([sys.executable, __file__, "--one", str(factor), cache], check=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        measure(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        main([int(a) for a in sys.argv[1:]] or [1, 10, 30])
