# Momentum — culture-change programs as Kubernetes resources.

# Image of the manager for `make deploy`, `make image`, `make build-installer` and `make docker-build`.
IMG ?= momentum-manager:dev
# Version and Git commit stamped on the image's OCI labels.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
REVISION ?= $(shell git rev-parse HEAD 2>/dev/null)
# Kubernetes version of the control plane built from source for tests and the demo.
K8S_VERSION ?= 1.37.2
# Extra flags of `make demo`, e.g. DEMO_FLAGS=--playbook to apply config/samples/playbook too.
DEMO_FLAGS ?=
# Number of initiatives `make bench` creates (each with two indicators); BENCH_N=10000 for the large run.
BENCH_N ?= 300
# How long `make bench` watches the converged manager for writes (10m for the full figure).
BENCH_IDLE ?= 10s
# How long `make bench` changes one indicator every 100ms to measure apply→status latency (2m for the full figure).
BENCH_LATENCY ?= 10s
# The program counts at which `make bench-growth` reads the manager's memory.
BENCH_GROWTH ?= 1000,3000,10000
# How long `make fuzz` runs each fuzz target.
FUZZTIME ?= 10s
# `make chaos`: 200 SIGKILLs of the manager under load (CHAOS_KILLS=40 for a shorter run), API server and etcd outages, failover.
CHAOS_KILLS ?= 200
CHAOS_PROGRAMS ?= 100

SHELL = /usr/bin/env bash -o pipefail
.SHELLFLAGS = -ec
export GOTOOLCHAIN = local

LOCALBIN ?= $(CURDIR)/bin
ENVTEST_DIR ?= $(LOCALBIN)/k8s/$(K8S_VERSION)
CONTROLLER_GEN ?= $(LOCALBIN)/controller-gen
KUSTOMIZE ?= $(LOCALBIN)/kustomize
GOLANGCI_LINT ?= $(LOCALBIN)/golangci-lint
VALIDATE_KREW_MANIFEST ?= $(LOCALBIN)/validate-krew-manifest
PROMETHEUS ?= $(LOCALBIN)/prometheus
KUBECTL ?= $(ENVTEST_DIR)/kubectl
ENVTEST_BINS = $(ENVTEST_DIR)/kube-apiserver $(ENVTEST_DIR)/kube-controller-manager $(ENVTEST_DIR)/kubectl $(ENVTEST_DIR)/etcd

.PHONY: all
all: build

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-15s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate CRDs and RBAC from markers, and the chart's CRDs/RBAC and the GitOps health snippets from config/.
	$(CONTROLLER_GEN) rbac:roleName=manager-role crd paths="./..." output:crd:artifacts:config=config/crd/bases
	go run ./hack/crdtimes config/crd/bases
	go run ./hack/manifestgen --root $(CURDIR)

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate DeepCopy methods of the API types.
	$(CONTROLLER_GEN) object paths="./api/..."

.PHONY: fmt
fmt: ## Run gofmt on the code.
	gofmt -s -w $$(git ls-files --cached --others --exclude-standard '*.go')

.PHONY: vet
vet: ## Run go vet (also on the fault-injection tests, built only with -tags chaos).
	go vet ./...
	go vet -tags chaos ./test/chaos/

.PHONY: lint
lint: $(GOLANGCI_LINT) ## Run golangci-lint (on the manager's module and the hack/image and test/install modules).
	$(GOLANGCI_LINT) run --allow-parallel-runners ./...
	cd hack/image && $(GOLANGCI_LINT) run --allow-parallel-runners ./...
	cd test/install && $(GOLANGCI_LINT) run --allow-parallel-runners ./...

.PHONY: test
test: manifests generate fmt vet envtest prometheus $(KUSTOMIZE) ## Run unit tests and envtest integration tests against a real kube-apiserver, etcd and Prometheus; the image, installer, chart and GitOps health tests.
	KUBEBUILDER_ASSETS=$(ENVTEST_DIR) PROMETHEUS_BINARY=$(PROMETHEUS) go test ./... -timeout 20m -coverprofile cover.out
	cd hack/image && go vet ./... && go test ./...
	cd test/install && go vet ./... && KUBEBUILDER_ASSETS=$(ENVTEST_DIR) KUSTOMIZE=$(KUSTOMIZE) go test ./... -timeout 20m

