package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/ffi4go/tsp"
	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/handler/tsphttp"
)

// SolveRequest is the body of POST /api/solve. Backend defaults to "go",
// Algorithm to "auto" and DeadlineMs to the server's deadline (at most
// that); Start is an index into Cities. The body is decoded strictly: keys
// match exactly (case included), each at most once, no other key, nothing
// after the object. Cities is read by the library's city reader
// (tsp.DecodeCitiesJSON): every city needs "lat" and "lon", "name" is
// optional and at most tsp.MaxNameBytes, any other field is an error, and
// the coordinates are checked while decoding.
//
// Instead of Cities, Costs may give a cost matrix {"names": [...],
// "matrix": [[...]]} (row i: the costs from city i to every city; asymmetric
// is fine), read by tsphttp.DecodeCosts with Config.MaxMatrixCities checked
// while reading. End is where the route ends: "start" (the default, a round
// trip), "any" (an open path, ending wherever it is shortest) or the index
// of a city other than Start, as a JSON number.
type SolveRequest struct {
	Cities     tsp.Cities    `json:"cities"`
	Costs      tsphttp.Costs `json:"-"` // "costs", read by tsphttp.DecodeCosts
	End        tsp.End       `json:"-"` // "end": "start", "any" or a city index
	Backend    string        `json:"backend,omitempty"`
	Algorithm  string        `json:"algorithm,omitempty"`
	Start      int           `json:"start"`
	DeadlineMs int64         `json:"deadline_ms,omitempty"`
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

	// The route in the unit of its input, km for cities and the matrix's
	// for costs: its length, lower bound (0 if none) and the cost of each
	// leg in order, a round trip's last leg back to the start. Path: the
	// route does not return to the start (end "any" or a city). Names: a
	// cost matrix's names in visiting order (Tour is empty, and the _km
	// fields 0, for a cost matrix).
	Length     float64   `json:"length"`
	LowerBound float64   `json:"lower_bound"`
	Legs       []float64 `json:"legs"`
	Path       bool      `json:"path"`
	Names      []string  `json:"names,omitempty"`
	// Coordinates: the cities were solved from their coordinates, without
	// a distance matrix (tsp.SolvePoints, issue 21): round trips with
	// nearest, 2opt or iterated on a backend with a coordinate solver,
	// unless a streamed solve of at most MaxCities cities needs the matrix
	// path for its progress.
	Coordinates bool `json:"coordinates"`
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
	backend  string
	solver   tsp.Solver
	cities   []tsp.City
	costs    tsphttp.Costs    // or a cost matrix
	points   tsp.PointsSolver // non-nil: solve cities from their coordinates, without a matrix
	opt      tsp.Options
	deadline time.Duration
}

