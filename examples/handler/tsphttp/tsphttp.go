// Package tsphttp is the smallest useful HTTP front end of
// github.com/ffi4go/tsp: POST a JSON array of cities, get the tour back as
// JSON. It uses only the library and the standard library.
//
// Mount it in your own mux (Go 1.22 patterns):
//
//	mux := http.NewServeMux()
//	mux.Handle("POST /tour", &tsphttp.Handler{})            // pure Go, 10 s deadline
//	mux.Handle("POST /tour/fast", &tsphttp.Handler{Timeout: time.Second})
//	http.ListenAndServe("127.0.0.1:8081", mux)
//
// and call it:
//
//	curl -d '[{"name":"a","lat":48.86,"lon":2.35},{"name":"b","lat":52.52,"lon":13.4},{"name":"c","lat":51.51,"lon":-0.13}]' \
//	    'http://127.0.0.1:8081/tour?algorithm=exact&start=0'
//
// The answer is {"tour":[cities in visiting order],"order":[indices],
// "length_km":…,"status":"optimal|heuristic|stopped","algorithm":"exact"}.
// The query parameters are optional: algorithm is auto, exhaustive, exact,
// nearest or 2opt (default auto: exact up to tsp.AutoExactMax cities, 2opt
// above) and start the index of the first city (default 0).
//
// The body is read by tsp.DecodeCitiesJSON, the library's city reader, one
// city at a time: every city needs "lat" and "lon", "name" is optional, any
// other field is an error, coordinates are checked, and nothing may follow
// the array.
//
// The search runs under the request's context with the Handler's Timeout on
// top: a client that hangs up stops it, and a search that reaches the
// timeout answers 200 with the best tour found so far and status "stopped".
// Bad input (an error matching tsp.ErrInvalidInput) gets a 4xx answer
// {"error":"…"} with the library's message: 400 for malformed JSON, missing
// or unknown fields, invalid values or options, 422 for more cities than
// allowed; 405 answers a method other than POST and 413 a body over
// MaxBytes. Any other error is a 500.
//
// Run it alone with `go -C examples run ./handler`.
package tsphttp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/ffi4go/tsp"
)

// Handler solves the cities POSTed to it. The zero value is ready to use.
// A Handler is safe for concurrent use; it does not limit how many solves
// run at once (see examples/jumper for a server that does).
type Handler struct {
	Solver    tsp.Solver    // nil: tsp.Go(), the pure-Go backend
	Timeout   time.Duration // 0: 10 s
	MaxBytes  int64         // largest body accepted; 0: 1 MiB
	MaxCities int           // 0: 1000 (the matrix takes n²·8 bytes)
}

// Response is the JSON answer to a successful request.
type Response struct {
	Tour      []tsp.City `json:"tour"`
	Order     []int      `json:"order"`
	LengthKm  float64    `json:"length_km"`
	Status    string     `json:"status"`
	Algorithm string     `json:"algorithm"`
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "use POST with a JSON array of cities")
		return
	}
	maxBytes, maxCities, timeout := h.MaxBytes, h.MaxCities, h.Timeout
	if maxBytes <= 0 {
		maxBytes = 1 << 20
	}
	if maxCities <= 0 {
		maxCities = 1000
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBytes))
	cities, err := tsp.DecodeCitiesJSON(dec)
	if err == nil {
		if _, err = dec.Token(); err == io.EOF {
			err = nil
		} else if tooBig := new(http.MaxBytesError); !errors.As(err, &tooBig) {
			err = fmt.Errorf("%w: unexpected data after the JSON array", tsp.ErrSyntax)
		}
	}
	if err != nil {
		writeFailure(w, err)
		return
	}
	if len(cities) > maxCities {
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("%d cities, at most %d", len(cities), maxCities))
		return
	}
	var opt tsp.Options // Auto: Exact for a few dozen cities, TwoOpt beyond
	q := r.URL.Query()
	if s := q.Get("algorithm"); s != "" {
		if opt.Algorithm, err = tsp.ParseAlgorithm(s); err != nil {
			writeFailure(w, err)
			return
		}
	}
	if s := q.Get("start"); s != "" {
		if opt.Start, err = strconv.Atoi(s); err != nil {
			writeError(w, http.StatusBadRequest, "start: want an integer, got "+strconv.Quote(s))
			return
		}
	}
	m, err := tsp.HaversineMatrix(cities)
	if err != nil {
		writeFailure(w, err)
		return
	}
	solver := h.Solver
	if solver == nil {
		solver = tsp.Go()
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	t, err := solver.Solve(ctx, m, opt)
	switch {
	case err == nil, t.Status == tsp.Stopped && errors.Is(err, context.DeadlineExceeded):
		// a stopped search still has the best tour found: answer it
	case r.Context().Err() != nil:
		return // the client is gone
	default:
		writeFailure(w, err)
		return
	}
	resp := Response{Order: t.Order, LengthKm: t.Length, Status: t.Status.String(), Algorithm: t.Algorithm.String()}
	for _, i := range t.Order {
		resp.Tour = append(resp.Tour, cities[i])
	}
	writeJSON(w, http.StatusOK, resp)
}

// StatusFor is the HTTP status of an error: 413 for a body over the limit,
// 422 for too many cities (tsp.ErrTooLarge), 400 for any other bad input
// (tsp.ErrInvalidInput), 500 for anything else. The route planner page
// (examples/jumper) maps its errors with it too.
func StatusFor(err error) int {
	switch {
	case errors.As(err, new(*http.MaxBytesError)):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, tsp.ErrTooLarge):
		return http.StatusUnprocessableEntity
	case errors.Is(err, tsp.ErrInvalidInput):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// writeFailure answers err with its status and message.
func writeFailure(w http.ResponseWriter, err error) {
	code := StatusFor(err)
	msg := err.Error()
	if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
		msg = fmt.Sprintf("body over %d bytes", tooBig.Limit)
	}
	writeError(w, code, msg)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
