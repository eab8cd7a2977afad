#!/usr/bin/env bash
# Crash safety: 20 rounds of kill -9 against a process writing to a collection, then a check that every
# acknowledged point is present and found by search (the test suite runs 3 rounds of the same test).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
QUIVER_CRASH_ROUNDS="${1:-20}" dotnet test tests/Quiver.Store.Tests --filter "FullyQualifiedName~CrashSafetyTests" --logger "console;verbosity=normal"
