#!/usr/bin/env bash
# homeward-import as an agency integrator runs it, without Kafka (issue 12, importer):
# --dry-run checks a whole export and reports what would be published and rejected (same
# summary, --rejects file and exit status as a real run) with no Kafka and no checkpoint; an NHS
# number that fails its check digit is a warning, not a rejection; a misspelt mapping key stops
# it naming the key; progress written to a file or pipe is a line every 10 s at most and one at
# the end, never one per batch.
#   import_cli_test.sh BUILD_DIR
set -euo pipefail
bin=$1/bin
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; for f in "$dir"/*.out "$dir"/*.err "$dir"/*.csv; do [ -f "$f" ] && { echo "--- $f"; head -n 20 "$f"; }; done; exit 1; }

import() {  # import NAME MAPPING INPUT [FLAGS...]: sets $status; stdout to NAME.out, stderr to NAME.err
  local name=$1 mapping=$2 input=$3; shift 3
  set +e
  "$bin/homeward-import" --mapping="$root/config/mappings/$mapping.json" --input="$input" \
    --checkpoint_dir="$dir/checkpoints" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
  status=$?
  set -e
}

# ---- --dry-run: everything checked, nothing published, no Kafka (no --bootstrap_* at all) ----
import bad police-west-midlands "$root/data/samples/bad/police_with_errors.csv" --dry-run --rejects="$dir/rejects.csv"
[ $status -eq 3 ] || fail "a dry run with rejections exited $status, not 3 as a real run does"
grep -q "police_with_errors.csv: dry run, nothing published: 7 records read: 1 would be published (2 events), 6 rejected" \
  "$dir/bad.out" || fail "the dry run's summary"
grep -q "rejected line 3 (MP-26-0901): date_of_birth: cannot read '2012-02-30'" "$dir/bad.out" ||
  fail "the dry run does not list its rejections"
[ "$(head -n 1 "$dir/rejects.csv")" = "location,record,reason" ] || fail "the rejects report's header"
[ "$(tail -n +2 "$dir/rejects.csv" | wc -l)" -eq 6 ] || fail "the rejects report does not hold the 6 rejections"
[ ! -e "$dir/checkpoints" ] || fail "a dry run wrote a checkpoint"
grep -qi "kafka\|bootstrap" "$dir/bad.err" && fail "a dry run needed Kafka"

import good police-warwickshire "$root/data/samples/police_warwickshire.csv" --dry_run
[ $status -eq 0 ] || fail "a clean dry run exited $status"
grep -q "dry run, nothing published: 2 records read: 2 would be published" "$dir/good.out" || fail "the clean dry run's summary"
# Run for real later, the same file is published whole: the dry run left no checkpoint behind.
[ ! -e "$dir/checkpoints" ] || fail "a dry run wrote a checkpoint"

# ---- an NHS number with a wrong check digit: the record is kept, the number not trusted ----
sed 's/,9990006067,/,9990006066,/' "$root/data/samples/police_warwickshire.csv" >"$dir/typo.csv"
import typo police-warwickshire "$dir/typo.csv" --dry-run --rejects="$dir/typo-rejects.csv"
[ $status -eq 0 ] || fail "a record with an unverified NHS number was not published (exit $status)"
grep -q "2 records read: 2 would be published" "$dir/typo.out" || fail "the typo's summary"
grep -q "warning line 3 (WK-26-7716): nhs_number: fails its Modulus 11 check digit" "$dir/typo.out" ||
  fail "no warning for the NHS number that fails its check digit"
[ "$(wc -l <"$dir/typo-rejects.csv")" -eq 1 ] || fail "a warning went to the rejects report"

# ---- a real run without Kafka's address is refused (exit 2), as before ----
import nokafka police-warwickshire "$root/data/samples/police_warwickshire.csv"
[ $status -eq 2 ] || fail "a real run without Kafka's address exited $status, not 2"

# ---- a mapping file with a misspelt key is refused at load, naming the key ----
sed 's/"MissingType"/"MissingType", "risk_grad": "RiskLevel"/; s/"risk_grade": "RiskLevel",//' \
  "$root/config/mappings/police-warwickshire.json" >"$dir/misspelt.json"
set +e
"$bin/homeward-import" --mapping="$dir/misspelt.json" --input="$root/data/samples/police_warwickshire.csv" \
  --dry-run >"$dir/misspelt.out" 2>"$dir/misspelt.err"
status=$?
set -e
[ $status -eq 2 ] || fail "a misspelt mapping key exited $status, not 2"
grep -q "columns.risk_grad: not a field of police-csv (did you mean risk_grade?)" "$dir/misspelt.err" ||
  fail "the misspelt key is not named"

# ---- progress into a file: periodic lines, never one per 200-row batch ----
python3 "$root/tests/e2e/generate_police_export.py" 20000 "$dir/big.csv"
import big police-west-midlands "$dir/big.csv" --dry-run
[ $status -eq 0 ] || fail "the large dry run exited $status"
grep -q "big.csv: dry run, nothing published: 20000 records read: 20000 would be published (40000 events), 0 rejected" \
  "$dir/big.out" || fail "the large dry run's summary"
lines=$(grep -c "records done" "$dir/big.err" || true)
[ "$lines" -ge 1 ] || fail "no progress line at the end"
[ "$lines" -le 3 ] || fail "$lines progress lines for 100 batches (at most one every 10 s)"
grep -q "big.csv: 20,000 of 20,000 records done in " "$dir/big.err" || fail "the last progress line"
grep -q $'\r' "$dir/big.err" && fail "a progress bar was drawn into a file"
echo "homeward-import: dry run, mapping checks and progress as documented"
