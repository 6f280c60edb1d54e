"""The header severity: read from each format's own place, normalised to four buckets, and fed to
the model as its own feature, the same way at training and at serving."""

from __future__ import annotations

import numpy as np
import pytest

from log_classifier.contract import LogRecord
from log_classifier.model.estimator import EmbeddingTextClassifier
from log_classifier.stages.embedding import EmbeddingClassifier
from log_classifier.text.masking import mask_variables
from log_classifier.text.severity import LineHeader, read_header, read_severity


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # syslog PRI: severity is PRI mod 8 (134 = local0.info, 131 = local0.err, 129 = local0.alert)
        ("<134>1 2025-03-01T10:00:00.123Z web-1 app 411 - - request served", LineHeader("syslog-pri", "info")),
        ("<131>Mar  1 10:00:00 web-1 app[411]: could not open socket", LineHeader("syslog-pri", "error")),
        ("<129>Mar  1 10:00:00 web-1 app[411]: raid array offline", LineHeader("syslog-pri", "critical")),
        ("<12>Mar  1 10:00:00 web-1 app[411]: queue nearly full", LineHeader("syslog-pri", "warning")),
        # Cisco IOS / ASA message ids carry the severity digit, which masking would hide
        ("123: sw-1: *Mar  1 10:00:00.123 UTC: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down",
         LineHeader("cisco", "error")),
        ("Mar 01 2025 10:00:00 fw-1 : %ASA-6-302013: Built outbound TCP connection 77 for outside:1.2.3.4/443",
         LineHeader("cisco", "info")),
        ("%ASA-2-106001: Inbound TCP connection denied from 203.0.113.7/4431 to 10.0.0.5/443",
         LineHeader("cisco", "critical")),
        ("%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin]", LineHeader("cisco", "warning")),
        # application loggers
        ("2025-03-01 10:00:00,123 ERROR [main] com.example.App: boom", LineHeader("plain", "error")),
        ("2025-03-01 10:00:00,123 - app.views - WARNING - slow", LineHeader("plain", "warning")),
        ("01-Mar-2025 10:00:00.123 SEVERE [main] org.apache.catalina.startup.Catalina.start failed",
         LineHeader("plain", "error")),
        ('{"ts": "2025-03-01T10:00:00Z", "level": "fatal", "msg": "cannot start"}', LineHeader("json", "critical")),
        ('time="2025-03-01T10:00:00Z" level=info msg="listening on :8080"', LineHeader("logfmt", "info")),
        ("E0301 10:00:00.123456    4242 server.go:77] failed to bind", LineHeader("klog", "error")),
        ("W0301 10:00:00.123456    4242 server.go:77] slow etcd", LineHeader("klog", "warning")),
        # servers
        ("2025-03-01 10:00:00.123 UTC [4242] FATAL:  password authentication failed for user \"bob\"",
         LineHeader("postgresql", "critical")),
        ("2025-03-01 10:00:00.123 UTC [4242] LOG:  database system is ready to accept connections",
         LineHeader("postgresql", "info")),
        ("2025-03-01T10:00:00.123456Z 0 [Note] [MY-010931] [Server] ready for connections", LineHeader("mysql", "info")),
        ("2025-03-01 10:00:00 0 [ERROR] Can't start server: Bind on TCP/IP port", LineHeader("mysql", "error")),
        ("2025/03/01 10:00:00 [emerg] 77#77: bind() to 0.0.0.0:80 failed", LineHeader("bracketed", "critical")),
        ("[Sat Mar 01 10:00:00.123456 2025] [core:error] [pid 77] AH00124: too many redirects",
         LineHeader("bracketed", "error")),
        ("[ALERT]    (1) : Starting frontend https-in: cannot bind socket", LineHeader("bracketed", "critical")),
        ("[4242] 2025/03/01 10:00:00.123456 [WRN] Slow Consumer Detected", LineHeader("nats", "warning")),
        ("01-Mar-2025 10:00:00.123 security: error: client 1.2.3.4#53: zone transfer denied",
         LineHeader("bind", "error")),
        ("2025.03.01 10:00:00.123456 [ 77 ] {} <Fatal> Application: cannot listen", LineHeader("clickhouse", "critical")),
        ("Error\t03/01/2025 10:00:00 AM\tService Control Manager\t7000\tNone\tservice failed", LineHeader("windows", "error")),
        ("fail: Contoso.Api[0] Unhandled exception", LineHeader("dotnet", "error")),
    ],
)
def test_read_header_finds_each_formats_severity(line: str, expected: LineHeader) -> None:
    assert read_header(line) == expected


