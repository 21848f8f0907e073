#!/usr/bin/env bash
# Runs the traceunit benchmarks and prints the table with ratios and budget verdicts.
#   benchmarks/run.sh            quick mode: 1 fork, short iterations (under 10 minutes on 2 cores)
#   benchmarks/run.sh --full     longer iterations, for figures worth publishing
#   benchmarks/run.sh 'RootSpan' only the benchmarks matching a regular expression
set -euo pipefail
cd "$(dirname "$0")/.."
# The benchmarks module resolves the other modules from the local repository: install them first.
./mvnw -B -q install -DskipTests -pl benchmarks -am
exec java -cp benchmarks/target/benchmarks.jar dev.traceunit.benchmarks.BudgetRun "$@"
