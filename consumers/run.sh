#!/usr/bin/env bash
# Builds each consumer project against the installed traceunit snapshots, as a user's build would.
# Run after `./mvnw install -DskipTests`; MAVEN_REPO names a private local repository if needed.
#   consumers/run.sh              the consumers (each must pass its one traced test)
# Prints one line per consumer and "N passed, N failed" at the end; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")"
mvn=(../mvnw -B -q)
if [ -n "${MAVEN_REPO:-}" ]; then mvn+=("-Dmaven.repo.local=$MAVEN_REPO"); fi
passed=0; failed=0

for consumer in maven-junit-6.0 maven-junit-6.1 spring-boot-3.5 spring-boot-4.0; do
  if "${mvn[@]}" -f "$consumer/pom.xml" clean test > "$consumer.log" 2>&1 \
      && grep -q 'tests="1"' "$consumer"/target/surefire-reports/TEST-consumer.TracedTest.xml \
      && grep -q 'failures="0"' "$consumer"/target/surefire-reports/TEST-consumer.TracedTest.xml; then
    echo "consumer $consumer: passed"
    passed=$((passed + 1))
  else
    echo "consumer $consumer: FAILED (see consumers/$consumer.log)"; tail -30 "$consumer.log"
    failed=$((failed + 1))
  fi
done

# Failures of every shape must carry their trace into Surefire's XML report.
"${mvn[@]}" -f surefire-xml/pom.xml clean test -Dmaven.test.failure.ignore=true > surefire-xml.log 2>&1
reports=(surefire-xml/target/surefire-reports/TEST-*.xml)
for expected in "trace FailingShapesTest/Factory/orders/#1" "dynamic.order" \
    "trace FailingShapesTest/SetUp · 1 span" "server.start" \
    "trace FailingShapesTest/Recursion/overflows" \
    "trace FailingShapesTest/MockitoFirst/stubsTooMuch" "mockito.checkout"; do
  if grep -qF "$expected" "${reports[@]}" 2>/dev/null; then
    echo "surefire xml has: $expected"
    passed=$((passed + 1))
  else
    echo "surefire xml LACKS: $expected (see consumers/surefire-xml.log and ${reports[*]})"
    failed=$((failed + 1))
  fi
done

echo "consumers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
