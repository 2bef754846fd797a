#!/usr/bin/env bash
# Every FAULTS scenario is a test or an excuse: prints, for each scenario ID of docs/FAULTS.md, the
# tests tagged with it ([N07]) or the reason in docs/faults.md, and fails when an ID is neither
# (or, with --strict, while docs/faults.md still lists IDs as not yet covered). --help for more.
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/faults_coverage.py" "$@"
