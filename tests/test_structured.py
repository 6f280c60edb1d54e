"""Structured lines (logfmt / key=value, JSON, CEF, LEEF) read by the fields that carry their meaning."""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

import pytest

from log_classifier.text.pattern_key import pattern_key
from log_classifier.text.prepare import classification_text, masked_text
from log_classifier.text.severity import read_severity
from log_classifier.text.structured import (
    StructuredLine,
    line_format,
    load_field_table,
    read_structured,
    structured_text,
)

# --- formats read, exact composed text ------------------------------------------------------------


def test_logfmt_keeps_level_message_and_error_and_drops_the_rest() -> None:
    line = ('ts=2026-01-04T10:00:00.512Z caller=raft.go:812 level=warn component=raft '
            'msg="election lost, stepping down" term=41 err="no quorum"')
    assert read_structured(line) == StructuredLine(
        "kv", "warning", "level=warning election lost, stepping down err: no quorum")


def test_key_value_appliance_line_with_quoted_and_empty_values() -> None:
    line = ('date=2026-01-04 time=10:00:01 devname="edge-1" logid="0000000013" type="traffic" subtype="forward" '
            'level="notice" user= srcip=10.0.0.1 dstport=445 action="deny" msg="blocked by rule \\"lan-out\\""')
    assert read_structured(line) == StructuredLine(
        "kv", "info", 'level=info traffic forward deny: blocked by rule "lan-out"')


def test_json_object_with_nested_fields_and_pino_numeric_level() -> None:
    line = json.dumps({"level": 50, "time": 1767520800000, "req": {"method": "POST", "url": "/api/cart"},
                       "res": {"statusCode": 502}, "msg": "request errored", "pid": 7})
    assert read_structured(line) == StructuredLine("json", "error", "level=error POST /api/cart status 502: request errored")


def test_json_nested_names_match_only_by_full_path() -> None:
    # err.type is not an event kind; err.message is an error, named after its object.
    line = json.dumps({"msg": "render failed", "err": {"type": "TypeError", "message": "x is undefined"}})
    assert structured_text(line) == "render failed err: x is undefined"


def test_cef_header_severity_escapes_and_extension() -> None:
    line = ("CEF:0|Acme|Edge\\|Guard|5.1|4021|Port sweep from outside|8|"
            "src=192.0.2.7 dst=10.0.0.9 act=blocked request=/q?a\\=1 msg=sweep of 40 ports")
    assert read_structured(line) == StructuredLine(
        "cef", "error", "level=error Edge|Guard /q?a=1 blocked: Port sweep from outside sweep of 40 ports")


@pytest.mark.parametrize(("severity", "bucket"), [("0", "info"), ("3", "info"), ("5", "warning"), ("7", "error"),
                                                  ("10", "critical"), ("Very-High", "critical"), ("Low", "info")])
def test_cef_severity_scale(severity: str, bucket: str) -> None:
    line = f"CEF:0|Acme|Sensor|1.0|100|Something happened|{severity}|act=alert"
    read = read_structured(line)
    assert read is not None and read.severity == bucket


def test_cef_with_missing_header_fields_is_read_as_far_as_it_goes() -> None:
    assert read_structured("CEF:0|Acme|Sensor|1.0|beacon|Outbound beacon seen") == StructuredLine(
        "cef", "none", "Sensor beacon: Outbound beacon seen")
    assert read_structured("CEF:0|Acme|Sensor|1.0|beacon") == StructuredLine("cef", "none", "Sensor beacon")
    assert read_structured("CEF:0|Acme|Sensor") is None  # nothing of meaning: plain text


def test_leef_one_with_tabs_and_leef_two_with_its_own_delimiter() -> None:
    leef1 = "LEEF:1.0|Acme|Gateway|2.0|deny|cat=TRAFFIC\tsev=6\tsrc=10.1.1.1\tdst=10.2.2.2\taction=deny"
    assert read_structured(leef1) == StructuredLine("leef", "warning", "level=warning Gateway deny TRAFFIC")
    leef2 = "LEEF:2.0|Acme|Gateway|2.0|login|^|cat=auth^sev=2^usrName=kim^reason=bad password"
    assert read_structured(leef2) == StructuredLine("leef", "info", "level=info Gateway login auth reason: bad password")


