"""Real clients deliver logs to a real server: the OpenTelemetry Python SDK's OTLP/HTTP exporter,
Debian's syslog-ng (syslog over TCP, and its http() destination posting JSON batches to /ingest) and
Debian's rsyslog (TCP octet-counted, UDP). Every line is classified and counted in /metrics with
the labels /classify/json gives the same line."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from feed_checks import MIXED_LINES, counted_since, labels_from_classify_json, rows_classified
from helpers import make_settings
from live_server import serve

from log_classifier.api.app import create_app
from log_classifier.config import PROJECT_DIR
from log_classifier.receivers.syslog import parse_message

pytestmark = pytest.mark.slow  # real servers and daemons

DELIVERY_TIMEOUT_S = 30.0


@dataclass
class Live:
    client: httpx.Client
    url: str
    syslog_tcp_port: int
    syslog_udp_port: int


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    app = create_app(make_settings(syslog_tcp_port=0, syslog_udp_port=0, syslog_batch_ms=50))
    with serve(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield Live(client, url, app.state.syslog.tcp_port, app.state.syslog.udp_port)


def wait_for_rows(client: httpx.Client, before: Counter[tuple[str, str]], rows: int) -> Counter[tuple[str, str]]:
    """The rows counted since `before`, once `rows` of them have arrived (or the timeout passed)."""
    deadline = time.monotonic() + DELIVERY_TIMEOUT_S
    while True:
        counted = counted_since(client, before)
        if sum(counted.values()) >= rows or time.monotonic() > deadline:
            return counted
        time.sleep(0.2)


# --- OpenTelemetry Python SDK -----------------------------------------------------------------------

@pytest.mark.parametrize("compression", ["none", "gzip"])
def test_the_opentelemetry_sdk_exports_logs_over_otlp_http(live: Live, compression: str) -> None:
    from opentelemetry._logs import SeverityNumber
    from opentelemetry.exporter.otlp.proto.http import Compression
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.sdk._logs import LoggerProvider
    from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
    from opentelemetry.sdk.resources import Resource

    provider = LoggerProvider(resource=Resource.create({"service.name": "checkout", "host.name": "web-1"}))
    exporter = OTLPLogExporter(endpoint=f"{live.url}/v1/logs", timeout=10,
                               compression=Compression.Gzip if compression == "gzip" else Compression.NoCompression)
    provider.add_log_record_processor(BatchLogRecordProcessor(exporter))
    logger = provider.get_logger("checkout.payments")
    before = rows_classified(live.client)
    try:
        for line in MIXED_LINES:
            logger.emit(timestamp=time.time_ns(), severity_number=SeverityNumber.WARN, severity_text="WARN", body=line)
        assert provider.force_flush(10_000)
    finally:
        provider.shutdown()
    counted = wait_for_rows(live.client, before, len(MIXED_LINES))
    assert counted == Counter(labels_from_classify_json(live.client, ["checkout"] * len(MIXED_LINES), MIXED_LINES))


# --- syslog daemons ---------------------------------------------------------------------------------

# (severity keyword, program, line): each line sent with its own program name and severity.
SEVERITIES = ("err", "warning", "info", "notice", "crit", "warning", "info")
SYSLOG_LINES = [(SEVERITIES[i], f"app{i}", line) for i, line in enumerate(MIXED_LINES)]
SEVERITY_NUMBERS = {"emerg": 0, "alert": 1, "crit": 2, "err": 3, "warning": 4, "notice": 5, "info": 6, "debug": 7}
USER_FACILITY = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def daemon(args: list[str], output: Path, port: int) -> Iterator[None]:
    """Run a daemon in the foreground (its output to `output`) until it listens on `port`; stop it after."""
    with output.open("wb") as sink:
        process = subprocess.Popen(args, stdout=sink, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, process, output)
            yield
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_port(port: int, process: subprocess.Popen[bytes], output: Path) -> None:
    deadline = time.monotonic() + DELIVERY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the daemon exited: {output.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def rfc3164(severity: str, program: str, line: str) -> bytes:
    pri = USER_FACILITY * 8 + SEVERITY_NUMBERS[severity]
    return f"<{pri}>{time.strftime('%b %e %H:%M:%S')} web-1 {program}[42]: {line}".encode()


def syslog_expected(live: Live, copies: int = 1) -> Counter[tuple[str, str]]:
    """What /classify/json says of the lines as the syslog receiver hands them over (`<PRI>MSG`)."""
    parsed = [parse_message(rfc3164(*sent), max_chars=2000) for sent in SYSLOG_LINES]
    assert [p.source for p in parsed] == [program for _, program, _ in SYSLOG_LINES]
    labels = labels_from_classify_json(live.client, [p.source for p in parsed], [p.text or "" for p in parsed])
    return Counter({key: count * copies for key, count in Counter(labels).items()})


SYSLOG_NG = shutil.which("syslog-ng") or "/usr/sbin/syslog-ng"


@pytest.mark.skipif(not os.access(SYSLOG_NG, os.X_OK), reason="syslog-ng is not installed (make syslog-daemons)")
def test_syslog_ng_forwards_over_tcp_and_posts_json_batches_to_ingest(live: Live, tmp_path: Path) -> None:
    listen = free_port()
    config = tmp_path / "syslog-ng.conf"
    config.write_text(f"""@version: 3.38
