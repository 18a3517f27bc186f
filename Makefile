# Homeward: the two commands a newcomer needs are `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all setup build run test clean format

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

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