def test_header_in_front_is_kept_and_the_record_after_it_is_read() -> None:
    syslog_json = 'Jan  4 10:00:00 app-1 billing[311]: {"level":"error","msg":"invoice export failed","error":"disk full"}'
    assert structured_text(syslog_json) == (
        "level=error Jan 4 10:00:00 app-1 billing[311]: invoice export failed error: disk full")
    syslog_cef = "<134>Jan  4 10:00:00 ids-2 CEF:0|Acme|IDS|1|77|Shellcode detected|9|act=dropped"
    assert structured_text(syslog_cef) == "level=critical <134>Jan 4 10:00:00 ids-2 IDS dropped: Shellcode detected"


def test_audit_message_that_is_itself_key_value_is_read_one_level_down() -> None:
    line = ("type=USER_LOGIN msg=audit(1767520800.114:7): pid=33 uid=0 auid=4294967295 "
            "msg='op=login acct=\"oracle\" exe=\"/usr/sbin/sshd\" addr=203.0.113.4 terminal=ssh res=failed'")
    assert structured_text(line) == "USER_LOGIN login failed: audit(1767520800.114:7):"


# --- bad input: plain text, never an error -------------------------------------------------------


@pytest.mark.parametrize("line", [
    "Could not save report because the field limit=25 was reached while exporting",
    "Retry later: attempt=3 of max=5 for the nightly export job",       # two pairs, words around them
    "certificate verify failed: depth=0, error=certificate has expired: CN=laptop, serial=41",
    '{"level":"error","msg":"failed to render thumbnail","err":"unknown format"',   # JSON cut short
    '{"level": "error", "msg": }',                                       # not JSON after all
    "[1, 2, 3]",
    "Unable to start service Intent { act=com.example.KEEPALIVE cmp=com.example/.Push } U=0: not found",
    "IN=eth0 OUT= MAC=00:11 SRC=1.2.3.4 DST=5.6.7.8 LEN=40 RES=0x00 SYN URGP=0",   # no field of meaning
    "level=info cpu_pct=41 mem_pct=77 disk_pct=12",                      # a level alone means nothing
    "Mar  3 12:00:00 host sudo:  kim : TTY=pts/0 ; PWD=/home/kim ; USER=root ; COMMAND=/bin/ls",
])
def test_lines_that_are_not_records_stay_plain(line: str) -> None:
    assert read_structured(line) is None
    assert line_format(line) == "plain"
    # as it is (a line without a letter, like `[1, 2, 3]`, has nothing to classify: text.prepare)
    assert classification_text(line) == (line.strip() if any(c.isalpha() for c in line) else "")


def test_plain_sentences_pass_unchanged() -> None:
    line = "Kernel panic - not syncing: Fatal exception in interrupt"
    assert classification_text(line) == line
    assert masked_text(line) == line


def test_random_and_huge_input_never_raises() -> None:
    rng = random.Random(7)
    alphabet = string.printable + "{}[]|=\\\"'é€"
    for _ in range(2000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        for prefix in ("", "CEF:0|", "LEEF:2.0|a|b|c|d|", "{", "k=v a=b "):
            classification_text(prefix + line)
    huge = "level=error msg=\"" + "x" * 50_000 + "\" err=boom " + "k=v " * 5000
    text = classification_text(huge, max_chars=2000)
    assert len(text) <= 2000 and text.startswith('level=error "xxx')


def test_a_json_line_longer_than_the_limit_is_cut_like_any_line() -> None:
    line = json.dumps({"level": "error", "msg": "m" * 3000})
    # Cut before reading, as every line is: the cut object no longer parses and stays plain text.
    assert classification_text(line, max_chars=2000) == line[:2000]


# --- one severity, one pattern --------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "CEF:0|Acme|IDS|1|77|Shellcode detected|9|act=dropped",
    "LEEF:1.0|Acme|GW|2|deny|sev=5\taction=deny",
    '{"severity":"WARNING","message":"disk 91% full on /var"}',
    'level=eror msg="Invalid username or password" remote_addr=10.0.0.1',
    '{"@l":"Error","@mt":"Failed executing DbCommand","@x":"timeout"}',
])
def test_the_severity_the_fields_state_is_the_one_the_pattern_key_and_model_read(line: str) -> None:
    read = read_structured(line)
    assert read is not None and read.severity != "none"
    prepared = classification_text(line)
    assert read_severity(prepared) == read.severity
    assert pattern_key("fw", prepared).severity == read.severity