options {{ keep-hostname(yes); chain-hostnames(no); stats-freq(0); time-reopen(1); log-msg-size(65536); }};
source s_test {{ network(transport("tcp") ip("127.0.0.1") port({listen})); }};
destination d_classifier_syslog {{ syslog("127.0.0.1" transport("tcp") port({live.syslog_tcp_port})); }};
destination d_classifier_ingest {{
    http(url("{live.url}/ingest") method("POST") headers("Content-Type: application/json")
         body-prefix("[") delimiter(",") body-suffix("]")
         body("$(format-json source=$PROGRAM message=$MSG host=$HOST)") batch-lines(50) batch-timeout(200));
}};
log {{ source(s_test); destination(d_classifier_syslog); destination(d_classifier_ingest); }};
""")
    args = [SYSLOG_NG, "-F", "-e", "--no-caps", "-f", str(config), "-p", str(tmp_path / "syslog-ng.pid"),
            "-c", str(tmp_path / "syslog-ng.ctl"), "-R", str(tmp_path / "syslog-ng.persist")]
    with daemon(args, tmp_path / "syslog-ng.out", listen):
        before = rows_classified(live.client)
        with socket.create_connection(("127.0.0.1", listen)) as sock:
            sock.sendall(b"".join(rfc3164(*sent) + b"\n" for sent in SYSLOG_LINES))
        counted = wait_for_rows(live.client, before, 2 * len(SYSLOG_LINES))
    via_ingest = labels_from_classify_json(live.client, [program for _, program, _ in SYSLOG_LINES], MIXED_LINES)
    assert counted == syslog_expected(live) + Counter(via_ingest)


def rsyslogd() -> tuple[str, list[str]] | None:
    """rsyslogd and its module directory option: Debian's package, or the copy `make syslog-daemons` unpacks
    into build/rsyslog (rsyslog and syslog-ng conflict as Debian packages: one system logger)."""
    if found := shutil.which("rsyslogd") or (os.access("/usr/sbin/rsyslogd", os.X_OK) and "/usr/sbin/rsyslogd"):
        return found, []
    unpacked = PROJECT_DIR / "build" / "rsyslog"
    binary = unpacked / "usr" / "sbin" / "rsyslogd"
    modules = next((unpacked / "usr" / "lib").glob("*/rsyslog"), None) if (unpacked / "usr" / "lib").is_dir() else None
    if os.access(binary, os.X_OK) and modules is not None:
        return str(binary), ["-M", str(modules)]
    return None


LOGGER = shutil.which("logger")


@pytest.mark.skipif(rsyslogd() is None or LOGGER is None, reason="rsyslogd or logger is missing (make syslog-daemons)")
def test_rsyslog_forwards_over_tcp_octet_counted_and_udp(live: Live, tmp_path: Path) -> None:
    found = rsyslogd()
    assert found is not None and LOGGER is not None
    binary, module_option = found
    listen = free_port()
    work = tmp_path / "work"
    work.mkdir()
    config = tmp_path / "rsyslog.conf"
    config.write_text(f"""global(workDirectory="{work}" maxMessageSize="64k")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="{listen}")
action(type="omfwd" target="127.0.0.1" port="{live.syslog_tcp_port}" protocol="tcp" TCP_Framing="octet-counted"
       template="RSYSLOG_SyslogProtocol23Format")
action(type="omfwd" target="127.0.0.1" port="{live.syslog_udp_port}" protocol="udp")
""")
    args = [binary, "-n", "-f", str(config), "-i", str(tmp_path / "rsyslogd.pid"), *module_option]
    with daemon(args, tmp_path / "rsyslogd.out", listen):
        before = rows_classified(live.client)
        for severity, program, line in SYSLOG_LINES:  # util-linux logger, a real client of rsyslog's input
            subprocess.run([LOGGER, "-n", "127.0.0.1", "-P", str(listen), "-T", "--rfc3164", "-t", program,
                            "-p", f"user.{severity}", line], check=True)
        counted = wait_for_rows(live.client, before, 2 * len(SYSLOG_LINES))
    assert counted == syslog_expected(live, copies=2)  # once over TCP (RFC 5424), once over UDP (RFC 3164)
