# Shared by the project's shell scripts: paths, development defaults, logging.
# Sourced, never run. Production sets these variables in its own environment.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"          # slow-to-build tools, cached and git-ignored
DATA="$ROOT/.data"            # local state of the dev stack, git-ignored
TEMPORAL_CLI_VERSION="v1.5.1" # later tags carry replace directives and cannot be go-installed
TEMPORAL_BIN="$TOOLS/bin/temporal"
# The real server (npm run cluster), at the version the CLI above embeds: its module has no replace directives.
TEMPORAL_SERVER_VERSION="v1.29.1"
TEMPORAL_SERVER_BIN="$TOOLS/bin/temporal-server"
TEMPORAL_SQL_TOOL_BIN="$TOOLS/bin/temporal-sql-tool"
# The Web UI's server beside the cluster, at the version the CLI above embeds (its go.mod): the UI's
# pages are embedded in the module, the CLI serves the same ones beside its dev server.
TEMPORAL_UI_SERVER_VERSION="v2.42.1"
TEMPORAL_UI_SERVER_BIN="$TOOLS/bin/temporal-ui-server"
TEST_SERVER_HOME="$TOOLS/temporal-test-server"

# A developer's .env wins over the defaults below (see .env.example).
if [ -f "$ROOT/.env" ]; then set -a; . "$ROOT/.env"; set +a; fi

# --- development defaults: fine on a laptop, never for production ---
PG_PORT="${PG_PORT:-54320}"
PG_SUPERUSER_PASSWORD="${PG_SUPERUSER_PASSWORD:-postgres-dev-only}"
export DATABASE_URL="${DATABASE_URL:-postgres://order_engine:order_engine_dev@127.0.0.1:$PG_PORT/order_engine}"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://order_engine:order_engine_dev@127.0.0.1:$PG_PORT/order_engine_test}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
export TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
export CLUSTER_UI_PORT="${CLUSTER_UI_PORT:-8234}" # the cluster's UI (scripts/cluster), beside the dev server's
export API_PORT="${API_PORT:-3000}"

log() { printf '\033[1;34m[%s]\033[0m %s\n' "${LOG_PREFIX:-setup}" "$*" >&2; }
die() { printf '\033[1;31m[%s] error:\033[0m %s\n' "${LOG_PREFIX:-setup}" "$*" >&2; exit 1; }

# True when this project manages Postgres itself (no DATABASE_URL pointing elsewhere).
uses_local_postgres() { [[ "$DATABASE_URL" == *"@127.0.0.1:$PG_PORT/"* ]]; }

wait_for_port() { # host port seconds what
  local deadline=$((SECONDS + $3))
  until (echo > "/dev/tcp/$1/$2") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "$4 did not open $1:$2 within $3 s"
    sleep 0.2
  done
}
