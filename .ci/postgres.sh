# Sourced by .ci/run: pg_start / pg_stop a throwaway PostgreSQL cluster on 127.0.0.1. Sets PG_URL.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PG_DIR=$(mktemp -d /tmp/dpt-ci-pg.XXXXXX)
PG_PORT=${PG_PORT:-$(( 56000 + RANDOM % 2000 ))}
PG_URL="postgresql+psycopg://postgres@127.0.0.1:${PG_PORT}/postgres"

_as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  if [ "$(id -u)" = "0" ]; then chown postgres "$PG_DIR"; fi
  _as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  _as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
}

pg_stop() {
  _as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
