"""Random but realistic values for the placeholders of the training templates.

Every faker is a function ``(rng: random.Random) -> str``; all randomness comes from the
``rng`` passed in, so the generator stays deterministic for a seed. ``FAKERS`` maps each
placeholder name of the template vocabulary (``{ip}``, ``{user}``, ...) to its faker.
"""

from __future__ import annotations

import random
import string
import uuid as _uuid
from collections.abc import Callable
from datetime import datetime, timedelta

Faker = Callable[[random.Random], str]

_HEX = "0123456789abcdef"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH = datetime(2015, 1, 1)


def _hexstr(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_HEX) for _ in range(n))


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(n - 1))


# --- network -------------------------------------------------------------------------------


def ip(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if kind < 0.55:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if kind < 0.65:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    first = rng.choice([23, 34, 45, 52, 61, 66, 81, 91, 103, 118, 137, 151, 185, 198, 203, 212])
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return f"fe80::{_hexstr(rng, 4).lstrip('0') or '1'}:{_hexstr(rng, 2)}ff:fe{_hexstr(rng, 2)}:{_hexstr(rng, 4)}"
    groups = [rng.choice(["2001", "2a02", "2600", "2a01", "fd00"]), _hexstr(rng, 4)]
    groups += [_hexstr(rng, rng.randint(1, 4)) for _ in range(rng.randint(2, 6))]
    if len(groups) < 8:
        return ":".join(groups[:3]) + "::" + ":".join(groups[3:])
    return ":".join(groups)


def port(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return str(rng.choice([22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9092, 9200, 2181, 27017, 50010]))
    return str(rng.randint(1024, 65535))


_HOST_PREFIXES = (
    "web", "app", "db", "api", "worker", "cache", "lb", "proxy", "batch", "mq", "kafka", "zk",
    "es", "mon", "build", "mail", "auth", "edge", "storage", "compute", "ctrl", "gw", "etl",
    "hadoop", "dn", "nn", "spark", "redis", "pg", "mysql", "mongo", "node", "srv", "vm", "k8s",
)


def host(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return f"{rng.choice(_HOST_PREFIXES)}-{rng.randint(1, 40):02d}"
    if kind < 0.6:
        return f"{rng.choice(_HOST_PREFIXES)}{rng.randint(1, 12)}"
    if kind < 0.72:
        return f"node-r{rng.randint(1, 40)}c{rng.randint(1, 16)}"
    if kind < 0.84:
        return f"ip-10-{rng.randint(0, 255)}-{rng.randint(0, 255)}-{rng.randint(1, 254)}"
    if kind < 0.92:
        return f"{rng.choice(['prod', 'stg', 'dev', 'qa'])}-{rng.choice(_HOST_PREFIXES)}-{rng.choice('abc')}{rng.randint(1, 9)}"
    return f"R{rng.randint(0, 77):02d}-M{rng.randint(0, 1)}-N{rng.randint(0, 15)}"


_DOMAINS = (
    "example.com", "corp.local", "internal.acme.io", "prod.example.net", "cluster.local",
    "eu-west-1.compute.internal", "lab.example.org", "svc.example.com", "dc1.contoso.com",
)


def fqdn(rng: random.Random) -> str:
    h = host(rng)
    if h.startswith("R"):
        h = rng.choice(_HOST_PREFIXES) + str(rng.randint(1, 30))
    return f"{h}.{rng.choice(_DOMAINS)}"


def mac(rng: random.Random) -> str:
    sep = ":" if rng.random() < 0.85 else "-"
    return sep.join(_hexstr(rng, 2) for _ in range(6))


def iface(rng: random.Random) -> str:
    return rng.choice(
        ["eth0", "eth1", "ens3", "ens5", "ens192", "enp0s3", "enp3s0f1", "bond0", "eno1",
         "wlan0", "wlp2s0", "docker0", "br0", "cni0", "flannel.1", "veth3a9f1c2", "tun0", "lo"]
    )


# --- identities ----------------------------------------------------------------------------

_FIRST = "jsmith mjones akumar lchen pgarcia rwilliams dnguyen kpatel sbrown tmiller ewilson olee".split()
_SERVICE_USERS = (
    "deploy", "svc_backup", "root", "admin", "oracle", "postgres", "jenkins", "ubuntu", "ec2-user",
    "hdfs", "yarn", "www-data", "nagios", "ansible", "git", "mysql", "centos", "svc_etl", "operator",
)


def user(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        return rng.choice(_FIRST)
    if kind < 0.65:
        return rng.choice(_SERVICE_USERS)
    if kind < 0.8:
        return f"u_{rng.randint(1000, 99999)}"
    if kind < 0.9:
        return f"{rng.choice(_FIRST)}{rng.randint(1, 99)}"
    return f"{rng.choice(['anna', 'marco', 'yuki', 'fatima', 'ivan', 'chloe', 'omar'])}.{rng.choice(['rossi', 'tanaka', 'khan', 'petrov', 'martin', 'silva'])}"


def uid(rng: random.Random) -> str:
    return str(rng.choice([0, 0, 33, 48, 999, rng.randint(1000, 1100), rng.randint(1000, 65000)]))


def email(rng: random.Random) -> str:
    name = user(rng).replace("_", ".")
    return f"{name}@{rng.choice(['example.com', 'acme.io', 'mail.example.org', 'contoso.com', 'corp.example.net'])}"


def customer(rng: random.Random) -> str:
    return rng.choice(
        [f"CUST-{rng.randint(10000, 999999)}", f"cus_{_hexstr(rng, 14)}", f"C{rng.randint(100000, 9999999)}",
         f"acct-{rng.randint(1000, 99999)}", str(rng.randint(100000, 9999999))]
    )


def account(rng: random.Random) -> str:
    return rng.choice(
        [str(rng.randint(10**11, 10**12 - 1)), f"ACC{rng.randint(100000, 999999)}",
         f"acct_{_hexstr(rng, 10)}", f"{rng.choice(['finance', 'ops', 'sales', 'eng'])}-{rng.randint(1, 400)}"]
    )


# --- numbers -------------------------------------------------------------------------------


def pid(rng: random.Random) -> str:
    return str(rng.choice([rng.randint(2, 999), rng.randint(1000, 32768), rng.randint(32768, 4194304)]))


def int_(rng: random.Random) -> str:
    return str(rng.choice([rng.randint(1, 99), rng.randint(100, 9999), rng.randint(1, 99999)]))


def small(rng: random.Random) -> str:
    return str(rng.randint(1, 20))


def num(rng: random.Random) -> str:
    return str(rng.choice([rng.randint(10000, 999999), rng.randint(1_000_000, 99_999_999), rng.randint(10**8, 10**10)]))


def float_(rng: random.Random) -> str:
    return f"{rng.random() * rng.choice([1, 1, 10, 100]):.{rng.choice([2, 3, 4])}f}"


def pct(rng: random.Random) -> str:
    value = rng.uniform(0, 100)
    return rng.choice([str(int(value)), f"{value:.1f}", f"{value:.2f}"])


def cpu(rng: random.Random) -> str:
    return str(rng.randint(0, rng.choice([3, 7, 15, 31, 63])))


def ms(rng: random.Random) -> str:
    return str(rng.choice([rng.randint(0, 50), rng.randint(1, 999), rng.randint(100, 30000)]))


def sec(rng: random.Random) -> str:
    return f"{rng.choice([rng.random(), rng.uniform(0, 60), rng.uniform(0, 3600)]):.{rng.choice([2, 3, 6])}f}"


def duration(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        return f"{rng.randint(1, 999)}ms"
    if kind < 0.55:
        return f"{rng.uniform(0.01, 59):.{rng.choice([1, 2, 3])}f}s"
    if kind < 0.75:
        return f"{rng.randint(1, 59)}m{rng.randint(0, 59)}s"
    if kind < 0.85:
        return f"{rng.randint(1, 23)}h{rng.randint(0, 59)}m{rng.randint(0, 59)}s"
    if kind < 0.93:
        return f"{rng.randint(0, 2):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    return f"{rng.uniform(0.1, 900):.3f}µs" if rng.random() < 0.3 else f"{rng.randint(2, 600)} seconds"


def size(rng: random.Random) -> str:
    unit = rng.choice(["KB", "MB", "MB", "GB", "GB", "TB", "KiB", "MiB", "GiB", "B"])
    if unit in ("KB", "KiB"):
        value = str(rng.randint(4, 999_999))
    elif unit == "B":
        value = str(rng.randint(100, 99_999_999))
    elif unit == "TB":
        value = f"{rng.uniform(0.5, 40):.1f}"
    else:
        value = rng.choice([str(rng.choice([128, 256, 512, 1024, 2048, 4096, 8192])), str(rng.randint(1, 9999)),
                            f"{rng.uniform(0.1, 999):.{rng.choice([1, 2])}f}"])
    return f"{value}{rng.choice([' ', ' ', ''])}{unit}"


def bytes_(rng: random.Random) -> str:
    return str(rng.choice([rng.randint(0, 4096), rng.randint(4096, 10**6), 67108864, rng.randint(10**6, 10**10)]))


def mb(rng: random.Random) -> str:
    return rng.choice([str(rng.choice([512, 1024, 2048, 4096, 8192, 16384, 32768, 65536])),
                       str(rng.randint(1, 99999)), f"{rng.uniform(1, 65536):.2f}"])


def gb(rng: random.Random) -> str:
    return rng.choice([str(rng.choice([8, 16, 20, 40, 50, 80, 100, 250, 500, 1000, 2000])),
                       str(rng.randint(1, 4000)), f"{rng.uniform(0.1, 2000):.1f}"])


# --- time ----------------------------------------------------------------------------------


def _dt(rng: random.Random) -> datetime:
    return _EPOCH + timedelta(seconds=rng.randint(0, 11 * 365 * 86400), microseconds=rng.randint(0, 999999))


def ts(rng: random.Random) -> str:
    d = _dt(rng)
    fmt = rng.randrange(9)
    if fmt == 0:
        return d.strftime("%Y-%m-%d %H:%M:%S")
    if fmt == 1:
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"
    if fmt == 2:
        return f"{_MONTHS[d.month - 1]} {d.day:2d} {d:%H:%M:%S}"
    if fmt == 3:
        return d.strftime("%d/%b/%Y:%H:%M:%S +0000")
    if fmt == 4:
        return d.strftime("%Y-%m-%d %H:%M:%S,") + f"{d.microsecond // 1000:03d}"
    if fmt == 5:
        return str(int(d.timestamp()))
    if fmt == 6:
        return d.strftime("%Y-%m-%dT%H:%M:%S%z") + "+00:00"
    if fmt == 7:
        return d.strftime("%a %b %d %H:%M:%S %Y")
    return d.strftime("%Y/%m/%d %H:%M:%S")


def date(rng: random.Random) -> str:
    d = _dt(rng)
    return rng.choice([d.strftime("%Y-%m-%d"), d.strftime("%Y-%m-%d"), d.strftime("%d/%m/%Y"), d.strftime("%b %d, %Y"), d.strftime("%Y%m%d")])


def time(rng: random.Random) -> str:
    d = _dt(rng)
    return rng.choice([d.strftime("%H:%M:%S"), d.strftime("%H:%M"), d.strftime("%H:%M:%S.") + f"{d.microsecond // 1000:03d}"])


# --- ids -----------------------------------------------------------------------------------


def uuid(rng: random.Random) -> str:
    return str(_uuid.UUID(int=rng.getrandbits(128), version=4))


def hex8(rng: random.Random) -> str:
    return _hexstr(rng, 8)


def hex_(rng: random.Random) -> str:
    return _hexstr(rng, rng.choice([12, 16, 24, 32, 40]))


def req(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return f"req-{uuid(rng)}"
    if kind < 0.6:
        return _hexstr(rng, rng.choice([16, 32]))
    if kind < 0.75:
        return uuid(rng)
    if kind < 0.88:
        return f"{rng.choice(['X', 'Y', 'Z', 'W'])}{''.join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randint(20, 26)))}"
    return f"{_hexstr(rng, 8)}-{_hexstr(rng, 4)}"


def session(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        return str(rng.randint(1, 9999))
    if kind < 0.55:
        return "0x" + _hexstr(rng, rng.choice([14, 15, 16]))
    if kind < 0.8:
        return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.choice([24, 32])))
    return f"sess_{_hexstr(rng, 20)}"


def blk(rng: random.Random) -> str:
    value = rng.randint(10**17, 9 * 10**18)
    return f"blk_{'-' if rng.random() < 0.5 else ''}{value}"


def instance(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        return f"i-0{_hexstr(rng, 16)}"
    if kind < 0.6:
        return f"i-{_hexstr(rng, 8)}"
    return uuid(rng)


def vol(rng: random.Random) -> str:
    return rng.choice([f"vol-0{_hexstr(rng, 16)}", f"vol-{rng.randint(1, 9999)}", f"volume-{uuid(rng)}", uuid(rng), f"pvc-{uuid(rng)}"])


def order(rng: random.Random) -> str:
    return rng.choice([str(rng.randint(1000, 9_999_999)), f"ORD-{rng.randint(100000, 9999999)}",
                       f"SO{rng.randint(10000, 999999)}", f"#{rng.randint(1000, 999999)}", f"PO-{rng.randint(2015, 2025)}-{rng.randint(1, 99999):05d}"])


def ticket(rng: random.Random) -> str:
    return rng.choice([f"INC{rng.randint(0, 9999999):07d}", f"JIRA-{rng.randint(10, 99999)}",
                       f"{rng.choice(['OPS', 'SUP', 'HR', 'FIN', 'DEV', 'CS'])}-{rng.randint(10, 99999)}",
                       f"CHG{rng.randint(0, 9999999):07d}", f"RITM{rng.randint(0, 9999999):07d}", f"#{rng.randint(100, 999999)}"])


def job(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.25:
        return f"job_{rng.randint(1_400_000_000_000, 1_700_000_000_000)}_{rng.randint(1, 9999):04d}"
    if kind < 0.45:
        return str(rng.randint(100, 9_999_999))
    if kind < 0.7:
        return rng.choice(["nightly-backup", "etl-daily", "reindex-search", "invoice-export", "log-rotate",
                           "db-vacuum", "report-weekly", "sync-ldap", "cleanup-tmp", "billing-run",
                           "cert-renewal", "data-import", "ml-train", "snapshot-hourly", "payroll-batch"])
    if kind < 0.85:
        return f"{rng.choice(['etl', 'backup', 'export', 'train', 'build', 'sync'])}-{_hexstr(rng, 5)}"
    return f"{rng.choice(['spark', 'hive', 'mr'])}_{rng.randint(1000, 99999)}"


def word(rng: random.Random) -> str:
    return rng.choice(
        ["alpha", "beta", "gamma", "delta", "orders", "billing", "inventory", "search", "catalog", "ingest",
         "metrics", "events", "audit", "reports", "cache", "gateway", "checkout", "profile", "ledger", "sync",
         "router", "scheduler", "frontend", "backend", "indexer", "notifier", "worker", "primary", "replica",
         "shipping", "warehouse", "analytics", "archive", "default", "staging", "tenant", "feeds", "media"]
    )


# --- files and urls ------------------------------------------------------------------------

_DIRS = ("/var/log", "/var/lib/docker", "/etc/nginx", "/opt/app", "/home/{u}", "/tmp", "/srv/data", "/var/lib/postgresql/14/main",
         "/data/hdfs/dn", "/usr/local/bin", "/var/spool/cron", "/mnt/backup", "/etc/ssl/certs", "/var/cache/apt", "/run",
         "/var/www/html", "/opt/spark/work", "/var/lib/kubelet/pods", "/etc", "/usr/share/java", "/scratch/{u}")
_EXT = ("log", "conf", "json", "yaml", "csv", "gz", "tar.gz", "jar", "py", "so", "db", "pem", "txt", "parquet", "xml", "sql", "dat", "png", "pdf")


def file(rng: random.Random) -> str:
    base = rng.choice(["app", "report", "backup", "config", "data", "export", "access", "error", "invoice", "image",
                       "part-00000", "dump", "settings", "index", "users", "syslog", "events", "snapshot", "model", "notes"])
    if rng.random() < 0.4:
        base += rng.choice(["_", "-", "."]) + rng.choice([str(rng.randint(1, 9999)), date(rng).replace("/", "").replace(" ", "").replace(",", "")])
    return f"{base}.{rng.choice(_EXT)}"


def path(rng: random.Random) -> str:
    d = rng.choice(_DIRS).replace("{u}", user(rng))
    if rng.random() < 0.3:
        d += "/" + word(rng)
    return f"{d}/{file(rng)}"


_SYS32 = ("drivers\\etc\\hosts", "config\\SYSTEM", "svchost.exe", "wbem\\WmiPrvSE.exe", "LogFiles\\Srt\\SrtTrail.txt")
_USERDIRS = ("Documents", "Downloads", "Desktop", "AppData\\Local\\Temp")
_PROGDIRS = ("Microsoft SQL Server", "Common Files", "Java\\jre1.8.0_361", "Contoso\\Agent")
_DDIRS = ("Backups", "Data", "Shares\\Finance", "Logs")


def winpath(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        parts = ["C:", "Windows", "System32", rng.choice(_SYS32)]
    elif kind == 1:
        parts = ["C:", "Users", user(rng), rng.choice(_USERDIRS), file(rng)]
    elif kind == 2:
        parts = ["C:", "Program Files", rng.choice(_PROGDIRS), file(rng)]
    elif kind == 3:
        parts = ["D:", rng.choice(_DDIRS), file(rng)]
    elif kind == 4:
        parts = ["C:", "Windows", "Logs", "CBS", rng.choice(["CBS.log", f"CbsPersist_{rng.randint(2015, 2025)}0101000000.log"])]
    else:
        parts = ["", "", host(rng), rng.choice(["share", "public", "finance$", "c$"]), file(rng)]
    return "\\".join(parts)


def uri(rng: random.Random) -> str:
    p = rng.choice(
        ["/", "/index.html", "/health", "/healthz", "/api/v1/users/{n}", "/api/v2/orders/{n}", "/api/v1/orders",
         "/v2/{h}/servers/detail", "/v2.1/{h}/servers/{u}", "/v3/auth/tokens", "/v2.0/ports.json", "/login", "/logout",
         "/static/js/app.{h8}.js", "/static/css/main.css", "/images/logo.png", "/favicon.ico", "/robots.txt",
         "/api/search", "/graphql", "/metrics", "/cart/checkout", "/products/{n}", "/wp-login.php", "/admin",
         "/api/v1/namespaces/{w}/pods", "/apis/apps/v1/deployments", "/webhdfs/v1/user/{w}", "/ws/socket",
         "/api/v1/invoices/{n}/pdf", "/account/settings", "/download/{f}", "/upload", "/status", "/ping",
         "/api/v3/customers/{n}/payments", "/oauth/token", "/ready", "/assets/{h8}.woff2", "/feeds/rss.xml"]
    )
    p = (p.replace("{n}", str(rng.randint(1, 99999))).replace("{h8}", _hexstr(rng, 8)).replace("{h}", _hexstr(rng, 32))
         .replace("{u}", uuid(rng)).replace("{w}", word(rng)).replace("{f}", file(rng)))
    if rng.random() < 0.3:
        params = [f"{k}={v}" for k, v in rng.sample(
            [("page", rng.randint(1, 50)), ("limit", rng.choice([10, 20, 50, 100])), ("q", word(rng)),
             ("sort", rng.choice(["asc", "desc", "created_at"])), ("id", rng.randint(1, 9999)), ("lang", rng.choice(["en", "de", "fr"])),
             ("all_tenants", 1), ("changes-since", f"2017-05-14T19%3A{rng.randint(10, 59)}")], rng.randint(1, 3))]
        p += "?" + "&".join(params)
    return p


def url(rng: random.Random) -> str:
    scheme = rng.choice(["https", "https", "https", "http"])
    h = rng.choice([fqdn(rng), f"{rng.choice(['api', 'www', 'cdn', 'auth', 'registry', 'repo'])}.{rng.choice(_DOMAINS)}",
                    f"{ip(rng)}:{port(rng)}"])
    return f"{scheme}://{h}{uri(rng)}"


def method(rng: random.Random) -> str:
    return rng.choices(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"], weights=[55, 20, 8, 5, 5, 4, 3])[0]


def status2(rng: random.Random) -> str:
    return str(rng.choices([200, 201, 202, 204, 206], weights=[70, 10, 5, 12, 3])[0])


def status3(rng: random.Random) -> str:
    return str(rng.choice([301, 302, 303, 304, 307, 308]))


def status4(rng: random.Random) -> str:
    return str(rng.choices([400, 401, 403, 404, 405, 408, 409, 413, 415, 422, 429], weights=[12, 10, 8, 30, 4, 3, 5, 2, 2, 6, 8])[0])


def status5(rng: random.Random) -> str:
    return str(rng.choices([500, 501, 502, 503, 504], weights=[40, 3, 25, 20, 12])[0])


def status(rng: random.Random) -> str:
    return rng.choices([status2, status3, status4, status5], weights=[65, 10, 17, 8])[0](rng)


_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "curl/7.{m}.0", "python-requests/2.{m}.0", "Go-http-client/1.1", "kube-probe/1.{m}", "ELB-HealthChecker/2.0",
    "okhttp/4.{m}.0", "Apache-HttpClient/4.5.{m} (Java/11.0.{m})", "Wget/1.21.{m}", "PostmanRuntime/7.{m}.1",
    "nova-compute/{m}.0.1", "aws-sdk-java/1.12.{v}", "Prometheus/2.{m}.0", "Googlebot/2.1 (+http://www.google.com/bot.html)",
)


def agent(rng: random.Random) -> str:
    return rng.choice(_AGENTS).replace("{v}", str(rng.randint(90, 125))).replace("{m}", str(rng.randint(1, 40)))


# --- services and infrastructure -----------------------------------------------------------

_SERVICES = (
    "nginx", "postgres", "postgresql", "kubelet", "sshd", "cron", "crond", "payments-api", "orders-service", "redis",
    "mysqld", "mongod", "docker", "containerd", "elasticsearch", "kafka", "zookeeper", "rabbitmq-server", "httpd",
    "apache2", "haproxy", "envoy", "nova-compute", "neutron-server", "cinder-volume", "keystone", "hadoop-datanode",
    "yarn-nodemanager", "spark-worker", "chronyd", "ntpd", "rsyslog", "systemd-journald", "auth-service",
    "billing-worker", "inventory-sync", "user-profile-svc", "notification-service", "search-indexer", "memcached",
    "grafana-server", "prometheus", "node_exporter", "jenkins", "gitlab-runner", "consul", "vault", "etcd", "coredns",
    "slurmd", "pbs_mom", "cups", "bluetooth", "wuauserv", "TrustedInstaller", "MSSQLSERVER", "W32Time",
)


def service(rng: random.Random) -> str:
    return rng.choice(_SERVICES)


def db(rng: random.Random) -> str:
    return rng.choice(["orders", "users", "billing", "inventory", "analytics", "appdb", "prod_main", "crm", "hr_core",
                       "metrics", "sessions", "catalog", "ledger", "postgres", "warehouse", "auth", "erp_prod", "reporting"])


def table(rng: random.Random) -> str:
    return rng.choice(["users", "orders", "order_items", "payments", "invoices", "sessions", "events", "audit_log",
                       "customers", "products", "accounts", "employees", "tickets", "shipments", "line_items",
                       "ledger_entries", "pg_toast_16384", "leads", "subscriptions", "page_views"])


def namespace(rng: random.Random) -> str:
    return rng.choice(["default", "kube-system", "prod", "staging", "monitoring", "payments", "ingress-nginx",
                       "istio-system", "data", "logging", "cert-manager", "team-a", "ml", "argocd", "web"])


def container(rng: random.Random) -> str:
    return rng.choice(["app", "nginx", "sidecar", "istio-proxy", "worker", "api", "redis", "init-db", "fluent-bit",
                       "web", "postgres", "envoy", "main", "exporter", "migrations", "kafka-broker", "celery"])


def pod(rng: random.Random) -> str:
    base = rng.choice(["api", "web", "worker", "payments-api", "orders", "frontend", "redis", "kafka", "coredns",
                       "nginx-ingress-controller", "celery-worker", "search", "auth", "checkout", "fluentd", "metrics-server"])
    alnum = "bcdfghjklmnpqrstvwxz2456789"
    if rng.random() < 0.75:
        return f"{base}-{''.join(rng.choice(alnum) for _ in range(rng.choice([9, 10])))}-{''.join(rng.choice(alnum) for _ in range(5))}"
    if rng.random() < 0.5:
        return f"{base}-{rng.randint(0, 5)}"
    return f"{base}-{''.join(rng.choice(alnum) for _ in range(5))}"


def node(rng: random.Random) -> str:
    return rng.choice([f"ip-10-{rng.randint(0, 255)}-{rng.randint(0, 255)}-{rng.randint(1, 254)}.ec2.internal",
                       f"gke-prod-default-pool-{_hexstr(rng, 8)}-{''.join(rng.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(4))}",
                       f"aks-nodepool1-{rng.randint(10000000, 99999999)}-vmss{rng.randint(0, 99):06d}",
                       f"worker-{rng.randint(1, 30)}", f"k8s-node-{rng.randint(1, 30):02d}", f"node{rng.randint(1, 64)}"])


def region(rng: random.Random) -> str:
    return rng.choice(["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1",
                       "europe-west4", "us-central1", "westeurope", "eastus2", "RegionOne", "sa-east-1"])


def bucket(rng: random.Random) -> str:
    return rng.choice([f"{word(rng)}-{rng.choice(['backups', 'logs', 'artifacts', 'exports', 'assets', 'data'])}",
                       f"acme-{rng.choice(['prod', 'staging', 'dev'])}-{word(rng)}", f"s3-{word(rng)}-{rng.randint(1, 999)}",
                       f"{word(rng)}.{rng.choice(['example.com', 'acme.io'])}"])


def dev(rng: random.Random) -> str:
    return rng.choice([f"sd{rng.choice('abcdef')}{rng.randint(1, 4)}", f"sd{rng.choice('abc')}", f"nvme{rng.randint(0, 3)}n1p{rng.randint(1, 4)}",
                       f"nvme{rng.randint(0, 3)}n1", f"xvd{rng.choice('abcf')}{rng.choice(['', '1'])}", f"vd{rng.choice('abc')}{rng.randint(1, 3)}",
                       f"dm-{rng.randint(0, 9)}", f"md{rng.randint(0, 3)}", f"loop{rng.randint(0, 9)}"])


def version(rng: random.Random) -> str:
    v = f"{rng.choice([0, 1, 1, 2, 2, 3, 4, 5, 7, 8, 10, 12, 17])}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"
    r = rng.random()
    if r < 0.1:
        v += rng.choice(["-rc1", "-beta.2", "-SNAPSHOT", "+build.5"])
    elif r < 0.2:
        v = "v" + v
    return v


_MODULES = ("auth", "billing.invoice", "core.scheduler", "api.handlers", "db.pool", "utils.retry", "workers.export",
            "payments.gateway", "app.views", "orders.service", "search.indexer", "notifications.email", "ingest.kafka",
            "reports.pdf", "cache.redis", "storage.s3", "users.models", "sync.ldap", "ml.pipeline", "http.client")


def module(rng: random.Random) -> str:
    m = rng.choice(_MODULES)
    return m if rng.random() < 0.7 else m.split(".")[-1]


_JAVA_PKGS = ("org.apache.hadoop.hdfs.server.datanode", "org.apache.hadoop.yarn.server.resourcemanager", "org.apache.spark.scheduler",
              "org.apache.zookeeper.server", "org.apache.kafka.clients.consumer.internals", "org.springframework.web.servlet",
              "com.example.orders.service", "com.acme.billing", "org.hibernate.engine.jdbc", "io.netty.channel",
              "org.elasticsearch.cluster.service", "org.apache.catalina.core", "com.zaxxer.hikari.pool", "org.apache.flink.runtime")
_JAVA_CLASSES = ("DataNode", "FSNamesystem", "TaskSetManager", "NIOServerCnxn", "ConsumerCoordinator", "DispatcherServlet",
                 "OrderService", "InvoiceProcessor", "SqlExceptionHelper", "DefaultChannelPipeline", "MasterService",
                 "StandardWrapperValve", "HikariPool", "JobMaster", "BlockManager", "ContainerManagerImpl", "ClientCnxn",
                 "RMAppManager", "Executor", "LeaderElector")


def java_class(rng: random.Random) -> str:
    return f"{rng.choice(_JAVA_PKGS)}.{rng.choice(_JAVA_CLASSES)}"


def exception(rng: random.Random) -> str:
    return rng.choice(
        ["java.lang.NullPointerException", "java.io.IOException", "java.net.SocketTimeoutException", "java.lang.IllegalStateException",
         "java.lang.OutOfMemoryError", "java.util.concurrent.TimeoutException", "org.apache.kafka.common.errors.TimeoutException",
         "java.sql.SQLException", "java.net.ConnectException", "java.lang.IllegalArgumentException",
         "ValueError", "KeyError", "TypeError", "RuntimeError", "ConnectionResetError", "TimeoutError", "FileNotFoundError",
         "psycopg2.OperationalError", "requests.exceptions.ConnectionError", "sqlalchemy.exc.IntegrityError", "PermissionError",
         "System.NullReferenceException", "System.IO.IOException", "System.InvalidOperationException"]
    )


FAKERS: dict[str, Faker] = {
    "ip": ip, "ipv6": ipv6, "port": port, "host": host, "fqdn": fqdn, "user": user, "uid": uid, "pid": pid,
    "int": int_, "small": small, "num": num, "float": float_, "pct": pct, "uuid": uuid, "hex8": hex8, "hex": hex_,
    "path": path, "winpath": winpath, "file": file, "url": url, "email": email, "ms": ms, "sec": sec,
    "duration": duration, "size": size, "bytes": bytes_, "mb": mb, "gb": gb, "ts": ts, "date": date, "time": time,
    "method": method, "uri": uri, "status2": status2, "status3": status3, "status4": status4, "status5": status5,
    "status": status, "agent": agent, "service": service, "db": db, "table": table, "pod": pod,
    "namespace": namespace, "container": container, "node": node, "instance": instance, "region": region,
    "job": job, "order": order, "ticket": ticket, "customer": customer, "account": account, "version": version,
    "module": module, "java_class": java_class, "exception": exception, "iface": iface, "dev": dev, "blk": blk,
    "req": req, "session": session, "word": word, "mac": mac, "cpu": cpu, "vol": vol, "bucket": bucket,
}
"""Placeholder name -> faker. This is the whole template vocabulary."""


# --- extras beyond the shared vocabulary (used by the ops templates) ------------------------


def clfts(rng: random.Random) -> str:
    """Timestamp as in the Common Log Format: 10/Oct/2023:13:55:36 +0000."""
    return _dt(rng).strftime("%d/%b/%Y:%H:%M:%S ") + rng.choice(["+0000", "+0100", "-0700", "+0530", "-0400"])


def isots(rng: random.Random) -> str:
    """ISO-8601 UTC timestamp with milliseconds or microseconds."""
    d = _dt(rng)
    frac = f"{d.microsecond // 1000:03d}" if rng.random() < 0.6 else f"{d.microsecond:06d}"
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + frac + "Z"


def mount(rng: random.Random) -> str:
    """A mount point or data directory (where {path} would be a file)."""
    return rng.choice(["/", "/var", "/data", "/home", "/var/lib/docker", f"/mnt/data{rng.randint(1, 8)}", "/var/log", "/opt",
                       "/srv", "/boot", "/tmp", f"/hadoop/hdfs/data{rng.randint(1, 12)}", "/var/lib/elasticsearch",
                       "/var/lib/kafka/data", "/var/lib/mysql", "/var/lib/postgresql", f"/scratch{rng.randint(1, 4)}", "/export/home"])


FAKERS.update({"clfts": clfts, "isots": isots, "mount": mount})


# --- services, network devices and the original system's vocabulary ------------------------


def group(rng: random.Random) -> str:
    """A Unix group name."""
    return rng.choice(["developers", "wheel", "sudo", "docker", "dba", "ops", "finance", "backup", "adm", "www-data",
                       "analysts", "support", "sftpusers", "audit", "k8s-admins", "deploy", "qa", "hr"])


def queue(rng: random.Random) -> str:
    return rng.choice(["orders", "orders.dlq", "emails", "invoices.out", "events", "payments", "notifications",
                       "jobs.high", "jobs.low", "audit-log", "celery", "default", "retry.5m", "webhooks"]) + rng.choice(["", "", f"-{rng.randint(1, 9)}"])


def vhost(rng: random.Random) -> str:
    return rng.choice(["/", "/", "prod", "staging", "billing", "tenant-" + str(rng.randint(1, 99))])


def topic(rng: random.Random) -> str:
    return rng.choice(["orders", "payments", "clickstream", "audit", "user-events", "inventory.updates", "logs",
                       "metrics.raw", "cdc.public.customers", "__consumer_offsets", "notifications"])


def appuser(rng: random.Random) -> str:
    """An application user id as business systems write them (User4411, user_77, u9013)."""
    n = rng.randint(1, 9999)
    return rng.choice([f"User{n}", f"User{n}", f"user{n}", f"user_{n}", f"u{n}", f"emp{n}"])


def compid(rng: random.Random) -> str:
    """An identifier of a hardware or software component (Component12, Module7, Node3, ...)."""
    return f"{rng.choice(['Component', 'Module', 'Unit', 'Node', 'Server', 'Controller', 'Drive', 'Board'])}{rng.randint(1, 120)}"


def proto(rng: random.Random) -> str:
    return rng.choice(["tcp", "tcp", "udp", "TCP", "UDP", "icmp"])


def acl(rng: random.Random) -> str:
    return rng.choice(["outside_access_in", "inside_access_out", "dmz_in", "ACL-MGMT", "vty-access", "WAN-IN",
                       "allow-web", "default-deny", "mgmt_acl", "guest_out"])


def signature(rng: random.Random) -> str:
    """An IPS/IDS signature name."""
    return rng.choice([
        "ET SCAN Suspicious inbound to PostgreSQL port 5432", "ET EXPLOIT Possible Spring4Shell RCE attempt",
        "ET WEB_SERVER SQL Injection Attempt SELECT FROM", "ET POLICY SSH session in progress on unusual port",
        "GPL ATTACK_RESPONSE id check returned root", "ET TROJAN Cobalt Strike Beacon Observed",
        "ET SCAN NMAP -sS window 1024", "ET WEB_SERVER Possible CVE-2021-41773 path traversal",
        "HTTP.URI.SQL.Injection", "Apache.Log4j.Error.Log.Remote.Code.Execution", "SSH.Connection.Brute.Force",
        "MS.SMB.Server.SMB1.Trans2.Secondary.Handling.Code.Execution", "Bash.Function.Definitions.Remote.Code.Execution",
        "ET DOS Possible SSDP Amplification Scan in Progress", "SERVER-WEBAPP directory traversal attempt",
    ])


def netcmd(rng: random.Random) -> str:
    """A command an operator types on a router, switch or firewall."""
    return rng.choice([
        "show running-config", "configure terminal", "interface GigabitEthernet0/1", "shutdown", "no shutdown",
        "write memory", "copy running-config startup-config", "ip route 0.0.0.0 0.0.0.0 10.0.0.1",
        "access-list 101 permit tcp any host 10.0.0.5 eq 443", "reload in 10", "show ip bgp summary",
        "clear counters", "vlan 120", "set interfaces ge-0/0/1 unit 0 family inet address 10.1.1.1/30",
        "show log", "request system software add", "set security policies from-zone trust to-zone untrust",
        "username ops privilege 15 secret 5 ****", "logging host 10.10.0.5", "ntp server 10.0.0.1",
    ])


def netif(rng: random.Random) -> str:
    """A network-device interface name."""
    return rng.choice([f"GigabitEthernet{rng.randint(0, 2)}/0/{rng.randint(1, 48)}", f"TenGigabitEthernet1/{rng.randint(1, 8)}",
                       f"Vlan{rng.randint(1, 400)}", f"ge-0/0/{rng.randint(0, 23)}", f"xe-0/1/{rng.randint(0, 3)}",
                       f"Ethernet1/{rng.randint(1, 48)}", f"Port-channel{rng.randint(1, 20)}", "outside", "inside", "dmz",
                       f"port{rng.randint(1, 16)}", "wan1", "internal", f"tunnel.{rng.randint(1, 9)}"])


FAKERS.update({"group": group, "queue": queue, "vhost": vhost, "topic": topic, "appuser": appuser, "compid": compid,
               "proto": proto, "acl": acl, "signature": signature, "netcmd": netcmd, "netif": netif})
