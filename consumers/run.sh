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

# Each consumer with the one test class it must pass: first-test is README.md's first test, pasted into
# an empty project with only the README's dependency snippet; the others run traced-test/TracedTest.
for entry in first-test:PaymentTest maven-junit-6.0:consumer.TracedTest maven-junit-6.1:consumer.TracedTest \
    spring-boot-3.5:consumer.TracedTest spring-boot-4.0:consumer.TracedTest; do
  consumer=${entry%%:*}; report="$consumer/target/surefire-reports/TEST-${entry#*:}.xml"
  if "${mvn[@]}" -f "$consumer/pom.xml" clean test > "$consumer.log" 2>&1 \
      && grep -q 'tests="1"' "$report" && grep -q 'failures="0"' "$report" && grep -q 'errors="0"' "$report"; then
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

# A failing test with secret attributes (FailingWithSecretsTest: every secret value starts with
# SECRET-): no secret in Surefire's console, XML or txt reports, the HTML report or the attached trace
# files, and the masked marker in Surefire's XML.
secrets_xml=surefire-xml/target/surefire-reports/TEST-consumer.FailingWithSecretsTest.xml
if grep -q 'failures="1"' "$secrets_xml" 2>/dev/null && grep -q 'login' "$secrets_xml"; then
  echo "surefire xml has: the failure of FailingWithSecretsTest"
  passed=$((passed + 1))
else
  echo "surefire xml LACKS: the failure of FailingWithSecretsTest (see consumers/surefire-xml.log and $secrets_xml)"
  failed=$((failed + 1))
fi
written=(surefire-xml.log surefire-xml/target/surefire-reports surefire-xml/target/traceunit-report
    surefire-xml/target/junit-jupiter)
for file in trace.txt trace.json; do
  if find surefire-xml/target/junit-jupiter -path '*FailingWithSecretsTest*' -name "$file" 2>/dev/null | grep -q .; then
    echo "attached to FailingWithSecretsTest: $file"
    passed=$((passed + 1))
  else
    echo "attached to FailingWithSecretsTest LACKS: $file (under surefire-xml/target/junit-jupiter)"
    failed=$((failed + 1))
  fi
done
if grep -qF 'logsInWithSecrets' surefire-xml/target/traceunit-report/runs/*/tests.js 2>/dev/null; then
  echo "html report has: FailingWithSecretsTest"
  passed=$((passed + 1))
else
  echo "html report LACKS: FailingWithSecretsTest (under surefire-xml/target/traceunit-report)"
  failed=$((failed + 1))
fi
leaks=$(grep -rlF 'SECRET-' "${written[@]}" 2>/dev/null)
if [ -z "$leaks" ]; then
  echo "no secret in: ${written[*]}"
  passed=$((passed + 1))
else
  echo "secret values LEAK into:"; echo "$leaks"
  grep -rhoE 'SECRET-[a-z]+-[0-9]+' "${written[@]}" | sort | uniq -c
  failed=$((failed + 1))
fi
if grep -qE '&lt;redacted&gt;|<redacted>' "$secrets_xml" 2>/dev/null; then
  echo "surefire xml has: <redacted>"
  passed=$((passed + 1))
else
  echo "surefire xml LACKS: <redacted> (see $secrets_xml)"
  failed=$((failed + 1))
fi

echo "consumers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
