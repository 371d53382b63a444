# Parvis developer commands. `make test` works from a clean checkout on a
# fresh Debian machine: it installs the test clients first.

GO ?= go

.PHONY: run build test bench lint upstream-caldav

## run: run the server (SQLite + files under ./data, http://localhost:8080)
run:
	$(GO) run . serve

## build: build the server binary into bin/parvis
build:
	$(GO) build -o bin/parvis .

## test: install the test clients, vet, and run every test with the race detector
test:
	bash scripts/test-deps.sh
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 30m ./...

## bench: run the benchmarks
bench:
	bash scripts/bench.sh

## upstream-caldav: python-caldav's own suite against Parvis (CALDAV_SRC=a checkout of v0.11.0)
upstream-caldav:
	bash scripts/upstream-caldav.sh $(CALDAV_SRC)

## lint: gofmt, go vet and staticcheck (pinned, fetched by go run)
lint:
	@unformatted="$$(find . -name '*.go' -not -path './.git/*' -not -path '*/node_modules/*' -exec gofmt -l {} +)"; \
	if [ -n "$$unformatted" ]; then echo "gofmt -l: these files need gofmt -w:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.6.1 ./...
