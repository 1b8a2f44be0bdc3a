# OutlierAtlas — `make demo` and `make test` set up everything they need (Debian packages,
# model weights) and then build. See README.md.
SWIFT ?= swift
RELEASE = -c release
BIN = .build/release
# Numeric tests run real models: build them optimised (debug numeric code is 10-50x slower).
TEST_FLAGS = $(RELEASE) -Xswiftc -enable-testing

.PHONY: setup build demo test bench site-check fuzz clean

# Seconds each fuzz target runs (make fuzz FUZZ_SECONDS=N); see FUZZING.md.
FUZZ_SECONDS ?= 60

setup:
	scripts/bootstrap
	scripts/fetch-models

build: setup
	$(SWIFT) build $(RELEASE) --product outlier-atlas

demo: build
	$(BIN)/outlier-atlas build atlas.yaml
	@echo "$(CURDIR)/site/index.html"

test: setup
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	$(SWIFT) test $(TEST_FLAGS) --skip-build

bench: setup
	$(SWIFT) build $(RELEASE) --product atlas-bench
	$(BIN)/atlas-bench

fuzz:
	scripts/bootstrap
	scripts/fuzz $(FUZZ_SECONDS)

site-check: demo
	scripts/site-check site

clean:
	rm -rf .build Fuzz/.build site/index.html site/models site/images site/assets