def test_thirty_firewall_lines_with_varying_fields_make_one_pattern_per_meaning() -> None:
    rng = random.Random(3)
    lines = []
    for i in range(30):
        action = ("accept", "deny", "close")[i % 3]
        level = "warning" if action == "deny" else "notice"
        lines.append(
            f'date=2026-01-{i % 28 + 1:02d} time=10:{i:02d}:{rng.randint(0, 59):02d} devname="fw-{rng.randint(1, 9)}" '
            f'devid="FG{rng.randint(10**6, 10**7)}" logid="00000000{rng.randint(10, 99)}" type="traffic" subtype="forward" '
            f'level="{level}" vd="root" srcip=10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)} '
            f'srcport={rng.randint(1024, 65535)} dstip=192.0.2.{rng.randint(1, 254)} dstport={rng.choice([22, 443, 3389])} '
            f'policyid={rng.randint(0, 40)} sessionid={rng.randint(10**6, 10**8)} proto=6 action="{action}" '
            f'service="{rng.choice(["HTTPS", "SSH", "RDP"])}" duration={rng.randint(0, 900)} sentbyte={rng.randint(0, 10**6)} '
            f'rcvdbyte={rng.randint(0, 10**6)} sentpkt={rng.randint(0, 900)} rcvdpkt={rng.randint(0, 900)} '
            f'appcat="unscanned" srccountry="Reserved" dstcountry="United States" poluuid="{rng.getrandbits(64):x}"')
    keys = {pattern_key("FortiGate", classification_text(line)) for line in lines}
    assert {key.masked for key in keys} == {"level=info traffic forward accept", "level=warning traffic forward deny",
                                            "level=info traffic forward close"}


# --- the alias table is data ----------------------------------------------------------------------


def test_alias_table_mistakes_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "fields.yaml"
    path.write_text("roles:\n  message: [msg]\n  error: [msg]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="listed twice"):
        load_field_table(path)
    path.write_text("roles:\n  meaning: [msg]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="role 'meaning'"):
        load_field_table(path)
    path.write_text("roles:\n  message: [msg]\nseverity_words:\n  loud: shouting\n", encoding="utf-8")
    with pytest.raises(ValueError, match="shouting"):
        load_field_table(path)


def test_a_field_added_to_the_table_is_read(tmp_path: Path) -> None:
    path = tmp_path / "fields.yaml"
    path.write_text("roles:\n  message: [summary_text]\n  outcome: [judgement]\nlimits: {message: 1, outcome: 1}\n",
                    encoding="utf-8")
    table = load_field_table(path)
    line = 'id=7 judgement=quarantined summary_text="mail with macro attachment" size=100'
    assert read_structured(line, table) == StructuredLine("kv", "none", "quarantined: mail with macro attachment")
    assert read_structured(line) is None  # the shipped table knows neither name


# --- through the service: the line comes back unchanged, its pattern is its meaning ----------------


def test_the_service_echoes_structured_lines_and_classifies_them_by_their_fields(app_client) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io

    deny = ('date=2026-01-0{d} time=0{d}:12:44 devname="edge-{d}" devid="FG10{d}F" logid="0000000013" type="traffic" '
            'subtype="forward" level="warning" srcip=198.51.100.{d} srcport=4{d}211 dstip=10.0.{d}.9 dstport=3389 '
            'policyid=0 sessionid={d}8812 proto=6 action="deny" service="RDP" msg="Denied by policy"')
    lines = [deny.format(d=1), deny.format(d=7),
             "<134>Jan  4 10:00:00 ids-2 CEF:0|Acme|Sensor IPS|1.2|2100|Exploit attempt blocked|9|src=192.0.2.1 act=blocked",
             '{"level":"info","ts":"2026-01-04T10:00:00Z","logger":"http","method":"GET","path":"/api/items/17",'
             '"status":200,"duration_ms":4}']
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "log_message"])
    writer.writerows([["fw", line] for line in lines])
    response = app_client.post("/classify/?explain=true", files={"file": ("s.csv", buffer.getvalue(), "text/csv")})
    assert response.status_code == 200
    out = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["log_message"] for row in out] == lines  # echoed as sent
    first, second, ids, access = out
    # Thirty varying fields, one pattern: the second deny is the first one's answer.
    assert (first["target_label"], first["confidence"]) == (second["target_label"], second["confidence"])
    assert first["target_label"] == "Security Alert"
    assert ids["target_label"] == "Security Alert"
    assert access["target_label"] == "HTTP Status"
