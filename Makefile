# lockcheck — common tasks. Everything runs through the Go toolchain: OPA is a
# `tool` dependency in go.mod, so nothing is downloaded by hand.
GO       ?= go
GOFMT    ?= $(shell $(GO) env GOROOT)/bin/gofmt
FIXTURES := fixtures/fleet --plans fixtures/plans --specs fixtures/products
NOW      := 2026-11-25T12:00:00Z
FUZZTIME ?= 30s

.PHONY: build test lint fmt docs fuzz bench equivalence run golden clean custom-policy

build: ## build bin/lockcheck
	$(GO) build -o bin/lockcheck ./cmd/lockcheck

test: ## all tests: Go, Rego (via OPA's tester), golden files (lint: make lint)
	$(GO) test ./...

lint: ## gofmt, go vet, opa fmt, opa check --strict (CI runs the same in .ci/run)
	@test -z "$$($(GOFMT) -l $$(git ls-files '*.go'))" || ($(GOFMT) -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1)
	$(GO) vet ./...
	$(GO) tool opa fmt --list --fail policies fixtures/custom-policy
	$(GO) tool opa check --strict policies fixtures/custom-policy

custom-policy: ## lockcheck test on the example custom policy (as a user's CI would)
	$(GO) run ./cmd/lockcheck test fixtures/custom-policy --fixtures fixtures/fleet --now $(NOW) --coverage-min 90

fmt: ## format Go and Rego
	gofmt -w $$(git ls-files '*.go')
	$(GO) tool opa fmt -w policies

docs: ## regenerate docs/controls.md from the policies' METADATA
	$(GO) run ./cmd/lockcheck controls --format markdown > docs/controls.md

golden: ## rewrite golden files after an intended output change
	$(GO) test ./... -update

run: ## the main job on the bundled fixtures
	$(GO) run ./cmd/lockcheck scan $(FIXTURES) --now $(NOW)

fuzz: ## fuzz decode + validate for FUZZTIME
	$(GO) test ./engine/document/ -run '^$$' -fuzz FuzzDecodeValidate -fuzztime $(FUZZTIME) -fuzzminimizetime 2s

bench: ## throughput and memory figures (see README)
	bash engine/internal/bench/run.sh

equivalence: ## byte-compare every output with BASE=<rev> on a generated 2,000-lock fleet and the fixtures
	bash engine/internal/bench/equivalence.sh

clean:
	rm -rf bin
