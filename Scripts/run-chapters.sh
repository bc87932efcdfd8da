#!/usr/bin/env bash
# `make chapters ARGS="..."`: runs every chapter in order with the same options. Each chapter applies
# the options that apply to it and notes the others (LESSON_ALL_CHAPTERS=1, see Sources/Lessons/
# AllChaptersRun.swift); `--figures DIR` becomes DIR/chapter-NN. A chapter that fails does not stop the
# others; the exit status is non-zero when one failed. Ends with each chapter's wall time.
# Usage: Scripts/run-chapters.sh BIN_FOLDER [chapter options...]
set -uo pipefail
bin=$1
shift
cd "$(dirname "$0")/.."
names=()
times=()
failed=()
for folder in Chapters/[0-9]*-*/; do
  number=$(basename "$folder" | cut -d- -f1)
  echo "== chapter-$number"
  start=$(date +%s.%N)
  if ! LESSON_ALL_CHAPTERS=1 "$bin/chapter-$number" "$@"; then
    failed+=("chapter-$number")
  fi
  end=$(date +%s.%N)
  names+=("chapter-$number")
  times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')")
done
echo
echo "wall time per chapter (seconds, after the build):"
for i in "${!names[@]}"; do
  printf '  %s  %6s\n' "${names[$i]}" "${times[$i]}"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
