#!/usr/bin/env bash
# Builds the envtest binaries (kube-apiserver, etcd) from their Go modules,
# because setup-envtest's downloads are unreachable here. Prints the
# directory to use as KUBEBUILDER_ASSETS on stdout; progress goes to stderr.
#
#   KUBE_VERSION   k8s.io/kubernetes release        (default v1.36.3)
#   ETCD_VERSION   go.etcd.io/etcd v3.5 release     (default v3.5.35)
#
# An existing KUBEBUILDER_ASSETS that holds both binaries is honoured as is.
# The binaries are stripped (-s -w): they link faster and tests never debug
# them. Results are cached under ${XDG_CACHE_HOME:-$HOME/.cache}/certorder/envtest/<k8s-version>.
set -euo pipefail

KUBE_VERSION=${KUBE_VERSION:-v1.36.3}
ETCD_VERSION=${ETCD_VERSION:-v3.5.35}

have_assets() { [ -x "$1/kube-apiserver" ] && [ -x "$1/etcd" ]; }

if [ -n "${KUBEBUILDER_ASSETS:-}" ] && have_assets "$KUBEBUILDER_ASSETS"; then
	echo "$KUBEBUILDER_ASSETS"
	exit 0
fi

dest="${XDG_CACHE_HOME:-$HOME/.cache}/certorder/envtest/${KUBE_VERSION}"
if have_assets "$dest"; then
	echo "$dest"
	exit 0
fi
mkdir -p "$dest"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0

log() { echo "envtest-assets: $*" >&2; }

build_kube_apiserver() {
	local dir="$work/kube" staging="v0${KUBE_VERSION#v1}"
	mkdir -p "$dir"
	# The kubernetes module replaces its staging modules with local paths,
	# which do not exist in the module zip; map each to the published module
	# of the same minor release, derived from the go.mod itself.
	local upstream
	upstream=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@${KUBE_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
	{
		echo "module certorder.dev/envtest-kube"
		echo "go 1.26"
		echo "require k8s.io/kubernetes ${KUBE_VERSION}"
		sed -n 's#^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/src/k8s.io/.*#replace \1 => \1 '"$staging"'#p' "$upstream"
	} >"$dir/go.mod"
	printf 'package main\n\nimport _ "k8s.io/kubernetes/cmd/kube-apiserver"\n' >"$dir/tools.go"
	log "building kube-apiserver ${KUBE_VERSION} (staging modules at ${staging}); this takes minutes the first time"
	(cd "$dir" && go mod tidy >&2 && go build -trimpath \
		-ldflags "-s -w -X k8s.io/component-base/version.gitVersion=${KUBE_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "$KUBE_VERSION" | cut -d. -f2)" \
		-o "$dest/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver)
}

build_etcd() {
	local dir="$work/etcd" client_v2="v2.305${ETCD_VERSION#v3.5}"
	mkdir -p "$dir"
	{
		echo "module certorder.dev/envtest-etcd"
		echo "go 1.26"
		echo "require go.etcd.io/etcd/server/v3 ${ETCD_VERSION}"
		for m in api/v3 client/pkg/v3 client/v3 pkg/v3 raft/v3; do
			echo "replace go.etcd.io/etcd/$m => go.etcd.io/etcd/$m ${ETCD_VERSION}"
		done
		echo "replace go.etcd.io/etcd/client/v2 => go.etcd.io/etcd/client/v2 ${client_v2}"
	} >"$dir/go.mod"
	printf 'package main\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >"$dir/tools.go"
	log "building etcd ${ETCD_VERSION}"
	(cd "$dir" && go mod tidy >&2 && go build -trimpath -ldflags "-s -w" -o "$dest/etcd" go.etcd.io/etcd/server/v3)
}

[ -x "$dest/etcd" ] || build_etcd
[ -x "$dest/kube-apiserver" ] || build_kube_apiserver
echo "$dest"
