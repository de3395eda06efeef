package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/examples/handler/tsphttp"
)

// SolveRequest is the body of POST /api/solve. Backend defaults to "go" and
// Algorithm to "auto"; Start is an index into Cities. Cities is decoded by
// the library's city reader (tsp.Cities, as tsp.DecodeCitiesJSON reads):
// every city needs "lat" and "lon", "name" is optional, any other field is
// an error, and the coordinates are checked while decoding.
type SolveRequest struct {
	Cities    tsp.Cities `json:"cities"`
	Backend   string     `json:"backend"`
	Algorithm string     `json:"algorithm"`
	Start     int        `json:"start"`
}

// SolveResponse is the answer of POST /api/solve.
type SolveResponse struct {
	Backend         string     `json:"backend"`
	Algorithm       string     `json:"algorithm"`
	Status          string     `json:"status"` // optimal, heuristic or stopped (at the deadline)
	LengthKm        float64    `json:"length_km"`
	LowerBoundKm    float64    `json:"lower_bound_km"`
	Nodes           uint64     `json:"nodes"`
	Tour            []tsp.City `json:"tour"`  // the cities in visiting order, Tour[0] the start
	Order           []int      `json:"order"` // the same as indices into the request's cities
	BackendMs       float64    `json:"backend_ms"`
	TotalMs         float64    `json:"total_ms"` // from the request's arrival to the answer, queueing included
	QueueMs         float64    `json:"queue_ms"` // of which waiting for a worker
	SoftDeadlineMet bool       `json:"soft_deadline_met"`
}

// badRequest is an error answered with its code.
type badRequest struct {
	code int
	msg  string
}

func (e *badRequest) Error() string { return e.msg }

func fail(code int, format string, a ...any) error {
	return &badRequest{code: code, msg: fmt.Sprintf(format, a...)}
}

// job is a validated request.
type job struct {
	backend string
	solver  tsp.Solver
	cities  []tsp.City
	opt     tsp.Options
}

func (s *Server) handleSolve(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	j, err := s.parse(w, r)
	if err != nil {
		var br *badRequest
		if !errors.As(err, &br) {
			br = &badRequest{code: http.StatusBadRequest, msg: err.Error()}
		}
		addLog(r.Context(), slog.String("error", br.msg))
		writeError(w, br.code, br.msg)
		return
	}
	addLog(r.Context(), slog.String("backend", j.backend), slog.String("algorithm", j.opt.Algorithm.String()),
		slog.Int("cities", len(j.cities)))

	// Admission: at most Workers solves run, at most Queue more wait.
	if s.admitted.Add(1) > s.capacity {
		s.admitted.Add(-1)
		s.busy(w, r, "server busy: every worker is solving and the queue is full, retry shortly")
		return
	}
	defer s.admitted.Add(-1)

	// Wait for a worker at most QueueTimeout; a client that goes away stops
	// waiting at once.
	waitStart := time.Now()
	wait, stopWait := context.WithTimeout(r.Context(), s.cfg.QueueTimeout)
	select {
	case s.workers <- struct{}{}:
		stopWait()
	case <-wait.Done():
		stopWait()
		if r.Context().Err() != nil {
			addLog(r.Context(), slog.String("outcome", "client gone while queued"))
			return
		}
		s.busy(w, r, fmt.Sprintf("server busy: no worker was free within %v, retry shortly", s.cfg.QueueTimeout))
		return
	}
	// The hard deadline of the solve; the request's context ends it early
	// when the client goes away.
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Deadline)
	defer cancel()
	queued := time.Since(waitStart)
	t, solveDur, err := s.solve(ctx, j)

	addLog(r.Context(), slog.Float64("queue_ms", ms(queued)), slog.Float64("backend_ms", ms(solveDur)))
	switch {
	case err == nil:
	case t.Status == tsp.Stopped && errors.Is(err, context.DeadlineExceeded):
		// The deadline stopped the search: answer the best tour found.
	case r.Context().Err() != nil:
		addLog(r.Context(), slog.String("outcome", "client gone"))
		return
	case errors.Is(err, tsp.ErrInvalidInput):
		writeError(w, tsphttp.StatusFor(err), err.Error())
		return
	default:
		addLog(r.Context(), slog.String("error", err.Error()))
		writeError(w, http.StatusInternalServerError, "backend "+j.backend+" failed: "+err.Error())
		return
	}

	resp := SolveResponse{
		Backend:      j.backend,
		Algorithm:    j.opt.Algorithm.For(len(j.cities)).String(), // what Auto chose
		Status:       t.Status.String(),
		LengthKm:     t.Length,
		LowerBoundKm: t.LowerBound,
		Nodes:        t.Nodes,
		Tour:         make([]tsp.City, len(t.Order)),
		Order:        t.Order,
		BackendMs:    ms(solveDur),
		QueueMs:      ms(queued),
	}
	for i, c := range t.Order {
		resp.Tour[i] = j.cities[c]
	}
	total := time.Since(arrived)
	resp.TotalMs = ms(total)
	resp.SoftDeadlineMet = total <= s.cfg.SoftDeadline
	addLog(r.Context(), slog.String("outcome", resp.Status), slog.Float64("length_km", t.Length))
	writeJSON(w, http.StatusOK, resp)
}

