//go:build cgo

// The C++ kernel, compiled into this package by cgo. The source lives in
// package native (native/cpp/tsp.cpp), which loader also builds into
// libtsp_cpp.so; cgo.go imports that package so that Go's build cache
// rebuilds this one whenever the source changes.
#include "../native/cpp/tsp.cpp"
