#!/usr/bin/env bash
# Makes a Docker-API engine available for the docker runtime's tests, idempotently: Debian's
# podman (+ runc) serving the Docker-compatible API on a unix socket, and the test image
# ordo-odoo-test:bookworm (Python 3.11 + venv + psql) imported into it. Each step is skipped
# when already done, so running it again takes a second. Exits non-zero, saying why, when the
# engine cannot be started.
#
#   scripts/podman/setup.sh               install what is missing (apt), start, import the image
#   scripts/podman/setup.sh --no-install  the same without apt-get (used by the test run)
#
# ORDO_PODMAN_SOCKET (default /run/ordo-podman.sock) is where the API listens; the agent's
# ORDO_AGENT_DOCKER_SOCKET (and the tests' ORDO_TEST_DOCKER_SOCKET) point there.
set -euo pipefail
cd "$(dirname "$0")/../.."

socket="${ORDO_PODMAN_SOCKET:-/run/ordo-podman.sock}"
service_log="${ORDO_PODMAN_LOG:-/var/log/ordo-podman.log}"
image="ordo-odoo-test:bookworm"
install=1
[ "${1:-}" = "--no-install" ] && install=0

log() { printf '\033[1m[ordo podman]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[ordo podman] %s\033[0m\n' "$*" >&2; exit 1; }

api() { curl --silent --show-error --max-time 120 --unix-socket "$socket" "$@"; }
engine_answers() { [ -S "$socket" ] && [ "$(api --max-time 5 http://d/_ping 2>/dev/null)" = "OK" ]; }

if engine_answers && api --fail -o /dev/null "http://d/images/$image/json" 2>/dev/null; then
  log "engine answers at $socket and has $image"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "podman's rootful API service needs root: run $0 as root (or with sudo)."

# 1. Packages.
missing=()
for program in podman runc debootstrap curl; do
  command -v "$program" >/dev/null 2>&1 || missing+=("$program")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$install" -eq 1 ] || die "missing ${missing[*]}: run scripts/podman/setup.sh as root once to install them."
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them."
  log "installing ${missing[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap curl >/dev/null \
    || die "apt-get could not install podman, runc, debootstrap and curl."
fi

# 2. Engine settings (a drop-in, so the distribution's containers.conf stays untouched).
dropin=/etc/containers/containers.conf.d/50-ordo.conf
if ! cmp -s scripts/podman/containers.conf "$dropin"; then
  log "writing $dropin (runtime runc, no default ulimits)"
  mkdir -p "$(dirname "$dropin")"
  cp scripts/podman/containers.conf "$dropin"
fi

# 3. The API service.
if ! engine_answers; then
  log "starting podman system service on unix://$socket (log: $service_log)"
  rm -f "$socket"
  mkdir -p "$(dirname "$service_log")"
  setsid nohup podman system service --time=0 "unix://$socket" >>"$service_log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    engine_answers && break
    sleep 0.5
  done
  engine_answers || { tail -20 "$service_log" >&2 || true; die "podman's API did not come up at $socket (its log is above)."; }
fi
log "engine answers at $socket ($(api http://d/version | sed -n 's/.*"Version":"\([^"]*\)".*/podman \1/p' | head -1))"

# 4. The test image: a Debian root filesystem (cached outside the repository) imported through
# the Engine API, there being no registry to pull from.
if ! api --fail -o /dev/null "http://d/images/$image/json" 2>/dev/null; then
  tarball="$(bash scripts/podman/build-rootfs.sh)"
  log "importing $tarball as $image"
  imported="$(api --fail -X POST -H 'Content-Type: application/x-tar' --data-binary "@$tarball" \
    "http://d/images/create?fromSrc=-&repo=${image%%:*}&tag=${image#*:}")" \
    || die "the engine refused to import $tarball."
  id="$(printf '%s' "$imported" | grep -o 'sha256:[0-9a-f]*' | tail -1)"
  [ -n "$id" ] || die "importing $tarball gave no image id: $imported"
  # podman ignores the tag of an import: name the image explicitly.
  api --fail -X POST "http://d/images/$id/tag?repo=${image%%:*}&tag=${image#*:}" \
    || die "could not tag $id as $image."
fi
api --fail -o /dev/null "http://d/images/$image/json" || die "$image is still missing after the import."
log "image $image is ready"
