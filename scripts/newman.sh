#!/usr/bin/env bash
# Run the Postman collection with newman against a live server: start uvicorn on a free port of
# 127.0.0.1 (settings from the environment / .env, as `make run`), wait for /health, run newman,
# stop the server. Exit code: newman's. Usage: scripts/newman.sh [extra newman arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"
NEWMAN_VERSION="${NEWMAN_VERSION:-6.2.2}"
STARTUP_TIMEOUT_S="${STARTUP_TIMEOUT_S:-120}"
# When API_KEYS is set, the first key is sent as X-API-Key.
API_KEYS="${API_KEYS:-}"
API_KEY="${NEWMAN_API_KEY:-${API_KEYS%%,*}}"
API_KEY="${API_KEY#*:}"  # a name:key entry sends the key

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE_URL="http://127.0.0.1:${PORT}"
SERVER_LOG="$(mktemp)"
# The pattern requests need a store: a throwaway SQLite file unless PATTERN_STORE is set (never data/ here).
STORE_DIR="$(mktemp -d)"
export PATTERN_STORE="${PATTERN_STORE:-${STORE_DIR}/patterns.db}"

"$PY" -m uvicorn server:app --host 127.0.0.1 --port "$PORT" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    rm -f "$SERVER_LOG"
    rm -rf "$STORE_DIR"
}
trap stop_server EXIT

deadline=$((SECONDS + STARTUP_TIMEOUT_S))
until curl -fsS -o /dev/null "${BASE_URL}/health"; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null || ((SECONDS > deadline)); then
        echo "newman.sh: the server did not come up on ${BASE_URL}; its log:" >&2
        cat "$SERVER_LOG" >&2
        exit 1
    fi
    sleep 0.5
done

npx --yes "newman@${NEWMAN_VERSION}" run resources/postman_collection.json \
    --env-var "baseUrl=${BASE_URL}" --env-var "apiKey=${API_KEY}" --working-dir . "$@"
