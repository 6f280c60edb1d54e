"""Receivers for the protocols logs travel by: OTLP log records (`otlp`) and syslog (`syslog`, `syslog_server`)."""
