# Versions, ports and the install/run home of the native stack, for every script of this folder.
# stack.env holds the defaults; a DOOS_* variable already set in the environment wins.

NATIVE_DIR="${NATIVE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
while IFS='=' read -r key value; do
  [[ "$key" =~ ^[A-Z0-9_]+$ ]] || continue
  [ -n "${!key:-}" ] || export "$key=$value"
done <"$NATIVE_DIR/stack.env"

# Root keeps the cache outside /root because Elasticsearch runs as a separate user that cannot enter /root.
if [ "$(id -u)" = 0 ]; then
  DOOS_HOME="${DOOS_HOME:-/var/cache/doos}"
else
  DOOS_HOME="${DOOS_HOME:-$HOME/.cache/doos}"
fi
DIST="$DOOS_HOME/dist"   # installed servers, one folder per component and version
RUN="$DOOS_HOME/run"     # data, logs and pid files of the running stack
