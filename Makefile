# SPDX-License-Identifier: MIT
# A thin front for CMake: make, make test, make demo, make bench, make install.
BUILD   ?= build
PREFIX  ?= /usr/local
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all configure test stress demo bench install clean asan

all: configure
	cmake --build $(BUILD) -j $(JOBS)

configure:
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

test: all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

stress: all
	cd $(BUILD) && ctest --output-on-failure -L stress

demo: all
	$(BUILD)/ukmem demo

bench: all
	bash bench/run.sh $(BUILD)

install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

asan:
	$(MAKE) BUILD=build-asan CMAKE_FLAGS="-DUKMEM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug" test

clean:
	rm -rf $(BUILD) build-asan
