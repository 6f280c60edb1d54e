"""A bounded, thread-safe LRU cache from a message key to its prediction, with hit/miss counts."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from log_classifier.contract import Prediction


class ResultCache:
    """Least-recently-used mapping; `max_size` 0 disables it."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[Hashable, Prediction] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Prediction | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, prediction: Prediction) -> None:
        if self.max_size <= 0 or prediction.transient:
            return
        with self._lock:
            self._items[key] = prediction
            self._items.move_to_end(key)
            while len(self._items) > self.max_size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    def stats(self) -> dict[str, int | float]:
        total = self.hits + self.misses
        return {
            "size": len(self._items),
            "max_size": self.max_size,
            "hits": self.hits,
            "misses": self.misses,
            "hit_rate": round(self.hits / total, 4) if total else 0.0,
        }
