# Thin wrapper: the real build is CMake (CMakePresets.json). Two commands matter:
#   make run   set-up, build (Release), run the seed-claims suite (scenarios/seed) on the built-in
#              mock providers; exits 1 when a seed claim is refuted (a finding: see README, CI gating)
#   make test  set-up, build, every test
JOBS ?= $(shell nproc)
SCENARIOS ?= scenarios/seed
OUT ?= out

.PHONY: run test bootstrap configure build asan fuzz bench bench-quick ci clean format

run: build
	./build/bin/rollproof run $(SCENARIOS) --out $(OUT) $(RUN_ARGS)

test: build
	ctest --preset release -j $(JOBS)

bootstrap:
	./scripts/bootstrap

configure: bootstrap
	cmake --preset release

build: configure
	cmake --build --preset release -j $(JOBS)

# Every test (fuzz, bench and soak labels excluded) built with ASan + UBSan in build-asan/. The
# sanitizers write to SAN_LOGS instead of stderr, so a report from a child process (a mock or a
# subject a test started and judged only by its answers) fails the target too.
SAN_LOGS = $(CURDIR)/build-asan/sanitizer-logs
asan: bootstrap
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	ASAN_OPTIONS=log_path=$(SAN_LOGS)/asan UBSAN_OPTIONS=log_path=$(SAN_LOGS)/ubsan:print_stacktrace=1 \
	  ctest --preset asan -j $(JOBS); status=$$?; \
	  if [ -n "$$(ls -A $(SAN_LOGS))" ]; then \
	    head -c 20000 $(SAN_LOGS)/*; echo "make asan: sanitizer reports in $(SAN_LOGS)"; status=1; \
	  fi; exit $$status

# The libFuzzer targets (clang 16, build-fuzz/), each run for FUZZ_SECONDS (default 20).
FUZZ_SECONDS ?= 20
fuzz: bootstrap
	cmake --preset fuzz -DROLLPROOF_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build --preset fuzz -j $(JOBS)
	ctest --preset fuzz

# Side-by-side figures (bench/README.md): bench/out/results.json.
bench:
	./bench/run

bench-quick:
	./bench/run --quick

# What CI runs (.ci/run).
ci:
	./.ci/run

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan build-fuzz out
