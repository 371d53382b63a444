#!/usr/bin/env bash
# bench.sh — what `make bench` runs: one WebDAV workload, side by side, against
# parvis, Apache httpd mod_dav, nginx (dav + dav_ext) and rclone serve webdav;
# then one CalDAV workload against parvis, Radicale and Cyrus IMAP's httpd.
#
#   bash scripts/bench.sh            full run (4 to 7 minutes)
#   bash scripts/bench.sh -quick     smoke test: small sizes (BENCH_QUICK=1 does the same)
#   bash scripts/bench.sh -storage   only the storage section: parvis on local files vs S3
#                                    (a loopback MinIO), and the replication lag to a partner
#   BENCH_DATA_DIR=/var/tmp bash scripts/bench.sh    data folders on disk instead of tmpfs
#   BENCH_PARVIS=/path/to/parvis bash scripts/bench.sh  that binary instead of building the work tree
#
# Every server is started here on 127.0.0.1, on a free port, with a fresh
# temporary data folder, twice: once for the "small" phase (small-file PUT and
# GET, PROPFIND, mixed 64-client workload) and once, fresh, for the "big" phase
# (1 GiB PUT and GET, and the peak RSS they cause). The load generator is the Go
# program in bench/; it writes one JSON result per server and phase, merged at
# the end into a Markdown table printed on stdout and saved, with its JSON, as
# bench/results/latest.{md,json} (quick.{md,json} for -quick). The CalDAV
# phase ("caldav") runs once per CalDAV server, on a fresh instance too, and
# makes a second table. A server that does not build or start gets
# "failed: …" cells; the others still run.
# Everything started here is stopped on exit, and the temporary folders removed.
#
# The servers' data folders are on tmpfs (/dev/shm) by default: on this kind of
# VM, creating a file on the ext4 disk takes 0.3 to 0.9 ms, varying with the
# neighbours, which would cap every server near 1,000 PUT/s and hide the
# differences between them. On tmpfs fsync costs nothing, so a server that
# syncs (parvis's SQLite) is not charged for it: run with BENCH_DATA_DIR on
# disk to see that cost.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=""
ONLY_STORAGE=""
case "${1:-}" in
-quick | --quick) QUICK=-quick ;;
-storage | --storage) ONLY_STORAGE=1 ;;
"") ;;
*) echo "usage: $0 [-quick | -storage]" >&2 && exit 2 ;;
esac
[[ "${BENCH_QUICK:-}" == 1 ]] && QUICK=-quick
OUT=bench/results/latest
[[ -n $QUICK ]] && OUT=bench/results/quick

SERVERS=(parvis apache nginx rclone)
CAL_SERVERS=(parvis radicale cyrus)
PACKAGES=(apache2 nginx-light libnginx-mod-http-dav-ext rclone radicale cyrus-imapd cyrus-caldav sasl2-bin)

log() { echo "bench.sh: $*" >&2; }

# install_packages installs the reference servers with apt-get if any is
# missing, without letting the packages start their system services.
install_packages() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		dpkg -s "$p" 2>/dev/null | grep '^Status: install ok installed' >/dev/null || missing+=("$p")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	log "installing ${missing[*]}"
	local sudo=""
	[[ $EUID -ne 0 ]] && sudo=sudo
	local policy=/usr/sbin/policy-rc.d made_policy=""
	if [[ ! -e $policy ]]; then # keep apt from starting apache2/nginx on port 80, cyrus on 143, radicale on 5232
		printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy" && made_policy=1
	fi
	local rc=0
	{ $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; } || rc=$?
	[[ -n $made_policy ]] && $sudo rm -f "$policy"
	return $rc
}

# --- process control --------------------------------------------------------

PID=""      # root process of the server under test
URL=""      # its WebDAV root
ORIGIN=""   # its CalDAV entry point, http://127.0.0.1:PORT/, where discovery starts
CALENDAR="" # the calendar the CalDAV phase fills, if it exists already (parvis: the group agenda)
BULK=""     # whether the CalDAV phase may load events with one whole-calendar PUT (Radicale)
DAV_USER="" # HTTP Basic credentials, empty for servers without authentication
DAV_PASS=""

# running PID: whether the process exists and is not a zombie.
running() {
	local state
	state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [[ $state != Z ]]
}