func (s *Server) handleSolve(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	refuse := func(code int, msg string) {
		addLog(r.Context(), slog.String("error", msg))
		writeError(w, code, msg)
	}
	// Before the body is read: origin, type, declared size, body budget.
	if code, msg := tsphttp.CheckPost(s.csrf, r, s.cfg.MaxBody); code != 0 {
		refuse(code, msg)
		return
	}
	size := r.ContentLength
	if size < 0 {
		size = s.cfg.MaxBody
	}
	if busy := s.lanes.HeavyFull(); busy != nil && !s.bodies.IsSmall(size) {
		// A large body is presumed expensive: not read while those are
		// refused, and the connection closed rather than drained.
		w.Header().Set("Connection", "close")
		s.busy(w, r, busy)
		return
	}
	release, ok := s.bodies.Reserve(r.Context(), size)
	if !ok {
		w.Header().Set("Connection", "close")
		s.busy(w, r, &tsphttp.BusyError{RetryAfter: time.Second, Msg: "server busy: too many request bodies being read, retry later"})
		return
	}
	j, err := s.parse(w, r)
	release()
	if err != nil {
		var br *badRequest
		if !errors.As(err, &br) {
			br = &badRequest{code: http.StatusBadRequest, msg: err.Error()}
		}
		refuse(br.code, br.msg)
		return
	}
	n := j.n()
	alg := j.opt.Algorithm.For(n)
	cost := tsphttp.Estimate(j.opt.Algorithm, n, j.deadline)
	switch {
	case j.costs.Matrix != nil:
		cost = tsphttp.EstimateMatrix(alg, n, j.costs.Matrix.Symmetric(), j.deadline)
	case j.points != nil:
		cost = tsphttp.EstimatePoints(alg, n, j.deadline)
	}
	if !backends.Has(j.backend, tsp.Exact) {
		// The pure-Python kernel (worker-python, worker-cython, ...): up to
		// some 700 times the Go kernel's time (Exhaustive on 11 cities:
		// 7 s for 11 ms), priced so that it never takes the cheap lane.
		cost = min(cost*700, cost+j.deadline)
	}
	addLog(r.Context(), slog.String("backend", j.backend), slog.String("algorithm", alg.String()),
		slog.Int("cities", n), slog.String("end", j.opt.End.String()), slog.Float64("estimate_ms", ms(cost)),
		slog.Bool("coordinates", j.points != nil))

	slot, err := s.lanes.Acquire(r.Context(), tsphttp.Job{Cost: cost, Algorithm: alg.String(), Cities: n, Backend: j.backend})
	var busy *tsphttp.BusyError
	switch {
	case errors.As(err, &busy):
		s.busy(w, r, busy)
		return
	case err != nil:
		addLog(r.Context(), slog.String("outcome", "client gone while queued"))
		return
	}
	defer slot.Release()
	lane := "heavy"
	if slot.Cheap {
		lane = "cheap"
	}
	// The hard deadline of the solve; the request's context ends it early
	// when the client goes away.
	ctx, cancel := context.WithTimeout(r.Context(), slot.Deadline(j.deadline))
	defer cancel()
	queued := slot.Waited()
	out := answer{w: w}
	if r.URL.Query().Get("stream") == "1" {
		out.startStream(r.Context(), &j.opt, j.points == nil || pointsProgress)
	}
	t, m, solveDur, err := s.solve(ctx, j)
	slot.Release() // the worker is free while the answer is written
	if n >= bigMatrix {
		s.giveBack()
	}

	addLog(r.Context(), slog.String("lane", lane), slog.Float64("queue_ms", ms(queued)), slog.Float64("backend_ms", ms(solveDur)))
	switch {
	case err == nil:
	case t.Status == tsp.Stopped && errors.Is(err, context.DeadlineExceeded):
		// The deadline stopped the search: answer the best tour found.
	case r.Context().Err() != nil:
		addLog(r.Context(), slog.String("outcome", "client gone"))
		return
	case errors.Is(err, tsp.ErrInvalidInput):
		out.error(tsphttp.StatusFor(err), err.Error())
		return
	default:
		addLog(r.Context(), slog.String("error", err.Error()))
		out.error(http.StatusInternalServerError, "backend "+j.backend+" failed: "+HidePaths(err.Error()))
		return
	}

	resp := SolveResponse{
		Backend:    j.backend,
		Algorithm:  alg.String(), // what Auto chose
		Status:     t.Status.String(),
		Nodes:      t.Nodes,
		Order:      t.Order,
		BackendMs:  ms(solveDur),
		QueueMs:    ms(queued),
		Length:     t.Length,
		LowerBound: t.LowerBound,
		Path:       !j.opt.End.Closed(),

		Coordinates: j.points != nil,
	}
	if m != nil {
		resp.Legs = tsphttp.Legs(m, t.Order, j.opt.End.Closed())
	} else {
		resp.Legs = cityLegs(j.cities, t.Order, j.opt.End.Closed())
	}
	if j.costs.Matrix == nil {
		resp.LengthKm, resp.LowerBoundKm = t.Length, t.LowerBound
		resp.Tour = make([]tsp.City, len(t.Order))
		for i, c := range t.Order {
			resp.Tour[i] = j.cities[c]
		}
	} else if j.costs.Names != nil {
		resp.Names = make([]string, len(t.Order))
		for i, c := range t.Order {
			resp.Names[i] = j.costs.Names[c]
		}
	}
	total := time.Since(arrived)
	resp.TotalMs = ms(total)
	resp.SoftDeadlineMet = total <= s.cfg.SoftDeadline
	addLog(r.Context(), slog.String("outcome", resp.Status), slog.Float64("length_km", t.Length))
	out.ok(resp)
}

