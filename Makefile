# Homeward: the two commands a newcomer needs are `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all setup build run test fuzz bench soak clean format

all: build

setup:
	@bash deploy/setup.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS)

# setup.sh installs only what is missing (a dpkg query when nothing is), so it runs every time.
build: setup $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

## Starts the embedded stack (mock Kafka, aggregator), feeds the sample exports, then waits for Ctrl-C.
run: build
	@bash deploy/run-embedded.sh $(BUILD_DIR)

## Unit, integration and end-to-end tests (ctest).
test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

## Benchmarks with their baselines (Google Benchmark, homeward-load); figures in docs/benchmarks.md.
bench: setup
	cmake -S . -B $(BUILD_DIR) -G Ninja -DHOMEWARD_BUILD_BENCHMARKS=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR) -j $(JOBS)
	bash tests/bench/run.sh $(BUILD_DIR)

## Bounded libFuzzer runs of every fuzz target (FUZZ_SECONDS each, default 30; clang 14).
fuzz: setup
	@bash deploy/setup.sh fuzz
	bash tests/fuzz/run.sh

## Longer reliability runs and bounded libFuzzer runs (FUZZ_SECONDS per target, default 120).
soak: build
	@bash deploy/setup.sh fuzz
	bash tests/soak/run.sh $(BUILD_DIR)

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
