#!/usr/bin/env bash
# The real syslog daemons tests/test_shippers.py runs (as its own processes, on loopback ports):
#   syslog-ng with its http() module: Debian's syslog-ng-core and syslog-ng-mod-http, installed;
#   rsyslog: Debian's rsyslog, or, where it cannot be installed beside syslog-ng (both packages are
#   "the system logger" and conflict), the package unpacked into build/rsyslog, its libraries installed.
# Nothing already installed is removed (apt-get --no-remove), and a system service a package starts is
# stopped and disabled again: the tests never need one.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
APT=($SUDO env DEBIAN_FRONTEND=noninteractive apt-get)
updated=""
apt_update() { [ -n "$updated" ] || { "${APT[@]}" update -qq; updated=1; }; }

if ! ls /usr/lib/syslog-ng/*/libhttp.so >/dev/null 2>&1; then
  had_syslog_ng="$(command -v syslog-ng || true)"
  apt_update
  if "${APT[@]}" install -y -qq --no-remove syslog-ng-core syslog-ng-mod-http; then
    [ -n "$had_syslog_ng" ] || $SUDO systemctl disable --now syslog-ng.service >/dev/null 2>&1 || true
  else
    echo "syslog-ng could not be installed (another system logger?): its test will be skipped" >&2
  fi
fi

if ! command -v rsyslogd >/dev/null && [ ! -x /usr/sbin/rsyslogd ] && [ ! -x build/rsyslog/usr/sbin/rsyslogd ]; then
  apt_update
  deps="$(apt-cache depends rsyslog | awk '/ Depends:/ {print $2}' | grep -v '^<' | sort -u)"
  # shellcheck disable=SC2086  # one package name per word
  "${APT[@]}" install -y -qq --no-remove --no-upgrade $deps
  download="$(mktemp -d)"
  (cd "$download" && apt-get download rsyslog 2>/dev/null)
  rm -rf build/rsyslog && mkdir -p build/rsyslog
  dpkg-deb -x "$download"/rsyslog_*.deb build/rsyslog
  rm -rf "$download"
fi
