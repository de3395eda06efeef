//go:build cgo

/* The C kernel, compiled into this package by cgo. The source lives in
 * package native (native/c/tsp.c), which loader also builds into
 * libtsp_c.so; cgo.go imports that package so that Go's build cache
 * rebuilds this one whenever the source changes. */
#include "../native/c/tsp.c"
