# certorder Makefile. Every tool is installed through the Go module proxy at a
# pinned version into a cache outside the repository.

CACHE_DIR       ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/certorder
TOOLS_BIN       ?= $(CACHE_DIR)/bin
CONTROLLER_GEN_VERSION ?= v0.21.0
CONTROLLER_GEN  ?= $(TOOLS_BIN)/controller-gen-$(CONTROLLER_GEN_VERSION)
HELM_VERSION    ?= v3.19.5
HELM            ?= $(TOOLS_BIN)/helm-$(HELM_VERSION)
# Prometheus v3.16.0's Go module.
PROMTOOL_VERSION ?= v0.316.0
PROMTOOL        ?= $(TOOLS_BIN)/promtool-$(PROMTOOL_VERSION)
ACTIONLINT_VERSION ?= v1.7.12
ACTIONLINT      ?= $(TOOLS_BIN)/actionlint-$(ACTIONLINT_VERSION)
TEST_TOOLS      = HELM="$(HELM)" PROMTOOL="$(PROMTOOL)" ACTIONLINT="$(ACTIONLINT)"
VERSION         ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
IMG             ?= ghcr.io/certorder/certorder:$(VERSION)
GO_TEST_FLAGS   ?=
FUZZTIME        ?= 3s
BENCH_FLAGS     ?=

.DEFAULT_GOAL := help

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make <target>\n"} /^[a-zA-Z_-]+:.*?##/ { printf "  %-14s %s\n", $$1, $$2 } /^##@/ { printf "\n%s\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Development

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate zz_generated.deepcopy.go.
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths=./api/...

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate CRDs and RBAC under config/, and copy them into the Helm chart.
	$(CONTROLLER_GEN) crd paths=./api/... output:crd:artifacts:config=config/crd/bases
	$(CONTROLLER_GEN) rbac:roleName=certorder-manager paths=./... output:rbac:artifacts:config=config/rbac
	hack/sync-chart.sh

.PHONY: verify
verify: generate manifests lint ## Fail when generated files are stale or code is not formatted.
	@git diff --exit-code -- api config charts || { echo "generated files are stale: run 'make generate manifests' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- api config charts)" || { git status --porcelain -- api config charts; echo "untracked generated files: commit them"; exit 1; }

.PHONY: lint
lint: ## go vet and a gofmt check.
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

.PHONY: build
build: ## Build bin/certorder and its DNS01 helper bin/certorder-dns01.
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o bin/ . ./cmd/certorder-dns01

.PHONY: envtest
envtest: ## Build (once) and print the envtest assets directory.
	@hack/envtest-assets.sh

.PHONY: test
test: $(HELM) $(PROMTOOL) $(ACTIONLINT) ## Run every test: unit, provider, envtest, e2e, chart, alert rules, workflows, and a short run of each fuzz target.
	assets="$$(hack/envtest-assets.sh)" && KUBEBUILDER_ASSETS="$$assets" $(TEST_TOOLS) go test $(GO_TEST_FLAGS) ./...
	FUZZTIME=$(FUZZTIME) hack/fuzz.sh

.PHONY: fuzz
fuzz: ## Run each fuzz target for FUZZTIME (default 3s; try FUZZTIME=5m).
	FUZZTIME=$(FUZZTIME) hack/fuzz.sh

.PHONY: e2e
e2e: ## Run the end-to-end suite: kube-apiserver, cert-manager's controllers, certorder and the fake CAs.
	assets="$$(hack/envtest-assets.sh)" && KUBEBUILDER_ASSETS="$$assets" go test $(GO_TEST_FLAGS) ./test/e2e/ ./cmd/demo/

.PHONY: demo
demo: ## Run the whole stack locally, issue a certificate from each fake CA, and keep it up until Ctrl-C.
	go build -o bin/demo ./cmd/demo
	assets="$$(hack/envtest-assets.sh)" && KUBEBUILDER_ASSETS="$$assets" bin/demo

.PHONY: bench
bench: ## Measure throughput, CA calls, memory, a restart and DigiCert's rate limit on the local stack, and judge them against issue 16's targets (BENCH_FLAGS=-quick for a short run).
	go build -o bin/bench ./cmd/bench
	assets="$$(hack/envtest-assets.sh)" && KUBEBUILDER_ASSETS="$$assets" bin/bench $(BENCH_FLAGS)

##@ Packaging

.PHONY: helm-test
helm-test: $(HELM) $(PROMTOOL) ## helm lint and template the chart with default and ci/ values, check what it renders, dry-run it on an API server, and test its alert rules.
	assets="$$(hack/envtest-assets.sh)" && KUBEBUILDER_ASSETS="$$assets" $(TEST_TOOLS) go test $(GO_TEST_FLAGS) ./charts/...

.PHONY: docker-build
docker-build: ## Build the image IMG (default ghcr.io/certorder/certorder:VERSION); needs a Docker engine with BuildKit.
	docker build --build-arg VERSION=$(VERSION) -t $(IMG) .

.PHONY: print-helm
print-helm: ## Print the path of the pinned helm (the release workflow installs it with make).
	@echo $(HELM)

.PHONY: release-dry-run
release-dry-run: $(HELM) ## Cross-compile linux/amd64 and linux/arm64 into dist/ and package the chart there, as the release workflow does, without a registry.
	@mkdir -p dist
	for arch in amd64 arm64; do \
		CGO_ENABLED=0 GOOS=linux GOARCH=$$arch go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o dist/certorder-linux-$$arch . || exit 1; \
		CGO_ENABLED=0 GOOS=linux GOARCH=$$arch go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o dist/certorder-dns01-linux-$$arch ./cmd/certorder-dns01 || exit 1; \
	done
	$(HELM) package charts/certorder --destination dist
	@ls -l dist

$(CONTROLLER_GEN):
	@mkdir -p $(TOOLS_BIN)
	GOBIN=$(TOOLS_BIN)/tmp-controller-gen go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_GEN_VERSION)
	mv $(TOOLS_BIN)/tmp-controller-gen/controller-gen $@ && rmdir $(TOOLS_BIN)/tmp-controller-gen

$(HELM):
	@mkdir -p $(TOOLS_BIN)
	GOBIN=$(TOOLS_BIN)/tmp-helm go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	mv $(TOOLS_BIN)/tmp-helm/helm $@ && rmdir $(TOOLS_BIN)/tmp-helm

$(PROMTOOL):
	@mkdir -p $(TOOLS_BIN)
	GOBIN=$(TOOLS_BIN)/tmp-promtool go install github.com/prometheus/prometheus/cmd/promtool@$(PROMTOOL_VERSION)
	mv $(TOOLS_BIN)/tmp-promtool/promtool $@ && rmdir $(TOOLS_BIN)/tmp-promtool

$(ACTIONLINT):
	@mkdir -p $(TOOLS_BIN)
	GOBIN=$(TOOLS_BIN)/tmp-actionlint go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	mv $(TOOLS_BIN)/tmp-actionlint/actionlint $@ && rmdir $(TOOLS_BIN)/tmp-actionlint
