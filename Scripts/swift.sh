#!/usr/bin/env bash
# Scripts/swift.sh build|test ARGS...: runs `$SWIFT` (default swift) with the arguments and passes its
# output through, except one warning the compiler prints for every literate chapter it compiles.
#
# The compiled copy of a chapter (LiterateChapterPlugin's main.swift) carries a `#sourceLocation`
# directive naming the lesson's own Chapters/NN-Name/main.swift, so errors and warnings point at the file
# a student edits. Both files are named main.swift, so the compiler warns that they give the same
# `#fileID`; the chapters never use `#fileID`, and the copy cannot take another name (top-level code
# must be in main.swift, and SwiftPM needs the chapter's BuildAnchor.swift beside it). The warning and
# its source excerpt are dropped; every other line, and the exit status, is swift's own. The compile
# line, which names the first file of the module (BuildAnchor.swift), names main.swift instead.
#
# SwiftPM relinks the plugin's tool and reruns it whenever the environment differs from the last build's,
# even in SHLVL, and make puts its command line into the environment (ARGS=..., MAKEFLAGS): swift runs
# here without make's variables and with the caller's SHLVL, so `make chapter-5 ARGS="--seed 3"` after
# `make chapter-5`, or after a plain `swift build`, rebuilds nothing.
set -o pipefail
swift_command="${SWIFT:-swift}"
if [ "${1:-}" = build ] && [[ "${MAKEFLAGS:-}" == *" -- "* ]]; then
  # make exports each variable of its command line (ARGS=..., CONFIG=...) and lists them after " -- ".
  for assignment in ${MAKEFLAGS#* -- }; do
    name="${assignment%%=*}"
    if [[ "$assignment" == *=* && "$name" =~ ^[A-Za-z_][A-Za-z_0-9]*$ ]]; then unset "$name"; fi
  done
fi
unset SWIFT MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
if [[ "${SHLVL:-}" =~ ^[0-9]+$ ]] && ((SHLVL > 0)); then export SHLVL=$((SHLVL - 1)); fi
"$swift_command" "$@" 2>&1 | awk '
  skipping && /^ *([0-9]+ )?[|`]/ { next }
  { skipping = 0 }
  /LiterateChapterPlugin\/main\.swift:[0-9]+:[0-9]+: warning: .#sourceLocation. directive produces .#fileID./ {
    skipping = 1
    next
  }
  /Compiling [a-z_0-9]+ BuildAnchor\.swift/ { sub(/BuildAnchor\.swift/, "main.swift") }
  { print; fflush() }
'
