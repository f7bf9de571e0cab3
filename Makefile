# Thin wrapper: the real build is CMake (CMakePresets.json). Two commands matter:
#   make run   set-up, build (Release), run the default scenarios on the built-in mock providers
#   make test  set-up, build, every test
JOBS ?= $(shell nproc)
SCENARIOS ?= scenarios/examples/smoke.toml
OUT ?= out

.PHONY: run test bootstrap configure build asan clean format

run: build
	./build/bin/rollproof run $(SCENARIOS) --out $(OUT)

test: build
	ctest --preset release -j $(JOBS)

bootstrap:
	./scripts/bootstrap

configure: bootstrap
	cmake --preset release

build: configure
	cmake --build --preset release -j $(JOBS)

asan: bootstrap
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan build-fuzz out
