#!/usr/bin/env bash
# Prints the two-digit number of chapter $1 (`6`, `06`) when Chapters/ has it; otherwise says which
# chapters exist, on standard error, and exits 2. Used by `make chapter-N`, `make lesson-N`.
set -u
cd "$(dirname "$0")/.."
requested=${1-}
list() {
  echo "Chapters that exist:" >&2
  for folder in Chapters/[0-9][0-9]-*/; do
    name=$(basename "$folder")
    title=$(echo "${name#*-}" | sed 's/\([a-z]\)\([A-Z]\)/\1 \2/g')
    printf '  make chapter-%-3s %s\n' "$((10#${name%%-*}))" "$title" >&2
  done
}
if [ -z "$requested" ]; then
  echo "error: no chapter number given: make chapter-N, e.g. make chapter-1." >&2
  list
  exit 2
fi
if ! [[ $requested =~ ^[0-9]+$ ]]; then
  echo "error: '$requested' is not a chapter number." >&2
  list
  exit 2
fi
number=$(printf '%02d' $((10#$requested)))
if ! compgen -G "Chapters/$number-*/main.swift" >/dev/null; then
  echo "error: there is no chapter $((10#$requested)) yet." >&2
  list
  exit 2
fi
echo "$number"
