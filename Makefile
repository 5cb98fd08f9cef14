# SPDX-License-Identifier: MIT
# A thin front for CMake: make, make test, make demo, make bench, make install.
#
#   make test     the unit tests (CTest label "unit"), real programs included
#   make stress   the long stress tests (label "stress"), in full
#   make install  install under PREFIX (default /usr/local)
#   make deb      a Debian package of the same files, under /usr (pkg/deb.sh)
#   make asan     the unit tests under AddressSanitizer + UBSan (build-asan)
#   make tsan     the unit tests and a short stress pass under
#                 ThreadSanitizer (build-tsan); any report fails its test
#
# The stress tests take KTEST_STRESS_PERCENT (share of the full run's
# operations) and KTEST_STRESS_SEED from the environment (tests/ktest.h).
BUILD   ?= build
PREFIX  ?= /usr/local
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
# ThreadSanitizer: stop at the first report (exit 66: the test fails);
# tests fork from threaded processes and their children start threads.
# TSan sleeps a second before a process with live threads exits
# (atexit_sleep_ms, 1000 by default); a kernel-API process keeps its
# kfence (and rcu_gp, kswapd) thread, and the tests fork hundreds of them.
TSAN_OPTIONS ?= halt_on_error=1 exitcode=66 die_after_fork=0 history_size=4 atexit_sleep_ms=0
# How much of the stress tests `make tsan` runs (TSan is 5-15x slower).
TSAN_STRESS_PERCENT ?= 5
# stress_vmalloc runs lib/test_vmalloc.c at the kernel's fixed counts (a
# million loops, 1.8 GiB forked): 8 minutes under TSan and no code that
# test_vmalloc_kunit (two workers, fewer loops) does not race already.
# stress_signals took 7 minutes of CI under TSan even at 5%; test_signals
# runs the same handlers interrupting the same allocations under TSan
# (five modes: rseq, locks, KFENCE, kmemleak, deferred frees).
TSAN_EXCLUDE ?= stress_vmalloc|stress_signals

.PHONY: all configure test stress demo bench install deb clean asan tsan

all: configure
	cmake --build $(BUILD) -j $(JOBS)

configure:
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

test: all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

stress: all
	cd $(BUILD) && ctest --output-on-failure -L stress

# The demo ends with a picture of its workload's memory (ukmem map).
demo: all
	$(BUILD)/ukmem demo --map $(BUILD)/demo-map.svg

bench: all
	bash bench/run.sh $(BUILD)

install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

deb: all
	bash pkg/deb.sh $(BUILD)

asan:
	$(MAKE) BUILD=build-asan CMAKE_FLAGS="-DUKMEM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug" test

# The per-CPU fast paths run in lock mode under TSan (docs/overview.md, Testing).
tsan:
	$(MAKE) BUILD=build-tsan CMAKE_FLAGS="-DUKMEM_TSAN=ON" all
	cd build-tsan && TSAN_OPTIONS="$(TSAN_OPTIONS)" \
		KTEST_STRESS_PERCENT=$${KTEST_STRESS_PERCENT:-$(TSAN_STRESS_PERCENT)} \
		ctest --output-on-failure -j $(JOBS) -L 'unit|stress' -E '$(TSAN_EXCLUDE)'

clean:
	rm -rf $(BUILD) build-asan build-tsan
