#!/usr/bin/env bash
# Build and run the neurom2 Docker image on a machine with a docker client but no running engine and no
# reachable registry (a private engine and a locally made base image).  Needs root, Debian's archive and PyPI.
#
#   bash scripts/container.sh [test]   build the image with a private engine, run it, stop the engine
#   eval "$(bash scripts/container.sh start)"    start a private engine, keep it running, and set
#                                      DOCKER_HOST and DOCKER_BUILDKIT=0 in your shell: then the documented (docs/batch.md)
#                                      `docker build --network host` and `docker run` commands work
#   bash scripts/container.sh stop     stop that engine and delete its folder (images included)
#
# The steps: apt-get install docker.io debootstrap; a dockerd in a short temporary
# folder with no host networking (bridge, iptables, forwarding all off); the classic builder
# (DOCKER_BUILDKIT=0, the client has no buildx); the base image debian:bookworm-slim made locally by
# debootstrap --variant=minbase, slimmed like the official image (its dpkg excludes included, so that
# later apt installs skip docs and man pages as they do on the real slim image) with the host's
# /usr/local/share/ca-certificates/*.crt added (pip then trusts an intercepting HTTPS proxy); then
# `docker build --network host` and `docker run --network none`.
#
# `test` prints progress on stderr and, on stdout, lines for tests/test_container.py:
#   timing STEP SECONDS         for tools, engine, base, build, run, cleanup, total
#   result NAME JSON            image (size, user, entrypoint), doctor, dim, implicit, kernels, batch, doctor_store
#   container: ok               last line, when every check passed (exit status 0)
# `result batch` is printed only when the image has `neurom2 batch`; otherwise `skipped batch: REASON`.
#
# Environment:
#   NEUROM2_CONTAINER_CACHE  folder keeping the slimmed debootstrap tarball between runs; default
#                            /var/cache/neurom2-container, but none under CI=true (CI starts clean);
#                            set it empty for no cache
#   NEUROM2_IMAGE            image tag (default neurom2:test)
#   NEUROM2_CONTAINER_JOBS   job file for the batch run (default: examples/sweep.toml)
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-test}"
image="${NEUROM2_IMAGE:-neurom2:test}"
if [ -n "${NEUROM2_CONTAINER_CACHE+set}" ]; then
    cache="$NEUROM2_CONTAINER_CACHE"
elif [ "${CI:-}" = true ]; then
    cache=""
else
    cache=/var/cache/neurom2-container
fi
persistent=/tmp/n2docker  # the engine of `start`/`stop`; short, as unix socket paths must be < 108 bytes
export DOCKER_BUILDKIT=0

