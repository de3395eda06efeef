package kmath

// mathUnfused reports whether this build's package math is free of fused
// multiply-adds: true on amd64 at GOAMD64 v1 and v2 and on 386; arm64,
// ppc64, riscv64, s390x and GOAMD64=v3 may fuse (or, on s390x, use
// assembly).
func mathUnfused() bool { return unfused }