// Streaming (issue 20): POST /api/solve?stream=1 answers, once the solve
// starts, 200 with Content-Type application/x-ndjson: one JSON object a
// line, flushed as it is written, {"progress": Progress} each time the
// search improves its route or its bound (at most every
// progressInterval), then one {"result": SolveResponse} or {"error":
// message, "status": the HTTP code it would have had}. Errors before the
// solve starts (bad input, busy) are plain answers as without stream.
// Closing the connection cancels the request's context, which stops the
// search.

// StreamProgress is one {"progress": ...} line of a streamed solve: the
// best route so far, as indices into the request's cities, its length,
// the proven lower bound (0: none yet) and the gap between them.
type StreamProgress struct {
	Length     float64 `json:"length"`
	LowerBound float64 `json:"lower_bound"`
	Gap        float64 `json:"gap"` // (length − lower bound) / length; 1 without a bound
	Nodes      uint64  `json:"nodes"`
	ElapsedMs  float64 `json:"elapsed_ms"`
	Order      []int   `json:"order"`
}

// StreamLine is one line of a streamed answer: exactly one field is set.
type StreamLine struct {
	Progress *StreamProgress `json:"progress,omitempty"`
	Result   *SolveResponse  `json:"result,omitempty"`
	Error    string          `json:"error,omitempty"`
	Status   int             `json:"status,omitempty"`
}

// progressInterval bounds the rate of a stream's progress lines.
const progressInterval = 100 * time.Millisecond

// answer writes the answer of a solve: one JSON document, or the end of a
// stream.
type answer struct {
	w      http.ResponseWriter
	stream bool
}

// startStream sends the stream's header and, when progress is true, sets
// opt to send progress lines. The progress callback runs on the goroutine
// that called Solve (this handler's), so it writes to w directly; a failed
// write (the client left) stops the search.
func (a *answer) startStream(ctx context.Context, opt *tsp.Options, progress bool) {
	a.stream = true
	h := a.w.Header()
	h.Set("Content-Type", "application/x-ndjson")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	a.w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(a.w)
	rc.Flush()
	if !progress {
		return
	}
	opt.ProgressOrder = true
	opt.ProgressInterval = progressInterval
	opt.Progress = func(p tsp.Progress) bool {
		line := StreamLine{Progress: &StreamProgress{Length: p.Length, LowerBound: p.LowerBound, Gap: p.Gap(),
			Nodes: p.Nodes, ElapsedMs: ms(p.Elapsed), Order: p.Order}}
		return a.line(line, rc) != nil || ctx.Err() != nil
	}
}

func (a *answer) line(l StreamLine, rc *http.ResponseController) error {
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	if _, err := a.w.Write(append(b, '\n')); err != nil {
		return err
	}
	return rc.Flush()
}

func (a *answer) error(code int, msg string) {
	if !a.stream {
		writeError(a.w, code, msg)
		return
	}
	a.line(StreamLine{Error: msg, Status: code}, http.NewResponseController(a.w))
}

func (a *answer) ok(resp SolveResponse) {
	if !a.stream {
		writeJSON(a.w, http.StatusOK, resp)
		return
	}
	a.line(StreamLine{Result: &resp}, http.NewResponseController(a.w))
}

// bigMatrix is the number of cities from which a solve's matrix (8 MB and
// more) is given back to the operating system at once after the solve.
const bigMatrix = 1000

// giveBack returns the freed memory to the operating system (a GC and a
// scavenge), in the background, one at a time: a matrix of 2,000 cities is
// 32 MB, which the runtime would otherwise keep for a while.
func (s *Server) giveBack() {
	if !s.freeing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer s.freeing.Store(false)
		debug.FreeOSMemory()
	}()
}

