#!/usr/bin/env bash
# Installs everything the test suite needs beyond Go itself.
#
# Idempotent: anything already present is skipped, so a second run takes a
# couple of seconds. Go-built tools are cached outside the repository in
# ${ZHIFA_TOOLS:-$HOME/.cache/zhifa/bin}; offline Kubernetes JSON schemas for
# kubeconform go to ${ZHIFA_K8S_SCHEMAS:-$HOME/.cache/zhifa/k8s-schemas}.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${ZHIFA_TOOLS:-$HOME/.cache/zhifa/bin}
SCHEMAS=${ZHIFA_K8S_SCHEMAS:-$HOME/.cache/zhifa/k8s-schemas}

STRIPE_MOCK_MOD=github.com/stripe/stripe-mock
STRIPE_MOCK_VERSION=${STRIPE_MOCK_VERSION:-latest}
HELM_MOD=helm.sh/helm/v3/cmd/helm
HELM_VERSION=v3.22.0
# What helm's own release build stamps in with -ldflags (its Makefile derives
# the Kubernetes version from the k8s.io/client-go it uses, v0.37 -> 1.37).
# Without them `helm version` is incomplete and `helm template` assumes
# Kubernetes 1.20.
HELM_LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in pkg/lint/rules pkg/chartutil; do
	HELM_LDFLAGS+=" -X helm.sh/helm/v3/$pkg.k8sVersionMajor=1 -X helm.sh/helm/v3/$pkg.k8sVersionMinor=37"
done
KUBECONFORM_MOD=github.com/yannh/kubeconform/cmd/kubeconform
KUBECONFORM_VERSION=v0.8.0
KRATOS_MOD=github.com/ory/kratos
KRATOS_VERSION=v1.3.1
K8S_MOD=k8s.io/kubernetes
K8S_VERSION=v1.36.3

APT_PACKAGES=(redis-server chromium poppler-utils fonts-droid-fallback fonts-wqy-microhei)

# Tools must be built by the Go installed here, never a downloaded toolchain.
export GOTOOLCHAIN=local

die() {
	echo "tools.sh: ERROR: $*" >&2
	exit 1
}

now() { date +%s; }

summary() { # summary NAME STATUS DETAIL
	printf '%-13s %-10s %s\n' "$1" "$2" "$3"
}

command -v go >/dev/null 2>&1 || die "go is not on PATH"
mkdir -p "$TOOLS" "$SCHEMAS" || die "cannot create $TOOLS or $SCHEMAS"

# Run go commands that fetch modules from outside the repository so they never
# touch go.mod/go.sum.
OUTSIDE=$(mktemp -d)
cleanup() { rm -rf "$OUTSIDE"; }
trap cleanup EXIT

# moddir MODULE@VERSION: downloads the module and prints its (read-only)
# directory in the module cache.
moddir() {
	local json dir
	json=$(cd "$OUTSIDE" && go mod download -json "$1") || {
		echo "$json" >&2
		return 1
	}
	dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json")
	[[ -n "$dir" && -d "$dir" ]] || return 1
	echo "$dir"
}

# stamp NAME -> path of the file recording what was installed as NAME.
stamp() { echo "$TOOLS/.$1.stamp"; }

installed() { # installed NAME WANT: binary present and built from WANT
	[[ -x "$TOOLS/$1" && -f "$(stamp "$1")" && "$(cat "$(stamp "$1")")" == "$2" ]]
}

