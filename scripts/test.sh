#!/usr/bin/env bash
# Runs every check and test Ordo has: format, lint, typecheck, build, then all Vitest projects
# (unit, PostgreSQL integration, HTTP, and end-to-end in headless Chromium). Installs what it
# needs first: pnpm and the workspace packages, Chromium, and a running PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-tools.sh

pg_url="${ORDO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export ORDO_TEST_PG_URL="$pg_url"

ensure_chromium() {
  if [ -x "${ORDO_CHROMIUM:-/usr/bin/chromium}" ]; then return; fi
  log "installing Chromium (Debian package) for the browser tests"
  apt_install chromium || die "Chromium is missing and could not be installed: install Debian's 'chromium' package."
}

ensure_openssh() {
  # The Enterprise SSH key tests start a real sshd on loopback and connect to it with ssh.
  if [ -x /usr/sbin/sshd ] && command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1; then return; fi
  log "installing OpenSSH (Debian packages) for the Enterprise SSH key tests"
  apt_install openssh-client openssh-server || die "OpenSSH is missing and could not be installed: install Debian's 'openssh-client' and 'openssh-server' packages."
}

pg_ready() { node scripts/lib/pg-ready.mjs "$pg_url"; }

ensure_postgres() {
  if pg_ready; then return; fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    log "starting the local PostgreSQL cluster"
    for version in /etc/postgresql/*; do
      as_root pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start || true
    done
  else
    log "installing PostgreSQL (Debian package) for the integration tests"
    apt_install postgresql || die "PostgreSQL is not reachable at $pg_url and could not be installed."
    for version in /etc/postgresql/*; do
      as_root pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start || true
    done
  fi
  for _ in $(seq 1 30); do pg_ready && return; sleep 1; done
  die "PostgreSQL is not reachable at $pg_url (set ORDO_TEST_PG_URL to a superuser URL)."
}

ensure_docker_engine() {
  # The docker runtime is tested against podman's Docker-compatible API (there is no Docker
  # engine on these machines); the script installs, configures and starts it as needed.
  as_root bash scripts/podman/setup.sh || die "the Docker-API engine (podman) could not be set up; see above."
}

ensure_node
ensure_pnpm
ensure_chromium
ensure_openssh
ensure_postgres
ensure_docker_engine
install_dependencies

log "format check"
pnpm run format:check >/dev/null || { pnpm run format:check; die "formatting differs: run 'pnpm format'"; }
log "lint"
pnpm run lint
log "typecheck"
pnpm run typecheck >/dev/null || { pnpm run typecheck; die "typecheck failed"; }
build_all

log "tests"
mkdir -p .tmp
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json || status=$?
# One closing line in the plain 'N passed, N failed' form that CI reads.
node scripts/lib/vitest-summary.mjs .tmp/vitest.json || status=1
exit "$status"
