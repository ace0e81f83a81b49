#!/usr/bin/env bash
# RoleViewer's test command: installs what the tests need on a fresh Debian machine (chromium for the browser
# tests, Go for the deploy tests, the npm packages), builds the solution and runs every test project. Its last line is the
# summary "N passed, N failed[, N skipped]", computed from the TRX results in TestResults/.
set -euo pipefail
cd "$(dirname "$0")"

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq chromium >/dev/null
fi

# Go renders the azd manifest templates with text/template exactly as azd does (Tests/Deploy.Tests/AzdRender).
if ! command -v go >/dev/null 2>&1; then
  echo "Installing Debian's golang-go for the deploy tests..."
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq golang-go >/dev/null
fi

# Node peers (an SDK no one on the team wrote) used by the emulator tests, and the Kubernetes schema validator
# (kubernetes-models) used by the deploy tests.
for lock in $(git ls-files '*package-lock.json' 2>/dev/null || find . -name package-lock.json -not -path '*/node_modules/*'); do
  dir=$(dirname "$lock")
  if [ ! -d "$dir/node_modules" ]; then
    echo "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

# Aspire's default shutdown wait is 10+ s per test AppHost; tests don't need it.
export DCP_SHUTDOWN_TIMEOUT_SECONDS=3

rm -rf TestResults
dotnet build RoleViewer.sln -c Release
status=0

# House style is part of the build's contract: a formatting drift fails the run (fix: dotnet format RoleViewer.sln).
if ! dotnet format RoleViewer.sln --verify-no-changes --no-restore; then
  echo "Formatting differs from .editorconfig: run 'dotnet format RoleViewer.sln' and commit the result." >&2
  status=1
fi

dotnet test --solution RoleViewer.sln -c Release --no-build --report-trx --results-directory "$PWD/TestResults" "$@" || status=$?

# Sum the counters of every TRX file.
passed=0; failed=0; skipped=0; files=0
for trx in TestResults/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

# Name every failed test with the first lines of its message, next to the summary, so a CI log's tail says what broke.
if [ "$failed" -gt 0 ]; then
  echo "Failed tests:"
  perl -0777 -ne '
    while (/<UnitTestResult\b([^>]*?)(\/>|>(.*?)<\/UnitTestResult>)/sg) {
      my ($attrs, $body) = ($1, $3 // "");
      next unless $attrs =~ /outcome="(Failed|Error|Timeout|Aborted)"/;
      my ($name) = $attrs =~ /testName="([^"]*)"/;
      my ($message) = $body =~ /<Message>(.*?)<\/Message>/s;
      $message //= "(no message)";
      for ($name, $message) { s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/\x27/g; s/&#xD;//g; s/&#xA;/\n/g; s/&amp;/&/g; }
      my @lines = grep { /\S/ } split /\n/, $message;
      splice(@lines, 12) if @lines > 12;
      print "  $name\n", map { "      $_\n" } @lines;
    }' TestResults/*.trx || true
fi

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
if [ "$files" -eq 0 ] || [ $((passed + failed)) -eq 0 ]; then
  echo "No test results were produced (TestResults/*.trx)." >&2
  status=1
fi
[ "$failed" -gt 0 ] && status=1
echo "$summary"
exit "$status"