# ---------------------------------------------------------------- apt
apt_install() {
	local missing=() p status
	for p in "${APT_PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		[[ "$status" == "install ok installed" ]] || missing+=("$p")
	done
	if [[ ${#missing[@]} -eq 0 ]]; then
		summary apt cached "${APT_PACKAGES[*]}"
		return
	fi
	local sudo=()
	if [[ $(id -u) -ne 0 ]]; then
		command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install ${missing[*]} by hand"
		sudo=(sudo -n)
	fi
	command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install ${missing[*]} by hand"
	local t0
	t0=$(now)
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null ||
		die "apt-get update failed"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >"$OUTSIDE/apt.log" 2>&1 || {
		tail -n 30 "$OUTSIDE/apt.log" >&2
		die "apt-get install ${missing[*]} failed"
	}
	summary apt installed "${missing[*]} ($(($(now) - t0)) s)"
}

# ---------------------------------------------------------------- go install
go_install() { # go_install NAME MODULE_PATH VERSION [LDFLAGS]
	local name=$1 want="$2@$3" ldflags=${4:-} t0
	local stamp="$want${ldflags:+ ldflags=$ldflags}"
	if installed "$name" "$stamp"; then
		summary "$name" cached "$want"
		return
	fi
	t0=$(now)
	(cd "$OUTSIDE" && GOBIN="$TOOLS" go install -ldflags="$ldflags" "$want") >"$OUTSIDE/$name.log" 2>&1 || {
		tail -n 30 "$OUTSIDE/$name.log" >&2
		die "go install $want failed"
	}
	echo "$stamp" >"$(stamp "$name")"
	summary "$name" installed "$want ($(($(now) - t0)) s)"
}

# ---------------------------------------------------------------- kratos
# `go install github.com/ory/kratos@v1.3.1` is refused (its go.mod has replace
# directives), so build the main package inside the downloaded module. The
# module cache is read-only, which is fine: the module's go.mod and go.sum are
# complete, so the default -mod=readonly build writes nothing there. Needs cgo
# (SQLite).
kratos_install() {
	local want="$KRATOS_MOD@$KRATOS_VERSION" t0 dir tmp
	local ldflags="-s -w -X github.com/ory/kratos/driver/config.Version=$KRATOS_VERSION"
	if installed kratos "$want"; then
		summary kratos cached "$want"
		return
	fi
	command -v gcc >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 || die "kratos needs a C compiler (cgo): install gcc"
	t0=$(now)
	dir=$(moddir "$want") || die "go mod download $want failed"
	tmp="$TOOLS/.kratos.$$"
	(cd "$dir" && CGO_ENABLED=1 go build -tags sqlite,json1 -ldflags="$ldflags" -o "$tmp" .) \
		>"$OUTSIDE/kratos.log" 2>&1 || {
		rm -f "$tmp"
		tail -n 30 "$OUTSIDE/kratos.log" >&2
		die "building kratos $KRATOS_VERSION in $dir failed"
	}
	mv -f "$tmp" "$TOOLS/kratos"
	echo "$want" >"$(stamp kratos)"
	summary kratos installed "$want ($(($(now) - t0)) s)"
}

# ---------------------------------------------------------------- k8s schemas
# kubeconform normally downloads its JSON schemas; generate them offline from
# the OpenAPI spec shipped in the Kubernetes module instead.
schemas_install() {
	local gen="$ROOT/charts/internal/schemagen" want t0 dir
	[[ -f "$gen/main.go" ]] || die "$gen/main.go is missing"
	want="$K8S_MOD@$K8S_VERSION gen=$(cat "$gen"/*.go | sha256sum | cut -c1-16)"
	if [[ -f "$SCHEMAS/.stamp" && "$(cat "$SCHEMAS/.stamp")" == "$want" && -f "$SCHEMAS/deployment-apps-v1.json" ]]; then
		summary k8s-schemas cached "$SCHEMAS ($K8S_VERSION)"
		return
	fi
	t0=$(now)
	dir=$(moddir "$K8S_MOD@$K8S_VERSION") || die "go mod download $K8S_MOD@$K8S_VERSION failed"
	[[ -f "$dir/api/openapi-spec/swagger.json" ]] ||
		die "go mod download $K8S_MOD@$K8S_VERSION did not give api/openapi-spec/swagger.json"
	rm -rf "$SCHEMAS.tmp"
	(cd "$ROOT" && go run ./charts/internal/schemagen -in "$dir/api/openapi-spec/swagger.json" -out "$SCHEMAS.tmp") \
		>"$OUTSIDE/schemagen.log" 2>&1 || {
		tail -n 30 "$OUTSIDE/schemagen.log" >&2
		die "generating kubernetes schemas failed"
	}
	echo "$want" >"$SCHEMAS.tmp/.stamp"
	rm -rf "$SCHEMAS" && mv "$SCHEMAS.tmp" "$SCHEMAS"
	summary k8s-schemas generated "$SCHEMAS, $(find "$SCHEMAS" -name '*.json' | wc -l) files ($(($(now) - t0)) s)"
}

# Check that kubeconform really rejects a bad manifest with the generated
# schemas (a schema set that accepts everything would make the chart test
# meaningless). Runs in milliseconds.
schemas_verify() {
	local bad="$OUTSIDE/bad.yaml" good="$OUTSIDE/good.yaml" loc="$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json"
	cat >"$good" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: probe}
spec:
  replicas: 1
  selector: {matchLabels: {app: probe}}
  template:
    metadata: {labels: {app: probe}}
    spec:
      containers:
        - name: probe
          image: probe:1
          resources: {limits: {cpu: 1, memory: 64Mi}}
          ports: [{containerPort: 8080}]
EOF
	sed 's/replicas: 1/replicas: "one"/' "$good" >"$bad"
	"$TOOLS/kubeconform" -strict -summary -schema-location "$loc" "$good" >"$OUTSIDE/kc-good.log" 2>&1 || {
		cat "$OUTSIDE/kc-good.log" >&2
		die "kubeconform rejects a valid Deployment with the generated schemas"
	}
	if "$TOOLS/kubeconform" -strict -schema-location "$loc" "$bad" >"$OUTSIDE/kc-bad.log" 2>&1; then
		cat "$OUTSIDE/kc-bad.log" >&2
		die "kubeconform accepts a Deployment with replicas: \"one\"; the generated schemas are broken"
	fi
	summary kubeconform verified "offline schemas reject a wrong field type"
}

main() {
	apt_install
	go_install stripe-mock "$STRIPE_MOCK_MOD" "$STRIPE_MOCK_VERSION"
	go_install helm "$HELM_MOD" "$HELM_VERSION" "$HELM_LDFLAGS"
	go_install kubeconform "$KUBECONFORM_MOD" "$KUBECONFORM_VERSION"
	kratos_install
	schemas_install
	schemas_verify
	echo "tools ready in $TOOLS (export ZHIFA_TOOLS=$TOOLS ZHIFA_K8S_SCHEMAS=$SCHEMAS)"
}

# Everything above is definitions; bash has read the whole file before running.
main "$@"
exit $?
