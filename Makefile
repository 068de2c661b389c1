# Ocular: two promises.
#   make run   sets up a fresh Debian machine, builds, and opens the desktop app
#              on the default repository (created with the training demo on first run).
#   make test  sets up what the tests need and runs all of them.

export PATH := /usr/local/go/bin:$(PATH)
# The same tags everywhere so the cgo build cache stays warm (design.md).
TAGS := sqlite_fts5 migrated_fynedo
GO ?= go

.PHONY: run build deps test-deps test unit race e2e bench bench-import bench-load bench-load-instances bench-instances bench-bigrepo vet clean

run: deps build
	./bin/ocular

deps:
	@scripts/install-deps.sh run

test-deps:
	@scripts/install-deps.sh test

build:
	$(GO) build -tags "$(TAGS)" -o bin/ocular ./cmd/ocular
	$(GO) build -tags "$(TAGS)" -o bin/ocular-cli ./cmd/ocular-cli

vet:
	$(GO) vet -tags "$(TAGS)" ./...

# All tests: unit, conformance, integration and UI tests; the UI and the
# in-process services again under the race detector (a widget touched off the
# UI goroutine fails there); then the real window under Xvfb.
test: test-deps vet unit race e2e

# Both run beside a throwaway PostgreSQL cluster (scripts/with-postgres.sh),
# so that the tests of the PostgreSQL store and of several server instances
# run too; without PostgreSQL installed they skip, saying so.
#
# Then the same rules on the PostgreSQL store: the conformance suite (in
# process and over the wire), the graph-operation scenarios, the
# rendering-settings, import and search tests of core/inprocess with every
# repository in PostgreSQL (OCULAR_TEST_ENGINE).
unit:
	scripts/with-postgres.sh $(GO) test -tags "$(TAGS)" -timeout 30m ./...
	OCULAR_TEST_ENGINE=postgres scripts/with-postgres.sh sh -c '$(GO) test -tags "$(TAGS)" -timeout 10m ./core/inprocess/ && \
		$(GO) test -tags "$(TAGS)" -timeout 10m -run Conformance ./repository/remote/'

race:
	scripts/with-postgres.sh $(GO) test -race -tags "$(TAGS)" -timeout 30m ./ui/... ./app/... ./core/inprocess/...

e2e: build
	scripts/e2e/run.sh

bench:
	$(GO) test -tags "$(TAGS)" -run '^$$' -bench . -benchmem ./...

# Whole-process import benchmark against cp -r and vipsthumbnail (issue 3).
bench-import: test-deps build
	$(GO) run ./internal/tools/importbench -cli bin/ocular-cli

# The server's load test as the issue states it: 50 clients for 60 s on
# loopback; prints p50/p95 per operation (make test runs it for 3 s).
bench-load:
	OCULAR_LOAD_CLIENTS=50 OCULAR_LOAD_SECONDS=60 $(GO) test -tags "$(TAGS)" -count=1 -timeout 10m -run '^TestLoad$$' -v ./internal/loadtest/

# One server instance, then two over one repository behind a round-robin
# balancer: issue 13's 200 clients for 60 s and the throughput of each.
bench-load-instances:
	OCULAR_LOAD_COMPARE=1 OCULAR_LOAD_CLIENTS=200 OCULAR_LOAD_SECONDS=60 $(GO) test -tags "$(TAGS)" -count=1 -timeout 20m -run '^TestLoadInstances$$' -v ./internal/loadtest/

# The same load against real `ocular-cli serve` processes, one then two, each
# in a cgroup capped at a quarter of a core, PostgreSQL and the clients
# outside the caps: whether a second instance's CPU becomes throughput
# (issue 13; OCULAR_INST_QUOTA_US=50000 for half a core).
bench-instances:
	scripts/bench-instances.sh

# Issue 13's numbers on a generated repository of 1,000,000 images in a
# durable PostgreSQL cluster, SQLite side by side (an hour or more to make).
bench-bigrepo:
	scripts/bench-bigrepo.sh

clean:
	rm -rf bin artifacts
