#!/usr/bin/env bash
# Installs the pinned tools that verify the deployment artefacts (tests/deploy) into
# <repo>/.cache/tools/bin, once: Helm, kubectl-validate, promtool, compose-check (Docker Compose's own
# loader) and dockerfile-check (BuildKit's Dockerfile checks), the last two from deploy/tools. Everything comes from the Go module proxy through `go`;
# nothing needs Docker or a Kubernetes cluster. Later runs only compare the recorded versions (< 1 s).
#
#   deploy/tools/ensure-tools.sh          install what is missing, print the bin folder
#   PX3_TOOLS_DIR=/elsewhere ...          use another folder than <repo>/.cache/tools
#
# First install on a 2-core machine with empty Go caches: about 8–9 minutes (see
# docs/decisions/0062-offline-verification-of-deployment-artefacts.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="${PX3_TOOLS_DIR:-$ROOT/.cache/tools}"
BIN="$TOOLS_DIR/bin"

# Pinned versions. Prometheus publishes its Go module as v0.<major><minor>.<patch>: v0.316.0 is
# Prometheus v3.16.0, the same version as the prom/prometheus image in deploy/docker-compose.yml.
HELM_VERSION=v3.22.0
KUBECTL_VALIDATE_VERSION=v0.0.4
PROMETHEUS_VERSION=v0.316.0
PROMETHEUS_OPERATOR_VERSION=v0.85.0

log() { printf '[ensure-tools] %s\n' "$*" >&2; }

# Go is often installed outside the default PATH of a root shell (the official tarball in
# /usr/local/go, Debian's versioned packages in /usr/lib/go-1.x): look there before giving up.
if ! command -v go >/dev/null; then
  for candidate in /usr/local/go/bin /usr/lib/go/bin /usr/lib/go-1.*/bin "$HOME/go/bin" "$HOME/sdk/go"*/bin; do
    if [[ -x "$candidate/go" ]]; then
      PATH="$candidate:$PATH"
      log "using Go from $candidate ($("$candidate/go" env GOVERSION))"
      break
    fi
  done
fi
if ! command -v go >/dev/null; then
  log "Go is needed to install the deployment test tools (helm, kubectl-validate, promtool, compose-check, dockerfile-check)."
  log "Install Go 1.26 or newer (Debian: apt-get install golang-go, or the official tarball) and re-run."
  exit 1
fi

mkdir -p "$BIN" "$TOOLS_DIR/versions" "$TOOLS_DIR/crds"
# One installer at a time (test files run in parallel and all call this); the others wait, then find
# everything installed.
exec 9>"$TOOLS_DIR/.install.lock"
flock 9
export GOBIN="$BIN" GOFLAGS="${GOFLAGS:-} -buildvcs=false"

# installed NAME VERSION [PATH]: the recorded version matches and the file is there.
installed() { [[ -e "${3:-$BIN/$1}" && "$(cat "$TOOLS_DIR/versions/$1" 2>/dev/null)" == "$2" ]]; }
record() { printf '%s\n' "$2" > "$TOOLS_DIR/versions/$1"; }

timed() {
  local name="$1"
  shift
  local start=$SECONDS
  log "installing $name"
  "$@"
  log "$name installed in $((SECONDS - start)) s"
}

install_module() { # name module version [go install flags...]
  local name="$1" module="$2" version="$3"
  shift 3
  installed "$name" "$version" && return 0
  timed "$name $version" go install "$@" "$module@$version"
  record "$name" "$version"
}

# Helm takes the Kubernetes version it assumes (Capabilities.KubeVersion, deprecation checks) from
# link-time variables that its Makefile sets from its client-go version (v0.37 = Kubernetes 1.37);
# without them a `go install` build would assume Kubernetes 1.20.
install_helm() {
  installed helm "$HELM_VERSION" && return 0
  local ldflags="-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  ldflags+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=37"
  ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=37"
  timed "helm $HELM_VERSION" go install -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  record helm "$HELM_VERSION"
}

# Our own small checkers, built from deploy/tools/<name> (their go.sum pins every module).
install_local_tool() { # name
  local source="$ROOT/deploy/tools/$1"
  local stamp
  stamp="$(cat "$source/go.mod" "$source/go.sum" "$source/main.go" | sha256sum | cut -c1-16)"
  installed "$1" "$stamp" && return 0
  timed "$1" bash -c "cd '$source' && go build -o '$BIN/$1' ."
  record "$1" "$stamp"
}

# The ServiceMonitor and PrometheusRule CRDs, for kubectl-validate, from the prometheus-operator module.
install_crds() {
  installed crds "$PROMETHEUS_OPERATOR_VERSION" "$TOOLS_DIR/crds/monitoring.coreos.com_prometheusrules.yaml" && return 0
  local dir
  dir="$(go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  if [[ -z "$dir" || ! -d "$dir/example/prometheus-operator-crd" ]]; then
    log "could not download the prometheus-operator $PROMETHEUS_OPERATOR_VERSION module"
    exit 1
  fi
  rm -f "$TOOLS_DIR/crds/"*.yaml
  for kind in servicemonitors prometheusrules; do
    cp "$dir/example/prometheus-operator-crd/monitoring.coreos.com_$kind.yaml" "$TOOLS_DIR/crds/"
  done
  chmod u+w "$TOOLS_DIR/crds/"*.yaml
  record crds "$PROMETHEUS_OPERATOR_VERSION"
}

install_helm
install_module kubectl-validate sigs.k8s.io/kubectl-validate "$KUBECTL_VALIDATE_VERSION"
# Without Prometheus's service-discovery plugins (static targets are built in): a third of the build.
install_module promtool github.com/prometheus/prometheus/cmd/promtool "$PROMETHEUS_VERSION" -tags remove_all_sd
install_local_tool compose-check
install_local_tool dockerfile-check
install_crds

echo "$BIN"
