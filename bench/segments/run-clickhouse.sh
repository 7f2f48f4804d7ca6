#!/usr/bin/env bash
# Runs the segment benchmark on ClickHouse against DuckDB: bench/segments/run-clickhouse.sh [--name=value ...]
# (see docs/BENCHMARKS.md, "Segments on ClickHouse"); needs clickhouse-server. Builds the server and the benchmark first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The JDK the launcher finds (21 or newer), as for the server itself.
export JAVA_HOME="${JAVA_HOME:-$("$ROOT/beckon" java-home)}"
JAVA="$JAVA_HOME/bin/java"
(cd "$ROOT" && mvn -q -B -pl bench/segments -am -DskipTests -Dspotless.check.skip=true package)
CP="$ROOT/bench/segments/target/classes:$(cat "$ROOT/bench/segments/target/classpath.txt")"
exec "$JAVA" -Xmx6g --enable-native-access=ALL-UNNAMED -cp "$CP" dev.beckon.bench.segments.ClickHouseSegmentBench "$@"
