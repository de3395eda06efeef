# The shared libraries of the purego backends, built in place from the very
# sources the cgo backends compile (native/):
#
#   make libs                  # ./lib/libtsp_c.so, libtsp_cpp.so, libtsp_go.so, tsp-worker-c, tsp-worker-go
#   make libs LIBDIR=/opt/tsp  # somewhere else
#   make libs STATIC_CXX=1     # libstdc++ and libgcc linked into libtsp_cpp.so
#
# Then point the program at them: TSP_LIB_PATH=./lib (or -lib ./lib).
# `tsp buildlib -o DIR` does the same from the sources embedded in the binary
# (package loader, Build), for machines without this checkout.
#
# The compilers are Go's: `go env CC` and `go env CXX`, unless CC or CXX is
# given (make CC=clang CXX=clang++).

LIBDIR ?= lib
GO     ?= go

ifeq ($(origin CC),default)
CC := $(shell $(GO) env CC 2>/dev/null || echo cc)
endif
ifeq ($(origin CXX),default)
CXX := $(shell $(GO) env CXX 2>/dev/null || echo c++)
endif

# The same flags as loader.Build. -ffp-contract=off: no fused multiply-add,
# so the lengths have the same bits as the Go kernel's (and no -ffast-math).
# -Wl,-Bsymbolic: the library's calls to its own functions stay inside it,
# even in a program that has the cgo kernels (same names) linked in.
COMMON   := -O2 -fPIC -shared -ffp-contract=off -Wall -Wextra -Wl,-Bsymbolic
CFLAGS_LIB   := -std=c11 $(COMMON) -Inative
CXXFLAGS_LIB := -std=c++17 $(COMMON) -Inative
ifeq ($(STATIC_CXX),1)
CXXFLAGS_LIB += -static-libstdc++ -static-libgcc
endif