# package:target of every fuzz target; their corpora live in <package>/testdata/fuzz/<target>.
FUZZ_TARGETS = ./internal/render:FuzzRender ./internal/outbound:FuzzAddressPolicy ./api/v1alpha1:FuzzDecimal ./api/v1alpha1:FuzzJSONRoundTrip ./internal/sources:FuzzJSONPath

.PHONY: fuzz
fuzz: ## Run each fuzz target for FUZZTIME (plain `go test` runs their committed corpora).
	@for t in $(FUZZ_TARGETS); do \
		echo "go test $${t%%:*} -run '^$$' -fuzz '^$${t##*:}$$' -fuzztime $(FUZZTIME)"; \
		go test $${t%%:*} -run '^$$' -fuzz "^$${t##*:}\$$" -fuzztime $(FUZZTIME) || exit 1; \
	done

.PHONY: chaos
chaos: envtest ## Fault-injection tests: flaky receivers, 200 kill -9 of the manager binary under load, leader failover, API server and etcd outages; prints the figures.
	go test ./internal/notify -run '^TestFlakyReceivers$$' -count=1 -v
	KUBEBUILDER_ASSETS=$(ENVTEST_DIR) CHAOS_KILLS=$(CHAOS_KILLS) CHAOS_PROGRAMS=$(CHAOS_PROGRAMS) go test -tags chaos ./test/chaos -count=1 -timeout 30m -v

.PHONY: bench
bench: envtest ## Benchmark BENCH_N programs to Ready against the API server's write floor (ratio, RSS, writes, CPU, idle writes, latency), then live indicator writes.
	KUBEBUILDER_ASSETS=$(ENVTEST_DIR) BENCH_N=$(BENCH_N) BENCH_IDLE=$(BENCH_IDLE) BENCH_LATENCY=$(BENCH_LATENCY) \
		go test ./test/bench -run '^$$' -bench 'InitiativesReady|LiveIndicatorWrites' -benchtime 1x -timeout 90m -v

.PHONY: bench-growth
bench-growth: envtest ## Benchmark the manager's memory at BENCH_GROWTH programs and the per-object slope.
	KUBEBUILDER_ASSETS=$(ENVTEST_DIR) BENCH_GROWTH=$(BENCH_GROWTH) go test ./test/bench -run '^$$' -bench MemoryGrowth -benchtime 1x -timeout 120m -v

.PHONY: verify
verify: manifests generate fmt ## Fail when generated files, go.mod or formatting are stale.
	go mod tidy -diff
	cd hack/image && go mod tidy -diff
	cd test/install && go mod tidy -diff
	@if [ -n "$$(git status --porcelain -- api config controllers internal cmd charts)" ]; then \
		git status --porcelain -- api config controllers internal cmd charts; \
		echo "Generated files or formatting are stale: run 'make manifests generate fmt' and commit the result."; exit 1; \
	fi
	@big=$$(git ls-files -z | xargs -0 -r stat -c '%s %n' 2>/dev/null | awk '$$1 > 2000000 {print $$2}'); \
	if [ -n "$$big" ]; then echo "Tracked files over 2 MB (built binaries are never committed): $$big"; exit 1; fi

##@ Build

.PHONY: build
build: manifests generate fmt vet ## Build the manager into bin/manager and the kubectl plugin into bin/kubectl-momentum.
	go build -o $(LOCALBIN)/manager ./cmd/manager
	go build -o $(LOCALBIN)/kubectl-momentum ./cmd/kubectl-momentum

.PHONY: plugin-dist
plugin-dist: manifests $(VALIDATE_KREW_MANIFEST) ## Build the kubectl plugin for every platform of plugins/momentum.yaml into dist/, fill in the sha256s and validate the manifest with krew.
	go run ./hack/plugin-dist --manifest plugins/momentum.yaml --dist dist
	$(VALIDATE_KREW_MANIFEST) --manifest plugins/momentum.yaml --skip-install

.PHONY: run
run: manifests generate fmt vet ## Run the manager against the cluster of the current kubeconfig.
	go run ./cmd/manager --metrics-bind-address=0 --health-probe-bind-address=0