// solve runs j on the worker the caller holds. A panic in a backend
// becomes an error, not a lost worker.
func (s *Server) solve(ctx context.Context, j *job) (t tsp.Tour, m *tsp.Matrix, d time.Duration, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s panicked: %v", tsp.ErrKernel, j.backend, p)
		}
	}()
	if j.points != nil {
		// The coordinate path (issue 21): no n² matrix.
		popt := j.opt
		popt.Algorithm = j.opt.Algorithm.For(len(j.cities))
		t0 := time.Now()
		t, err = j.points.SolvePoints(ctx, tsp.CityPoints(j.cities), popt)
		return t, nil, time.Since(t0), err
	}
	m = j.costs.Matrix
	if m == nil {
		m, err = tsp.HaversineMatrix(j.cities) // inside the worker slot: it is n² memory and time
		if err != nil {
			return tsp.Tour{}, nil, 0, err
		}
	}
	t0 := time.Now()
	t, err = j.solver.Solve(ctx, m, j.opt)
	return t, m, time.Since(t0), err
}

// pointsProgress says whether a streamed solve on the coordinate path gets
// progress lines: it does since ABI 7 (tsp.SolvePoints calls
// Options.Progress on every backend), so streamed lists take the
// coordinate path at every size and show their progress. Set to false, a
// streamed list of at most MaxCities cities would take the matrix path
// for its progress and a longer one stream its answer alone (as before
// ABI 7).
const pointsProgress = true

// isHeuristic: a round trip with alg can take the coordinate path.
func isHeuristic(alg tsp.Algorithm) bool {
	return alg == tsp.Nearest || alg == tsp.TwoOpt || alg == tsp.Iterated
}

// cityLegs is the great-circle length of each leg of order, in order, and
// the leg back to order[0] when closed (none for one city).
func cityLegs(cities []tsp.City, order []int, closed bool) []float64 {
	legs := make([]float64, 0, len(order))
	for k := 1; k < len(order); k++ {
		legs = append(legs, tsp.Haversine(cities[order[k-1]], cities[order[k]]))
	}
	if closed && len(order) > 1 {
		legs = append(legs, tsp.Haversine(cities[order[len(order)-1]], cities[order[0]]))
	}
	return legs
}

// n is the number of cities of j.
func (j *job) n() int {
	if j.costs.Matrix != nil {
		return j.costs.Matrix.N()
	}
	return len(j.cities)
}

// busy answers 503 with a Retry-After of the expected wait, after
// tsphttp.BusyDelay.
func (s *Server) busy(w http.ResponseWriter, r *http.Request, e *tsphttp.BusyError) {
	tsphttp.HoldRefusal(r.Context(), e)
	addLog(r.Context(), slog.String("outcome", "rejected: busy"), slog.Int("retry_after_s", e.RetryAfterSeconds()))
	w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfterSeconds()))
	writeError(w, http.StatusServiceUnavailable, e.Msg)
}

// requestKeys are the keys of a SolveRequest, for messages.
const requestKeys = "cities or costs, backend, algorithm, start, end, deadline_ms"

