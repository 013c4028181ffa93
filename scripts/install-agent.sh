#!/usr/bin/env bash
# Installs the Ordo agent as a systemd service on Debian/Ubuntu. Run as root from a checkout:
#   sudo bash scripts/install-agent.sh [--host 0.0.0.0] [--port 8070] [--public-url URL] ...
# Re-running upgrades in place and keeps the token; see --help for everything else.
set -euo pipefail

SERVICE=ordo-agent
AGENT_USER=ordo
MIN_NODE_MAJOR=20

# Paths as the running system sees them; --prefix only changes where they are written.
INSTALL_DIR=/opt/ordo/agent
CONFIG_DIR=/etc/ordo
TOKEN_FILE=$CONFIG_DIR/agent.token
ENV_FILE=$CONFIG_DIR/agent.env
UNIT_FILE=/etc/systemd/system/$SERVICE.service

ARGS=("$@")
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  cat <<'EOF'
Usage: install-agent.sh [options]

Installs (or upgrades) the Ordo agent as the systemd service "ordo-agent".

  --host HOST        address to listen on (default 127.0.0.1; 0.0.0.0 for all)
  --port PORT        port to listen on (default 8070)
  --root DIR         data root: versions, instances, backups (default /var/lib/ordo-agent)
  --pg-url URL       PostgreSQL for instance databases
                     (default postgres://postgres@127.0.0.1:5432/postgres)
  --runtime KIND     native (default) or docker
  --public-url URL   the agent URL to print for the control plane (default http://<host>:<port>)
  --rotate-token     replace the existing token with a new one
  --no-start         install and enable, but do not (re)start the service
  --install-node     install Node.js with apt-get when it is missing or too old
  --from DIR         install this built agent directory (default apps/agent/dist, built if missing)
  --prefix DIR       write everything under DIR instead of / (for packaging and tests;
                     creates no user and calls no systemctl)
  --uninstall        stop and remove the service, its files and the token (keeps the data root)
  --purge            with --uninstall, also delete the data root and the "ordo" user
  -h, --help         show this help

Settings not given keep their value from a previous install.
EOF
}

die() {
  echo "install-agent: $*" >&2
  exit 1
}
say() { echo "==> $*"; }

# ---- arguments -------------------------------------------------------------------------------

OPT_HOST='' OPT_PORT='' OPT_ROOT='' OPT_PG_URL='' OPT_RUNTIME='' PUBLIC_URL='' FROM_DIR=''
PREFIX='' ROTATE=0 NO_START=0 INSTALL_NODE=0 UNINSTALL=0 PURGE=0

need_value() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --host) need_value "$@"; OPT_HOST=$2; shift 2 ;;
    --port) need_value "$@"; OPT_PORT=$2; shift 2 ;;
    --root) need_value "$@"; OPT_ROOT=$2; shift 2 ;;
    --pg-url) need_value "$@"; OPT_PG_URL=$2; shift 2 ;;
    --runtime) need_value "$@"; OPT_RUNTIME=$2; shift 2 ;;
    --public-url) need_value "$@"; PUBLIC_URL=$2; shift 2 ;;
    --from) need_value "$@"; FROM_DIR=$2; shift 2 ;;
    --prefix) need_value "$@"; PREFIX=$2; shift 2 ;;
    --rotate-token) ROTATE=1; shift ;;
    --no-start) NO_START=1; shift ;;
    --install-node) INSTALL_NODE=1; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    --purge) PURGE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

