#!/usr/bin/env bash
# Writes the man page of a Homeward program from its --help, with help2man (the build calls it:
# cmake/install.cmake). For `homeward`, each command's own help follows as COMMANDS.
#   deploy/packaging/man-page.sh PROGRAM VERSION OUTPUT.1
set -euo pipefail
case "${1:-}" in
  --help | -h) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
esac
program=${1:?usage: man-page.sh PROGRAM VERSION OUTPUT}
version=${2:?usage: man-page.sh PROGRAM VERSION OUTPUT}
output=${3:?usage: man-page.sh PROGRAM VERSION OUTPUT}
name=$(basename "$program")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Abseil's help names each flag's source file by its build path (keep the part in the tree) and
# wraps each flag's text at 80 columns (one line each, for help2man to read as one option).
cat >"$work/$name" <<WRAPPER
#!/usr/bin/env bash
"$program" "\$@" 2>&1 | sed -E 's#(Flags from )[^ ]*/((common|services)/)#\1\2#' | perl -0pe 's/\n {6}(?=\S)/ /g'
WRAPPER
chmod +x "$work/$name"

# NAME: what the usage message's first line says after "<program>: ".
summary=$("$work/$name" --help | head -n 1 | sed -E "s/^[^:]*: *//; s/\.$//")
extra=()
if [ "$name" = homeward ]; then
  {
    echo "[COMMANDS]"
    while read -r command; do
      [ "$command" = help ] && continue
      echo ".SS $command"
      echo ".nf"
      "$program" help "$command" | sed -e 's/\\/\\e/g' -e 's/^\./\\\&./'
      echo ".fi"
    done < <("$program" __complete)
  } >"$work/commands.h2m"
  extra=(--include="$work/commands.h2m")
fi
help2man --no-info --no-discard-stderr --section=1 --source="Homeward $version" --version-string="$version" \
  --name="$summary" "${extra[@]}" --output="$output" "$work/$name"
