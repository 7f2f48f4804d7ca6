#!/usr/bin/env bash
# Runs the import benchmark: bench/imports/run.sh [--name=value ...]
# (see docs/BENCHMARKS.md, "Imports and exports"). Builds the server and the benchmark first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The JDK the launcher finds (21 or newer), as for the server itself.
export JAVA_HOME="${JAVA_HOME:-$("$ROOT/beckon" java-home)}"
JAVA="$JAVA_HOME/bin/java"
(cd "$ROOT" && mvn -q -B -pl bench/imports -am -DskipTests -Dspotless.check.skip=true package)
CP="$ROOT/bench/imports/target/classes:$(cat "$ROOT/bench/imports/target/classpath.txt")"
exec "$JAVA" -Xmx256m --enable-native-access=ALL-UNNAMED -cp "$CP" dev.beckon.bench.imports.ImportBench "$@"
