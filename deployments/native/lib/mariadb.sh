# MariaDB instances: shard 0, shard 1 and the inventory DB, each its own mariadbd with ROW/FULL binlog.
# The application user doos/doos (all privileges, replication included for the CDC reader) is created on first start.

MARIADB_INSTANCES="mariadb-shard0:${DOOS_SHARD0_PORT}:1 mariadb-shard1:${DOOS_SHARD1_PORT}:2 mariadb-inventory:${DOOS_INVENTORY_PORT}:3"

mariadb_install() { ensure_apt mariadb "mariadbd mariadb-install-db mariadb-admin mariadb" mariadb-server mariadb-client; }

mariadb_start_one() {
  local name="$1" port="$2" server_id="$3"
  local dir="$RUN/$name" log="$LOGS/$name.log" sock="$RUN/$name/mysqld.sock"
  if running "$name"; then say "$name already running on $port"; return 0; fi
  require_free_port "$name" "$port" "DOOS_${name#mariadb-}_PORT"
  mkdir -p "$dir"
  if [ ! -d "$dir/data/mysql" ]; then
    say "initialising $name data directory"
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db >"$LOGS/$name-install-db.log" 2>&1 \
      || { show_log_tail "$LOGS/$name-install-db.log"; fail "$name: mariadb-install-db failed; log: $LOGS/$name-install-db.log"; }
  fi
  spawn "$name" "$log" mariadbd --no-defaults --datadir="$dir/data" --user="$(id -un)" \
    --port="$port" --bind-address=127.0.0.1 --socket="$sock" --pid-file="$dir/mysqld.pid" \
    --log-error="$log" --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --log-bin="$dir/data/binlog" --binlog-format=ROW --binlog-row-image=FULL --binlog-row-metadata=FULL \
    --server-id="$server_id" --expire-logs-days=2 --max-connections=500 \
    --innodb-buffer-pool-size=128M --innodb-log-file-size=64M
  wait_healthy "$name" 60 "$log" mariadb-admin --no-defaults --socket="$sock" -uroot ping
  mariadb --no-defaults --socket="$sock" -uroot -e "
    DELETE FROM mysql.global_priv WHERE User='';
    CREATE USER IF NOT EXISTS 'doos'@'%' IDENTIFIED BY 'doos';
    GRANT ALL PRIVILEGES ON *.* TO 'doos'@'%' WITH GRANT OPTION;
    FLUSH PRIVILEGES;" >>"$log" 2>&1 || fail "$name: could not create the doos user; log: $log"
  say "$name up on 127.0.0.1:$port (server id $server_id)"
}

mariadb_start() {
  local spec
  for spec in $MARIADB_INSTANCES; do
    IFS=: read -r name port sid <<<"$spec"
    mariadb_start_one "$name" "$port" "$sid"
  done
}

mariadb_stop() {
  local spec
  for spec in $MARIADB_INSTANCES; do stop_component "${spec%%:*}" 60; done
}

mariadb_components() { local s; for s in $MARIADB_INSTANCES; do echo "${s%:*}"; done; }

# Each instance on its own (stack.sh up|down mariadb-inventory …): outage tests stop one database, not all three.
MARIADB_PARTS=""
for _spec in $MARIADB_INSTANCES; do
  IFS=: read -r _name _port _sid <<<"$_spec"
  MARIADB_PARTS="$MARIADB_PARTS $_name"
  eval "${_name}_install() { mariadb_install; }
${_name}_start() { mariadb_start_one $_name $_port $_sid; }
${_name}_stop() { stop_component $_name 60; }
${_name}_components() { echo $_name:$_port; }"
done
unset _spec _name _port _sid
