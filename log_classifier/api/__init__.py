"""The HTTP API (FastAPI): app factory, routers, dependencies, middleware, metrics, web page."""
