# OutlierAtlas — `make demo` and `make test` set up everything they need (Debian packages,
# model weights) and then build. See README.md.
SWIFT ?= swift
RELEASE = -c release
BIN = .build/release
# Numeric tests run real models: build them optimised (debug numeric code is 10-50x slower).
TEST_FLAGS = $(RELEASE) -Xswiftc -enable-testing

.PHONY: setup build baseline demo test bench bench-peer site-check fuzz clean

# Seconds each fuzz target runs (make fuzz FUZZ_SECONDS=N); see FUZZING.md.
FUZZ_SECONDS ?= 60

setup:
	scripts/bootstrap
	scripts/fetch-models

build: setup
	$(SWIFT) build $(RELEASE) --product outlier-atlas
	$(MAKE) baseline

# The same program for plain x86-64 (no AVX2/FMA), beside the release binary: outlier-atlas
# hands over to it on such a CPU (or with ATLAS_CPU_PATH=baseline). Own scratch and manifest cache.
baseline:
	ATLAS_BASELINE_CPU=1 $(SWIFT) build $(RELEASE) --scratch-path .build-baseline --manifest-cache local --product outlier-atlas
	mkdir -p $(BIN) && cp .build-baseline/release/outlier-atlas $(BIN)/outlier-atlas-baseline

demo: build
	$(BIN)/outlier-atlas build atlas.yaml
	@echo "$(CURDIR)/site/index.html"

test: setup
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	$(MAKE) baseline
	$(SWIFT) test $(TEST_FLAGS) --skip-build

bench: setup
	$(SWIFT) build $(RELEASE) --product atlas-bench
	$(BIN)/atlas-bench

# PyTorch beside OutlierAtlas on the same windows (installs torch into .cache/peer-venv once).
bench-peer: setup
	scripts/bench-peer

fuzz:
	scripts/bootstrap
	scripts/fuzz $(FUZZ_SECONDS)

site-check: demo
	scripts/site-check site

clean:
	rm -rf .build .build-baseline Fuzz/.build site/index.html site/models site/images site/assets
