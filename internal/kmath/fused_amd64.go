//go:build !amd64.v3

package kmath

const unfused = true
