"""Fairness and duplicate work between clients, through a real uvicorn (issue 11: 4, 6).

- A one-line request is not held up by another client's big upload of new shapes: the embedding
  stage's exclusive unit is small and taken in turn.
- A burst of the same new LLM-routed line makes one LLM call (single-flight), counted at the fake
  Groq server; an outage's answer is shared by the burst but not cached.
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fake_groq import FakeGroq
from helpers import make_settings
from live_server import serve

from log_classifier.api.app import create_app

LLM_SOURCE = "FairnessCRM"
BURST = 8
WORDS = ("amber birch cobalt delta ember fjord garnet harbor indigo juniper krypton lagoon maple nectar onyx "
         "prairie quartz raven sierra tundra umber violet willow yarrow zephyr beacon canyon dune estuary "
         "falcon glacier heron island jetty kestrel").split()
VERBS = ("reported", "observed", "flagged", "noted", "recorded", "skipped", "queued", "retried")


def new_shapes(count: int, seed: int) -> list[str]:
    """`count` distinct lines no rule covers and masking does not merge (words, not numbers)."""
    rng = random.Random(seed)
    lines: set[str] = set()
    while len(lines) < count:
        a, b, c, d = rng.sample(WORDS, 4)
        lines.add(f"{a} {b} service {rng.choice(VERBS)} {c} state for the {d} pipeline")
    return sorted(lines)


@pytest.mark.slow
def test_a_one_line_request_is_not_held_up_by_another_clients_big_upload() -> None:
    # 3,000 new shapes keep the test short; scripts/bench_fairness.py measures the 6,000 of the issue.
    big = "source,log_message\n" + "".join(f"app,{line}\n" for line in new_shapes(3000, seed=1))
    probe = {"logs": [{"source": "app", "log_message": "violet sierra service flagged umber state for the dune lake"}]}
    # The encoder's turn-taking is under test: with the fast path most of these shapes never reach it.
    with serve(create_app(make_settings(embedding_fast_path=False))) as base_url:
        timings: dict[str, float] = {}

        def upload() -> int:
            started = time.monotonic()
            response = httpx.post(f"{base_url}/classify/", files={"file": ("big.csv", big.encode(), "text/csv")},
                                  timeout=300)
            timings["upload"] = time.monotonic() - started
            return response.status_code

        with ThreadPoolExecutor(1) as pool:
            uploaded = pool.submit(upload)
            deadline = time.monotonic() + 60
            while not httpx.get(f"{base_url}/health").json()["encoder_queue"]["texts"]:  # the upload is being embedded
                assert time.monotonic() < deadline and not uploaded.done(), "the upload never reached the encoder"
                time.sleep(0.02)
            started = time.monotonic()
            response = httpx.post(f"{base_url}/classify/json", json=probe, timeout=60)
            timings["probe"] = time.monotonic() - started
            assert uploaded.result() == 200

    print(f"one-line request {timings['probe']:.2f} s during an upload that took {timings['upload']:.1f} s")
    assert response.status_code == 200 and response.json()["results"][0]["classified_by"] in ("bert", "none")
    assert timings["upload"] > timings["probe"] + 2.0  # it really ran during the upload
    assert timings["probe"] < 1.5


def burst(base_url: str, line: str) -> list[dict[str, object]]:
    start = threading.Barrier(BURST)

    def one(_: int) -> dict[str, object]:
        with httpx.Client(timeout=60) as client:
            start.wait(10)
            response = client.post(f"{base_url}/classify/json",
                                   json={"logs": [{"source": LLM_SOURCE, "log_message": line}]})
        assert response.status_code == 200, response.text
        result: dict[str, object] = response.json()["results"][0]
        return result

    with ThreadPoolExecutor(BURST) as pool:
        return list(pool.map(one, range(BURST)))


def llm_settings(fake: FakeGroq, **overrides: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {"groq_api_key": "k", "groq_base_url": fake.base_url, "groq_model": "fake-model",
                                 "llm_sources": LLM_SOURCE, "llm_max_retries": 0, "llm_budget_s": 10}
    values.update(overrides)
    return make_settings(**values)


@pytest.mark.slow
def test_a_burst_of_one_new_llm_line_makes_one_llm_call(fake_groq: FakeGroq) -> None:
    fake_groq.hang(1.0)  # slow enough that the whole burst arrives while the first call is out
    with serve(create_app(llm_settings(fake_groq))) as base_url:
        results = burst(base_url, "Refund approval for order 7781 stalled: approver role vacant")

    assert len(fake_groq.requests) == 1
    assert [(r["target_label"], r["classified_by"]) for r in results] == [("Workflow Error", "llm")] * BURST


@pytest.mark.slow
def test_a_burst_shares_an_llm_outage_which_is_not_cached(fake_groq: FakeGroq) -> None:
    fake_groq.hang(30)
    with serve(create_app(llm_settings(fake_groq, llm_timeout_s=1.5))) as base_url:
        results = burst(base_url, "Ticket escalation for case 991 failed: no approval path")
        assert len(fake_groq.requests) == 1
        assert [(r["target_label"], r["classified_by"]) for r in results] == [("Unclassified", "none")] * BURST
        assert all(str(r["reason"]).startswith("llm error: APITimeoutError") for r in results)

        fake_groq.answer_by_rules()
        again = httpx.post(f"{base_url}/classify/json", timeout=60, json={
            "logs": [{"source": LLM_SOURCE, "log_message": "Ticket escalation for case 992 failed: no approval path"}]})
        assert len(fake_groq.requests) == 2  # asked again: the outage was not cached
        assert again.json()["results"][0]["target_label"] == "Workflow Error"
