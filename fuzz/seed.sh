#!/usr/bin/env bash
# Seed each fuzz target's corpus from the repository's contracts: the
# examples, the test corpus, the language-version-2 contracts and the
# regression inputs. query_eval reads its
# input's last line as the query, so its seeds are contracts with a query
# appended. Run from anywhere; writes fuzz/corpus/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
root=..
dirs=()
for dir in examples tests/corpus tests/v2 tests/regressions; do
  [ -d "$root/$dir" ] && dirs+=("$root/$dir")
done
contracts=$(find "${dirs[@]}" -type f | sort)

for target in parse check fmt_roundtrip query_eval; do
  mkdir -p "corpus/$target"
done

queries=(
  'may openai host api on gcp'
  'may openai host non_api on anywhere to us_natsec'
  'must openai purchase azure_services with microsoft'
  'holds microsoft model_ip'
  'status azure_commitment'
  'stake_value / stake'
  '2025-10-28 + 15 years - 3 months'
  'may helvion commercialise hlv204 on eu'
  'status royalties'
  'max($1M, 12% * $20M)'
  'min(2030-01-01, 2029-06-30)'
  'approval_milestone is violated'
  'breach_cured by breach_notice + 60 days'
)

for file in $contracts; do
  name=$(basename "$(dirname "$file")")-$(basename "$file" .deal)
  for target in parse check fmt_roundtrip; do
    cp "$file" "corpus/$target/$name"
  done
  i=0
  for query in "${queries[@]}"; do
    { cat "$file"; printf '\n%s' "$query"; } > "corpus/query_eval/$name-$i"
    i=$((i + 1))
  done
done
echo "seeded $(echo "$contracts" | wc -l) contracts into fuzz/corpus/"
