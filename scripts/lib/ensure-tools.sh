# Sourced by start.sh and test.sh: make sure the tools Ordo needs are present, installing
# what is missing, so that a fresh machine needs nothing but Node.js and these scripts.
# shellcheck shell=bash

ORDO_PNPM_VERSION="10.34.8"

log() { printf '\033[1m[ordo]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[ordo] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$apt_updated" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

ensure_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20.19 or newer is required (https://nodejs.org or 'apt-get install nodejs')."
  local major minor
  IFS=. read -r major minor _ <<<"$(node -p 'process.versions.node')"
  if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    die "Node.js $(node -v) is too old: Ordo needs 20.19 or newer."
  fi
}

ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1; then return; fi
  log "installing pnpm $ORDO_PNPM_VERSION"
  npm install --global --loglevel=error "pnpm@$ORDO_PNPM_VERSION" >/dev/null \
    || as_root npm install --global --loglevel=error "pnpm@$ORDO_PNPM_VERSION" >/dev/null \
    || die "could not install pnpm; install it yourself (npm install -g pnpm@$ORDO_PNPM_VERSION)"
}

install_dependencies() {
  log "installing dependencies"
  if [ "${CI:-}" = "true" ]; then
    pnpm install --frozen-lockfile --reporter=append-only >/dev/null
  else
    pnpm install --prefer-offline --reporter=append-only >/dev/null
  fi
}

build_all() {
  log "building protocol, agent, control plane and panel"
  pnpm run build >/dev/null
}
