#!/usr/bin/env bash
# Runs the move benchmark: bench/move/run.sh [--name=value ...] (see docs/BENCHMARKS.md, "Moving to
# the scale-out deployment"). Builds the server and the benchmark, then starts a private PostgreSQL
# cluster and a private clickhouse-server in a temporary folder, on free loopback ports, for the
# run only; both are stopped and the folder deleted at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-$("$ROOT/beckon" java-home)}"
JAVA="$JAVA_HOME/bin/java"
PG_BIN="${BECKON_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
CLICKHOUSE="$(command -v clickhouse-server || echo /usr/bin/clickhouse-server)"

(cd "$ROOT" && mvn -q -B -pl bench/move -am -DskipTests -Dspotless.check.skip=true package)
CP="$ROOT/bench/move/target/classes:$(cat "$ROOT/bench/move/target/classpath.txt")"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DIR="$(mktemp -d /tmp/beckon-move-bench-XXXXXX)"
PG_PORT="$(free_port)" CH_HTTP="$(free_port)" CH_TCP="$(free_port)"
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then AS_PG=(setpriv --reuid=postgres --regid=postgres --clear-groups --); chown postgres "$DIR"; fi
CH_PID="" PG_STARTED=""
stop() {
  [ -n "$CH_PID" ] && kill "$CH_PID" 2>/dev/null && wait "$CH_PID" 2>/dev/null || true
  [ -n "$PG_STARTED" ] && "${AS_PG[@]}" "$PG_BIN/pg_ctl" stop -D "$DIR/pg" -m fast >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT

# PostgreSQL: a cluster of its own, with PostgreSQL's default durability (fsync on).
echo "bench-password" > "$DIR/pgpass" && chmod 644 "$DIR/pgpass"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$DIR/pg" -U beckon --pwfile="$DIR/pgpass" --auth=scram-sha-256 -E UTF8 \
  --locale=C >"$DIR/initdb.log"
"${AS_PG[@]}" "$PG_BIN/pg_ctl" start -D "$DIR/pg" -l "$DIR/pg.log" -w \
  -o "-p $PG_PORT -k $DIR -c listen_addresses=127.0.0.1" >/dev/null
PG_STARTED=1

# ClickHouse: Debian's clickhouse-server as a plain process with a configuration of its own.
mkdir -p "$DIR/ch"
cat >"$DIR/ch/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$DIR/ch/server.log</log><errorlog>$DIR/ch/server.err.log</errorlog></logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>$CH_HTTP</http_port>
    <tcp_port>$CH_TCP</tcp_port>
    <path>$DIR/ch/data/</path>
    <tmp_path>$DIR/ch/tmp/</tmp_path>
    <user_files_path>$DIR/ch/user_files/</user_files_path>
    <format_schema_path>$DIR/ch/format_schemas/</format_schema_path>
    <mark_cache_size>268435456</mark_cache_size>
    <users_config>users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
</yandex>
XML
cat >"$DIR/ch/users.xml" <<'XML'
<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
    <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile>
        <quota>default</quota></default></users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
    </interval></default></quotas>
</yandex>
XML
"$CLICKHOUSE" --config-file="$DIR/ch/config.xml" >"$DIR/ch/stdout.log" 2>&1 &
CH_PID=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$CH_HTTP/ping" >/dev/null && break
  sleep 0.2
done

BECKON_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/" BECKON_POSTGRES_USER=beckon \
BECKON_POSTGRES_PASSWORD=bench-password BECKON_CLICKHOUSE_URL="http://127.0.0.1:$CH_HTTP/" \
  "$JAVA" -Xmx256m --enable-native-access=ALL-UNNAMED -cp "$CP" dev.beckon.bench.move.MoveBench \
  --data-dir="$DIR/store" "$@"