@pytest.mark.parametrize(
    ("line", "family"),
    [
        ("Mar  1 10:00:00 web-1 sshd[411]: Accepted publickey for deploy", "syslog"),
        ("2025-03-01 10:00:00 1tXYZ-000123-AB <= alice@example.com", "timestamped"),
        ("Backup ended at 2025-11-02 23:40:01.", "bare"),
        # a severity word inside the message text is not a header
        ("Thumbnail worker hit an error decoding img_77.png", "bare"),
    ],
)
def test_lines_without_a_stated_severity_have_none(line: str, family: str) -> None:
    assert read_header(line) == LineHeader(family, "none")


class _SameVectorEmbedder:
    """A stand-in encoder that gives every text the same vector: only the other features can differ."""

    name = "constant"
    dimension = 4

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), self.dimension), dtype=np.float32)


def _fit_on_severity_only() -> EmbeddingTextClassifier:
    # Same text and vector for every row; the label follows the header severity.
    texts = ["Connection to <HOST> closed"] * 40
    severities = ["info"] * 20 + ["critical"] * 20
    labels = ["System Notification"] * 20 + ["Critical Error"] * 20
    return EmbeddingTextClassifier(C=10.0).fit(texts, np.ones((40, 4)), labels, severities)


def test_the_estimator_uses_severity_as_its_own_feature() -> None:
    model = _fit_on_severity_only()
    predicted = model.predict(["Connection to <HOST> closed"] * 3, np.ones((3, 4)), ["info", "critical", "none"])
    assert list(predicted[:2]) == ["System Notification", "Critical Error"]
    assert list(model.severity_levels_) == ["info", "warning", "error", "critical"]


def test_the_stage_reads_severity_from_the_raw_line_that_masking_hides() -> None:
    # Masking turns both Cisco ids into the same text; only the raw lines differ in severity.
    info = "%LINK-6-UPDOWN: Connection to core-1 closed"
    critical = "%LINK-2-UPDOWN: Connection to core-1 closed"
    assert mask_variables(info) == mask_variables(critical)
    assert (read_severity(info), read_severity(critical)) == ("info", "critical")
    stage = EmbeddingClassifier(_SameVectorEmbedder(), _fit_on_severity_only(), threshold=0.5, version="t")
    masked = mask_variables(info)
    outcomes = stage.classify_batch([LogRecord("net", masked, info), LogRecord("net", masked, critical)])
    assert [outcome.label if outcome else None for outcome in outcomes] == ["System Notification", "Critical Error"]


def test_per_label_thresholds_abstain_only_for_their_label() -> None:
    stage = EmbeddingClassifier(_SameVectorEmbedder(), _fit_on_severity_only(), threshold=0.5, version="t",
                                thresholds={"Critical Error": 0.999})
    masked = mask_variables("%LINK-6-UPDOWN: Connection to core-1 closed")
    outcomes = stage.classify_batch([LogRecord("net", masked, "%LINK-6-UPDOWN: Connection to core-1 closed"),
                                     LogRecord("net", masked, "%LINK-2-UPDOWN: Connection to core-1 closed")])
    assert outcomes[0] is not None and outcomes[0].label == "System Notification"
    assert outcomes[1] is None  # Critical Error needs 0.999: passed on rather than guessed
    assert stage.threshold_for("Critical Error") == 0.999 and stage.threshold_for("Error") == 0.5