# stop_server stops $PID: SIGTERM, then after 10 s SIGKILL for it and the
# workers it had (Apache and nginx stop their own workers on SIGTERM).
stop_server() {
	[[ -z $PID ]] && return 0
	local kids i k
	kids=$(pgrep -P "$PID" || true)
	kill -TERM "$PID" 2>/dev/null || true
	for i in $(seq 100); do
		running "$PID" || break
		sleep 0.1
	done
	if running "$PID"; then
		log "server $PID ignored SIGTERM; killing it"
		kill -KILL "$PID" 2>/dev/null || true
	fi
	for k in $kids; do
		running "$k" && kill -KILL "$k" 2>/dev/null
	done
	wait "$PID" 2>/dev/null || true
	PID=""
}

cleanup() {
	stop_server
	stop_minios
	[[ -n ${DATA:-} ]] && rm -rf "$DATA"
	[[ -n ${TMP:-} ]] && rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# logtail DIR: the last lines of the server's logs, for failure reasons.
logtail() { tail -q -n 5 "$1"/*.log 2>/dev/null | tr -s '\n' ' ' | cut -c1-400; }

# await URL DIR [bench wait flags]: wait until the server answers.
await() {
	"$BENCH" wait -url "$1" -pid "$PID" -timeout 30s "${@:3}" || {
		echo "log: $(logtail "$2")" >&2
		return 1
	}
}

# --- the servers ------------------------------------------------------------
# start_NAME DIR starts one server with everything under DIR, sets PID, URL,
# DAV_USER and DAV_PASS, and returns non-zero (the reason on stderr) if the
# server does not come up.

start_parvis() {
	local dir=$1 port cmd
	if [[ ! -x $TMP/parvis ]]; then
		echo "build: $(tail -n 3 "$TMP/parvis-build.log" | tr -s '\n' ' ')" >&2
		return 1
	fi
	DAV_USER=bench@example.org DAV_PASS=bench-password-1234
	mkdir -p "$dir/data"
	for cmd in "person add $DAV_USER" "group add bench" "group grant bench $DAV_USER --role member"; do
		# shellcheck disable=SC2086 # cmd is split on purpose
		if ! "$TMP/parvis" admin $cmd --data "$dir/data" <<<"$DAV_PASS" >>"$dir/admin.log" 2>&1; then
			echo "parvis admin $cmd: $(tail -n 3 "$dir/admin.log" | tr -s '\n' ' ')" >&2
			return 1
		fi
	done
	port=$("$BENCH" freeport)
	"$TMP/parvis" serve --data "$dir/data" --listen "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
	PID=$! URL=http://127.0.0.1:$port/dav/files/bench/ ORIGIN=http://127.0.0.1:$port/ CALENDAR="bench~agenda"
	await "http://127.0.0.1:$port/healthz" "$dir" -status 200
}

# Apache: event MPM with Debian's default sizes, except that spare processes
# are never reaped (so their RSS is still there to read) and keep-alive
# connections are never closed by request count. No access log.
start_apache() {
	local dir=$1 port m=/usr/lib/apache2/modules
	port=$("$BENCH" freeport)
	mkdir -p "$dir/data" "$dir/lock"
	[[ $EUID -eq 0 ]] && chown -R www-data:www-data "$dir/data" "$dir/lock"
	cat >"$dir/httpd.conf" <<EOF
ServerRoot "$dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$dir/httpd.pid"
ErrorLog "$dir/error.log"
DefaultRuntimeDir "$dir"
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule dav_module $m/mod_dav.so
LoadModule dav_fs_module $m/mod_dav_fs.so
$([[ $EUID -eq 0 ]] && echo "User www-data
Group www-data")
StartServers 2
ThreadsPerChild 25
MaxRequestWorkers 150
MinSpareThreads 25
MaxSpareThreads 150
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 15
Timeout 300
LimitRequestBody 0
DocumentRoot "$dir/data"
DAVLockDB "$dir/lock/DAVLock"
<Directory />
  Require all denied
  AllowOverride None
</Directory>
<Directory "$dir/data">
  Dav On
  Options None
  Require all granted
</Directory>
EOF
	apache2 -f "$dir/httpd.conf" -DFOREGROUND >"$dir/server.log" 2>&1 &
	PID=$! URL=http://127.0.0.1:$port/
	await "$URL" "$dir"
}

# nginx: 2 workers, the stock dav module for PUT/DELETE/MKCOL/COPY/MOVE and
# dav_ext for PROPFIND/OPTIONS. No access log.
start_nginx() {
	local dir=$1 port
	port=$("$BENCH" freeport)
	mkdir -p "$dir/data" "$dir/tmp"
	[[ $EUID -eq 0 ]] && chown -R www-data:www-data "$dir/data" "$dir/tmp"
	cat >"$dir/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;
daemon off;
worker_processes 2;
$([[ $EUID -eq 0 ]] && echo "user www-data www-data;")
pid "$dir/nginx.pid";
error_log "$dir/error.log" warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path "$dir/tmp/body";
  proxy_temp_path "$dir/tmp/proxy";
  fastcgi_temp_path "$dir/tmp/fastcgi";
  uwsgi_temp_path "$dir/tmp/uwsgi";
  scgi_temp_path "$dir/tmp/scgi";
  server {
    listen 127.0.0.1:$port;
    root "$dir/data";
    location / {
      dav_methods PUT DELETE MKCOL COPY MOVE;
      dav_ext_methods PROPFIND OPTIONS;
      create_full_put_path on;
      client_max_body_size 0;
    }
  }
}
EOF
	nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/server.log" 2>&1 &
	PID=$! URL=http://127.0.0.1:$port/
	await "$URL" "$dir"
}

# rclone: its defaults (no VFS cache).
start_rclone() {
	local dir=$1 port
	port=$("$BENCH" freeport)
	mkdir -p "$dir/data"
	touch "$dir/rclone.conf"
	rclone serve webdav "$dir/data" --addr "127.0.0.1:$port" --config "$dir/rclone.conf" \
		--log-file "$dir/server.log" >"$dir/stdout.log" 2>&1 &
	PID=$! URL=http://127.0.0.1:$port/
	await "$URL" "$dir"
}

# Radicale (CalDAV only): its multifilesystem storage, HTTP Basic against a
# plain htpasswd file, owner_only rights, warnings only in the log. Its PUT
# slows down as the calendar grows (each one scans the collection), so it may
# load what is left of the events with one whole-calendar PUT (bench -bulk-fill).
start_radicale() {
	local dir=$1 port
	port=$("$BENCH" freeport)
	DAV_USER=bench DAV_PASS=bench-password-1234
	mkdir -p "$dir/collections"
	echo "$DAV_USER:$DAV_PASS" >"$dir/users"
	cat >"$dir/radicale.conf" <<EOF
[server]
hosts = 127.0.0.1:$port
[auth]
type = htpasswd
htpasswd_filename = $dir/users
htpasswd_encryption = plain
[rights]
type = owner_only
[storage]
filesystem_folder = $dir/collections
[logging]
level = warning
EOF
	radicale --config "$dir/radicale.conf" >"$dir/server.log" 2>&1 &
	PID=$! ORIGIN=http://127.0.0.1:$port/ CALENDAR=bench BULK=1
	await "$ORIGIN" "$dir"
}

# Cyrus IMAP (CalDAV only): a private instance, its own imapd.conf and
# cyrus.conf with every path under DIR, an IMAP service (to create the user's
# mailbox, which holds their calendars) and an httpd service with the caldav
# and carddav modules, on free loopback ports. `master` runs in the foreground
# and drops to the cyrus user itself. Passwords are in a private sasldb
# (saslpasswd2 -f). Cyrus logs to syslog
# only, so a failure's reason is in the script's own messages.
start_cyrus() {
	local dir=$1 iport hport d conf=$1/imapd.conf bin=/usr/lib/cyrus/bin
	[[ -x $bin/master && -x $bin/httpd ]] || {
		echo "cyrus-imapd or cyrus-caldav is not installed" >&2
		return 1
	}
	iport=$("$BENCH" freeport)
	hport=$("$BENCH" freeport)
	DAV_USER=bench DAV_PASS=bench-password-1234
	local admin_pass=bench-admin-1234
	for d in conf/db conf/socket conf/proc conf/log conf/msg conf/ptclient conf/quota conf/user conf/sync \
		conf/lock spool proc lock socket tmp sieve; do
		mkdir -p "$dir/$d"
	done
	cat >"$conf" <<EOF
configdirectory: $dir/conf
defaultpartition: default
partition-default: $dir/spool
proc_path: $dir/proc
mboxname_lockpath: $dir/lock
sievedir: $dir/sieve
temp_path: $dir/tmp
lmtpsocket: $dir/socket/lmtp
idlesocket: $dir/socket/idle
notifysocket: $dir/socket/notify
servername: localhost
admins: cyrus
altnamespace: no
unixhierarchysep: yes
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $dir/sasldb2
sasl_mech_list: PLAIN LOGIN
httpmodules: caldav carddav
httpallowcompress: no
umask: 077
syslog_prefix: cyrus-bench
EOF
	cat >"$dir/cyrus.conf" <<EOF
START {
  recover cmd="ctl_cyrusdb -C $conf -r"
}
SERVICES {
  imap cmd="imapd -C $conf" listen="127.0.0.1:$iport" prefork=0
  http cmd="httpd -C $conf" listen="127.0.0.1:$hport" prefork=1
}
EVENTS {
}
DAEMON {
}
EOF
	# Cyrus looks users up in the realm of its servername (localhost); the
	# host name's realm too, in case a version uses that one.
	local realm
	for realm in localhost "$(hostname)"; do
		if ! printf %s "$DAV_PASS" | saslpasswd2 -p -c -f "$dir/sasldb2" -u "$realm" "$DAV_USER" ||
			! printf %s "$admin_pass" | saslpasswd2 -p -c -f "$dir/sasldb2" -u "$realm" cyrus; then
			echo "saslpasswd2 failed" >&2
			return 1
		fi
	done
	if [[ $EUID -eq 0 ]]; then
		chown -R cyrus:mail "$dir"
		chmod 640 "$dir/sasldb2"
	fi
	"$bin/master" -C "$conf" -M "$dir/cyrus.conf" -D -p "$dir/master.pid" >"$dir/server.log" 2>&1 &
	PID=$! ORIGIN=http://127.0.0.1:$hport/ CALENDAR=bench
	await "$ORIGIN" "$dir" || return 1
	"$BENCH" imap-create -addr "127.0.0.1:$iport" -user cyrus -pass "$admin_pass" -mailbox "user/$DAV_USER"
}

# run_one SERVER PHASE: start SERVER fresh, run PHASE of the workload against
# it, stop it. The result (or the reason there is none) goes to $RES.
run_one() {
	local srv=$1 phase=$2 dir=$DATA/$1-$2 limit=420 rc=0 extra=()
	[[ $phase == big ]] && limit=300
	mkdir -p "$dir"
	log "$srv: $phase phase"
	PID="" URL="" ORIGIN="" CALENDAR="" BULK="" DAV_USER="" DAV_PASS=""
	if ! "start_$srv" "$dir" 2>"$dir/start.err"; then
		log "$srv did not start: $(cat "$dir/start.err")"
		cp "$dir/start.err" "$RES/$srv-$phase.err"
	else
		if [[ $phase == caldav ]]; then
			URL=$ORIGIN
			extra=(-calendar "$CALENDAR")
			[[ -n $BULK ]] && extra+=(-bulk-fill)
		fi
		timeout -k 10 "$limit" "$BENCH" run -server "$srv" -phase "$phase" -url "$URL" "${extra[@]}" \
			-user "$DAV_USER" -pass "$DAV_PASS" -pid "$PID" -out "$RES/$srv-$phase.json" $QUICK || rc=$?
		if [[ $rc -ne 0 ]]; then
			local why="load generator exited with status $rc"
			[[ $rc -eq 124 ]] && why="load generator timed out after ${limit}s"
			echo "$why; server log: $(logtail "$dir")" >"$RES/$srv-$phase.err"
			rm -f "$RES/$srv-$phase.json"
		fi
	fi
	stop_server
	rm -rf "$dir"
}

# --- the storage section ----------------------------------------------------
# Parvis twice, on local files and on S3 (a MinIO on loopback), each with a
# partner MinIO and /metrics on, so that the bench can watch the replication.
# The partner's age recipients are throwaway public keys: nothing is decrypted.

MINIO_PIDS=()
MINIO_ADDR=""
RECIPIENTS="age12v8x828qutk6nw2mafpxprhk0k0ahe2e7uryrh6qfsjy0nr30pcszj4dx9 age1wtq0gn8dufd3rc6qmjtecnn6usjdd9mrk23mh0557keyxnpqsfcq2ua5hr"
METRICS_TOKEN=bench-metrics-token

# minio_bin: the pinned MinIO that scripts/test-deps.sh installs.
minio_bin() {
	command -v minio || echo "$(go env GOPATH)/bin/minio"
}

# start_minio DIR: a MinIO server on a free loopback port over DIR; sets MINIO_ADDR.
start_minio() {
	local dir=$1 port cport bin
	bin=$(minio_bin)
	[[ -x $bin ]] || {
		echo "minio is not installed: run scripts/test-deps.sh" >&2
		return 1
	}
	port=$("$BENCH" freeport)
	cport=$("$BENCH" freeport)
	mkdir -p "$dir"
	MINIO_ROOT_USER=bench MINIO_ROOT_PASSWORD=bench-secret-1234 MINIO_UPDATE=off MINIO_BROWSER=off \
		"$bin" server --quiet --address "127.0.0.1:$port" --console-address "127.0.0.1:$cport" "$dir" >"$dir.log" 2>&1 &
	MINIO_PIDS+=($!)
	MINIO_ADDR=127.0.0.1:$port
	"$BENCH" wait -url "http://$MINIO_ADDR/minio/health/ready" -status 200 -pid $! -timeout 60s
	sleep 1 # ready may come a moment before it accepts bucket operations
}

stop_minios() {
	local p
	for p in "${MINIO_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	MINIO_PIDS=()
}

# start_parvis_store DIR DRIVER: parvis with blobs on DRIVER (fs or s3), replicating to a partner.
start_parvis_store() {
	local dir=$1 driver=$2 port cmd
	[[ -x $TMP/parvis ]] || {
		echo "build: $(tail -n 3 "$TMP/parvis-build.log" | tr -s '\n' ' ')" >&2
		return 1
	}
	start_minio "$dir/partner" || return 1
	export PARVIS_REPLICA_ENDPOINT=$MINIO_ADDR PARVIS_REPLICA_BUCKET=partner PARVIS_REPLICA_ACCESS_KEY=bench \
		PARVIS_REPLICA_SECRET_KEY=bench-secret-1234 PARVIS_REPLICA_PATH_STYLE=true PARVIS_REPLICA_RECIPIENTS=$RECIPIENTS \
		PARVIS_METRICS_TOKEN=$METRICS_TOKEN PARVIS_STORAGE_DRIVER=$driver
	if [[ $driver == s3 ]]; then
		start_minio "$dir/primary" || return 1
		export PARVIS_S3_ENDPOINT=$MINIO_ADDR PARVIS_S3_BUCKET=parvis PARVIS_S3_ACCESS_KEY=bench \
			PARVIS_S3_SECRET_KEY=bench-secret-1234 PARVIS_S3_PATH_STYLE=true
	fi
	DAV_USER=bench@example.org DAV_PASS=bench-password-1234
	mkdir -p "$dir/data"
	for cmd in "person add $DAV_USER" "group add bench" "group grant bench $DAV_USER --role member"; do
		# shellcheck disable=SC2086 # cmd is split on purpose
		if ! "$TMP/parvis" admin $cmd --data "$dir/data" <<<"$DAV_PASS" >>"$dir/admin.log" 2>&1; then
			echo "parvis admin $cmd: $(tail -n 3 "$dir/admin.log" | tr -s '\n' ' ')" >&2
			return 1
		fi
	done
	port=$("$BENCH" freeport)
	"$TMP/parvis" serve --data "$dir/data" --listen "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
	PID=$! URL=http://127.0.0.1:$port/dav/files/bench/ ORIGIN=http://127.0.0.1:$port/
	await "http://127.0.0.1:$port/healthz" "$dir" -status 200
}

# run_storage DRIVER: the storage phase against parvis on DRIVER; result in $RES/parvis-DRIVER-storage.json.
run_storage() {
	local driver=$1 name=parvis-$1 dir=$DATA/parvis-$1-storage rc=0
	mkdir -p "$dir"
	log "$name: storage phase"
	PID="" URL="" ORIGIN=""
	if ! start_parvis_store "$dir" "$driver" 2>"$dir/start.err"; then
		log "$name did not start: $(cat "$dir/start.err")"
		cp "$dir/start.err" "$RES/$name-storage.err"
	else
		timeout -k 10 420 "$BENCH" run -server "$name" -phase storage -url "$URL" -user "$DAV_USER" \
			-pass "$DAV_PASS" -metrics "${ORIGIN}metrics" -token "$METRICS_TOKEN" \
			-out "$RES/$name-storage.json" $QUICK || rc=$?
		[[ $rc -ne 0 ]] && echo "load generator exited with status $rc; server log: $(logtail "$dir")" >"$RES/$name-storage.err"
	fi
	stop_server
	stop_minios
	unset "${!PARVIS_@}"
	rm -rf "$dir"
}

# --- main -------------------------------------------------------------------

[[ -z $ONLY_STORAGE ]] && install_packages
TMP=$(mktemp -d "${TMPDIR:-/tmp}/parvis-bench.XXXXXX")
chmod 755 "$TMP" # Apache's and nginx's workers run as www-data
RES=$TMP/results
# data_parent: BENCH_DATA_DIR, else /dev/shm if it has room for the 1 GiB file, else $TMP.
data_parent() {
	if [[ -n ${BENCH_DATA_DIR:-} ]]; then
		echo "$BENCH_DATA_DIR"
	elif [[ -w /dev/shm ]] && (($(df -Pk /dev/shm | awk 'NR==2 {print $4}') > 3 * 1024 * 1024)); then
		echo /dev/shm
	else
		echo "$TMP"
	fi
}
DATA=$(mktemp -d "$(data_parent)/parvis-bench-data.XXXXXX")
chmod 755 "$DATA"
mkdir -p "$RES"
BENCH=$TMP/bench
go build -o "$BENCH" ./bench
if [[ -n ${BENCH_PARVIS:-} ]]; then
	cp "$BENCH_PARVIS" "$TMP/parvis" 2>"$TMP/parvis-build.log" || log "cannot use BENCH_PARVIS=$BENCH_PARVIS"
else
	log "building parvis"
	go build -o "$TMP/parvis" . >"$TMP/parvis-build.log" 2>&1 ||
		log "parvis does not build: $(tail -n 1 "$TMP/parvis-build.log")"
fi

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r)"
	echo "parvis: commit $(git rev-parse --short HEAD 2>/dev/null || echo none), $(go version | cut -d' ' -f3)"
	echo "apache: $(apache2 -v | sed -n 's/^Server version: //p')"
	echo "nginx: $(nginx -v 2>&1 | sed 's/^nginx version: //'), dav_ext $(dpkg-query -W -f='${Version}' libnginx-mod-http-dav-ext 2>/dev/null)"
	echo "rclone: $(rclone version 2>/dev/null | head -n 1)"
	echo "radicale: $(radicale --version 2>/dev/null)"
	echo "cyrus: cyrus-imapd $(dpkg-query -W -f='${Version}' cyrus-imapd 2>/dev/null), cyrus-caldav $(dpkg-query -W -f='${Version}' cyrus-caldav 2>/dev/null)"
	echo "data folders: $(dirname "$DATA") ($(stat -f -c %T "$DATA"))"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (above ~0.5, other work on the machine skews the figures)"
} >"$RES/meta.txt"

echo "minio: $("$(minio_bin)" --version 2>/dev/null | head -n 1)" >>"$RES/meta.txt"

STORAGE_OUT=bench/results/storage
[[ -n $QUICK ]] && STORAGE_OUT=bench/results/storage-quick
if [[ -z $ONLY_STORAGE ]]; then
	for srv in "${SERVERS[@]}"; do
		for phase in small big; do
			run_one "$srv" "$phase"
		done
	done
	for srv in "${CAL_SERVERS[@]}"; do
		run_one "$srv" caldav
	done
	"$BENCH" report -dir "$RES" -json "$OUT.json" -md "$OUT.md" $QUICK
	log "wrote $OUT.md and $OUT.json"
fi
for driver in fs s3; do
	run_storage "$driver"
done
"$BENCH" storage-report -dir "$RES" -md "$STORAGE_OUT.md" $QUICK
log "wrote $STORAGE_OUT.md"
