"""Which entries or phrasings hold a token, as one flat array (compressed sparse rows).

The matcher keeps three such maps (phrasings, entries and answers by token). As a dict of
small numpy arrays, each array's ~100-byte header outweighed its contents: at 30 times
today's knowledge base (about 100,000 distinct tokens) the three took about 80 MiB of the
matcher's memory. Here every token's positions lie in one array, found through a token's slot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain

import numpy as np
from numpy.typing import NDArray


class TokenIndex:
    """token -> the ascending positions that hold it; read like a dict of arrays."""

    def __init__(self, positions: Mapping[str, Sequence[int]]) -> None:
        self._slot = {token: slot for slot, token in enumerate(positions)}
        self._starts = np.zeros(len(positions) + 1, dtype=np.intp)
        np.cumsum([len(found) for found in positions.values()], out=self._starts[1:])
        self._flat = np.fromiter(
            chain.from_iterable(positions.values()), dtype=np.intp, count=int(self._starts[-1])
        )

    def get(self, token: str, default: NDArray[np.intp] | None = None) -> NDArray[np.intp] | None:
        """The positions holding `token` (a read-only view), or `default`."""
        slot = self._slot.get(token)
        if slot is None:
            return default
        return self._flat[self._starts[slot] : self._starts[slot + 1]]

    def __getitem__(self, token: str) -> NDArray[np.intp]:
        found = self.get(token)
        if found is None:
            raise KeyError(token)
        return found

    def __contains__(self, token: object) -> bool:
        return token in self._slot

    def __len__(self) -> int:
        return len(self._slot)
