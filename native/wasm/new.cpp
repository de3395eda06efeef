// new.cpp: the C++ kernel's allocation failure in WebAssembly.
//
// Linked into tsp_cpp.wasm only (make wasm). WASI has no exception runtime
// (Debian's libc++abi for wasm32 has no __cxa_throw), so the kernel is built
// with -fno-exceptions, and libc++ built that way returns nullptr from a
// failed operator new, which the kernel would then write through: address 0
// is valid linear memory. These replacements tell the host instead and
// trap, so the host discards the instance and answers TSP_NO_MEMORY, as
// the native kernel's std::bad_alloc does. The nothrow forms keep their
// contract (nullptr); the kernel does not use them.
#include <cstddef>
#include <cstdlib>
#include <new>

extern "C" __attribute__((import_module("tsp"), import_name("out_of_memory"))) void tsp_wasm_out_of_memory(void);

namespace {

void* Allocate(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) {
    tsp_wasm_out_of_memory();
    __builtin_trap();
  }
  return p;
}

}  // namespace

void* operator new(std::size_t size) { return Allocate(size); }
void* operator new[](std::size_t size) { return Allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return std::malloc(size == 0 ? 1 : size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return std::malloc(size == 0 ? 1 : size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
