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
# Issue 20's report budgets are measured by tests (a real browser, the heap after real launcher runs):
# a --full run runs them too and prints their verdicts after JMH's.
if [[ " $* " == *" --full "* ]]; then
  figures="$PWD/benchmarks/$folder/report-budgets.txt"
  rm -f "$figures" "extension/$folder/report-scale.txt"
  echo
  echo "Budgets measured by tests (whole-build scale of the report)"
  verdict() { # $1: what, $2: test selector, $3: module, $4: file holding the figure
    if ./mvnw -B -q verify -pl "$3" -am -Dbuild.folder="$folder" -Dtest="$2" -Dsurefire.failIfNoSpecifiedTests=false \
        -Djacoco.skip=true -Dmaven.javadoc.skip=true -Dreliability.figures="$figures" \
        > "benchmarks/$folder/report-budgets.log" 2>&1; then
      if [[ -s "$4" ]]; then
        printf '  %-8s %s: measured %s\n' met "$1" "$(tail -1 "$4")"
      else
        printf '  %-8s %s: no data in this run (see benchmarks/%s/report-budgets.log)\n' - "$1" "$folder"
      fi
    else
      printf '  %-8s %s: the test failed (see benchmarks/%s/report-budgets.log)\n' MISSED "$1" "$folder"
    fi
  }
  verdict "report page of 20,000 tests x 100 spans opens its first test in < 2 s (headless Chromium)" \
    'ReportBrowserTest#aPageOfTwentyThousandTestsOfAHundredSpansOpensItsFirstTestInUnderTwoSeconds' extension \
    "extension/$folder/report-scale.txt"
  verdict "memory kept per finished test beyond JUnit's <= 300 B, failing and passing" \
    'ReportMemoryTest' reliability "$figures"
fi
took=$((SECONDS - started))
echo "benchmarks/run.sh took $((took / 60)) min $((took % 60)) s, the build included"
