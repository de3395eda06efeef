module github.com/ffi4go/tsp

go 1.25.0
