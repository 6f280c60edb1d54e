"""The one JSON intake (`log_classifier.formats.json_intake`): limits held while parsing, and the
strings, numbers and nesting that JSON allows and Python cannot use as they are."""

from __future__ import annotations

import gzip
import json
import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from log_classifier.api.body_decoders import BodyDecoder
from log_classifier.errors import InputError, PayloadTooLarge
from log_classifier.formats.json_intake import (
    JsonLimits,
    RawNumber,
    dumps,
    parse_document,
    parse_records,
)

LIMITS = JsonLimits(max_bytes=50 * 1024 * 1024, max_records=1000, bytes_name="50 MB (TEST)", hint=": split it")


@pytest.mark.parametrize("body", [b"[" + b"{}," * 50_000 + b"{}]", b"{}\n" * 50_000])
def test_records_are_counted_while_parsed_and_refused_past_the_limit(body: bytes) -> None:
    with pytest.raises(PayloadTooLarge, match=r"at least 1001 records in one request; the limit is 1000 "
                                              r"\(MAX_JSON_LOGS\): split it"):
        parse_records(body, LIMITS)


@pytest.mark.parametrize("body", [b"[" + b"{}," * 5_000_000 + b"{}]", b"{}\n" * 5_000_000])
def test_millions_of_empty_records_are_refused_without_being_parsed(body: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(PayloadTooLarge, match="MAX_JSON_LOGS"):
        parse_records(body, LIMITS)
    # Parsing 5 million objects takes seconds and hundreds of MB; refusing them, milliseconds (generous bound).
    assert time.perf_counter() - started < 1.5


def test_the_logs_of_a_document_are_counted_while_parsed() -> None:
    body = b'{"logs": [' + b"{}," * 3000 + b"{}]}"
    with pytest.raises(PayloadTooLarge, match="at least 1001 records"):
        parse_document(body, LIMITS, records_key="logs")
    ok = parse_document(b'{"logs": [{"a": 1}, {"b": [2]}], "x": 3}', LIMITS, records_key="logs")
    assert ok == {"logs": [{"a": 1}, {"b": [2]}], "x": 3}


@pytest.mark.parametrize("body", [
    b'[{"log": "x", "a": [' + b"[]," * 3_000_000 + b"[]]}]",
    b'{"log": "x", "a": [' + b"{}," * 3_000_000 + b"{}]}",
    b'{"logs": [], "x": [' + b"[]," * 3_000_000 + b"[]]}",
])
def test_millions_of_empty_containers_inside_one_record_are_refused_before_parsing(body: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(PayloadTooLarge, match=r"JSON arrays and objects; at most 100000 are accepted"):
        if body.startswith(b'{"logs"'):
            parse_document(body, LIMITS, records_key="logs")
        else:
            parse_records(body, LIMITS)
    assert time.perf_counter() - started < 1.5


def test_a_gzip_bomb_is_stopped_at_the_byte_limit() -> None:
    decoder = BodyDecoder("gzip", limit=1024 * 1024, limit_name="1 MB (TEST)")
    with pytest.raises(PayloadTooLarge, match="the decompressed body is larger than 1 MB"):
        decoder.feed(gzip.compress(b"{}\n" * 10_000_000))


@pytest.mark.parametrize("depth", [65, 1000, 50_000])
def test_deep_nesting_is_a_400_not_a_recursion_error(depth: int) -> None:
    nested = b'{"log":' * depth + b"1" + b"}" * depth
    for body in (b"[" + nested + b"]", nested):
        with pytest.raises(InputError, match="nested deeper than 64 levels") as raised:
            parse_records(body, LIMITS)
        assert not isinstance(raised.value, PayloadTooLarge)
    for body in (b'{"logs": [' + nested + b"]}", b"[" * depth + b"]" * depth, nested):
        with pytest.raises(InputError, match="nested deeper than 64 levels"):
            parse_document(body, LIMITS, records_key="logs")
    ndjson = b'{"log": "ok"}\n' + b'{"a":' * depth + b"1" + b"}" * depth + b"\n"
    with pytest.raises(InputError, match="line 2: .*nested deeper than 64 levels"):
        parse_records(ndjson, LIMITS)


def test_nesting_up_to_the_limit_is_fine() -> None:
    record = json.loads('{"a":' * 63 + "{}" + "}" * 63)
    assert parse_records(json.dumps([record]).encode(), LIMITS) == [record]


def test_lone_surrogates_become_the_replacement_character_in_keys_and_values() -> None:
    body = b'[{"log": "a\\ud800b", "\\udfffkey": ["\\ud83d"], "pair": "\\ud83d\\ude00", "deep": {"x": "\\udc00"}}]'
    [record] = parse_records(body, LIMITS)
    assert record == {"log": "a\ufffdb", "\ufffdkey": ["\ufffd"], "pair": "\U0001f600", "deep": {"x": "\ufffd"}}
    dumps(record).encode("utf-8")  # encodable now
    assert parse_document(b'{"logs": [{"log_message": "\\ud800"}]}', LIMITS, records_key="logs") == {
        "logs": [{"log_message": "\ufffd"}]}
    assert parse_records(b'{"log": "\\ud800"}\n{"log": "x"}\n', LIMITS) == [{"log": "\ufffd"}, {"log": "x"}]


@pytest.mark.parametrize("number", ["1e999", "-1e999", "1E+400", "9" * 5000, "-" + "9" * 5000])
def test_numbers_beyond_a_double_come_back_as_sent(number: str) -> None:
    body = f'[{{"log": "x", "bytes": {number}, "ok": 1.5, "list": [{number}]}}]'.encode()
    [record] = parse_records(body, LIMITS)
    assert record["bytes"] == RawNumber(number)
    line = dumps(record)
    assert line == f'{{"log":"x","bytes":{number},"ok":1.5,"list":[{number}]}}'
    assert "Infinity" not in line


@pytest.mark.parametrize("body", [b'[{"log": NaN}]', b'{"log": Infinity}\n', b'{"logs": [-Infinity]}'])
def test_nan_and_infinity_literals_are_not_json(body: bytes) -> None:
    with pytest.raises(InputError, match="not valid JSON"):
        parse_records(body, LIMITS)


def test_errors_name_the_line_and_column() -> None:
    with pytest.raises(InputError, match=r"^line 3, column 19: not valid JSON"):
        parse_records(b'[\n  {"message": "a"},\n  {"message": "b",}\n]', LIMITS)
    with pytest.raises(InputError, match=r"^line 2, column 1: not valid JSON \(Extra data\)"):
        parse_document(b'{"logs": []}\n[]', LIMITS, records_key="logs")


# Hypothesis never draws surrogates by default: this alphabet does, with the rest of Unicode.
# (st.text() would drop the surrogates of its alphabet: the characters are joined by hand.)
hostile_text = st.lists(st.characters() | st.characters(categories=["Cs"]) | st.sampled_from("\x00\u2028{}[]\\\""),
                        max_size=20).map("".join)
json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | hostile_text
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(hostile_text, inner, max_size=4), max_leaves=20)


def _escaped(value: object) -> bytes:
    """JSON with every non-ASCII character escaped: the only way to send a lone surrogate."""
    return json.dumps(value, ensure_ascii=True).encode()


@given(st.lists(st.dictionaries(hostile_text, json_values, max_size=5), max_size=5))
@example([{"\udfff": "a\ud800", "x": ["\udc00", {"\ud83d": 1e300}]}])
def test_any_records_with_any_strings_parse_and_render_as_valid_utf8_json(records: list) -> None:
    for body in (_escaped(records), b"\n".join(_escaped(r) for r in records)):
        parsed = parse_records(body, LIMITS)
        assert len(parsed) == len(records)
        for record in parsed:
            line = dumps(record)
            line.encode("utf-8")  # no lone surrogate left
            assert json.loads(line) == record
