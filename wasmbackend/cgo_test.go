//go:build cgo

package wasmbackend

// cgoBuild: this test binary was built with cgo (see TestDifferential).
const cgoBuild = true
