# Zhifa build entry points. `make run` needs only Go; `make test` first
# installs the external tools the tests use (see .ci/tools.sh).

SHELL := /bin/bash
GO ?= go

# Where .ci/tools.sh caches helm, kubeconform, kratos, stripe-mock, and the
# offline Kubernetes schemas. Exported so that tests can find them.
ZHIFA_TOOLS ?= $(HOME)/.cache/zhifa/bin
ZHIFA_K8S_SCHEMAS ?= $(HOME)/.cache/zhifa/k8s-schemas
export ZHIFA_TOOLS ZHIFA_K8S_SCHEMAS

BIN := bin/zhifa
DATA ?= var
BENCHTIME ?= 1s
# Fuzzing (.ci/fuzz.sh): make test runs each fuzz target for FUZZSMOKE after the tests (the seeds
# run with the tests themselves), make fuzz for FUZZTIME.
FUZZSMOKE ?= 1s
FUZZTIME ?= 60s
# Packages for test and bench, e.g. make test PKGS=./charts/...
PKGS ?= ./...

.PHONY: all run build tools test fuzz bench lint fmt clean clean-data

all: build

# Embedded default: SQLite under $(DATA), in-process jobs, demo data (seeded
# when the database is empty) and the development login.
run: build
	./$(BIN) run --data $(DATA)

build:
	$(GO) build -o $(BIN) ./app/cmd/zhifa

tools:
	./.ci/tools.sh

test: tools
	PATH="$(ZHIFA_TOOLS):$$PATH" $(GO) test -p 2 -timeout 30m $(PKGS)
	PATH="$(ZHIFA_TOOLS):$$PATH" GO=$(GO) ./.ci/fuzz.sh $(FUZZSMOKE) $(PKGS)

fuzz: tools
	PATH="$(ZHIFA_TOOLS):$$PATH" GO=$(GO) ./.ci/fuzz.sh $(FUZZTIME) $(PKGS)

bench: tools
	PATH="$(ZHIFA_TOOLS):$$PATH" $(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) $(PKGS)

lint:
	@unformatted="$$(gofmt -l .)"; \
	if [ -n "$$unformatted" ]; then \
		echo "gofmt needed for:"; echo "$$unformatted"; exit 1; \
	fi
	$(GO) vet ./...

fmt:
	gofmt -w .

clean:
	rm -rf bin coverage.out
	find . -name '*.test' -type f -delete

# Removes the local development database and uploads.
clean-data:
	rm -rf $(DATA)
