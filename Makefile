# The shared libraries of the purego backends, built in place from the very
# sources the cgo backends compile (cbackend/, cppbackend/):
#
#   make libs                  # ./lib/libtsp_c.so and ./lib/libtsp_cpp.so
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
CFLAGS_LIB   := -std=c11 $(COMMON)
CXXFLAGS_LIB := -std=c++17 $(COMMON) -Icbackend
ifeq ($(STATIC_CXX),1)
CXXFLAGS_LIB += -static-libstdc++ -static-libgcc
endif

C_SRC   := cbackend/tsp.c
C_HDR   := cbackend/tsp.h
CPP_SRC := $(wildcard cppbackend/*.cpp)
CPP_HDR := $(wildcard cppbackend/*.h cppbackend/*.hpp) $(C_HDR)

.PHONY: libs clean-libs test-loader
libs: $(LIBDIR)/libtsp_c.so $(LIBDIR)/libtsp_cpp.so

$(LIBDIR)/libtsp_c.so: $(C_SRC) $(C_HDR) Makefile
	@mkdir -p $(LIBDIR)
	$(CC) $(CFLAGS_LIB) $(C_SRC) -o $@.tmp -lm
	@mv -f $@.tmp $@

$(LIBDIR)/libtsp_cpp.so: $(CPP_SRC) $(CPP_HDR) Makefile
	@mkdir -p $(LIBDIR)
	$(CXX) $(CXXFLAGS_LIB) $(CPP_SRC) -o $@.tmp -lm
	@mv -f $@.tmp $@

clean-libs:
	rm -f $(LIBDIR)/libtsp_c.so $(LIBDIR)/libtsp_cpp.so

# The loader's tests with and without cgo, and under the race detector.
test-loader:
	$(GO) test ./loader/
	CGO_ENABLED=0 $(GO) test ./loader/
	$(GO) test -race ./loader/
