#!/usr/bin/env bash
# The public headers' include graph keeps its layers: no header under include/mexc/wire/ reaches
# include/mexc/book/ by any path, config.hpp sees only errors, credentials and plain option
# structs, and mexc.hpp reaches every public header (detail/ excepted).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
inc="$root/include"
status=0

# Every mexc/ header that `$1` includes, directly or not.
closure() {
    local -A seen=()
    local queue=("$1") h next
    while [ "${#queue[@]}" -gt 0 ]; do
        h="${queue[0]}"
        queue=("${queue[@]:1}")
        [ -f "$inc/$h" ] || continue  # a missing header fails the compile-alone test
        while read -r next; do
            [ -n "$next" ] && [ -z "${seen[$next]:-}" ] || continue
            seen[$next]=1
            queue+=("$next")
        done < <(sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"(mexc\/[^"]+)".*/\1/p' "$inc/$h")
    done
    printf '%s\n' "${!seen[@]}" | sort
}

headers=$(cd "$inc" && find mexc -name '*.hpp' | sort)

for h in $(grep '^mexc/wire/' <<<"$headers"); do
    if reached=$(closure "$h" | grep '^mexc/book/'); then
        echo "$h reaches the book layer: $(tr '\n' ' ' <<<"$reached")" >&2
        status=1
    fi
done

allowed="mexc/error.hpp mexc/credentials.hpp mexc/book/book_options.hpp mexc/rest/rate_limits.hpp"
for h in $(closure mexc/config.hpp); do
    if ! grep -qw -- "$h" <<<"$allowed"; then
        echo "mexc/config.hpp depends on $h (allowed: $allowed)" >&2
        status=1
    fi
done

api=$(closure mexc/mexc.hpp)
for h in $(grep -v -e '^mexc/detail/' -e '^mexc/mexc.hpp$' <<<"$headers"); do
    if ! grep -qx -- "$h" <<<"$api"; then
        echo "mexc/mexc.hpp does not include $h" >&2
        status=1
    fi
done

count=$(wc -l <<<"$headers")
[ "$status" -eq 0 ] && echo "includes: $count public headers keep their layers"
exit "$status"