log() { printf 'container: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# step NAME COMMAND...: run COMMAND, then report its duration as `timing NAME SECONDS`.
step() {
    local name="$1" t0="$EPOCHREALTIME"
    shift
    log "$name ..."
    "$@"
    local seconds
    seconds="$(since "$t0")"
    echo "timing $name $seconds"
    log "$name: $seconds s"
}

install_tools() {
    [ "$(id -u)" -eq 0 ] || die "needs root (apt-get install, dockerd, debootstrap)"
    if command -v dockerd >/dev/null && command -v debootstrap >/dev/null && command -v docker >/dev/null; then
        return
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io debootstrap >/dev/null
}

# start_engine DIR: a dockerd whose every file is under DIR, in its own session (a Ctrl-C reaches only
# this script, whose trap stops it); DOCKER_HOST points at it.  Its PID is in DIR/pid (its --pidfile).
start_engine() {
    local dir="$1"
    mkdir -p "$dir"
    setsid -f dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/pid" \
        -H "unix://$dir/docker.sock" --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
        >"$dir/dockerd.log" 2>&1 </dev/null
    export DOCKER_HOST="unix://$dir/docker.sock"
    for _ in $(seq 120); do
        docker info >/dev/null 2>&1 && return
        if grep -q "failed to start daemon" "$dir/dockerd.log"; then
            tail -5 "$dir/dockerd.log" >&2
            die "dockerd did not start"
        fi
        sleep 0.5
    done
    tail -20 "$dir/dockerd.log" >&2
    die "dockerd did not answer within 60 s"
}

# stop_engine DIR: stop the dockerd of DIR and the containerd it started (by their PID files), unmount
# what they left under DIR, delete DIR.
stop_engine() {
    local dir="$1" pidfile pid
    [ -d "$dir" ] || return 0
    for pidfile in "$dir/pid" "$dir/exec/containerd/containerd.pid"; do
        pid="$(cat "$pidfile" 2>/dev/null || true)"
        # only a live process started for DIR: its command line names DIR
        if [ -z "$pid" ] || ! grep -qF "$dir/" "/proc/$pid/cmdline" 2>/dev/null; then continue; fi
        kill "$pid"
        for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    done
    awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r mount; do
        umount -l "$mount" || true
    done
    rm -rf --one-file-system "$dir"
}

# slim ROOTFS: what the official slim image drops, and its dpkg excludes so that it stays dropped.
slim() {
    local root="$1"
    cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# The "slim" variant: files rarely needed in containers are not installed.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
    cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
EOF
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$root"/usr/share/{groff,info,linda,lintian,locale,man}/* "$root"/var/lib/apt/lists/* \
        "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log \
        "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
    : >"$root/etc/hostname"  # debootstrap copied the host's; docker provides its own at run time
    : >"$root/etc/resolv.conf"
}

# make_base DIR: import debian:bookworm-slim, made by debootstrap (or taken from the cache), plus the
# host's extra CA certificates.
make_base() {
    local dir="$1" tarball="$1/base.tar"
    if [ -n "$cache" ] && [ -f "$cache/bookworm-slim.tar" ]; then
        log "base: from the cache $cache/bookworm-slim.tar"
        cp "$cache/bookworm-slim.tar" "$tarball"
    else
        debootstrap --variant=minbase bookworm "$dir/rootfs" >"$dir/debootstrap.log" 2>&1 \
            || { tail -20 "$dir/debootstrap.log" >&2; die "debootstrap failed"; }
        slim "$dir/rootfs"
        tar --numeric-owner -C "$dir/rootfs" -cf "$tarball" .
        rm -rf --one-file-system "$dir/rootfs"
        if [ -n "$cache" ]; then
            mkdir -p "$cache"
            cp "$tarball" "$cache/bookworm-slim.tar.partial"
            mv "$cache/bookworm-slim.tar.partial" "$cache/bookworm-slim.tar"
        fi
    fi
    local certs=()
    shopt -s nullglob
    certs=(/usr/local/share/ca-certificates/*.crt)
    shopt -u nullglob
    if [ "${#certs[@]}" -gt 0 ]; then
        log "base: adding ${#certs[@]} CA certificate(s) of /usr/local/share/ca-certificates"
        tar --numeric-owner --owner=0 --group=0 -C / -rf "$tarball" "${certs[@]#/}"
    fi
    docker import "$tarball" debian:bookworm-slim >/dev/null
    rm -f "$tarball"
}

build_image() {
    local dir="$1"
    docker build --network host -t "$image" . >"$dir/build.log" 2>&1 || { tail -40 "$dir/build.log" >&2; die "docker build failed"; }
}

# result NAME COMMAND...: run COMMAND, which prints JSON, and print it as `result NAME <one line>`.
result() {
    local name="$1" out
    shift
    out="$("$@")" || { printf '%s\n' "$out" >&2; die "$name: failed"; }
    out="$(python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)))' <<<"$out")" || die "$name: no JSON"
    echo "result $name $out"
}

# run_checks DIR: the image's metadata, then neurom2 in containers without network.
run_checks() {
    local dir="$1" size user entrypoint
    size="$(docker image inspect -f '{{.Size}}' "$image")"
    user="$(docker image inspect -f '{{.Config.User}}' "$image")"
    entrypoint="$(docker image inspect -f '{{json .Config.Entrypoint}}' "$image")"
    echo "result image {\"tag\": \"$image\", \"size\": $size, \"user\": \"$user\", \"entrypoint\": $entrypoint}"
    log "image $image: $((size / 1000000)) MB, user $user, entrypoint $entrypoint"
    [ "$user" != "" ] && [ "$user" != root ] && [ "${user%%:*}" != 0 ] || die "the image runs as root"

    # The checks of `neurom2 doctor` (Macaulay2, the Neurom2 package inside the wheel, a computation,
    # the Python dependencies), called directly: the subcommand may not be wired in this checkout.
    result doctor docker run --rm --network none --entrypoint python3 "$image" \
        -c 'import sys; from neurom2.doctor import run_doctor; sys.exit(run_doctor(as_json=True))'

    # As the image's user (uid 1000), and as a uid the image does not know (what --user "$(id -u)" gives).
    result dim docker run --rm --network none "$image" dim --widths 3,2,1 --activation x^2 --json
    result implicit docker run --rm --network none --user 4242:4242 "$image" implicit --widths 3,2,3 --activation x --json
    # The secant count's kernels, compiled when the image was built: loaded from its numba cache, whatever the uid.
    result kernels docker run --rm --network none --user 4242:4242 --entrypoint python3 "$image" \
        -c 'import json; from neurom2.training.secant import compile_kernels; print(json.dumps({"seconds": compile_kernels()}))'

    if ! docker run --rm --network none "$image" batch --help >/dev/null 2>&1; then
        echo "skipped batch: this checkout's neurom2 has no batch command"
        return
    fi
    # The documented command (docs/batch.md) as written, on the example sweep: the folder mounted at /data belongs to the
    # image's user, as $PWD does on a machine whose user has uid 1000.
    local data="$dir/work"
    mkdir -p "$data"
    cp "${NEUROM2_CONTAINER_JOBS:-examples/sweep.toml}" "$data/jobs.toml"
    chown -R 1000:1000 "$data"
    (cd "$data" && docker run --rm --network none -v "$PWD:/data" "$image" batch /data/jobs.toml --db /data/results.sqlite) \
        >"$dir/batch.log" 2>&1 || { tail -40 "$dir/batch.log" >&2; die "neurom2 batch failed in the container"; }
    tail -2 "$dir/batch.log" >&2
    # Read from the host: the store is a plain SQLite file.
    result batch python3 - "$data/results.sqlite" <<'EOF'
import json, sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
print(json.dumps({
    "tables": tables,
    "meta": dict(db.execute("SELECT name, value FROM meta")),
    "status": dict(db.execute("SELECT status, count(*) FROM results GROUP BY status")),
}))
EOF
    # The doctor, inside the image, on that store (results.sqlite in its working directory /data).
    result doctor_store docker run --rm --network none -v "$data:/data" --entrypoint python3 "$image" \
        -c 'import sys; from neurom2.doctor import run_doctor; sys.exit(run_doctor(as_json=True))'
}

case "$mode" in
    test)
        t0="$EPOCHREALTIME"
        step tools install_tools
        dir="$(mktemp -d /tmp/n2d.XXXXXX)"
        trap 'stop_engine "$dir"' EXIT
        trap 'exit 130' INT TERM
        step engine start_engine "$dir"
        step base make_base "$dir"
        step build build_image "$dir"
        step run run_checks "$dir"
        step cleanup stop_engine "$dir"  # deleting the engine's ~1.5 GB of files takes a while
        trap - EXIT
        echo "timing total $(since "$t0")"
        echo "container: ok"
        ;;
    start)
        if [ -S "$persistent/docker.sock" ] && DOCKER_HOST="unix://$persistent/docker.sock" docker info >/dev/null 2>&1; then
            log "an engine is already running in $persistent"
        else
            install_tools
            stop_engine "$persistent"
            start_engine "$persistent"
            make_base "$persistent" >&2
            log "engine running in $persistent, with the base image debian:bookworm-slim; stop it with: bash scripts/container.sh stop"
        fi
        echo "export DOCKER_HOST=unix://$persistent/docker.sock DOCKER_BUILDKIT=0"
        ;;
    stop)
        stop_engine "$persistent"
        log "engine in $persistent stopped and removed"
        ;;
    *)
        echo "usage: bash scripts/container.sh [test|start|stop]" >&2
        exit 2
        ;;
esac
