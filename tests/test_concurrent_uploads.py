"""Concurrency: 16 different files at once against a real uvicorn come back unmixed."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from csv_upload import make_csv, parse, post_csv
from helpers import make_settings
from live_server import serve

from log_classifier.api.app import create_app
from log_classifier.taxonomy import UNCLASSIFIED

FILES = 16
ROWS_PER_FILE = 250
TEMPLATES = [
    ("sshd", "Failed password for invalid user u{n} from 198.51.100.{m} port {p} ssh2", "Security Alert"),
    ("kernel", "Kernel panic - not syncing: VFS unable to mount root fs on unknown-block({m},{n})", "Critical Error"),
    ("nginx", '10.0.{m}.{n} - - [10/Oct/2025:13:55:36 +0000] "GET /api/v{n}/items HTTP/1.1" 404 {p}', "HTTP Status"),
    ("sshd", "Accepted publickey for user{n} from 203.0.113.{m} port {p} ssh2", "User Action"),
    ("app", "", UNCLASSIFIED),
    # No rule covers these: the embedding stage decides, with words of each file's own (its own keys).
    ("app", "Nightly {word} backup of volume vol-{n} completed successfully in {m}s", None),
    ("app", "Disk usage for {word} on /data at {m}% of quota", None),
]
WORDS = ["amber", "birch", "cobalt", "delta", "ember", "fjord", "garnet", "harbor",
         "indigo", "juniper", "krypton", "lagoon", "maple", "nectar", "onyx", "prairie"]


def concurrent_file(number: int) -> tuple[bytes, list[tuple[str, str, str, str | None]]]:
    """A file of its own: ids, a marker column and a sequence of lines no other file has."""
    rng = random.Random(number)
    expected = []
    for row in range(ROWS_PER_FILE):
        source, template, label = TEMPLATES[(row * (number + 1) + number) % len(TEMPLATES)]
        message = template.format(n=rng.randrange(1000), m=rng.randrange(1, 255), p=rng.randrange(1024, 65535),
                                  word=WORDS[number])
        expected.append((f"f{number}-r{row}", source, message, label))
    header = ["id", "source", "log_message", f"marker_{number}"]
    body = make_csv(header, [[i, s, m, f"file-{number}"] for i, s, m, _ in expected])
    return body.encode(), expected


@pytest.mark.slow
def test_sixteen_different_files_at_once_do_not_mix() -> None:
    files = [concurrent_file(number) for number in range(FILES)]
    start = threading.Barrier(FILES)

    def upload(number: int) -> httpx.Response:
        with httpx.Client(base_url=base_url, timeout=120) as client:
            start.wait(timeout=30)
            return post_csv(client, files[number][0], name=f"file{number}.csv")

    with serve(create_app(make_settings(csv_chunk_rows=100))) as base_url:
        with ThreadPoolExecutor(max_workers=FILES) as pool:
            responses = list(pool.map(upload, range(FILES)))
        assert httpx.get(f"{base_url}/health").status_code == 200
        # The lines the embedding stage decided, asked again one file at a time.
        alone = {}
        for number in range(FILES):
            lines = [{"source": s, "log_message": m} for _, s, m, label in files[number][1] if label is None]
            results = httpx.post(f"{base_url}/classify/json", json={"logs": lines}, timeout=60).json()["results"]
            alone.update({(line["source"], line["log_message"]): r["target_label"] for line, r in zip(lines, results)})

    for number, response in enumerate(responses):
        assert response.status_code == 200, (number, response.text[:300])
        header, *records = parse(response.text)
        assert header == ["id", "source", "log_message", f"marker_{number}", "target_label"]
        assert [tuple(r) for r in records] == [
            (i, s, m, f"file-{number}", label or alone[(s, m)]) for i, s, m, label in files[number][1]
        ]
