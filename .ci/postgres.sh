#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the audit tests (sourced by .ci/run; usable by hand):
#   . .ci/postgres.sh && start_test_postgres [PORT]   -> exports PREPUB_TEST_PG_DSN
#   stop_test_postgres                                -> stops it and removes its directory
# The cluster runs as the `postgres` user when started as root (postgres refuses to run as root).
# Authentication: trust for the superuser on loopback; members of the role prepub_pw must give a password
# (scram-sha-256), so the tests exercise libpq's password file and PGPASSWORD for real.

pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && echo "$dir"
}

as_cluster_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_postgres() {
  local port=${1:-55432} bin
  bin=$(pg_bin_dir) || { echo "PostgreSQL is not installed" >&2; return 1; }
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port on 127.0.0.1 is already in use (a cluster left running?): set PREPUB_TEST_PG_PORT to another" >&2
    return 1
  fi
  TEST_PG_DIR=$(mktemp -d /tmp/prepub-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$TEST_PG_DIR"
  as_cluster_owner "$bin/initdb" -D "$TEST_PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_cluster_owner sh -c "printf '%s\n' \
    'host all +prepub_pw 127.0.0.1/32 scram-sha-256' \
    'host all all 127.0.0.1/32 trust' 'local all all trust' > '$TEST_PG_DIR/data/pg_hba.conf'"
  # fsync off: a throwaway cluster; the kill -9 tests kill the client, not the server.
  as_cluster_owner "$bin/pg_ctl" -D "$TEST_PG_DIR/data" -l "$TEST_PG_DIR/log" -w -o \
    "-p $port -c listen_addresses=127.0.0.1 -k $TEST_PG_DIR -c fsync=off -c max_connections=200" start >/dev/null ||
    { echo "the test PostgreSQL did not start; its log:" >&2; cat "$TEST_PG_DIR/log" >&2; return 1; }
  export TEST_PG_DIR
  export PREPUB_TEST_PG_DSN="postgresql://postgres@127.0.0.1:$port/postgres"
}

stop_test_postgres() {
  [ -n "${TEST_PG_DIR:-}" ] && [ -d "$TEST_PG_DIR/data" ] || return 0
  as_cluster_owner "$(pg_bin_dir)/pg_ctl" -D "$TEST_PG_DIR/data" -m fast -w stop >/dev/null || true
  rm -rf "$TEST_PG_DIR"
}