C_SRC   := native/c/tsp.c
C_HDR   := native/tsp.h
CPP_SRC := native/cpp/tsp.cpp
CPP_HDR := $(wildcard native/cpp/*.h native/cpp/*.hpp) $(C_HDR)

.PHONY: libs clean-libs test-loader
libs: $(LIBDIR)/libtsp_c.so $(LIBDIR)/libtsp_cpp.so $(LIBDIR)/libtsp_go.so $(LIBDIR)/tsp-worker-c $(LIBDIR)/tsp-worker-go

$(LIBDIR)/libtsp_c.so: $(C_SRC) $(C_HDR) Makefile
	@mkdir -p $(LIBDIR)
	$(CC) $(CFLAGS_LIB) $(C_SRC) -o $@.tmp -lm
	@mv -f $@.tmp $@

$(LIBDIR)/libtsp_cpp.so: $(CPP_SRC) $(CPP_HDR) Makefile
	@mkdir -p $(LIBDIR)
	$(CXX) $(CXXFLAGS_LIB) $(CPP_SRC) -o $@.tmp -lm
	@mv -f $@.tmp $@

# The pure-Go kernel as a C library, for C and Python programs (a Go
# program cannot load it: package loader refuses it). go build writes a
# header beside it, which is dropped: native/tsp.h is the ABI.
GO_LIB_SRC := $(wildcard *.go kernel/*.go internal/abi/*.go native/golib/*.go) $(C_HDR) go.mod

$(LIBDIR)/libtsp_go.so: $(GO_LIB_SRC) Makefile
	@mkdir -p $(LIBDIR)/.libtsp_go.tmp
	CGO_ENABLED=1 $(GO) build -buildmode=c-shared -o $(LIBDIR)/.libtsp_go.tmp/libtsp_go.so ./native/golib
	@mv -f $(LIBDIR)/.libtsp_go.tmp/libtsp_go.so $@ && rm -rf $(LIBDIR)/.libtsp_go.tmp

# The C worker program of the exec-c and worker-c backends (package proc,
# docs/protocol.md): the C kernel behind a pipe. Same flags as
# loader.BuildWorker.
WORKER_SRC := native/worker/tsp_worker.c
$(LIBDIR)/tsp-worker-c: $(WORKER_SRC) $(C_SRC) $(C_HDR) Makefile
	@mkdir -p $(LIBDIR)
	$(CC) -std=c11 -O2 -ffp-contract=off -Wall -Wextra -pthread -Inative $(WORKER_SRC) $(C_SRC) -o $@.tmp -lm
	@mv -f $@.tmp $@

# The small Go worker of the exec-go and worker-go backends: the Go kernel
# and package proc only, which starts in about a third of the time of the
# whole tsp command (cmd/tsp-worker-go). No cgo: nothing to link at start.
GO_WORKER_SRC := $(GO_LIB_SRC) $(wildcard proc/*.go cmd/tsp-worker-go/*.go)
$(LIBDIR)/tsp-worker-go: $(GO_WORKER_SRC) Makefile
	@mkdir -p $(LIBDIR)
	CGO_ENABLED=0 $(GO) build -o $@.tmp ./cmd/tsp-worker-go
	@mv -f $@.tmp $@

clean-libs:
	rm -f $(LIBDIR)/libtsp_c.so $(LIBDIR)/libtsp_cpp.so $(LIBDIR)/libtsp_go.so $(LIBDIR)/tsp-worker-c $(LIBDIR)/tsp-worker-go

# The loader's tests with and without cgo, and under the race detector.
test-loader:
	$(GO) test ./loader/
	CGO_ENABLED=0 $(GO) test ./loader/
	$(GO) test -race ./loader/

# ---------------------------------------------------------------------------
# The whole test suite: what CI runs (.ci/run) and what a contributor runs
# before sending a change. It needs Go, gcc, g++ and, for the browser test of
# the examples, Chromium (apt-get install chromium chromium-driver).
#
#   make test                   # everything, about 16 minutes on 2 idle cores
#   make check                  # the inner loop, under a minute
#   make test FUZZTIME=1000000x # longer fuzzing
#
# FUZZTIME is a count of executions, not a duration: with a duration, Go 1.26's
# fuzzing coordinator can fail a target with "context deadline exceeded" when
# the time runs out during an execution (go.dev/issue/75804, fixed in Go 1.27).
# 100,000 executions take 3 to 10 s per target here.

FUZZTIME ?= 100000x
FUZZTIME_DIFF ?= 4000x
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS := ./backends:FuzzDifferential:$(FUZZTIME_DIFF) ./backends:FuzzSolvePoints:$(FUZZTIME_DIFF) ./tsplib:FuzzReadPoints .:FuzzNewMatrix .:FuzzHaversineMatrix .:FuzzSolve ./tsplib:FuzzRead .:FuzzReadCities ./cmd/tsp:FuzzLoadStdin ./native/golib:FuzzSolve ./proc:FuzzServe ./proc:FuzzParentFrame .:FuzzReadCitiesFast:20000x .:FuzzReadCostMatrixFast:20000x

.PHONY: test check fmt-check vet build-cross test-unit test-short test-race test-nocgo test-cgocheck test-sanitize test-fma fuzz test-examples bench-smoke compare test-python

# The inner loop: gofmt, vet, every package's tests with -short (no race
# detector, no fuzzing, no examples module), about 1–2 minutes.
check: fmt-check vet test-short
	@echo "make check: all passed"

test: fmt-check vet build-cross bench-smoke test-unit test-race test-nocgo test-cgocheck test-sanitize test-fma fuzz test-examples test-python wasm-check
	@echo "make test: all passed"
	@for f in python/build/unittest-cpython.log python/build/unittest-pypy.log; do \
		if [ -f $$f ]; then echo "  the Python tests ($$(basename $$f .log | sed 's/unittest-//')): $$(grep -h '^Ran ' $$f)"; fi; done

fmt-check:
	@out=$$(gofmt -l . ); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) vet ./...
	cd examples && $(GO) vet ./...

# Every package builds for Windows and macOS (without cgo: the cgo backends
# say they are unavailable, the loader that it cannot open a library on
# Windows), and its tests pass go vet there.
build-cross:
	GOOS=windows $(GO) build ./...
	GOOS=darwin $(GO) build ./...
	GOOS=windows $(GO) vet ./...
	GOOS=darwin $(GO) vet ./...
	cd examples && GOOS=windows $(GO) build ./... && GOOS=darwin $(GO) build ./...

test-short:
	$(GO) test -count=1 -short ./...

# Every package with cgo: the differential tests of all five backends.
# The WebAssembly and process backends run every fifth differential case
# (-short): the full run of those two packages took 6 of CI's minutes, and
# their kernels are the C, C++ and Go kernels that every case checks here.
test-unit:
	$(GO) test -count=1 $$($(GO) list ./... | grep -v -e '/wasmbackend$$' -e '/proc$$')
	$(GO) test -count=1 -short ./wasmbackend/ ./proc/

# The race detector (needs cgo); it runs every 25th differential case (the
# others run without it in test-unit). Not on cbackend, cppbackend and
# loader themselves (4.5 of CI's minutes): their Go side runs under the
# race detector in ./backends, whose tests solve on every backend, at once
# from many goroutines too (difftest.Concurrent).
test-race:
	$(GO) test -count=1 -race -short $$($(GO) list ./... | grep -v -e '/cbackend$$' -e '/cppbackend$$' -e '/loader$$')

# Without cgo: the cgo backends say so, the purego ones still run for real.
# The root package's tests use no cgo: they build without a C or C++ compiler.
# -short (every fifth differential case): the same Go code runs every case in
# test-unit; what differs without cgo is which files build and which backends
# exist. The full run without cgo added some 5 minutes to CI (proc, wasm).
# Not ./proc: pure Go either way (its C worker is a program, built by the
# C compiler in both cases), and a minute of CI.
test-nocgo:
	CGO_ENABLED=0 $(GO) test -count=1 -short $$(CGO_ENABLED=0 $(GO) list ./... | grep -v -e '/proc$$')
	CC=/bin/false CXX=/bin/false $(GO) test -count=1 .

# cgo's strictest pointer checks on every package that crosses into C, on
# every fifth differential case (-short): every call takes the same path.
test-cgocheck:
	GOEXPERIMENT=cgocheck2 $(GO) test -count=1 -short ./cbackend/ ./cppbackend/ ./loader/

# AddressSanitizer and UndefinedBehaviorSanitizer on both cgo kernels
# (every fifth differential case: the sanitizers look for memory and
# undefined-behaviour errors, not differences).
test-sanitize:
	CGO_CFLAGS='-O1 -g $(SANITIZE)' CGO_CXXFLAGS='-O1 -g $(SANITIZE)' CGO_LDFLAGS='$(SANITIZE)' \
		$(GO) test -count=1 -short ./cbackend/ ./cppbackend/

# Everything compiled for a CPU with FMA instructions must still give the
# same bits: Go with GOAMD64=v3 (every product that is added is wrapped in
# float64()), C and C++ with -march=haswell (ISO C mode and the C++ kernel's
# pragma keep contraction off; cppbackend's TestNoContraction checks it at
# run time, native's in the assembly). Skipped on a CPU without AVX2 and FMA,
# where such binaries cannot run.
test-fma:
	@if [ "$$($(GO) env GOARCH)" = amd64 ] && grep -qw fma /proc/cpuinfo 2>/dev/null && grep -qw avx2 /proc/cpuinfo; then \
		GOAMD64=v3 CGO_CFLAGS='-O2 -march=haswell' CGO_CXXFLAGS='-O2 -march=haswell' $(GO) test -count=1 -short ./cbackend/ ./cppbackend/ ; \
	else echo "test-fma: not an amd64 CPU with AVX2 and FMA; skipped"; fi

# FuzzDifferential solves with every backend, the shared libraries included
# (built first), about 1,000 executions a second: it gets a count of its own.
fuzz: libs
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; rest=$${t#*:}; fn=$${rest%%:*}; n=$(FUZZTIME); \
		case $$rest in *:*) n=$${rest#*:};; esac; \
		echo "fuzz $$pkg $$fn ($$n)"; \
		TSP_LIB_PATH=$(abspath $(LIBDIR)) $(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $$n $$pkg || exit 1; done
	cd examples && $(GO) test -run '^$$' -fuzz '^FuzzDecodeCosts$$' -fuzztime $(FUZZTIME) ./handler/tsphttp
	cd examples && $(GO) test -run '^$$' -fuzz '^FuzzFastCosts$$' -fuzztime 20000x ./handler/tsphttp
	cd examples && $(GO) test -run '^$$' -fuzz '^FuzzFastRequest$$' -fuzztime 20000x ./jumper/server

# Without cgo the page is the same page with fewer backends: the browser
# tests (a minute of CI) run once, with cgo.
test-examples:
	cd examples && $(GO) test -count=1 ./...
	cd examples && CGO_ENABLED=0 $(GO) test -count=1 -skip '^TestBrowser' ./...

# Every benchmark once, so that none is broken: the pure-Go ones in the root
# package, every backend's in ./backends (go test -bench . ./ ./backends).
# -short trims the long sweeps (BenchmarkIterated, BenchmarkOverrun) to their
# smallest cases.
bench-smoke:
	$(GO) test -count=1 -short -run '^$$' -bench . -benchtime 1x ./... > /dev/null

# The main job with all five backends: build the shared libraries, compare.
compare: libs
	$(GO) run ./cmd/tsp compare -lib $(LIBDIR)

# The Python package (python/tsp_ffi): ctypes, CFFI ABI and API mode into the
# three libraries, and the pure-Python kernel, with the standard library's
# unittest. It needs the libraries (built first), Python 3, Debian's
# python3-cffi and python3-dev (API mode compiles an extension module).
# PYTHON is the interpreter whose packages those are: .ci/run sets
# /usr/bin/python3. The API-mode modules are built in python/build/.
# The same tests run under PyPy (PYPY, Debian's pypy3, whose CFFI is built
# in; pypy3-dev for API mode): the pure-Python kernel, ctypes and CFFI.
# Under CPython they also cover the Cython modules (cython3), built into
# python/build/ too. Without PyPy the PyPy run is skipped, except with
# CI=true, where it fails.
PYTHON ?= python3
PYPY ?= pypy3

# Each run's report is kept in python/build/ for make test's summary.
test-python: libs
	@mkdir -p python/build && rm -f python/build/unittest-*.log
	@echo "cd python && $(PYTHON) -m unittest discover -s tests"
	@cd python && TSP_LIB_PATH=$(abspath $(LIBDIR)) $(PYTHON) -m unittest discover -s tests 2>build/unittest-cpython.log; \
		rc=$$?; cat build/unittest-cpython.log; exit $$rc
	@if command -v $(PYPY) >/dev/null; then \
		echo "cd python && $(PYPY) -m unittest discover -s tests"; \
		cd python && TSP_LIB_PATH=$(abspath $(LIBDIR)) $(PYPY) -m unittest discover -s tests 2>build/unittest-pypy.log; \
		rc=$$?; cat build/unittest-pypy.log; exit $$rc; \
	elif [ "$$CI" = true ]; then echo "test-python: CI=true and no $(PYPY) (apt-get install pypy3 pypy3-dev)"; exit 1; \
	else echo "test-python: no $(PYPY); the tests under PyPy are skipped"; fi

# ---------------------------------------------------------------------------
# The WebAssembly kernels of the wasm-c and wasm-cpp backends (package
# wasmbackend), built from the same sources as every other backend and
# committed, so that users need no C toolchain: `go build` embeds them.
# Debian 12: apt-get install clang lld wasi-libc libc++-dev-wasm32 (clang 14).
# The C++ kernel is built with -fno-exceptions: WASI has no exception
# runtime (native/wasm/new.cpp). -mnontrapping-fptoint uses WebAssembly
# 2.0's saturating float-to-int conversions, which wazero runs as one
# instruction and a fix-up, where the trapping ones needed a range check
# and branches around each (C leaves an out-of-range conversion undefined
# and the kernels make none, so no result changes; issue 21, fifteenth
# session: wasm-c's TwoOpt on 1,000 cities 95.0 M -> 92.2 M instructions).
#
#   make wasm        # regenerate wasmbackend/*.wasm and wasmbackend/sources.sha256
#   make wasm-check  # fail unless the committed files are what the sources build

WASM_CC  ?= clang
WASM_CXX ?= clang++
WASM_OUT ?= wasmbackend
WASM_EXPORTS := tsp_abi_version tsp_kernel_id tsp_noop tsp_haversine tsp_matrix tsp_solve tsp_solve_progress tsp_solve_points tsp_solve_points_progress malloc free
WASM_COMMON := --target=wasm32-wasi -O2 -ffp-contract=off -mnontrapping-fptoint -mexec-model=reactor -Wall -Wextra -Werror -Inative \
	-Wl,--stack-first -Wl,-z,stack-size=65536 -Wl,--strip-all $(foreach s,$(WASM_EXPORTS),-Wl,--export=$(s))
WASM_C_SRC   := $(C_SRC)
WASM_CPP_SRC := $(CPP_SRC) native/wasm/new.cpp
WASM_SOURCES := $(C_HDR) $(WASM_C_SRC) $(wildcard native/cpp/*.h native/cpp/*.hpp) $(WASM_CPP_SRC)

.PHONY: wasm wasm-check
wasm: $(WASM_OUT)/tsp_c.wasm $(WASM_OUT)/tsp_cpp.wasm $(WASM_OUT)/sources.sha256

$(WASM_OUT)/tsp_c.wasm: $(WASM_C_SRC) $(C_HDR) Makefile
	$(WASM_CC) -std=c11 $(WASM_COMMON) $(WASM_C_SRC) -o $@.tmp
	@chmod 644 $@.tmp && mv -f $@.tmp $@

$(WASM_OUT)/tsp_cpp.wasm: $(WASM_CPP_SRC) $(CPP_HDR) Makefile
	$(WASM_CXX) -std=c++17 -fno-exceptions $(WASM_COMMON) $(WASM_CPP_SRC) -o $@.tmp
	@chmod 644 $@.tmp && mv -f $@.tmp $@

# The digests of the sources the .wasm files were built from: package
# wasmbackend's tests fail when a source changed and `make wasm` was not run,
# even on a machine without clang.
$(WASM_OUT)/sources.sha256: $(WASM_SOURCES) Makefile
	sha256sum $(sort $(WASM_SOURCES)) > $@

wasm-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	$(MAKE) --no-print-directory -B wasm WASM_OUT=$$tmp >/dev/null && \
	for f in tsp_c.wasm tsp_cpp.wasm sources.sha256; do \
		cmp -s $$tmp/$$f $(WASM_OUT)/$$f || { echo "wasm-check: $(WASM_OUT)/$$f is not what the sources build: run make wasm and commit it"; exit 1; }; \
	done; echo "wasm-check: the committed .wasm files are what the sources build"
