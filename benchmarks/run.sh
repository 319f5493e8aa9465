#!/usr/bin/env bash
# The whole benchmark suite of issue 9 in one command (see benchmarks/README.md):
#   benchmarks/run.sh            full suite, about 35 to 40 minutes on 2 cores; results in benchmarks/results
#   benchmarks/run.sh --quick    smoke run of about 5 minutes; results in benchmarks/results/quick
# Other options: benchmarks/run.sh --help. Needs a JDK 17+ and Maven; run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests
CP="benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)"
exec java -Xmx2g -cp "$CP" "-Dbench.command=benchmarks/run.sh $*" \
  io.segmentredshift.benchmarks.RunAll "$@"
