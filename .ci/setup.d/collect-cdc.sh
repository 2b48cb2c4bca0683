#!/usr/bin/env bash
# collect-cdc: MariaDB binary logging in ROW format with full row images, which Debezium's
# MySQL/MariaDB connector needs. Idempotent: writes a conf.d file, includes conf.d from my.cnf,
# and restarts MariaDB only when the running server does not have the settings yet.
set -euo pipefail

CONF_DIR=/etc/mysql/conf.d
CONF_FILE=$CONF_DIR/collect-cdc.cnf
MY_CNF=/etc/mysql/my.cnf

mkdir -p "$CONF_DIR"
cat > "$CONF_FILE" <<'CNF'
[mysqld]
log_bin = mysql-bin
binlog_format = ROW
binlog_row_image = FULL
server_id = 1
expire_logs_days = 1
CNF

if ! grep -qE '^!includedir[[:space:]]+/etc/mysql/conf\.d/?[[:space:]]*$' "$MY_CNF"; then
  printf '\n!includedir /etc/mysql/conf.d/\n' >> "$MY_CNF"
fi

configured() {
  local vars
  vars=$(mysql -uroot -N -B -e "SELECT @@log_bin, @@binlog_format, @@binlog_row_image" 2>/dev/null) || return 1
  [ "$vars" = "$(printf '1\tROW\tFULL')" ]
}

wait_up() {
  for _ in $(seq 1 60); do
    mysqladmin -uroot ping >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "collect-cdc setup: MariaDB did not come up within 60 s" >&2
  tail -n 30 /var/log/mysql/error.log >&2 || true
  return 1
}

if configured; then
  echo "collect-cdc setup: MariaDB already logs ROW binlogs with full images"
  exit 0
fi

if mysqladmin -uroot ping >/dev/null 2>&1; then
  mysqladmin -uroot shutdown
  for _ in $(seq 1 60); do
    pgrep -x mariadbd >/dev/null || break
    sleep 1
  done
fi
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
wait_up

if ! configured; then
  echo "collect-cdc setup: MariaDB restarted but binlog settings are not active:" >&2
  mysql -uroot -e "SHOW VARIABLES WHERE Variable_name IN ('log_bin','binlog_format','binlog_row_image','server_id')" >&2
  exit 1
fi
echo "collect-cdc setup: MariaDB configured (log_bin=ON, binlog_format=ROW, binlog_row_image=FULL)"
