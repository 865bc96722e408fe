#!/usr/bin/env bash
# Builds the controller-runtime peer of `npm run bench -- peers` (test/bench/peers/controller-runtime)
# into a cache folder outside the repository, keyed by a hash of its source and the Go version:
#
#   ${TYPERATOR_CACHE:-~/.cache/typerator}/bench/controller-runtime-peer-<hash>/peer
#
# Prints that path on stdout, progress on stderr. A warm cache returns at once; the first build
# downloads controller-runtime's modules (later builds work offline) and takes a minute or two.
set -euo pipefail

# One brace group, read whole before it runs: editing this file during a build cannot change it.
{

SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/controller-runtime" && pwd)
CACHE_ROOT=${TYPERATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/typerator}

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false
command -v go >/dev/null || { echo "build-peer: Go is required (go.dev toolchain 1.24+) and was not found on PATH" >&2; exit 1; }

# Every file that goes into the build: the module files and each Go source (one package, no tests).
shopt -s nullglob
SOURCES=(go.mod go.sum)
for f in "$SOURCE_DIR"/*.go; do SOURCES+=("$(basename "$f")"); done
# The hash covers those files (names and contents) and the toolchain that builds them.
HASH=$( { go version; cd "$SOURCE_DIR" && for f in "${SOURCES[@]}"; do echo "== $f"; cat "$f"; done; } | sha256sum | cut -c1-16)
DIR="$CACHE_ROOT/bench/controller-runtime-peer-$HASH"
PEER="$DIR/peer"
if [[ -x "$PEER" ]]; then echo "$PEER"; exit 0; fi

started=$SECONDS
log() { printf '[build-peer +%4ss] %s\n' "$((SECONDS - started))" "$*" >&2; }

if ! mkdir -p "$DIR/work" 2>/dev/null; then
  echo "build-peer: cannot create $DIR; set TYPERATOR_CACHE to a folder you can write" >&2
  exit 1
fi
# One build at a time: a second run waits for the first and then finds its binary.
exec 9>"$DIR/.build.lock"
if ! flock -n 9; then
  log "another build of the peer is running; waiting for it (lock: $DIR/.build.lock)"
  flock 9
fi
if [[ -x "$PEER" ]]; then echo "$PEER"; exit 0; fi

log "building the controller-runtime peer once into $DIR (downloads its modules the first time)"
# A clean work folder: a source removed since an interrupted build must not linger in it.
rm -rf "$DIR/work" && mkdir -p "$DIR/work"
for f in "${SOURCES[@]}"; do cp "$SOURCE_DIR/$f" "$DIR/work/"; done
(
  cd "$DIR/work"
  log "downloading modules (offline once cached)"
  go mod download >&2
  log "compiling"
  go build -trimpath -ldflags "-s -w" -o "$PEER.tmp" .
)
mv "$PEER.tmp" "$PEER"
log "peer ready: $PEER"
echo "$PEER"
exit 0
}
