//go:build !cgo

// Command golib is the pure-Go kernel as a C shared library, libtsp_go.so;
// building it needs cgo (go build -buildmode=c-shared). See golib.go.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "golib: build it with cgo: CGO_ENABLED=1 go build -buildmode=c-shared -o libtsp_go.so ./native/golib")
	os.Exit(1)
}
