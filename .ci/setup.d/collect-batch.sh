#!/usr/bin/env bash
# collect-batch: the JDBC integration tests use the machine's MariaDB (127.0.0.1:3306, root with an
# empty password, database test). Idempotent: starts MariaDB only if it does not answer, and
# creates the database only if it is missing. PostgreSQL runs inside the test JVM (embedded).
set -euo pipefail

if ! mysqladmin -uroot ping >/dev/null 2>&1; then
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do
    mysqladmin -uroot ping >/dev/null 2>&1 && break
    sleep 1
  done
fi
if ! mysqladmin -uroot ping >/dev/null 2>&1; then
  echo "collect-batch setup: MariaDB did not come up within 60 s" >&2
  tail -n 30 /var/log/mysql/error.log >&2 || true
  exit 1
fi
mysql -uroot -e "CREATE DATABASE IF NOT EXISTS test"
mysql -uroot -h 127.0.0.1 -P 3306 -e "SELECT 1" test >/dev/null
echo "collect-batch setup: MariaDB answers on 127.0.0.1:3306 with database test"
