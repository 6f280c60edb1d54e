"""The HTTP service. Start it the usual way:

    uvicorn server:app [--reload]          # or: make run

`app` is built on first access from the settings (environment / `.env`); the models load in the
app's lifespan, so importing this module loads nothing. Tests build their own apps with
`create_app(settings)`. The code lives in `log_classifier.api`.
"""

from __future__ import annotations

import sys
from typing import Any

from log_classifier.api.app import create_app
from log_classifier.errors import ConfigurationError

__all__ = ["create_app"]  # and `app`, created on first access


def __getattr__(name: str) -> Any:
    # PEP 562: `server.app` is created when uvicorn (or anyone) first asks for it, not at import.
    if name == "app":
        try:
            application = create_app()
        except ConfigurationError as exc:
            # An invalid setting: one line naming it, not uvicorn's traceback through its importer.
            sys.stderr.write(f"error: {exc}\n")
            raise SystemExit(2) from None
        globals()["app"] = application
        return application
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
