"""A failed Spark job told in one line: our own message, or the telling line of a JVM or
Python-worker error (the CLI's `error: ...` on stderr)."""

from __future__ import annotations

from log_classifier.errors import ClassifierError


def describe_error(exc: BaseException) -> str:
    """One line for the user: our own message, or the telling line of a Spark / Python-worker error."""
    if isinstance(exc, ClassifierError):
        return str(exc)
    text = _root_java_message(exc) or str(exc).strip()
    if "Traceback (most recent call last)" in text:
        # A Python worker failed: the last line of its traceback names the error.
        tail = text.rsplit("Traceback (most recent call last)", 1)[1]
        lines = [line.strip() for line in tail.splitlines() if line.strip() and not line.startswith(" ")]
        text = lines[-1] if lines else text
    first = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
    if "JAVA_GATEWAY" in first:
        first += " (Spark needs Java 17+: check `java -version`)"
    return first[:500]


def _root_java_message(exc: BaseException) -> str | None:
    """The innermost cause of a JVM exception raised through py4j (its message says what is wrong)."""
    java = getattr(exc, "java_exception", None)
    if java is None:
        return None
    try:
        cause = java
        while cause.getCause() is not None:
            cause = cause.getCause()
        return str(cause.getMessage() or cause.toString())
    except Exception:  # noqa: BLE001  the gateway may be gone; the Python-side text is enough then
        return None
