#!/usr/bin/env bash
# Fails when a C++ file of the tree does not match .clang-format (Debian's clang-format-14).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
format="${CLANG_FORMAT:-clang-format-14}"
mapfile -t files < <(find include src tests tools bench examples -name '*.cpp' -o -name '*.hpp' | sort)
"$format" --dry-run --Werror "${files[@]}"
echo "format: ${#files[@]} files match .clang-format"
