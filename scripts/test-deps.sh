#!/usr/bin/env bash
# Installs the Debian packages the test suite needs on a fresh machine:
# the real WebDAV clients driven by test/clients (litmus, rclone, cadaver),
# the CalDAV/CardDAV clients driven by test/caldav (python3-caldav, vdirsyncer, khal),
# headless Chromium for the web page tests, nginx for the tests behind a reverse proxy, Postfix
# for the mailing lists relayed as the README sets them up (never started as the system's MTA),
# Mailman 3 for the lists an association keeps there (each test starts its own, on loopback)
# and the C toolchain that cgo (SQLite) and `go test -race` need.
# Idempotent and quick on a second run: apt is only touched when a
# package is missing.
set -euo pipefail

packages=(litmus rclone cadaver python3-caldav python3-icalendar vdirsyncer khal chromium gcc libc6-dev nginx postfix mailman3)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

install_minio() {
  # MinIO, for the S3 tests: built from its pinned module version (the proxy serves sources, no
  # binaries), once; `go install` caches it in GOPATH/bin, so later runs are instant.
  local version=v0.0.0-20260212201848-7aac2a2c5b7c
  local bin
  bin="$(go env GOPATH)/bin/minio"
  if [ ! -x "$bin" ] || [ "$(cat "$bin.version" 2>/dev/null)" != "$version" ]; then
    echo "test-deps: building minio $version (a few minutes, once)"
    GOFLAGS= go install "github.com/minio/minio@$version"
    echo "$version" > "$bin.version"
  fi
}
install_minio

if [ "${#missing[@]}" -eq 0 ]; then
  echo "test-deps: all present (${packages[*]}, minio)"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    echo "test-deps: missing ${missing[*]}, and not root (no sudo) to install them" >&2
    exit 1
  fi
fi

echo "test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}"
