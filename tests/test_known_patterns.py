"""The original system's known patterns: decided by the regex stage, with the original labels.

Users migrating from the hybrid classifier this service replaces rely on these labels; a routine
event triggered by a user (upload, reboot, update, backup, cleanup) is System Notification, logging
in/out and creating accounts are User Action (docs/taxonomy.md).
"""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

KNOWN_LINES = [
    ("ModernCRM", "Backup ended at 2025-11-02 23:40:01.", "System Notification", "known-backup-started-ended"),
    ("BillingSystem", "Backup started at 2025-05-14 07:06:55.", "System Notification", "known-backup-started-ended"),
    ("ModernHR", "Backup completed successfully.", "System Notification", "known-backup-completed"),
    ("AnalyticsEngine", "System updated to version 4.8.2.", "System Notification", "known-system-updated"),
    ("ModernCRM", "File report_2291.csv uploaded successfully by user User318.", "System Notification",
     "known-file-uploaded"),
    ("ThirdPartyAPI", "Disk cleanup completed successfully.", "System Notification", "known-disk-cleanup-completed"),
    ("ModernHR", "System reboot initiated by user User12.", "System Notification", "known-system-reboot-initiated"),
    ("BillingSystem", "User User514 logged in.", "User Action", "known-user-logged-in-out"),
    ("AnalyticsEngine", "User User77 logged out.", "User Action", "known-user-logged-in-out"),
    ("ModernCRM", "Account with ID 5521 created by User404.", "User Action", "known-account-created"),
]


def _classify_csv(client: TestClient, rows: list[tuple[str, str]]) -> list[dict[str, str]]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["source", "log_message"])
    writer.writerows(rows)
    response = client.post(
        "/classify/?explain=true", files={"file": ("logs.csv", buffer.getvalue().encode("utf-8"), "text/csv")}
    )
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def test_known_patterns_come_back_from_the_regex_stage_with_the_original_labels(app_client: TestClient) -> None:
    results = _classify_csv(app_client, [(source, message) for source, message, _, _ in KNOWN_LINES])
    got = [(row["log_message"], row["target_label"], row["classified_by"], row["reason"]) for row in results]
    expected = [(message, label, "regex", f"rule:{rule}") for _, message, label, rule in KNOWN_LINES]
    assert got == expected


@pytest.mark.parametrize(
    "message",
    [
        "Backup ended at 2024-01-31 00:00:59.",  # other values, same pattern
        "Backup started at 2023-12-01 12:00:00",  # no final full stop
        "File q3_summary.xlsx uploaded successfully by user User5.",
        "Account with ID 7 created by User1.",
    ],
)
def test_known_patterns_hold_for_other_values(app_client: TestClient, message: str) -> None:
    [row] = _classify_csv(app_client, [("ModernCRM", message)])
    assert row["classified_by"] == "regex" and row["reason"].startswith("rule:known-")


def test_lines_that_only_look_similar_are_left_to_the_model(app_client: TestClient) -> None:
    # A failed backup and a login from a named host are not the known patterns.
    results = _classify_csv(app_client, [("ModernCRM", "Backup ended at 2025-11-02 23:40:01 with 3 errors."),
                                         ("ModernCRM", "User User5 logged in from 10.0.0.7 after 6 failed attempts")])
    assert [row["reason"].startswith("rule:known-") for row in results] == [False, False]
