#!/usr/bin/env bash
# Runs the ingestion benchmark: bench/load/run.sh compare|sustained|growth|phases [--name=value ...]
# (see docs/BENCHMARKS.md, "Ingestion"). Builds the server and the generator first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The JDK the launcher finds (21 or newer), as for the server itself.
export JAVA_HOME="${JAVA_HOME:-$("$ROOT/beckon" java-home)}"
JAVA="$JAVA_HOME/bin/java"
(cd "$ROOT" && mvn -q -B -pl bench/load -am -DskipTests -Dspotless.check.skip=true package)
CP="$ROOT/bench/load/target/classes:$(cat "$ROOT/bench/load/target/classpath.txt")"
exec "$JAVA" -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$CP" dev.beckon.bench.load.LoadBench "$@"