[[ $PURGE -eq 0 || $UNINSTALL -eq 1 ]] || die "--purge only makes sense with --uninstall"
if [[ -n $PREFIX ]]; then
  [[ $PREFIX == /* ]] || PREFIX=$(pwd)/$PREFIX
  PREFIX=${PREFIX%/}
else
  [[ $EUID -eq 0 ]] || die "run as root: sudo bash $0 ${ARGS[*]}"
fi

# Where a system path is written: under --prefix when given.
dest() { echo "$PREFIX$1"; }

# systemctl only for a real install on a machine where systemd is PID 1.
use_systemd() { [[ -z $PREFIX && -d /run/systemd/system ]]; }

# ---- previous install ------------------------------------------------------------------------

# Reads KEY from the existing env file without sourcing it (never execute config files).
previous() {
  local file key=$1
  file=$(dest "$ENV_FILE")
  [[ -f $file ]] || return 0
  sed -n "s/^${key}=//p" "$file" | tail -n 1
}

HOST=${OPT_HOST:-$(previous ORDO_AGENT_HOST)}
HOST=${HOST:-127.0.0.1}
PORT=${OPT_PORT:-$(previous ORDO_AGENT_PORT)}
PORT=${PORT:-8070}
ROOT=${OPT_ROOT:-$(previous ORDO_AGENT_ROOT)}
ROOT=${ROOT:-/var/lib/ordo-agent}
PG_URL=${OPT_PG_URL:-$(previous ORDO_AGENT_PG_URL)}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
RUNTIME=${OPT_RUNTIME:-$(previous ORDO_AGENT_RUNTIME)}
RUNTIME=${RUNTIME:-native}

# The data root is validated before anything else because --purge deletes it.
[[ $ROOT =~ ^/[A-Za-z0-9._/-]*$ && $ROOT != / ]] ||
  die "--root must be an absolute path of letters, digits, '.', '_', '-' and '/', got: $ROOT"

# ---- uninstall -------------------------------------------------------------------------------

uninstall() {
  if use_systemd; then
    say "Stopping and disabling $SERVICE"
    systemctl disable --now "$SERVICE" >/dev/null 2>&1 || true
  fi
  rm -f "$(dest "$UNIT_FILE")" "$(dest "$ENV_FILE")" "$(dest "$TOKEN_FILE")"
  rmdir "$(dest "$CONFIG_DIR")" 2>/dev/null || true
  rm -rf "$(dest "$INSTALL_DIR")"
  rmdir "$(dest "$(dirname "$INSTALL_DIR")")" 2>/dev/null || true
  if use_systemd; then systemctl daemon-reload; fi

  if [[ $PURGE -eq 1 ]]; then
    say "Deleting the data root $(dest "$ROOT")"
    rm -rf "$(dest "$ROOT")"
    if [[ -z $PREFIX ]] && id -u "$AGENT_USER" >/dev/null 2>&1; then
      userdel "$AGENT_USER" || echo "install-agent: could not delete user $AGENT_USER" >&2
    fi
  else
    echo "Kept the data root $(dest "$ROOT") (delete it with --uninstall --purge)."
  fi
  say "Ordo agent uninstalled."
}

if [[ $UNINSTALL -eq 1 ]]; then
  uninstall
  exit 0
fi

# Values go unquoted into a systemd EnvironmentFile, so refuse anything that would need quoting.
[[ $HOST =~ ^[A-Za-z0-9.:_-]+$ ]] || die "--host must be a host name or IP address, got: $HOST"
if ! [[ $PORT =~ ^[0-9]{1,5}$ ]] || ((10#$PORT < 1 || 10#$PORT > 65535)); then
  die "--port must be an integer between 1 and 65535, got: $PORT"
fi
PORT=$((10#$PORT))
pg_url_pattern='^postgres(ql)?://[^[:space:]"'\''\\]+$'
[[ $PG_URL =~ $pg_url_pattern ]] ||
  die "--pg-url must be a postgres:// URL without spaces, quotes or backslashes"
[[ $RUNTIME == native || $RUNTIME == docker ]] || die "--runtime must be native or docker, got: $RUNTIME"

# ---- Node.js ---------------------------------------------------------------------------------

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

NODE_BIN=$(command -v node || true)
if [[ -z $NODE_BIN || $(node_major "$NODE_BIN") -lt $MIN_NODE_MAJOR ]]; then
  if [[ $INSTALL_NODE -eq 1 ]]; then
    say "Installing Node.js with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs
    NODE_BIN=$(command -v node || true)
  fi
  if [[ -z $NODE_BIN || $(node_major "$NODE_BIN") -lt $MIN_NODE_MAJOR ]]; then
    found=${NODE_BIN:+$("$NODE_BIN" --version)}
    die "Node.js >= $MIN_NODE_MAJOR is required (found: ${found:-none}).
  Install it from NodeSource (https://github.com/nodesource/distributions):
    curl -fsSL https://deb.nodesource.com/setup_22.x | bash - && apt-get install -y nodejs
  or rerun with --install-node where the distribution ships Node.js $MIN_NODE_MAJOR+ (Debian 13)."
  fi
fi
# systemd needs an absolute path, and `env node` would depend on the service's PATH.
NODE_BIN=$(readlink -f "$NODE_BIN")

# ---- the built agent -------------------------------------------------------------------------

if [[ -z $FROM_DIR ]]; then
  FROM_DIR=$REPO_DIR/apps/agent/dist
  if [[ ! -f $FROM_DIR/main.js ]]; then
    command -v pnpm >/dev/null || die "$FROM_DIR/main.js is missing and pnpm is not installed: run pnpm build first"
    say "Building the agent"
    (cd "$REPO_DIR" && pnpm --filter @ordo/agent build)
  fi
fi
[[ -f $FROM_DIR/main.js ]] || die "no main.js in $FROM_DIR: build the agent first (pnpm build)"

# ---- user and directories --------------------------------------------------------------------

if [[ -z $PREFIX ]] && ! id -u "$AGENT_USER" >/dev/null 2>&1; then
  say "Creating system user $AGENT_USER"
  useradd --system --home-dir "$ROOT" --no-create-home --shell /usr/sbin/nologin "$AGENT_USER"
fi

# Ownership only on a real install: under --prefix the caller may not be root.
own() { if [[ -z $PREFIX ]]; then chown "$@"; fi; }

mkdir -p "$(dest "$CONFIG_DIR")" "$(dest "$(dirname "$UNIT_FILE")")" "$(dest "$ROOT")"
chmod 750 "$(dest "$CONFIG_DIR")" "$(dest "$ROOT")"
own "root:$AGENT_USER" "$(dest "$CONFIG_DIR")"
own "$AGENT_USER:$AGENT_USER" "$(dest "$ROOT")"

say "Installing the agent into $(dest "$INSTALL_DIR")"
staging=$(dest "$INSTALL_DIR").new
rm -rf "$staging"
mkdir -p "$staging"
cp -R "$FROM_DIR/." "$staging/"
chmod -R u=rwX,go=rX "$staging"
rm -rf "$(dest "$INSTALL_DIR")"
mv "$staging" "$(dest "$INSTALL_DIR")"

# ---- token -----------------------------------------------------------------------------------

generate_token() {
  if command -v openssl >/dev/null; then
    openssl rand -hex 32
  else
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
  fi
}

token_path=$(dest "$TOKEN_FILE")
TOKEN=''
if [[ $ROTATE -eq 0 && -f $token_path ]]; then
  TOKEN=$(tr -d '[:space:]' <"$token_path")
  if [[ ${#TOKEN} -lt 32 ]]; then
    echo "install-agent: the existing token is too short; generating a new one" >&2
    TOKEN=''
  fi
fi
if [[ -z $TOKEN ]]; then
  if [[ $ROTATE -eq 1 ]]; then
    say "Generating a new token: update this server's token in Ordo"
  fi
  TOKEN=$(generate_token)
fi
# Written through a 077 umask so the token is never readable by others, not even briefly.
(umask 077 && printf '%s\n' "$TOKEN" >"$token_path.new")
own "$AGENT_USER:$AGENT_USER" "$token_path.new"
chmod 600 "$token_path.new"
mv "$token_path.new" "$token_path"

# ---- environment file and unit ---------------------------------------------------------------

env_path=$(dest "$ENV_FILE")
(
  umask 027
  cat >"$env_path.new" <<EOF
# Written by scripts/install-agent.sh; re-run it to change these (your values are kept).
ORDO_AGENT_HOST=$HOST
ORDO_AGENT_PORT=$PORT
ORDO_AGENT_ROOT=$ROOT
ORDO_AGENT_PG_URL=$PG_URL
ORDO_AGENT_RUNTIME=$RUNTIME
ORDO_AGENT_TOKEN_FILE=$TOKEN_FILE
EOF
)
own "root:$AGENT_USER" "$env_path.new"
chmod 640 "$env_path.new"
mv "$env_path.new" "$env_path"

cat >"$(dest "$UNIT_FILE")" <<EOF
[Unit]
Description=Ordo agent (manages Odoo instances on this server)
Wants=network-online.target
After=network-online.target postgresql.service

[Service]
Type=simple
User=$AGENT_USER
Group=$AGENT_USER
EnvironmentFile=$ENV_FILE
ExecStart=$NODE_BIN $INSTALL_DIR/main.js
WorkingDirectory=$ROOT
Restart=on-failure
RestartSec=2
NoNewPrivileges=true
ProtectSystem=full
ReadWritePaths=$ROOT
PrivateTmp=true

[Install]
WantedBy=multi-user.target
EOF
chmod 644 "$(dest "$UNIT_FILE")"

# ---- start -----------------------------------------------------------------------------------

connect_host() {
  case $HOST in
    0.0.0.0) echo 127.0.0.1 ;;
    ::) echo '[::1]' ;;
    *:*) echo "[$HOST]" ;;
    *) echo "$HOST" ;;
  esac
}

wait_for_health() {
  local url deadline
  url="http://$(connect_host):$PORT/v1/health"
  deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    if command -v curl >/dev/null; then
      curl -fs -o /dev/null --max-time 2 "$url" && return 0
    else
      "$NODE_BIN" -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
        "$url" && return 0
    fi
    sleep 1
  done
  return 1
}

if use_systemd; then
  systemctl daemon-reload
  systemctl enable "$SERVICE" >/dev/null
  if [[ $NO_START -eq 1 ]]; then
    say "Installed but not started (--no-start): systemctl start $SERVICE"
  else
    say "Starting $SERVICE"
    systemctl restart "$SERVICE"
    wait_for_health ||
      die "the agent did not answer on port $PORT within 30 s; see: journalctl -u $SERVICE -n 50"
  fi
elif [[ -z $PREFIX ]]; then
  echo "systemd is not running here: start the agent yourself, as user $AGENT_USER, with the"
  echo "variables of $ENV_FILE: $NODE_BIN $INSTALL_DIR/main.js"
fi

# ---- what the admin pastes into Ordo ---------------------------------------------------------

if [[ -n $PUBLIC_URL ]]; then
  [[ $PUBLIC_URL == *://* ]] || PUBLIC_URL="http://$PUBLIC_URL:$PORT"
  AGENT_URL=${PUBLIC_URL%/}
else
  shown=$HOST
  if [[ $HOST == 0.0.0.0 || $HOST == :: ]]; then
    shown=$(hostname -I 2>/dev/null | awk '{print $1}')
    shown=${shown:-$(hostname)}
  fi
  if [[ $shown == *:* ]]; then shown="[$shown]"; fi
  AGENT_URL="http://$shown:$PORT"
fi

echo
echo "Ordo agent installed. In Ordo, open Servers -> Add a server and paste:"
echo "  Agent URL: $AGENT_URL"
echo "  Token: $TOKEN"
if [[ $HOST == 127.0.0.1 || $HOST == localhost || $HOST == ::1 ]]; then
  echo "(The agent listens on $HOST only: use --host 0.0.0.0 if the control plane runs elsewhere.)"
fi