// decodeRequest reads the body strictly, token by token: one JSON object
// with the keys of SolveRequest, spelled exactly, each at most once, and
// nothing after it. Errors are *badRequest, or an error of reading the
// body.
//
// fast and fastCosts, when set, are the cities or the cost matrix that
// fastRequest read, whose place in the body is a null.
func decodeRequest(dec *json.Decoder, maxMatrixCities int, fast []tsp.City, fastCosts *tsphttp.Costs) (SolveRequest, error) {
	var req SolveRequest
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return req, tokenError(err, true)
	}
	if tok != json.Delim('{') {
		return req, fail(http.StatusBadRequest, `the body must be a JSON object {"cities": [...], "backend": ..., "algorithm": ...}, got %s`, tsphttp.DescribeToken(tok))
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return req, tokenError(err, false)
		}
		key, _ := tok.(string) // the decoder allows only strings here
		switch key {
		case "cities", "costs", "backend", "algorithm", "start", "end", "deadline_ms":
		default:
			return req, fail(http.StatusBadRequest, "unknown field %.40q (want %s; keys are case-sensitive)", key, requestKeys)
		}
		if seen[key] {
			return req, fail(http.StatusBadRequest, "duplicate field %q", key)
		}
		seen[key] = true
		switch key {
		case "cities":
			if seen["costs"] {
				return req, fail(http.StatusBadRequest, `both "cities" and "costs": send one`)
			}
			if fast != nil { // read by fastRequest, which put null in their place
				if v, err := dec.Token(); err != nil || v != nil {
					return req, errSlowCities
				}
				req.Cities = fast
				continue
			}
			if req.Cities, err = tsp.DecodeCitiesJSON(dec); err != nil {
				return req, err
			}
			continue
		case "costs":
			if seen["cities"] {
				return req, fail(http.StatusBadRequest, `both "cities" and "costs": send one`)
			}
			if fastCosts != nil { // read by fastRequest, which put null in their place
				if v, err := dec.Token(); err != nil || v != nil {
					return req, errSlowCities
				}
				req.Costs = *fastCosts
				continue
			}
			if req.Costs, err = tsphttp.DecodeCosts(dec, maxMatrixCities); err != nil {
				if tsphttp.IsReadError(err) {
					return req, err
				}
				return req, fail(tsphttp.StatusFor(err), "costs: %s", strings.TrimPrefix(err.Error(), "tsp: "))
			}
			continue
		}
		v, err := dec.Token()
		if err != nil {
			return req, tokenError(err, false)
		}
		switch key {
		case "backend", "algorithm":
			str, ok := v.(string)
			if !ok {
				return req, fail(http.StatusBadRequest, "%s must be a string, got %s", key, tsphttp.DescribeToken(v))
			}
			if key == "backend" {
				req.Backend = str
			} else {
				req.Algorithm = str
			}
		case "end": // "start", "any" or a city index as a number
			str, isStr := v.(string)
			num, isNum := v.(json.Number)
			if isNum {
				str = string(num)
			}
			if isStr && str != "start" && str != "any" || !isStr && !isNum {
				return req, fail(http.StatusBadRequest, `end must be "start", "any" or a city index ≥ 0, got %s`, tsphttp.DescribeToken(v))
			}
			if req.End, err = tsphttp.ParseEnd(str); err != nil {
				return req, fail(http.StatusBadRequest, `end must be "start", "any" or a city index ≥ 0, got %s`, tsphttp.DescribeToken(v))
			}
		case "start", "deadline_ms":
			num, ok := v.(json.Number)
			i, err := strconv.ParseInt(string(num), 10, 64)
			if !ok || err != nil {
				return req, fail(http.StatusBadRequest, "%s must be an integer, got %s", key, tsphttp.DescribeToken(v))
			}
			switch {
			case key == "start":
				req.Start = int(max(-1, min(i, 1<<30)))
			case i < 1:
				return req, fail(http.StatusBadRequest, "deadline_ms must be at least 1, got %d", i)
			default:
				req.DeadlineMs = i
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return req, tokenError(err, false)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil && tsphttp.IsReadError(err) {
			return req, err
		}
		return req, fail(http.StatusBadRequest, "unexpected data after the JSON object")
	}
	return req, nil
}

// errSlowCities: decodeRequest did not find the null that fastRequest put
// in the place of the cities.
var errSlowCities = errors.New("read the cities with tsp.DecodeCitiesJSON")