// solve runs j holding the worker token taken by the caller, and gives the
// token back however it ends: a panic in a backend becomes an error, not a
// lost worker.
func (s *Server) solve(ctx context.Context, j *job) (t tsp.Tour, d time.Duration, err error) {
	s.running.Add(1)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s panicked: %v", tsp.ErrKernel, j.backend, p)
		}
		s.running.Add(-1)
		<-s.workers
	}()
	m, err := tsp.HaversineMatrix(j.cities) // inside the worker slot: it is n² memory and time
	if err != nil {
		return tsp.Tour{}, 0, err
	}
	t0 := time.Now()
	t, err = j.solver.Solve(ctx, m, j.opt)
	return t, time.Since(t0), err
}

// busy answers 503 with Retry-After.
func (s *Server) busy(w http.ResponseWriter, r *http.Request, msg string) {
	addLog(r.Context(), slog.String("outcome", "rejected: busy"))
	w.Header().Set("Retry-After", "1")
	writeError(w, http.StatusServiceUnavailable, msg)
}

// parse reads and validates the body. Its errors are *badRequest.
func (s *Server) parse(w http.ResponseWriter, r *http.Request) (*job, error) {
	var req SolveRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			return nil, decodeError(err)
		}
		return nil, fail(http.StatusBadRequest, "unexpected data after the JSON object")
	}

	if req.Backend == "" {
		req.Backend = "go"
	}
	b, ok := s.byName[req.Backend]
	if !ok {
		names := make([]string, len(s.backends))
		for i, b := range s.backends {
			names[i] = b.Name
		}
		return nil, fail(http.StatusBadRequest, "unknown backend %q (want one of %s)", req.Backend, strings.Join(names, ", "))
	}
	if b.Solver == nil {
		reason := "no reason given"
		if b.Err != nil {
			reason = b.Err.Error()
		}
		return nil, fail(http.StatusUnprocessableEntity, "backend %s is unavailable on this server: %s", b.Name, reason)
	}
	if req.Algorithm == "" {
		req.Algorithm = tsp.Auto.String()
	}
	alg, err := tsp.ParseAlgorithm(req.Algorithm)
	if err != nil {
		return nil, fail(http.StatusBadRequest, "%s", strings.TrimPrefix(err.Error(), "tsp: "))
	}
	n := len(req.Cities)
	if n == 0 {
		return nil, fail(http.StatusBadRequest, "no cities: send at least one in \"cities\"")
	}
	if max := s.maxCities(alg); n > max {
		return nil, fail(http.StatusUnprocessableEntity, "too many cities for %s: %d, at most %d", alg, n, max)
	}
	if req.Start < 0 || req.Start >= n {
		return nil, fail(http.StatusBadRequest, "start %d out of range: want 0 to %d", req.Start, n-1)
	}
	// The cities were checked while decoding (tsp.Cities).
	return &job{backend: b.Name, solver: b.Solver, cities: req.Cities, opt: tsp.Options{Start: req.Start, Algorithm: alg}}, nil
}

// decodeError turns a json.Decoder error into a clear answer.
func decodeError(err error) error {
	var (
		tooBig *http.MaxBytesError
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooBig):
		return fail(http.StatusRequestEntityTooLarge, "request body over %d bytes", tooBig.Limit)
	case errors.Is(err, tsp.ErrInvalidInput): // the cities, from the library's reader
		return fail(tsphttp.StatusFor(err), "cities: %s", strings.TrimPrefix(err.Error(), "tsp: "))
	case errors.As(err, &syntax):
		return fail(http.StatusBadRequest, "malformed JSON at byte %d: %v", syntax.Offset, err)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the body"
		}
		return fail(http.StatusBadRequest, "wrong type for %s: got JSON %s, want %s", field, typ.Value, jsonKind(typ.Type))
	case errors.Is(err, io.EOF):
		return fail(http.StatusBadRequest, "empty body: send a JSON object {\"cities\": [...], \"backend\": ..., \"algorithm\": ...}")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fail(http.StatusBadRequest, "malformed JSON: the body ends early")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fail(http.StatusBadRequest, "unknown field %s (want cities, backend, algorithm, start; each city name, lat, lon)",
			strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return fail(http.StatusBadRequest, "bad JSON: %v", err)
}

// jsonKind says what JSON a Go type takes, for a message that names no Go
// type.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another value"
}
