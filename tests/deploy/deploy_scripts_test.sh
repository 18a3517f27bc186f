#!/usr/bin/env bash
# Every script under deploy/ runs and is shellcheck-clean (issue 17): each is executed with --help
# and, where it acts on something, a dry run; the production topic set-up is the code's topic
# table; the Kafka compose file parses and names only files that exist.
#   deploy_scripts_test.sh BUILD_DIR
set -euo pipefail
bin=$1/bin
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$root"

scripts=(deploy/*.sh deploy/kafka/*.sh deploy/packaging/*.sh deploy/packaging/postinst deploy/packaging/prerm
         deploy/packaging/postrm deploy/completion/homeward.bash)
command -v shellcheck >/dev/null || fail "shellcheck is not installed (deploy/setup.sh installs it)"
shellcheck "${scripts[@]}" || fail "shellcheck found problems"
for script in "${scripts[@]}"; do
  bash -n "$script" || fail "$script does not parse"
done

# --help: every script that takes arguments says how, exits 0, and does nothing else.
for script in deploy/*.sh deploy/kafka/*.sh deploy/packaging/man-page.sh; do
  out=$(cd "$dir" && bash "$root/$script" --help) || fail "$script --help exited $?"
  [ -n "$out" ] || fail "$script --help printed nothing"
  [ -z "$(ls -A "$dir")" ] || fail "$script --help left files behind: $(ls -A "$dir")"
done
bash deploy/kafka/create-topics.sh --frobnicate >/dev/null 2>&1 && fail "create-topics.sh took an unknown option"

# Dry runs: what each would do, doing nothing.
bash deploy/setup.sh --dry-run | grep -q "^setup: missing: " || fail "setup.sh --dry-run"
topics=$(env -u KAFKA_BIN -u BOOTSTRAP -u ADMIN_CONFIG bash deploy/kafka/create-topics.sh --dry-run)
[ "$(grep -c 'kafka-topics.sh .*--create' <<<"$topics")" -eq 5 ] || fail "create-topics.sh --dry-run: $topics"
acls=$(env -u ADAPTERS bash deploy/kafka/acls.sh --dry-run)
grep -q "User:homeward-aggregator --operation Read --topic homeward.events.v1" <<<"$acls" ||
  fail "acls.sh --dry-run: $acls"
# dev-credentials.sh acts only on the directory it is given: run it for real.
bash deploy/dev-credentials.sh "$dir/credentials" >/dev/null
for f in ca.pem server.pem server.key token.key integrity.key clients/homeward-cli.pem; do
  [ -s "$dir/credentials/$f" ] || fail "dev-credentials.sh made no $f"
done

# Production's topics are the code's: names, partitions, retention, cleanup policy.
diff <("$bin/homeward-kafka" --list_topics) <(bash deploy/kafka/create-topics.sh --list) ||
  fail "deploy/kafka/create-topics.sh and kafka::HomewardTopics() differ (above)"

# The compose file parses, and every file of this repository it names exists.
/usr/bin/python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' deploy/kafka/compose.yaml ||
  fail "deploy/kafka/compose.yaml is not valid YAML"
for named in $(grep -ohE '[A-Za-z0-9_.-]*/?deploy/[A-Za-z0-9_./-]+[A-Za-z0-9]' deploy/kafka/compose.yaml deploy/README.md \
                 deploy/kafka/README.md deploy/kafka/*.sh | sort -u); do
  [ "$named" = deploy/kafka/secrets ] && continue  # what the operator makes (deploy/kafka/README.md)
  [ -e "$named" ] || fail "$named is named but does not exist"
done
echo "deploy scripts: shellcheck-clean, --help and dry runs, topics as the code has them"
