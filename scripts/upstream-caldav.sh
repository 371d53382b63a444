#!/usr/bin/env bash
# Runs python-caldav's own functional suite (tests/test_caldav.py of the release Debian ships as
# python3-caldav, 0.11.0) against a fresh Parvis, strictly: no compatibility flag, the RFC 6638
# scheduling tests on, with three accounts. The suite is not in the repository (nor in Debian's
# binary package, nor reachable from the machines CI runs on): give the path of a checkout of the
# tag, e.g.
#
#     git clone --branch v0.11.0 https://github.com/python-caldav/caldav /tmp/python-caldav
#     make upstream-caldav CALDAV_SRC=/tmp/python-caldav
#
# What passes and what does not, and why, is in the README (Agendas, "python-caldav's suite").
set -euo pipefail
cd "$(dirname "$0")/.."

src=${1:-${CALDAV_SRC:-}}
if [[ -z $src || ! -f $src/tests/test_caldav.py ]]; then
	echo "usage: $0 PATH-TO-python-caldav-v0.11.0 (or CALDAV_SRC=…)" >&2
	exit 2
fi
for p in python3-caldav python3-pytest; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || {
		echo "$p is missing: apt-get install $p" >&2
		exit 2
	}
done

work=$(mktemp -d)
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/parvis" .
cp -r "$src/caldav" "$src/tests" "$work/"
cd "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
admin() { ./parvis admin "$@" >/dev/null; }
admin group add essais --name Essais
admin group set essais --requires-membership=false
for u in 1 2 3; do
	echo "upstream-suite-password-$u" | admin person add "u$u@parvis.test" --name "Essai $u"
	admin group grant essais "u$u@parvis.test" --role member
done
./parvis serve --listen "127.0.0.1:$port" >server.log 2>&1 &
pid=$!
for _ in $(seq 50); do
	curl -s -o /dev/null "http://127.0.0.1:$port/" && break
	sleep 0.2
done
base="http://127.0.0.1:$port/"
cat >tests/conf_private.py <<PY
test_public_test_servers = False
test_xandikos = False
test_radicale = False
caldav_servers = [{"url": "$base", "username": "u1@parvis.test", "password": "upstream-suite-password-1",
                   "incompatibilities": [],
                   "backwards_compatibility_url": "http://u1%40parvis.test:upstream-suite-password-1@127.0.0.1:$port/dav/calendars/1/"}]
rfc6638_users = [{"url": "$base", "username": "u%d@parvis.test" % i, "password": "upstream-suite-password-%d" % i} for i in (1, 2, 3)]
PY
# Debian's interpreter, which sees Debian's Python packages; the suite's own copy of the library
# (the same release) comes first on the path.
/usr/bin/python3 -m pytest -p no:cacheprovider -rfs tests/test_caldav.py || true