// fastRequest decodes body with its cities or its cost matrix read in
// place by the library's fast readers (tsphttp.FastCities: 100,000 cities
// in about 0.1 s instead of 1.3 s, and no copy of them; tsphttp.FastCosts:
// a matrix of 2,000 cities in about 1 s instead of 7 at load 6): it finds
// the value of "cities" or "costs" (after keys with scalar values only),
// reads it, and decodes the rest with decodeRequest as if the value were
// null. ok is false on any error or anything unexpected: the caller
// decodes the body again the slow way, for its answer; err is set for the
// one error the slow way cannot see (a cost matrix's name that is not
// valid UTF-8), the answer then.
func fastRequest(body []byte, maxMatrixCities int) (SolveRequest, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return SolveRequest{}, false, nil
	}
	p, key := -1, ""
	for p < 0 && dec.More() {
		t, err := dec.Token()
		if err != nil {
			return SolveRequest{}, false, nil
		}
		if t == "cities" || t == "costs" {
			key = t.(string)
			rest := bytes.TrimLeft(body[dec.InputOffset():], " \t\r\n")
			if len(rest) == 0 || rest[0] != ':' {
				return SolveRequest{}, false, nil
			}
			p = len(body) - len(bytes.TrimLeft(rest[1:], " \t\r\n"))
			break
		}
		if v, err := dec.Token(); err != nil || v == json.Delim('[') || v == json.Delim('{') {
			return SolveRequest{}, false, nil
		}
	}
	if p < 0 {
		return SolveRequest{}, false, nil
	}
	var cs []tsp.City
	var costs *tsphttp.Costs
	var rest []byte
	ok := false
	if key == "cities" {
		cs, rest, ok = tsphttp.FastCities(body[p:])
	} else {
		var c tsphttp.Costs
		var err error
		if c, rest, ok, err = tsphttp.FastCosts(body[p:], maxMatrixCities); err != nil {
			// a name that is not valid UTF-8, which DecodeCosts cannot see
			return SolveRequest{}, false, fail(tsphttp.StatusFor(err), "costs: %s", strings.TrimPrefix(err.Error(), "tsp: "))
		}
		costs = &c
	}
	if !ok {
		return SolveRequest{}, false, nil
	}
	dec = json.NewDecoder(io.MultiReader(bytes.NewReader(body[:p]), strings.NewReader("null"), bytes.NewReader(rest)))
	req, err := decodeRequest(dec, maxMatrixCities, cs, costs)
	return req, err == nil, nil
}

// parse reads and validates the body. Its errors are *badRequest. The body
// is read into memory (at most MaxBody, in a buffer of its declared size)
// and decoded with its cities or its cost matrix read by the library's fast
// readers (fastRequest); when they do not take them, it is decoded again
// with tsp.DecodeCitiesJSON or tsphttp.DecodeCosts, whose errors are the
// answer.
func (s *Server) parse(w http.ResponseWriter, r *http.Request) (*job, error) {
	body, err := tsphttp.ReadBody(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody), r.ContentLength, s.cfg.MaxBody)
	if err != nil {
		return nil, decodeError(err)
	}
	req, ok, err := fastRequest(body, s.cfg.MaxMatrixCities)
	if err != nil {
		return nil, err
	}
	if !ok {
		req, err = decodeRequest(json.NewDecoder(bytes.NewReader(body)), s.cfg.MaxMatrixCities, nil, nil)
	}
	if err != nil {
		return nil, decodeError(err)
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
		return nil, fail(http.StatusBadRequest, "unknown backend %.40q (want one of %s)", req.Backend, strings.Join(names, ", "))
	}
	if b.Solver == nil {
		return nil, fail(http.StatusUnprocessableEntity, "backend %s is unavailable on this server: %s", b.Name, unavailable(b))
	}
	if req.Algorithm == "" {
		req.Algorithm = tsp.Auto.String()
	}
	alg, err := tsp.ParseAlgorithm(req.Algorithm)
	if err != nil {
		return nil, fail(http.StatusBadRequest, "%s", strings.TrimPrefix(err.Error(), "tsp: "))
	}
	deadline := s.cfg.Deadline
	if req.DeadlineMs != 0 { // decodeRequest refuses 0 and less
		if req.DeadlineMs > s.cfg.Deadline.Milliseconds() {
			return nil, fail(http.StatusBadRequest, "deadline_ms %d out of range: want 1 to %d (the server's deadline)", req.DeadlineMs, s.cfg.Deadline.Milliseconds())
		}
		deadline = time.Duration(req.DeadlineMs) * time.Millisecond
	}
	n, limit, symmetric, what := len(req.Cities), s.cfg.MaxCities, true, ""
	if req.Costs.Matrix != nil {
		n, limit, symmetric = req.Costs.Matrix.N(), s.cfg.MaxMatrixCities, req.Costs.Matrix.Symmetric()
		if !symmetric {
			what = " on an asymmetric matrix"
		}
	}
	if n == 0 {
		return nil, fail(http.StatusBadRequest, "no cities: send at least one in \"cities\", or a cost matrix in \"costs\"")
	}
	// A round trip with a heuristic takes the coordinate path on a backend
	// that has one: no matrix, MaxPointsCities. A streamed one of at most
	// MaxCities cities takes the matrix path, for its progress.
	ps := s.points[b.Name]
	if req.Costs.Matrix != nil || !req.End.Closed() || !isHeuristic(alg.For(n)) ||
		r.URL.Query().Get("stream") == "1" && n <= s.cfg.MaxCities && !pointsProgress {
		ps = nil
	}
	if ps != nil {
		if n > s.cfg.MaxPointsCities {
			return nil, fail(http.StatusUnprocessableEntity, "too many cities for %s: %d, at most %d", alg.For(n), n, s.cfg.MaxPointsCities)
		}
	} else if max := min(tsp.MaxCitiesFor(alg.For(n), req.End, symmetric), limit); n > max {
		return nil, fail(http.StatusUnprocessableEntity, "too many cities for %s%s: %d, at most %d%s", alg.For(n), what, n, max, s.whyMatrix(b.Name, alg.For(n), req))
	}
	if req.Start < 0 || req.Start >= n {
		return nil, fail(http.StatusBadRequest, "start %d out of range: want 0 to %d", req.Start, n-1)
	}
	if e, ok := req.End.City(); ok && (e >= n || e == req.Start && n > 1) {
		return nil, fail(http.StatusBadRequest, `end %d: want a city from 0 to %d other than start (end "start" is a round trip)`, e, n-1)
	}
	// The cities were checked while decoding. Iterated makes a fixed number
	// of kicks, not the whole deadline: what the estimate prices.
	opt := tsp.Options{Start: req.Start, Algorithm: alg, End: req.End}
	if alg.For(n) == tsp.Iterated {
		opt.Budget = tsp.DefaultBudget(n)
	}
	return &job{backend: b.Name, solver: b.Solver, cities: req.Cities, costs: req.Costs, points: ps, opt: opt, deadline: deadline}, nil
}

