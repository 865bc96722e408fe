#!/usr/bin/env bash
# Builds the upstream Kubernetes components Typerator tests against, and the Prometheus server the
# SLA operator's tests query, from Go modules, into a versioned cache folder outside the repository. Idempotent: a warm cache returns in seconds.
#
#   scripts/build-binaries.sh            build whatever is missing
#   scripts/build-binaries.sh --print    print the folder that holds the binaries, build nothing
#
# Binaries the user already has are reused instead of built:
#   TEST_ASSET_<NAME>   path of one binary (e.g. TEST_ASSET_KUBE_APISERVER, TEST_ASSET_ETCD)
#   KUBEBUILDER_ASSETS  a folder of envtest binaries (etcd, kube-apiserver, kubectl, ...)
set -euo pipefail

# The whole script is one brace group, which bash reads completely before running it: a build takes
# minutes, and a checkout or edit of this file meanwhile must not change what the running one does.
{

K8S_VERSION=${TYPERATOR_K8S_VERSION:-v1.34.10}
ETCD_VERSION=${TYPERATOR_ETCD_VERSION:-v3.6.16}
KWOK_VERSION=${TYPERATOR_KWOK_VERSION:-v0.7.0}
HELM_VERSION=${TYPERATOR_HELM_VERSION:-v3.21.4}
# Prometheus 3.x publishes its Go module as v0.3MM.P for release 3.MM.P (v0.316.0 is 3.16.0).
PROMETHEUS_VERSION=${TYPERATOR_PROMETHEUS_VERSION:-v0.316.0}

CACHE_ROOT=${TYPERATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/typerator}
# Prometheus is not part of KEY (a new Prometheus must not rebuild the Kubernetes components): it
# lives in the same BIN_DIR with its version in $BIN_DIR/prometheus.version, and a mismatch rebuilds it alone.
KEY="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_helm-${HELM_VERSION}"
BIN_DIR="$CACHE_ROOT/k8s/$KEY/bin"
WORK_DIR="$CACHE_ROOT/k8s/$KEY/work"

if [[ "${1:-}" == "--print" ]]; then echo "$BIN_DIR"; exit 0; fi

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false
started=$SECONDS
log() { printf '[build-binaries +%4ss] %s\n' "$((SECONDS - started))" "$*" >&2; }

# A binary the user supplied (TEST_ASSET_* or KUBEBUILDER_ASSETS) is never rebuilt.
user_supplied() {
  local name=$1 var
  var="TEST_ASSET_$(echo "$name" | tr 'a-z-' 'A-Z_')"
  [[ -n "${!var:-}" && -x "${!var}" ]] && return 0
  [[ -n "${KUBEBUILDER_ASSETS:-}" && -x "$KUBEBUILDER_ASSETS/$name" ]] && return 0
  return 1
}
stamped() { [[ "$1" != prometheus || "$(cat "$BIN_DIR/prometheus.version" 2>/dev/null)" == "$PROMETHEUS_VERSION" ]]; }
needed() { ! user_supplied "$1" && { [[ ! -x "$BIN_DIR/$1" ]] || ! stamped "$1"; }; }

all_present() {
  local b
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok helm prometheus; do needed "$b" && return 1; done
  return 0
}
if all_present; then echo "$BIN_DIR"; exit 0; fi

# A bogus cache root (a file, a path under /proc, a read-only mount) fails here, with its name.
check_cache_root() {
  local reason probe chosen_by="the cache folder $CACHE_ROOT (set TYPERATOR_CACHE to use another)"
  [[ -n "${TYPERATOR_CACHE:-}" ]] && chosen_by="TYPERATOR_CACHE=$TYPERATOR_CACHE"
  if ! reason=$(mkdir -p -- "$CACHE_ROOT" 2>&1); then
    :
  elif ! probe=$(mktemp -d "$CACHE_ROOT/.write-test-XXXXXX" 2>&1); then
    reason=$probe
  else
    rmdir -- "$probe"
    return 0
  fi
  echo "build-binaries: $chosen_by is not a writable folder: $reason; set TYPERATOR_CACHE to a folder you can write" >&2
  exit 1
}
check_cache_root
mkdir -p "$BIN_DIR" "$WORK_DIR"
# One build at a time per cache: a second run (two terminals, npm test beside npm start) waits for
# the first and then finds the binaries it built.
exec 9>"$CACHE_ROOT/k8s/$KEY/.build.lock"
if ! flock -n 9; then
  log "another build of these binaries is running; waiting for it (lock: $CACHE_ROOT/k8s/$KEY/.build.lock)"
  flock 9
fi
missing=()
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok helm prometheus; do needed "$b" && missing+=("$b"); done
if [[ "${missing[*]}" == prometheus ]]; then
  log "building prometheus $PROMETHEUS_VERSION once into $BIN_DIR (about 2 minutes on 2 cores; later runs reuse it)"
else
  log "building ${missing[*]} once into $BIN_DIR (about 10 minutes on 2 cores; later runs reuse them)"
fi
command -v go >/dev/null || { echo "build-binaries: Go is required (go.dev toolchain 1.25+) and was not found on PATH" >&2; exit 1; }

build_kube() {
  local bins=() b
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do needed "$b" && bins+=("$b"); done
  [[ ${#bins[@]} -eq 0 ]] && return 0
  local dir="$WORK_DIR/kube" minor staging_minor gomod
  minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  staging_minor="v0.${K8S_VERSION#v1.}"
  mkdir -p "$dir"
  log "kubernetes $K8S_VERSION: resolving modules for ${bins[*]}"
  (
    cd "$dir"
    rm -f go.mod go.sum
    go mod init local/kube-bins >/dev/null 2>&1
    go mod edit -go=1.24.0 -require="k8s.io/kubernetes@$K8S_VERSION"
    printf '\ngodebug default=go1.24\n' >> go.mod
    # k8s.io/kubernetes requires its staging modules at v0.0.0 behind ./staging replaces; pin each
    # to the matching published version, read from that release's own go.mod.
    local info
    if ! info=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION"); then
      echo "build-binaries: cannot download k8s.io/kubernetes@$K8S_VERSION:" >&2
      grep '"Error"' <<<"$info" >&2 || true
      exit 1
    fi
    gomod=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' <<<"$info")
    awk '$2=="=>" && $3 ~ /^\.\/staging\// {print $1}' "$gomod" | while read -r m; do
      go mod edit -replace="$m=$m@$staging_minor"
    done
    cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
    go mod tidy >&2
  )
  local ldf="-s -w" p date
  date=$(date -u +%FT%TZ)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf="$ldf -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  for b in "${bins[@]}"; do
    log "kubernetes $K8S_VERSION: compiling $b"
    (cd "$dir" && go build -trimpath -tags=selinux,notest -ldflags="$ldf" -o "$BIN_DIR/$b.tmp" "k8s.io/kubernetes/cmd/$b")
    mv "$BIN_DIR/$b.tmp" "$BIN_DIR/$b"
    log "kubernetes $K8S_VERSION: $b done"
  done
}

build_etcd() {
  needed etcd || return 0
  local dir="$WORK_DIR/etcd"
  mkdir -p "$dir"
  log "etcd $ETCD_VERSION: resolving modules"
  (
    cd "$dir"
    rm -f go.mod go.sum
    go mod init local/etcd-bin >/dev/null 2>&1
    go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > tools.go
    go mod tidy >&2
    log "etcd $ETCD_VERSION: compiling"
    go build -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" -o "$BIN_DIR/etcd.tmp" go.etcd.io/etcd/server/v3
  )
  mv "$BIN_DIR/etcd.tmp" "$BIN_DIR/etcd"
  log "etcd $ETCD_VERSION: done"
}

# kwok and helm have no replace directives, so `go install` builds them directly.
install_module() {
  local name=$1 pkg=$2 version=$3 ldf=${4:-}
  needed "$name" || return 0
  log "$name $version: compiling"
  GOBIN="$WORK_DIR/gobin" go install -trimpath -ldflags "-s -w $ldf" "$pkg@$version"
  mv "$WORK_DIR/gobin/$name" "$BIN_DIR/$name"
  log "$name $version: done"
}

# Prometheus's go.mod has no replace directives either. remove_all_sd leaves out the cloud service
# discoveries (a third of the build) and keeps file_sd, which the tests use; without the
# builtinassets tag the web UI is not embedded, and the HTTP API the tests query is unaffected.
build_prometheus() {
  needed prometheus || return 0
  local release=${PROMETHEUS_VERSION#v0.} minor
  minor=${release%%.*}
  local ldf="-X github.com/prometheus/common/version.Version=3.$((10#$minor - 300)).${release#*.}"
  ldf="$ldf -X github.com/prometheus/common/version.Revision=$PROMETHEUS_VERSION -X github.com/prometheus/common/version.Branch=HEAD"
  log "prometheus $PROMETHEUS_VERSION: compiling"
  GOBIN="$WORK_DIR/gobin" go install -trimpath -tags remove_all_sd -ldflags "-s -w $ldf" \
    "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_VERSION"
  mv "$WORK_DIR/gobin/prometheus" "$BIN_DIR/prometheus"
  echo "$PROMETHEUS_VERSION" > "$BIN_DIR/prometheus.version"
  log "prometheus $PROMETHEUS_VERSION: done"
}

build_etcd
build_kube
install_module kwok sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION"
install_module helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
build_prometheus

log "binaries ready in $BIN_DIR"
echo "$BIN_DIR"
exit 0
}
