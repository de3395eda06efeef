package loader

import (
	"io/fs"

	"github.com/ffi4go/tsp/cbackend"
	"github.com/ffi4go/tsp/cppbackend"
)

// The kernels' sources, embedded by their own packages: the shared libraries
// are built from the very files the cgo backends compile.
var (
	cSources   fs.FS = cbackend.Sources   // tsp.h, tsp.c
	cppSources fs.FS = cppbackend.Sources // tsp.cpp and its headers; includes tsp.h
)
