#!/bin/sh
# Rebuilds ui/static/vendor/lucide/icons.svg: the few Lucide icons the pages use, taken unchanged
# from the lucide-static package's sprite (npm). Run by hand when the list or the version changes;
# the result is committed, so building Parvis needs no npm.
set -eu
VERSION=1.62.0
ICONS="folder file file-text file-image file-spreadsheet presentation file-archive file-music file-play users landmark calendar"
out=$(cd "$(dirname "$0")/.." && pwd)/ui/static/vendor/lucide
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "lucide-static@$VERSION" >/dev/null && tar xzf "lucide-static-$VERSION.tgz")
python3 - "$tmp/package/sprite.svg" "$out/icons.svg" "$VERSION" $ICONS <<'PY'
import re, sys
src, dst, version, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
sprite = open(src, encoding="utf-8").read()
parts = []
for n in names:
    m = re.search(r'<symbol id="%s".*?</symbol>' % re.escape(n), sprite, re.S)
    if not m:
        sys.exit("no icon named " + n)
    parts.append("    " + m.group(0))
with open(dst, "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n<!-- @license lucide-static v%s - ISC -->\n' % version)
    f.write('<svg xmlns="http://www.w3.org/2000/svg" version="1.1">\n  <defs>\n%s\n  </defs>\n</svg>\n' % "\n".join(parts))
PY
cp "$tmp/package/LICENSE" "$out/LICENSE"
