#!/usr/bin/env bash
# Every "SPEC §x.y" and FAULTS scenario ID cited in the tree resolves in the copies shipped in
# docs/ (docs/mexc-spot-v3/SPEC.md, docs/FAULTS.md). When the upstream reference folder is given
# (MEXC_REFERENCE_DIR, holding mexc-spot-v3/SPEC.md, FAULTS.md and STYLE.md), the copies must
# equal it byte for byte.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spec="$root/docs/mexc-spot-v3/SPEC.md"
faults="$root/docs/FAULTS.md"
dirs=()
for d in include src tools tests bench examples docs README.md; do [ -e "$root/$d" ] && dirs+=("$root/$d"); done
status=0

if [ -n "${MEXC_REFERENCE_DIR:-}" ]; then
    for f in mexc-spot-v3/SPEC.md FAULTS.md STYLE.md; do
        if ! cmp -s "$MEXC_REFERENCE_DIR/$f" "$root/docs/$f"; then
            echo "docs/$f differs from $MEXC_REFERENCE_DIR/$f: copy it again" >&2
            status=1
        fi
    done
fi

# Section headings ("## 3." / "### 3.2") and the numbered items of §12.
sections=$(grep -E '^#{2,4} [0-9]+(\.[0-9]+)*\.? ' "$spec" | awk '{sub(/\.$/, "", $2); print $2}')
items12=$(awk '/^## 12\./{on=1; next} /^## /{on=0} on && /^[0-9]+\. /{sub(/\./, "", $1); print "12." $1}' "$spec")
known=$(printf '%s\n%s\n' "$sections" "$items12" | sort -u)
cited=$(grep -rhoE 'SPEC §[0-9]+(\.[0-9]+)*' "${dirs[@]}" --exclude=SPEC.md --exclude=FAULTS.md \
        | sed 's/SPEC §//' | sort -u)
spec_count=0
for s in $cited; do
    spec_count=$((spec_count + 1))
    if ! grep -qx "$s" <<<"$known"; then
        echo "SPEC §$s is cited but docs/mexc-spot-v3/SPEC.md has no such section:" >&2
        grep -rnE "SPEC §$s\b" "${dirs[@]}" --exclude=SPEC.md | head -3 >&2
        status=1
    fi
done

# Scenario IDs: rows of the catalogue tables ("| N07 |").
ids=$(grep -oE '^\| [NPETCRS][0-9]{2} ' "$faults" | awk '{print $2}' | sort -u)
tagged=$(grep -rhoE '\[[NPETCRS][0-9]{2}\]|TEST_CASE\("([NPETCRS][0-9]{2} )+' "$root/tests" \
         | grep -oE '[NPETCRS][0-9]{2}' | sort -u)
id_count=0
for id in $tagged; do
    id_count=$((id_count + 1))
    if ! grep -qx "$id" <<<"$ids"; then
        echo "scenario $id is named by a test but docs/FAULTS.md has no such scenario" >&2
        status=1
    fi
done
[ "$status" -eq 0 ] && echo "references: $spec_count SPEC sections and $id_count scenario IDs resolve"
exit "$status"
