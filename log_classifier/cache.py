"""A bounded, thread-safe LRU cache from a message key to its prediction, with hit/miss counts.

Bounded twice: by entries (CACHE_SIZE) and by an approximate byte budget (CACHE_MAX_MB), since
100k long non-ASCII shapes weigh far more than 100k short ASCII ones. `cachetools.LRUCache` keeps
the byte count (its `getsizeof`); the entry bound evicts on top of it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Hashable

from cachetools import LRUCache

from log_classifier.contract import Prediction

# A tuple, a Prediction with its float, and the LRU's dict and order-list slots: about this many
# bytes per entry besides the strings.
ENTRY_OVERHEAD_BYTES = 400

_Entry = tuple[Hashable, Prediction]


def entry_size(entry: _Entry) -> int:
    """Approximate bytes an entry holds: its key's strings, its reason, and fixed overhead."""
    key, prediction = entry
    parts = key if isinstance(key, tuple) else (key,)
    strings = sum(sys.getsizeof(part) for part in parts if isinstance(part, str))
    return strings + sys.getsizeof(prediction.reason) + ENTRY_OVERHEAD_BYTES


class ResultCache:
    """Least-recently-used mapping; `max_size` 0 disables it. `max_bytes` bounds its approximate size."""

    def __init__(self, max_size: int, max_bytes: int = 128 * 1024 * 1024) -> None:
        self.max_size = max_size
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        # The value holds its key too: getsizeof sees only values, and the key is most of the weight.
        self._items: LRUCache[Hashable, _Entry] = LRUCache(maxsize=max_bytes, getsizeof=entry_size)
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Prediction | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
            return found[1]

    def put(self, key: Hashable, prediction: Prediction) -> None:
        if self.max_size <= 0 or prediction.transient:
            return
        with self._lock:
            try:
                self._items[key] = (key, prediction)
            except ValueError:  # larger than the whole budget on its own
                return
            while len(self._items) > self.max_size:
                self._items.popitem()

    def __len__(self) -> int:
        return len(self._items)

    def stats(self) -> dict[str, int | float]:
        with self._lock:
            total = self.hits + self.misses
            return {
                "size": len(self._items),
                "max_size": self.max_size,
                "bytes": int(self._items.currsize),
                "max_bytes": self.max_bytes,
                "hits": self.hits,
                "misses": self.misses,
                "hit_rate": round(self.hits / total, 4) if total else 0.0,
            }

    def drop_where(self, stale: Callable[[Prediction], bool]) -> int:
        """Drop the entries whose prediction is `stale` (a correction changed what they may be); returns how many."""
        with self._lock:
            keys = [key for key, (_, prediction) in self._items.items() if stale(prediction)]
            for key in keys:
                del self._items[key]
        return len(keys)
