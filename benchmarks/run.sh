#!/usr/bin/env bash
# Runs the traceunit benchmarks and prints the table with ratios and budget verdicts.
#   benchmarks/run.sh            quick mode: 1 fork, short iterations (under 10 minutes on 2 cores)
#   benchmarks/run.sh --full     longer iterations, for figures worth publishing (under 30 minutes on 2 cores)
#   benchmarks/run.sh 'RootSpan' only the benchmarks matching a regular expression
# BUILD_FOLDER=target-b benchmarks/run.sh builds into and runs from that output folder instead of
# target (the root pom's build.folder), so it does not clobber another build of the same tree.
# JMH_JAVA_OPTS='-Djmh.ignoreLock=true' benchmarks/run.sh passes options to the java that runs
# JMH; that one runs beside another JMH run on the machine (which holds /tmp/jmh.lock), with the
# noise that brings.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
folder="${BUILD_FOLDER:-target}"
# Build the benchmarks with the modules they depend on in one reactor, without installing anything
# into the local repository (which would overwrite the snapshots other builds resolve).
./mvnw -B -q package -DskipTests -pl benchmarks -am -Dbuild.folder="$folder"
# shellcheck disable=SC2086 # the options are words
java ${JMH_JAVA_OPTS:-} -Dbuild.folder="$folder" -cp "benchmarks/$folder/benchmarks.jar" dev.traceunit.benchmarks.BudgetRun "$@"
took=$((SECONDS - started))
echo "benchmarks/run.sh took $((took / 60)) min $((took % 60)) s, the build included"
