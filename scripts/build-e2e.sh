#!/usr/bin/env bash
# Builds the upstream Kubernetes e2e suite (e2e.test) and the ginkgo CLI that runs it in parallel,
# from Go modules, into a versioned cache folder outside the repository. Only `npm run conformance`
# needs them, so `npm run binaries` does not build them. Idempotent: a warm cache returns at once.
#
#   scripts/build-e2e.sh            build whatever is missing (about 11 minutes on 2 cores, once)
#   scripts/build-e2e.sh --print    print the folder that holds the binaries, build nothing
#   scripts/build-e2e.sh --print-log  print the path of the build log, build nothing
#
# Progress goes to stderr, the folder to stdout. The output of Go goes to the build log; a failure
# names it and prints its tail. Exit status: 0 built or present, 2 Go is missing, 1 anything else.
set -euo pipefail

# One brace group, read completely before it runs: editing this file during a build is harmless.
{

K8S_VERSION=${TYPERATOR_K8S_VERSION:-v1.34.10}
GINKGO_VERSION=${TYPERATOR_GINKGO_VERSION:-v2.21.0}
# The module proxy does not serve k8s.io/sample-apiserver at the release's own v0.34.x; only
# test/e2e/apimachinery imports it, and a nearby patch of the same minor is API-compatible.
SAMPLE_APISERVER_VERSION=${TYPERATOR_SAMPLE_APISERVER_VERSION:-v0.34.4}

CACHE_ROOT=${TYPERATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/typerator}
KEY="e2e-${K8S_VERSION}_ginkgo-${GINKGO_VERSION}_sample-apiserver-${SAMPLE_APISERVER_VERSION}"
BIN_DIR="$CACHE_ROOT/e2e/$KEY/bin"
WORK_DIR="$CACHE_ROOT/e2e/$KEY/work"
LOG_FILE="$WORK_DIR/build.log"

case "${1:-}" in
  --print) echo "$BIN_DIR"; exit 0 ;;
  --print-log) echo "$LOG_FILE"; exit 0 ;;
esac

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false
started=$SECONDS
log() { printf '[build-e2e +%4ss] %s\n' "$((SECONDS - started))" "$*" >&2; }
fail() { echo "build-e2e: $*" >&2; exit 1; }
GO_MISSING=2

if [[ -x "$BIN_DIR/e2e.test" && -x "$BIN_DIR/ginkgo" ]]; then echo "$BIN_DIR"; exit 0; fi

if ! command -v go >/dev/null; then
  echo "build-e2e: Go is required to build e2e.test (the go.dev toolchain, 1.24 or later) and was not found on PATH" >&2
  exit "$GO_MISSING"
fi

if ! mkdir -p -- "$BIN_DIR" "$WORK_DIR" 2>/dev/null || [[ ! -w "$WORK_DIR" ]]; then
  fail "the cache folder $CACHE_ROOT is not writable; set TYPERATOR_CACHE to a folder you can write"
fi

# One build at a time per cache: a second caller waits, then finds the binaries the first built.
exec 9>"$CACHE_ROOT/e2e/$KEY/.build.lock"
if ! flock -n 9; then
  log "another build of e2e.test is running; waiting for it (lock: $CACHE_ROOT/e2e/$KEY/.build.lock)"
  flock 9
fi
if [[ -x "$BIN_DIR/e2e.test" && -x "$BIN_DIR/ginkgo" ]]; then echo "$BIN_DIR"; exit 0; fi

: >"$LOG_FILE"
# Runs one step with its output in the log; on failure, names the log and shows its end.
step() {
  local what=$1
  shift
  log "$what"
  if ! "$@" >>"$LOG_FILE" 2>&1; then
    tail -n 25 "$LOG_FILE" >&2
    fail "$what failed; the full output is in $LOG_FILE"
  fi
}

build_ginkgo() {
  [[ -x "$BIN_DIR/ginkgo" ]] && return 0
  step "ginkgo $GINKGO_VERSION: compiling the CLI" \
    env GOBIN="$WORK_DIR/gobin" go install -trimpath -ldflags "-s -w" \
    "github.com/onsi/ginkgo/v2/ginkgo@$GINKGO_VERSION"
  mv "$WORK_DIR/gobin/ginkgo" "$BIN_DIR/ginkgo"
}

# Writes a wrapper module that requires k8s.io/kubernetes and pins its ./staging replaces. Runs
# in a subshell under `step`, where errexit does not apply, so every command checks its status.
prepare_module() (
  dir=$1
  staging_version="v0.${K8S_VERSION#v1.}"
  cd "$dir" || return 1
  rm -f go.mod go.sum tools.go
  go mod init local/kube-e2e || return 1
  go mod edit -go=1.24.0 -require="k8s.io/kubernetes@$K8S_VERSION" || return 1
  printf '\ngodebug default=go1.24\n' >>go.mod
  info=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION") || {
    grep '"Error"' <<<"$info"
    return 1
  }
  gomod=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' <<<"$info")
  srcdir=$(sed -n 's/.*"Dir": "\(.*\)".*/\1/p' <<<"$info")
  [[ -f "$gomod" && -f "$srcdir/test/e2e/e2e_test.go" ]] || {
    echo "k8s.io/kubernetes@$K8S_VERSION downloaded without test/e2e/e2e_test.go"
    return 1
  }
  modules=$(awk '$2 == "=>" && $3 ~ /^\.\/staging\// { print $1 }' "$gomod")
  for module in $modules; do
    version=$staging_version
    [[ "$module" == k8s.io/sample-apiserver ]] && version=$SAMPLE_APISERVER_VERSION
    go mod edit -replace="$module=$module@$version" || return 1
  done
  # The suite's package plus every non-standard import of its e2e_test.go, read from the release.
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    printf '\t_ "k8s.io/kubernetes/test/e2e"\n'
    awk '/^import \(/ { inside = 1; next }
         inside && /^\)/ { exit }
         inside && $0 !~ /^[[:space:]]*\/\// && match($0, /"[^"]+"/) {
           path = substr($0, RSTART + 1, RLENGTH - 2)
           if (path ~ /^[^\/]*\./) print "\t_ \"" path "\""
         }' "$srcdir/test/e2e/e2e_test.go" | sort -u
    printf ')\n'
  } >tools.go
  go mod tidy
)

build_e2e() {
  [[ -x "$BIN_DIR/e2e.test" ]] && return 0
  local dir="$WORK_DIR/module" minor ldf p date
  mkdir -p "$dir"
  step "kubernetes $K8S_VERSION: resolving the modules of test/e2e (sample-apiserver $SAMPLE_APISERVER_VERSION)" \
    prepare_module "$dir"
  minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  date=$(date -u +%FT%TZ)
  ldf="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf="$ldf -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  step "kubernetes $K8S_VERSION: compiling e2e.test (about 11 minutes on 2 cores)" \
    bash -c 'cd "$1" && go test -c -trimpath -ldflags "$2" -o "$3" k8s.io/kubernetes/test/e2e' \
    _ "$dir" "$ldf" "$BIN_DIR/e2e.test.tmp"
  mv "$BIN_DIR/e2e.test.tmp" "$BIN_DIR/e2e.test"
}

log "building the upstream e2e suite once into $BIN_DIR (progress here, Go output in $LOG_FILE)"
build_ginkgo
build_e2e
log "e2e.test and ginkgo ready in $BIN_DIR"
echo "$BIN_DIR"
exit 0
}
