#!/usr/bin/env bash
# Starts Ordo on this machine: installs and builds what is missing, then runs a local agent and
# the control plane (with an embedded PostgreSQL unless DATABASE_URL is set) serving the panel.
# Everything it creates lives under ./var (ORDO_DATA_DIR). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
source scripts/lib/ensure-tools.sh

ensure_node
ensure_pnpm
if [ "${ORDO_START_SKIP_BUILD:-}" != "1" ]; then
  install_dependencies
  build_all
fi

data_dir=$(realpath -m "${ORDO_DATA_DIR:-$repo/var}")
agent_dir="$data_dir/agent"
mkdir -p "$agent_dir/root"
token_file="$agent_dir/token"
if [ ! -s "$token_file" ]; then
  (umask 077 && node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))' >"$token_file")
fi

# Odoo refuses the postgres superuser: give the local agent its own role on the local
# PostgreSQL when one answers, unless ORDO_AGENT_PG_URL says where instances go.
if [ -z "${ORDO_AGENT_PG_URL:-}" ]; then
  pg_admin_url="${ORDO_LOCAL_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  if ORDO_AGENT_PG_URL=$(node scripts/lib/ensure-agent-role.mjs "$pg_admin_url" ordo_odoo "$agent_dir/pg-password" 2>/dev/null); then
    export ORDO_AGENT_PG_URL
    log "instances will use PostgreSQL role ordo_odoo at ${pg_admin_url#*@}"
  else
    log "no PostgreSQL superuser at ${pg_admin_url#*@}: set ORDO_AGENT_PG_URL to a role with LOGIN CREATEDB before creating instances"
  fi
fi

agent_port="${ORDO_LOCAL_AGENT_PORT:-8070}"
agent_url="http://127.0.0.1:$agent_port"

pids=()
stop_all() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop_all EXIT INT TERM

log "starting the local agent on $agent_url (data in $agent_dir/root)"
ORDO_AGENT_HOST=127.0.0.1 ORDO_AGENT_PORT="$agent_port" ORDO_AGENT_TOKEN_FILE="$token_file" \
  ORDO_AGENT_ROOT="$agent_dir/root" \
  node apps/agent/dist/main.js >>"$agent_dir/agent.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 50); do
  if node -e "fetch('$agent_url/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then break; fi
  kill -0 "${pids[0]}" 2>/dev/null || die "the agent did not start; see $agent_dir/agent.log"
  sleep 0.2
done

log "starting the control plane"
ORDO_DATA_DIR="$data_dir" ORDO_LOCAL_AGENT_URL="$agent_url" ORDO_LOCAL_AGENT_TOKEN_FILE="$token_file" \
  node apps/control/dist/main.js &
pids+=($!)
wait -n "${pids[@]}"
