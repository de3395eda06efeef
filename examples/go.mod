module github.com/ffi4go/tsp/examples

go 1.25.0

require (
	github.com/chromedp/chromedp v0.23.0
	github.com/ffi4go/tsp v0.0.0-00010101000000-000000000000
)

require (
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.44.0 // indirect
)

require (
	github.com/chromedp/cdproto v0.159.0 // indirect
	github.com/ebitengine/purego v0.11.3
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
)

replace github.com/ffi4go/tsp => ../