// whyMatrix says, for the message of a city list over the matrix path's
// limit, why it did not take the coordinate path, which takes more.
func (s *Server) whyMatrix(backend string, alg tsp.Algorithm, req SolveRequest) string {
	switch {
	case req.Costs.Matrix != nil, s.cfg.MaxPointsCities <= s.cfg.MaxCities:
		return ""
	case s.points[backend] == nil:
		return fmt.Sprintf(" (%s solves distance matrices only; the other backends take round trips with nearest, 2opt or iterated from coordinates, up to %d cities)", backend, s.cfg.MaxPointsCities)
	case !isHeuristic(alg):
		return fmt.Sprintf(" (%s needs the distance matrix; round trips with nearest, 2opt or iterated take up to %d cities from coordinates)", alg, s.cfg.MaxPointsCities)
	case !req.End.Closed():
		return fmt.Sprintf(" (a route with an end needs the distance matrix; round trips take up to %d cities from coordinates)", s.cfg.MaxPointsCities)
	}
	return ""
}

// tokenError turns an error of dec.Token outside the cities into an
// answer; first: nothing was read yet.
func tokenError(err error, first bool) error {
	var syntax *json.SyntaxError
	switch {
	case tsphttp.IsReadError(err):
		return err
	case errors.As(err, &syntax):
		return fail(http.StatusBadRequest, "malformed JSON at byte %d: %v", syntax.Offset, err)
	case err == io.EOF && first:
		return fail(http.StatusBadRequest, `empty body: send a JSON object {"cities": [...], "backend": ..., "algorithm": ...}`)
	case err == io.EOF, errors.Is(err, io.ErrUnexpectedEOF):
		return fail(http.StatusBadRequest, "malformed JSON: the body ends early")
	}
	return fail(http.StatusBadRequest, "malformed JSON") // a number out of range, say
}

// decodeError turns an error of decodeRequest into an answer.
func decodeError(err error) error {
	var br *badRequest
	switch {
	case errors.As(err, &br):
		return br
	case errors.Is(err, tsp.ErrInvalidInput): // the cities, from the library's reader
		return fail(tsphttp.StatusFor(err), "cities: %s", strings.TrimPrefix(err.Error(), "tsp: "))
	}
	return &badRequest{code: tsphttp.StatusFor(err), msg: tsphttp.MessageFor(err)} // reading the body failed
}
