"""redaction.redact: exact masked strings, one case per habit of leaking."""

from __future__ import annotations

import pytest

from log_classifier.text.redaction import redact

CASES = [
    # e-mail
    ("mail", "Password reset sent to alice.o'neil+ops@mail.example.co.uk", "Password reset sent to <EMAIL>"),
    ("mail_plain", "user bob@example.com signed out", "user <EMAIL> signed out"),
    # IPv4
    ("ipv4", "Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2",
     "Failed password for invalid user oracle from <IP> port 40522 ssh2"),
    ("ipv4_port_and_dot", "upstream 10.0.0.1:8080.", "upstream <IP>:8080."),
    ("ipv4_not_versions", "upgraded to 1.2.3 then 1.2.3.4.5; 999.1.1.1 is no address",
     "upgraded to 1.2.3 then 1.2.3.4.5; 999.1.1.1 is no address"),
    # IPv6
    ("ipv6_full", "from 2001:0db8:85a3:0000:0000:8a2e:0370:7334 ok", "from <IP> ok"),
    ("ipv6_compressed", "peers fe80::1ff:fe23:4567:890a, 2001:db8::1 and ::1", "peers <IP>, <IP> and <IP>"),
    ("ipv6_mapped_v4", "client ::ffff:192.168.1.20 refused", "client <IP> refused"),
    ("ipv6_not_times_or_cpp", "at 12:30:45 std::vector Foo::Bar mac 00:1a:2b:3c:4d:5e",
     "at 12:30:45 std::vector Foo::Bar mac 00:1a:2b:3c:4d:5e"),
    # bearer tokens and JWTs
    ("bearer", "Authorization: Bearer abc123.def-ghi_jkl", "Authorization: Bearer <TOKEN>"),
    ("bearer_phrase_kept", "Bearer token expired for user 7", "Bearer token expired for user 7"),
    ("jwt", "session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.SflKxwRJSMeKKF2QT4fwpM rejected",
     "session <TOKEN> rejected"),
    # API keys
    ("aws", "using key AKIAIOSFODNN7EXAMPLE for s3", "using key <SECRET> for s3"),
    ("openai_style", "OPENAI key sk-proj-Ab3dEf6hIj9kLm2nOp5q leaked", "OPENAI key <SECRET> leaked"),
    ("groq", "client gsk_abcdefghijklmnopqrstuvwx12 ready", "client <SECRET> ready"),
    ("random_token", "reset link with code aB3dE5gH7jK9mN1pQ3rS5tU7vW9 sent", "reset link with code <SECRET> sent"),
    ("hashes_and_uuids_kept",
     "blob 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 id 123e4567-e89b-12d3-a456-426614174000",
     "blob 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 id 123e4567-e89b-12d3-a456-426614174000"),
    # key=value secrets
    ("password_eq", "login retry password=hunter2 user=bob", "login retry password=<SECRET> user=bob"),
    ("passwd_colon", "db passwd: s3cr3t!, host db1", "db passwd: <SECRET>, host db1"),
    ("secret_spaces", "client_secret = 'x y z' loaded", "client_secret = '<SECRET>' loaded"),
    ("json_api_key", '{"api_key": "abc123", "user": "bob"}', '{"api_key": "<SECRET>", "user": "bob"}'),
    ("query_token", "GET /cb?token=zz9&state=1 HTTP/1.1", "GET /cb?token=<SECRET>&state=1 HTTP/1.1"),
    ("token_before_jwt", "token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.sig", "token=<SECRET>"),
    ("header_api_key", "X-Api-Key: k-123 missing scope", "X-Api-Key: <SECRET> missing scope"),
    ("not_a_key_value", "max_tokens=512, tokens used: 40, Failed password for root",
     "max_tokens=512, tokens used: 40, Failed password for root"),
    # several at once
    ("mixed", "user carol@corp.io from 10.1.2.3 password=pw1 Bearer tok.en-1234",
     "user <EMAIL> from <IP> password=<SECRET> Bearer <TOKEN>"),
    ("nothing", "nginx startup succeeded", "nginx startup succeeded"),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES], ids=[name for name, _, _ in CASES])
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redact_is_idempotent() -> None:
    once = redact(CASES[-2][1])
    assert redact(once) == once


# Issue 24: what still leaked into alert webhooks and LLM requests.
MORE_CASES = [
    ("pass_eq", "login ok pass=Hunter2Pass user=bob", "login ok pass=<SECRET> user=bob"),
    ("db_pass_colon", "mysql db_pass: xyz9 host db1", "mysql db_pass: <SECRET> host db1"),
    ("pass_in_words_kept", "bypass=true compass: north", "bypass=true compass: north"),
    ("password_is_quoted", "reset: password is 'Tr0ub4dor&3' now", "reset: password is '<SECRET>' now"),
    ("password_is_word_kept", "password is expired for bob", "password is expired for bob"),
    ("with_password", "user bob authenticated with password CorrectHorse9 from x",
     "user bob authenticated with password <SECRET> from x"),
    ("with_password_auth_kept", "login with password authentication disabled",
     "login with password authentication disabled"),
    ("failed_password_kept", "Failed password for invalid user admin", "Failed password for invalid user admin"),
    ("basic_header", "Authorization: Basic YWRtaW46c2VjcmV0cGFzcw==", "Authorization: Basic <SECRET>"),
    ("basic_no_digits", "Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic <SECRET>"),
    ("basic_alone", "sent Basic YWRtaW46c2VjcmV0 upstream", "sent Basic <SECRET> upstream"),
    ("basic_word_kept", "Basic authentication failed", "Basic authentication failed"),
    ("postgres_uri", "connect postgres://app:pa55w0rd@db.internal:5432/orders",
     "connect postgres://app:<SECRET>@db.internal:5432/orders"),
    ("mongodb_srv_uri", "mongodb+srv://admin:Mongo5ecret@cluster0.example.net/test",
     "mongodb+srv://admin:<SECRET>@cluster0.example.net/test"),
    ("redis_uri", "redis://:R3disPw@cache-1:6379/0 refused", "redis://:<SECRET>@cache-1:6379/0 refused"),
    ("url_with_port_kept", "GET http://example.com:8080/path ok", "GET http://example.com:8080/path ok"),
    ("sessionid", "cookie sessionid=k3j4h5g6; JSESSIONID=AB12CD", "cookie sessionid=<SECRET>; JSESSIONID=<SECRET>"),
    ("secret_key", "config secret_key=django-insecure-abc123 loaded", "config secret_key=<SECRET> loaded"),
    ("aws_secret_key", "aws creds wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY used", "aws creds <SECRET> used"),
    ("path_kept", "open /usr/local/lib/python3.11/site-packages/x.py", "open /usr/local/lib/python3.11/site-packages/x.py"),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in MORE_CASES], ids=[n for n, _, _ in MORE_CASES])
def test_redact_more_secrets(text: str, expected: str) -> None:
    assert redact(text) == expected
    assert redact(expected) == expected
