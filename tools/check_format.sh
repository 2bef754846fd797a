#!/usr/bin/env bash
# Fails when a C++ file of the tree does not match .clang-format (Debian's clang-format-14).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
format="${CLANG_FORMAT:-clang-format-14}"
git ls-files '*.cpp' '*.hpp' | xargs "$format" --dry-run --Werror
echo "format: $(git ls-files '*.cpp' '*.hpp' | wc -l) files match .clang-format"
