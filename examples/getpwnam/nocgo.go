//go:build !cgo

package main

import "errors"

var errNoCgo = errors.New("built without cgo (CGO_ENABLED=0)")

const haveCgo = false

func lookupCgo(string) (User, error) { return User{}, errNoCgo }

func cLayout() [5]uintptr { return [5]uintptr{} }
