"""Corrections through the real app on a SQLite store: PUT/DELETE /patterns/{id}/label, POST /feedback,
the audit and who is named in it, CORRECTION_API_KEYS, similar patterns following a correction (and
CORRECTION_SIMILARITY=off), a correction racing classifications, and 503 when the store is unreachable."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import make_settings

from log_classifier.taxonomy import CATEGORIES

ALICE = {"X-API-Key": "k-alice"}
BOB = {"X-API-Key": "k-bob"}
VIEWER = {"X-API-Key": "k-viewer"}
LOGIN = "User 4711 logged in from 10.1.2.3"
LOGIN_LIKE = "User 4711 logged in from host 10.1.2.3"  # another pattern, a near neighbour (cosine 0.94)
SIMILARITY = 0.9


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from log_classifier.api.app import create_app

    store = tmp_path_factory.mktemp("corrections") / "patterns.db"
    settings = make_settings(pattern_store=str(store), pattern_flush_s=0.1,
                             api_keys="alice:k-alice,k-bob,viewer:k-viewer", correction_api_keys="alice,k-bob",
                             correction_similarity=SIMILARITY)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def classify(client: TestClient, *lines: tuple[str, str]) -> list[dict[str, Any]]:
    answer = client.post("/classify/json", json={"logs": [{"source": s, "log_message": m} for s, m in lines]},
                         headers=ALICE)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


def wait_known(client: TestClient, pattern_id: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while client.get(f"/patterns/{pattern_id}", headers=ALICE).status_code != 200:
        assert time.monotonic() < deadline, "the pattern was never written"
        time.sleep(0.05)


def test_put_correction_applies_at_once_and_delete_returns_to_the_model(client: TestClient) -> None:
    first = classify(client, ("ModernHR", LOGIN))[0]
    model_label = first["target_label"]
    wanted = "Security Alert" if model_label != "Security Alert" else "User Action"
    pid = first["pattern_id"]
    wait_known(client, pid)

    answer = client.put(f"/patterns/{pid}/label", json={"label": wanted, "note": "ticket 42"}, headers=ALICE)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["id"] == pid and body["label"] == wanted and body["corrected"] is True
    assert body["previous_label"] == model_label and body["classified_by"] == "feedback"
    assert body["count"] >= 1 and body["pattern"] == "User <USER> logged in from <IP>"

    # Another line of the same pattern, right after the 200: the person's label, before the cache.
    again = classify(client, ("ModernHR", "User 99 logged in from 10.9.9.9"))[0]
    assert (again["target_label"], again["classified_by"], again["confidence"], again["reason"]) == (
        wanted, "feedback", 1.0, f"correction:{pid}")
    listed = client.get("/patterns?q=logged in from", headers=ALICE).json()["patterns"]
    assert any(item["id"] == pid and item["corrected"] and item["label"] == wanted for item in listed)

    undone = client.delete(f"/patterns/{pid}/label", headers=BOB)
    assert undone.status_code == 200
    assert undone.json()["label"] == model_label and undone.json()["corrected"] is False
    assert undone.json()["previous_label"] == wanted
    after = classify(client, ("ModernHR", "User 7 logged in from 10.0.0.7"))[0]
    assert after["target_label"] == model_label and after["classified_by"] != "feedback"

    audit = client.get("/corrections", headers=VIEWER).json()["corrections"]
    mine = [item for item in audit if item["pattern_id"] == pid]
    assert [item["action"] for item in mine] == ["undo", "correct"]  # newest first
    undo, correction = mine
    assert correction["who"] == "alice" and correction["note"] == "ticket 42" and correction["undone"] is True
    assert (correction["from_label"], correction["to_label"]) == (model_label, wanted)
    assert undo["who"].startswith("key-") and "k-bob" not in undo["who"]  # a bare key: a short hash, never the key


def test_bad_corrections_are_refused(client: TestClient) -> None:
    pid = classify(client, ("ModernCRM", "Order 5521 shipped to customer 77"))[0]["pattern_id"]
    wait_known(client, pid)
    bad = client.put(f"/patterns/{pid}/label", json={"label": "Unclassified"}, headers=ALICE)
    assert bad.status_code == 422
    assert all(name in bad.json()["detail"] for name in CATEGORIES)
    assert client.put("/patterns/0123456789abcdef/label", json={"label": "Error"}, headers=ALICE).status_code == 404
    assert client.put("/patterns/nonsense/label", json={"label": "Error"}, headers=ALICE).status_code == 404
    assert client.put(f"/patterns/{pid}/label", json={"label": "Error"}, headers=VIEWER).status_code == 403
    assert client.put(f"/patterns/{pid}/label", json={"label": "Error"}).status_code == 401
    assert client.get(f"/patterns/{pid}", headers=ALICE).json()["corrected"] is False


def test_feedback_corrects_by_line_in_one_transaction(client: TestClient) -> None:
    lines = [{"source": "billing", "log_message": f"invoice run {i} produced 0 documents", "target_label": "Workflow Error"}
             for i in range(3)] + [{"source": "billing", "log_message": "ledger 12 closed", "target_label": "Nope"}]
    refused = client.post("/feedback", json={"logs": lines}, headers=ALICE)
    assert refused.status_code == 422 and "logs[3].target_label" in refused.json()["detail"]
    lines[3]["target_label"] = "System Notification"
    answer = client.post("/feedback", json={"logs": lines, "note": "from ticket 7"}, headers=ALICE)
    assert answer.status_code == 200, answer.text
    corrected = answer.json()["corrected"]
    assert len(corrected) == 4 and len({item["pattern_id"] for item in corrected[:3]}) == 1  # one pattern
    assert [item["label"] for item in corrected] == ["Workflow Error"] * 3 + ["System Notification"]
    results = classify(client, ("billing", "invoice run 77 produced 0 documents"), ("billing", "ledger 99 closed"))
    assert [(r["target_label"], r["classified_by"]) for r in results] == [
        ("Workflow Error", "feedback"), ("System Notification", "feedback")]
    assert results[0]["pattern_id"] == corrected[0]["pattern_id"]
    # The pattern was created by /feedback and is listed once its lines are counted.
    wait_known(client, corrected[3]["pattern_id"])


def test_feedback_is_bounded_by_max_json_logs(tmp_path: Path) -> None:
    from log_classifier.api.app import create_app

    settings = make_settings(pattern_store=str(tmp_path / "p.db"), max_json_logs=5)
    with TestClient(create_app(settings)) as small:
        logs = [{"source": "s", "log_message": f"line {i}", "target_label": "Error"} for i in range(6)]
        answer = small.post("/feedback", json={"logs": logs})
        assert answer.status_code == 413 and "MAX_JSON_LOGS" in answer.json()["detail"]
        assert small.get("/corrections").json()["total"] == 0


def test_similar_pattern_follows_and_is_listed(client: TestClient) -> None:
    base, near = classify(client, ("auth", LOGIN), ("auth", LOGIN_LIKE))
    wanted = next(label for label in ("Security Alert", "Critical Error") if label != near["target_label"])
    wait_known(client, base["pattern_id"])
    client.put(f"/patterns/{base['pattern_id']}/label", json={"label": wanted}, headers=ALICE).raise_for_status()
    followed = classify(client, ("auth", "User 12 logged in from host 10.3.3.3"))[0]
    assert followed["pattern_id"] == near["pattern_id"]
    assert (followed["target_label"], followed["classified_by"]) == (wanted, "similar")
    assert followed["reason"] == f"similar:{base['pattern_id']}" and SIMILARITY <= followed["confidence"] <= 1.0
    # An unrelated line is not pulled along.
    other = classify(client, ("auth", "Disk /dev/sda1 is 97% full"))[0]
    assert other["classified_by"] != "similar"
    deadline = time.monotonic() + 20
    while True:
        followers = client.get(f"/patterns/{base['pattern_id']}", headers=ALICE).json()["followers"]
        if followers or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert [item["id"] for item in followers] == [near["pattern_id"]]


def test_similarity_off_applies_exact_corrections_only(tmp_path: Path) -> None:
    from log_classifier.api.app import create_app

    settings = make_settings(pattern_store=str(tmp_path / "p.db"), correction_similarity="off")
    with TestClient(create_app(settings)) as plain:
        lines = [{"source": "auth", "log_message": LOGIN, "target_label": "Critical Error"}]
        plain.post("/feedback", json={"logs": lines}).raise_for_status()
        exact, near = plain.post("/classify/json", json={"logs": [
            {"source": "auth", "log_message": LOGIN}, {"source": "auth", "log_message": LOGIN_LIKE}]}).json()["results"]
        assert exact["classified_by"] == "feedback" and exact["target_label"] == "Critical Error"
        assert near["classified_by"] != "similar" and near["target_label"] != "Critical Error"
        assert plain.get("/health").json()["corrections"]["similarity"] == "off"


def test_a_correction_wins_over_concurrent_classifications(client: TestClient) -> None:
    """Threads classify the pattern in a loop while the correction is made: every answer to a call that
    started after the 200 has the new label (before the 200 either label is fine)."""
    cascade = client.app.state.classifier.cascade  # type: ignore[attr-defined]
    line = ("racer", "job 17 of batch 3 finished with status 0")
    first = classify(client, line)[0]
    wait_known(client, first["pattern_id"])
    wanted = next(label for label in ("Critical Error", "Error") if label != first["target_label"])
    stop = threading.Event()
    seen: list[tuple[float, str]] = []
    answered = threading.Condition()

    def hammer(n: int) -> None:
        while not stop.is_set():
            started = time.monotonic()
            # Different numbers each time: the same pattern, fresh text (no cached text shortcut).
            label = cascade.classify(["racer"], [f"job {n} of batch {int(started * 1000) % 97} finished with status 0"])[0].label
            with answered:
                seen.append((started, label))
                answered.notify_all()

    def wait_until(condition: Callable[[], bool]) -> None:
        with answered:
            assert answered.wait_for(condition, 10), seen[-5:]

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    # Answers from before the correction, older than the margin the last assertion allows.
    wait_until(lambda: bool(seen) and time.monotonic() - seen[0][0] > 0.1 and len(seen) >= 6)
    client.put(f"/patterns/{first['pattern_id']}/label", json={"label": wanted}, headers=ALICE).raise_for_status()
    answered_at = time.monotonic()
    wait_until(lambda: sum(started > answered_at for started, _ in seen) >= 9)  # calls that started after the 200
    stop.set()
    for thread in threads:
        thread.join()
    after = [label for started, label in seen if started > answered_at]
    assert after and set(after) == {wanted}
    assert any(label != wanted for started, label in seen if started < answered_at - 0.05)


def test_unreachable_store_is_a_503_not_a_silent_loss() -> None:
    from log_classifier.api.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once closed
    settings = make_settings(pattern_store=f"postgresql://nobody@127.0.0.1:{port}/none")
    with TestClient(create_app(settings)) as down:
        assert down.post("/classify/json", json={"logs": [{"source": "a", "log_message": LOGIN}]}).status_code == 200
        answer = down.put("/patterns/0123456789abcdef/label", json={"label": "Error"})
        assert answer.status_code == 503 and "NOT saved" in answer.json()["detail"]
        answer = down.post("/feedback", json={"logs": [{"source": "a", "log_message": LOGIN, "target_label": "Error"}]})
        assert answer.status_code == 503
        assert down.get("/health").json()["corrections"]["status"] == "down"


def test_a_neighbour_the_model_tells_apart_keeps_its_answer(tmp_path: Path) -> None:
    """Similarity spreads a correction only where the model makes the mistake the person corrected: the routine
    line next to a corrected failing one is close in the encoder's space but labelled apart by the model."""
    import numpy as np

    from log_classifier.api.app import create_app
    from log_classifier.text.pattern_key import pattern_key

    failing, routine = "Job 17 finished with errors", "Job 18 finished successfully"
    settings = make_settings(pattern_store=str(tmp_path / "p.db"), correction_similarity=0.8)
    with TestClient(create_app(settings)) as app:
        loaded = app.app.state.classifier  # type: ignore[attr-defined]
        vectors = loaded.embedding.embed([pattern_key("jobs", failing).masked, pattern_key("jobs", routine).masked])
        vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        assert float(vectors[0] @ vectors[1]) >= 0.8  # close enough to follow, were it not for the guard
        before = app.post("/classify/json", json={"logs": [{"source": "jobs", "log_message": routine}]}).json()
        app.post("/feedback", json={"logs": [{"source": "jobs", "log_message": failing,
                                              "target_label": "Workflow Error"}]}).raise_for_status()
        after = app.post("/classify/json", json={"logs": [{"source": "jobs", "log_message": "Job 19 finished successfully"}]})
        answer = after.json()["results"][0]
        assert answer["classified_by"] != "similar"
        assert answer["target_label"] == before["results"][0]["target_label"] != "Workflow Error"


@pytest.mark.slow
def test_a_flood_of_ten_thousand_corrections_in_one_feedback(client: TestClient) -> None:
    logs = [{"source": "flood", "log_message": f"tenant {i % 50} quota {i} rejected by {'abcdefghij'[i % 10]}-gate",
             "target_label": "Resource Usage"} for i in range(10_000)]
    before = client.get("/corrections?limit=1", headers=ALICE).json()["total"]
    answer = client.post("/feedback", json={"logs": logs}, headers=ALICE)
    assert answer.status_code == 200, answer.text
    corrected = answer.json()["corrected"]
    assert len(corrected) == 10_000 and {item["label"] for item in corrected} == {"Resource Usage"}
    assert len({item["pattern_id"] for item in corrected}) == 10  # the gate letter is the only non-number part
    assert client.get("/corrections?limit=1", headers=ALICE).json()["total"] == before + 10_000
    results = classify(client, ("flood", "tenant 7 quota 99 rejected by c-gate"))
    assert results[0]["classified_by"] == "feedback"
