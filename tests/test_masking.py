"""`mask_variables`: exact expected outputs, one row per kind of variable."""

import pytest

from log_classifier.text.masking import mask_variables

CASES = [
    # (input, expected)
    ("Accepted publickey for deploy from 10.0.3.17 port 51234 ssh2",
     "Accepted publickey for <USER> from <IP> port <NUM> ssh<NUM>"),
    ("Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2",
     "Failed password for invalid user <USER> from <IP> port <NUM> ssh<NUM>"),
    ("connect to 10.1.2.3:8080 refused", "connect to <IP> refused"),
    ("Connection from 2001:db8::1 port 22", "Connection from <IP> port <NUM>"),
    ("fe80:0:0:0:1ff:fe23:4567:890a up", "<IP> up"),
    ("std::vector resized", "std::vector resized"),
    ("[instance: 5e0c1f4e-aaaa-bbbb-cccc-0123456789ab] claimed", "[instance: <UUID>] claimed"),
    ("commit deadbeefcafe1234 pushed", "commit <HEX> pushed"),
    ("fault at 0x7f3a00c1", "fault at <HEX>"),
    ("decade accepted", "decade accepted"),
    ("2024-05-01T12:00:00.123Z worker started", "<TS> worker started"),
    ("2024-05-01 12:00:00,123 INFO job done", "<TS> INFO job done"),
    ("Mar  3 10:22:01 web-03 cron[881]: job ran", "<TS> web-<NUM> cron[<NUM>]: job ran"),
    ("[01/May/2024:12:00:00 +0000] hit", "<TS> hit"),
    ("started at 12:00:01", "started at <TS>"),
    ("Could not open /var/data/x.csv", "Could not open <PATH>"),
    (r"Cannot read C:\Windows\Temp\a.log", "Cannot read <PATH>"),
    ("fetch https://api.example.com/v1/x?y=2 failed", "fetch <URL> failed"),
    ("mail to alice.b@example.co.uk bounced", "mail to <EMAIL> bounced"),
    ("link aa:bb:cc:dd:ee:0f lost", "link <MAC> lost"),
    ("Total memory: 32768 MB, used: 2048.00 MB", "Total memory: <NUM> MB, used: <NUM> MB"),
    ("Disk at 91% of 500 GB", "Disk at <NUM>% of <NUM> GB"),
    ("Received block blk_-5704899712662113150 of size 67108864 from /10.251.91.229",
     "Received block blk_<NUM> of size <NUM> from <IP>"),
    ("authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=218.188.2.4  user=root",
     "authentication failure; logname= uid=<NUM> euid=<NUM> tty=ssh ruser= rhost=<IP> user=<USER>"),
    ("login failed host=db-7.internal", "login failed host=<HOST>"),
    ("curl/8.1.2 and 2024/05/01 and 05/01/24", "curl/<NUM> and <TS> and <TS>"),
    ("385:C 19 Jan 2022 09:42:24.217 # saving", "<NUM>:C <TS> # saving"),
    ("session opened for user deploy by (uid=0)", "session opened for user <USER> by (uid=<NUM>)"),
    ("User u_5531 signed out", "User <USER> signed out"),
    # HTTP status codes are kept, other numbers are not
    ('10.1.2.3 - - [01/May/2024:12:00:00 +0000] "GET /api/v1/users/42?x=1 HTTP/1.1" 404 512 "-"',
     '<IP> - - <TS> "GET <PATH> HTTP/<NUM>" 404 <NUM> "-"'),
    ('10.2.0.4 "PUT /v1/orders/991 HTTP/1.1" status: 204 len: 0 time: 0.0312',
     '<IP> "PUT <PATH> HTTP/<NUM>" status: 204 len: <NUM> time: <NUM>'),
    ("GET /healthz 200 3ms", "GET <PATH> 200 <NUM>ms"),
    ("upstream returned 502 Bad Gateway", "upstream returned <NUM> Bad Gateway"),
    ("POST /login returned 502 Bad Gateway", "POST <PATH> returned 502 Bad Gateway"),
    ("retry 404 times", "retry <NUM> times"),
    # severity words and plain text are untouched
    ("Kernel panic - not syncing: Fatal exception in interrupt",
     "Kernel panic - not syncing: Fatal exception in interrupt"),
    ("WARN   many   spaces ", "WARN many spaces"),
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_mask_variables(message: str, expected: str) -> None:
    assert mask_variables(message) == expected


def test_lines_of_one_shape_share_a_key() -> None:
    a = mask_variables("Failed password for root from 1.2.3.4 port 22 ssh2")
    b = mask_variables("Failed password for admin from 5.6.7.8 port 40000 ssh2")
    assert a == b