.PHONY: demo
demo: envtest build ## Start a local control plane, install the CRDs, run the manager, apply config/samples and show the program.
	go run ./hack/demo --manager $(LOCALBIN)/manager $(DEMO_FLAGS)

.PHONY: image
image: ## Build the manager image without a container engine into dist/momentum-manager.tar (`docker load`, `crane push`).
	cd hack/image && go run . --root $(CURDIR) --out $(CURDIR)/dist/momentum-manager.tar --tag $(IMG) --version $(VERSION) --revision "$(REVISION)"

.PHONY: build-installer
build-installer: manifests $(KUSTOMIZE) ## Write dist/install.yaml: CRDs, RBAC and the manager with image IMG.
	hack/build-installer.sh $(IMG) $(CURDIR)/dist/install.yaml $(KUSTOMIZE)

.PHONY: docker-build
docker-build: ## Build the same image as `make image` with a container engine.
	docker build --build-arg VERSION=$(VERSION) -t $(IMG) .

##@ Deployment

.PHONY: install
install: manifests $(KUSTOMIZE) ## Install the CRDs into the cluster of the current kubeconfig.
	$(KUSTOMIZE) build config/crd | $(KUBECTL) apply --server-side -f -

.PHONY: uninstall
uninstall: manifests $(KUSTOMIZE) ## Remove the CRDs (and every Momentum object) from the cluster.
	$(KUSTOMIZE) build config/crd | $(KUBECTL) delete --ignore-not-found -f -

.PHONY: deploy
deploy: manifests $(KUSTOMIZE) ## Deploy the manager with image IMG to the cluster of the current kubeconfig.
	cd config/manager && $(KUSTOMIZE) edit set image controller=$(IMG)
	$(KUSTOMIZE) build config/default | $(KUBECTL) apply --server-side -f -
	cd config/manager && $(KUSTOMIZE) edit set image controller=controller:latest

.PHONY: undeploy
undeploy: $(KUSTOMIZE) ## Remove the manager from the cluster.
	$(KUSTOMIZE) build config/default | $(KUBECTL) delete --ignore-not-found -f -

##@ Tools (built from source through the Go module proxy; versions pinned in hack/*/go.mod)

.PHONY: envtest
envtest: $(ENVTEST_BINS) ## Build etcd, kube-apiserver, kube-controller-manager and kubectl into bin/k8s/$(K8S_VERSION).

$(ENVTEST_DIR)/kube-apiserver $(ENVTEST_DIR)/kube-controller-manager $(ENVTEST_DIR)/kubectl: hack/controlplane/go.mod hack/controlplane/go.sum
	@mkdir -p $(ENVTEST_DIR)
	cd hack/controlplane && go build -o $@ k8s.io/kubernetes/cmd/$(@F)

$(ENVTEST_DIR)/etcd: hack/etcd/go.mod hack/etcd/go.sum
	@mkdir -p $(ENVTEST_DIR)
	cd hack/etcd && go build -o $@ go.etcd.io/etcd/server/v3

.PHONY: prometheus
prometheus: $(PROMETHEUS) ## Build the Prometheus server that the prometheus source tests query.

# -tags remove_all_sd: one service-discovery dependency is not served by the module proxy.
$(PROMETHEUS): hack/prometheus/go.mod hack/prometheus/go.sum
	cd hack/prometheus && go build -tags remove_all_sd -o $@ github.com/prometheus/prometheus/cmd/prometheus

$(CONTROLLER_GEN): hack/tools/go.mod hack/tools/go.sum
	cd hack/tools && go build -o $@ sigs.k8s.io/controller-tools/cmd/controller-gen

$(KUSTOMIZE): hack/tools/go.mod hack/tools/go.sum
	cd hack/tools && go build -o $@ sigs.k8s.io/kustomize/kustomize/v5

$(VALIDATE_KREW_MANIFEST): hack/krew/go.mod hack/krew/go.sum
	cd hack/krew && go build -o $@ sigs.k8s.io/krew/cmd/validate-krew-manifest

$(GOLANGCI_LINT): hack/tools/go.mod hack/tools/go.sum
	cd hack/tools && go build -o $@ github.com/golangci/golangci-lint/v2/cmd/golangci-lint
