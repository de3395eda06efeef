// Package tsphttp is the smallest useful HTTP front end of
// github.com/ffi4go/tsp that is safe to expose: POST a JSON array of cities,
// or a cost matrix, get the route back as JSON. It uses only the library and the standard
// library; copy the folder into your app.
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
//	curl -H 'Content-Type: application/json' \
//	    -d '[{"name":"a","lat":48.86,"lon":2.35},{"name":"b","lat":52.52,"lon":13.4},{"name":"c","lat":51.51,"lon":-0.13}]' \
//	    'http://127.0.0.1:8081/tour?algorithm=exact&start=0'
//
// The answer is {"tour":[cities in visiting order],"order":[indices],
// "length_km":…,"status":"optimal|heuristic|stopped","algorithm":"exact"}.
// The query parameters are optional, and no other is allowed: algorithm is
// auto, exhaustive, exact, nearest, 2opt or iterated (default auto: exact up
// to tsp.AutoExactMax cities, iterated above, with tsp.DefaultBudget kicks),
// start the index of the first city
// (default 0), end where the route ends (start: back to start, the default;
// any: an open path, ending wherever it is shortest; or a city index, not
// start; a path's length_km has no way back) and deadline_ms the deadline
// of the search in milliseconds, at most the Handler's Timeout (the
// default).
//
// Or POST a cost matrix, what a routing service (OSRM's table, Valhalla's
// matrix) answers, driving seconds or metres, asymmetric where streets are
// one-way: row i holds the costs from city i to every city, "names" is
// optional.
//
//	curl -H 'Content-Type: application/json' \
//	    -d '{"names":["depot","a","b"],"matrix":[[0,7,9],[6,0,4],[8,5,0]]}' \
//	    'http://127.0.0.1:8081/tour?end=any'
//
// The answer is {"names":[in visiting order],"order":[indices],"legs":[the
// cost of each leg],"length":…,"path":true,"status":…,"algorithm":…}
// (MatrixResponse), in the matrix's unit; a round trip's last leg goes back
// to start, a path has none. The matrix is read into memory (at most
// MaxMatrixBytes) and by the library's fast cost reader (FastCosts, with
// MaxMatrixCities checked while reading) or, for anything that declines,
// DecodeCosts, which gives the error. The first byte of the body tells the
// two apart: [ a city list, { a matrix.
//
// The body must be Content-Type application/json; a browser request from
// another origin is refused (http.CrossOriginProtection), so that no web
// page can make its visitors' browsers spend the server's CPU. A city list
// is read into memory (at most MaxBytes) and by the library's city reader,
// its fast path (FastCities) or, for anything that declines,
// tsp.DecodeCitiesJSON, which gives the error: every city needs "lat" and
// "lon", "name" is optional (at most
// tsp.MaxNameBytes), any other field is an error, keys are matched exactly,
// coordinates are checked, and nothing may follow the array.
//
// Load: a body whose declared Content-Length is over MaxBytes is refused
// before it is read (the larger of MaxBytes and MaxMatrixBytes, until the
// first byte tells which applies), and so is a large body (over 8 KiB) while expensive
// solves are refused; large bodies are read one at a time (BodyBudget). Then the cost of the solve is estimated
// (Estimate: algorithm × cities × deadline) and the solve waits for a
// worker in its lane (Lanes): cheap solves have a worker of their own and
// never wait behind expensive ones; an expensive solve whose expected wait
// is over the queue timeout is refused with 503 and a Retry-After of that
// wait, after BusyDelay (250 ms), so that clients that retry at once cannot
// make refusals a load of their own. An asymmetric matrix is priced for
// exact as 2n cities, the problem the library solves (EstimateMatrix). The distance matrix of cities is built only once
// the solve holds a worker, so memory is bounded by Workers × 8·MaxCities²
// bytes; a cost matrix is read before (at most MaxMatrixCities, checked
// while reading) and waits with its request, 8·MaxMatrixCities² bytes each.
//
// The search runs under the request's context with the deadline on top: a
// client that hangs up stops it, and a search that reaches the deadline
// answers 200 with the best tour found so far and status "stopped". Errors
// are JSON {"error":"…"}: 400 for bad input (an error matching
// tsp.ErrInvalidInput: malformed JSON, missing or unknown fields, invalid
// values, a bad query), 403 a cross-origin browser request, 405 a method
// other than POST, 408 a body that does not arrive within the server's
// ReadTimeout, 413 a body over MaxBytes, 415 a body that is not JSON, 422
// more cities than the algorithm, MaxCities or MaxMatrixCities allows, 503 busy (with
// Retry-After). Any other error is a 500.
package tsphttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/ffi4go/tsp"
)

// Handler solves the cities or the cost matrix POSTed to it. The zero value is ready to use,
// with the defaults below; set the fields before the first request. A
// Handler is safe for concurrent use.
//
// Sizing: memory is about Workers × 8·MaxCities² bytes of distance
// matrices (2 workers × 1,000 cities: 16 MB) plus LargeBodies × MaxBytes
// and 1 MiB of small bodies being read; cost matrices take 8·MaxMatrixCities²
// bytes each from their reading to their answer, for those read, waiting
// (Queue in each lane) and solving: 0.5 MB each with the defaults, 64 MB
// if both queues of 64 are full of the largest (set Queue or
// MaxMatrixCities lower if that is too much); CPU is Workers cores for solving,
// plus decoding. Give Workers the cores
// you can spare for solving; one of them is kept for cheap solves.
type Handler struct {
	Solver tsp.Solver // nil: tsp.Go(), the pure-Go backend
	// PointsSolver solves city lists from their coordinates, without a
	// matrix (round trips with a heuristic: issue 21). nil: tsp.GoPoints()
	// when Solver is nil too, else city lists take Solver's matrix path.
	PointsSolver tsp.PointsSolver
	Timeout      time.Duration // deadline of a search, the most a client may ask; 0: 10 s
	MaxCities    int           // 0: 1,000 (the matrix takes n²·8 bytes)
	// MaxPointsCities is the most cities of a list solved from its
	// coordinates (a round trip with nearest, 2opt, iterated, or auto above
	// tsp.AutoExactMax, when there is a PointsSolver): memory O(n), time
	// O(n log n) plus the search, which the deadline stops. 0:
	// DefaultMaxPointsCities (2.56 MB of body by default), at most
	// tsp.MaxCities; MaxCities where city lists take the matrix path.
	MaxPointsCities int
	MaxBytes        int64         // largest body accepted; 0: 128 bytes a city of the larger of MaxCities and MaxPointsCities
	Workers         int           // solves at once; 0: GOMAXPROCS, at least 2 (one for cheap solves)
	Queue           int           // requests waiting for a worker, in each lane; 0: 64
	QueueTimeout    time.Duration // longest wait for a worker; 0: Timeout + 1 s, so that one full-deadline solve may be ahead
	LargeBodies     int           // bodies over 8 KiB read at once; 0: 1 (see BodyBudget)

	// Cost matrices {"names": [...], "matrix": [[...]]} have limits of their
	// own: their body is n² numbers, and their matrix is read (8·n² bytes)
	// before the solve waits for a worker.
	MaxMatrixCities int   // 0: 250 (OSRM's table service takes 100 by default)
	MaxMatrixBytes  int64 // 0: BytesPerCost a value and BytesPerCity a name: 1,032,000 bytes for 250 cities

	once   sync.Once
	lanes  *Lanes
	bodies *BodyBudget
	csrf   *http.CrossOriginProtection
	limits limits
}

type limits struct {
	timeout         time.Duration
	maxCities       int
	maxPointsCities int
	maxBytes        int64

	maxMatrixCities int
	maxMatrixBytes  int64
}

// DefaultMaxPointsCities is MaxPointsCities' default: 20,000 cities, a
// body of at most 2.56 MB. At 100,000 (12.8 MB bodies) a flood of 64
// clients posting the largest body (examples/load -fair, "handler body")
// made a cheap request's p99 72 ms and the server's RSS 142 MB, against
// issue 14's 50 ms and 100 MB; a server that wants more sets it.
const DefaultMaxPointsCities = 20_000

// pointsSolver is the solver of city lists from coordinates: PointsSolver,
// tsp.GoPoints() when neither solver is set, nil when only Solver is.
func (h *Handler) pointsSolver() tsp.PointsSolver {
	if h.PointsSolver == nil && h.Solver == nil {
		return tsp.GoPoints()
	}
	return h.PointsSolver
}

// BytesPerCity is what MaxBytes allows a city by default: a city with a
// name of 60 bytes and coordinates of full float64 precision.
const BytesPerCity = 128

func (h *Handler) init() {
	l := limits{timeout: h.Timeout, maxCities: h.MaxCities, maxBytes: h.MaxBytes}
	if l.timeout <= 0 {
		l.timeout = 10 * time.Second
	}
	if l.maxCities <= 0 {
		l.maxCities = 1000
	}
	l.maxPointsCities = h.MaxPointsCities
	if l.maxPointsCities <= 0 {
		l.maxPointsCities = DefaultMaxPointsCities
	}
	l.maxPointsCities = min(l.maxPointsCities, tsp.MaxCities)
	if h.pointsSolver() == nil {
		l.maxPointsCities = l.maxCities // city lists take the matrix path
	}
	if l.maxBytes <= 0 {
		l.maxBytes = BytesPerCity * int64(max(l.maxCities, l.maxPointsCities))
	}
	l.maxMatrixCities, l.maxMatrixBytes = h.MaxMatrixCities, h.MaxMatrixBytes
	if l.maxMatrixCities <= 0 {
		l.maxMatrixCities = 250
	}
	if l.maxMatrixBytes <= 0 {
		n := int64(l.maxMatrixCities)
		l.maxMatrixBytes = BytesPerCost*n*n + BytesPerCity*n
	}
	qt := h.QueueTimeout
	if qt <= 0 {
		qt = l.timeout + time.Second
	}
	h.limits = l
	h.lanes = NewLanes(LanesConfig{Workers: h.Workers, Queue: h.Queue, QueueTimeout: qt})
	h.bodies = &BodyBudget{Large: h.LargeBodies}
	h.csrf = http.NewCrossOriginProtection()
}

// Stats returns what runs and waits right now, and the bytes of bodies
// being read.
func (h *Handler) Stats() (LaneStats, int64) {
	h.once.Do(h.init)
	return h.lanes.Stats(), h.bodies.InFlight()
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
	h.once.Do(h.init)
	lim := h.limits
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "use POST with a JSON array of cities")
		return
	}
	bodyMax := max(lim.maxBytes, lim.maxMatrixBytes) // until the first byte tells which
	if code, msg := CheckPost(h.csrf, r, bodyMax); code != 0 {
		writeError(w, code, msg)
		return
	}
	opt, deadline, err := parseQuery(r, lim.timeout)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}

	// Admission before the body is read: a large body is presumed expensive
	// and refused while the heavy lane is full; then its declared size
	// against the budget.
	size := declared(r, bodyMax)
	if busy := h.lanes.HeavyFull(); busy != nil && !h.bodies.IsSmall(size) {
		w.Header().Set("Connection", "close") // rather than read the body to reuse the connection
		writeBusy(w, r, busy)
		return
	}
	release, ok := h.bodies.Reserve(r.Context(), size)
	if !ok {
		w.Header().Set("Connection", "close")
		writeBusy(w, r, &BusyError{RetryAfter: time.Second, Msg: "server busy: too many request bodies being read, retry later"})
		return
	}
	// The first byte tells a city list ([) from a cost matrix ({); each has
	// its limit of bytes.
	body, first, err := sniff(r.Body)
	if err != nil {
		release()
		writeFailure(w, err)
		return
	}
	maxBytes := lim.maxBytes
	if first == '{' {
		maxBytes = lim.maxMatrixBytes
	}
	if r.ContentLength > maxBytes {
		release()
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", maxBytes))
		return
	}
	limited := http.MaxBytesReader(w, io.NopCloser(body), maxBytes)
	dec := json.NewDecoder(limited)
	var cities []tsp.City
	var costs Costs
	if first == '{' {
		// A cost matrix is read into memory (at most maxBytes), then by the
		// library's fast reader (FastCosts); anything it does not take is
		// read again by DecodeCosts, whose errors are the answer.
		var data []byte
		if data, err = ReadBody(limited, r.ContentLength, maxBytes); err == nil {
			c, rest, ok, ferr := FastCosts(data, lim.maxMatrixCities)
			switch {
			case ferr != nil:
				err = ferr
			case ok && len(skipSpaceBytes(rest)) == 0:
				costs, dec = c, json.NewDecoder(bytes.NewReader(nil)) // at its end
			default:
				dec = json.NewDecoder(bytes.NewReader(data))
				dec.UseNumber()
				costs, err = DecodeCosts(dec, lim.maxMatrixCities)
			}
		}
	} else {
		// A city list is read into memory (at most maxBytes), then by the
		// library's fast reader (FastCities); anything it does not take is
		// read again by tsp.DecodeCitiesJSON, whose errors are the answer.
		var data []byte
		if data, err = ReadBody(limited, r.ContentLength, maxBytes); err == nil {
			cs, rest, ok := FastCities(data)
			if ok && len(skipSpaceBytes(rest)) == 0 {
				cities, dec = cs, json.NewDecoder(bytes.NewReader(nil)) // at its end
			} else {
				dec = json.NewDecoder(bytes.NewReader(data))
				cities, err = tsp.DecodeCitiesJSON(dec)
			}
		}
	}
	if err == nil {
		if _, err = dec.Token(); err == io.EOF {
			err = nil
		} else if !IsReadError(err) {
			err = fmt.Errorf("%w: unexpected data after the JSON value", tsp.ErrSyntax)
		}
	}
	release()
	if err != nil {
		writeFailure(w, err)
		return
	}

	// Limits before any work: the matrix of too many cities is never built.
	n, maxN, symmetric := len(cities), lim.maxCities, true
	if costs.Matrix != nil {
		n, maxN, symmetric = costs.Matrix.N(), lim.maxMatrixCities, costs.Matrix.Symmetric()
	}
	alg := opt.Algorithm.For(n)
	ps := h.pointsSolver()
	points := costs.Matrix == nil && ps != nil && opt.End.Closed() && (alg == tsp.Nearest || alg == tsp.TwoOpt || alg == tsp.Iterated)
	if points {
		maxN = lim.maxPointsCities // no matrix: the coordinate path (issue 21)
	}
	if n > maxN {
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("%d cities, at most %d", n, maxN))
		return
	}
	if max := tsp.MaxCitiesFor(alg, opt.End, symmetric); n > max && !points {
		kind := ""
		if !symmetric {
			kind = " on an asymmetric matrix"
		}
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("too many cities for %s%s: %d, at most %d", alg, kind, n, max))
		return
	}
	if opt.Start >= n {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("start out of range: %d, want 0 to %d", opt.Start, n-1))
		return
	}
	if e, ok := opt.End.City(); ok && (e >= n || e == opt.Start && n > 1) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("end %d: want a city from 0 to %d other than start (end=start is a round trip)", e, n-1))
		return
	}
	if alg == tsp.Iterated {
		// A fixed number of kicks, not the whole deadline: the cost Estimate
		// prices, and the same tour for the same request.
		opt.Budget = tsp.DefaultBudget(n)
	}

	cost := EstimateMatrix(alg, n, symmetric, deadline)
	if points {
		cost = EstimatePoints(alg, n, deadline)
	}
	slot, err := h.lanes.Acquire(r.Context(), Job{Cost: cost, Algorithm: alg.String(), Cities: n})
	var busy *BusyError
	switch {
	case errors.As(err, &busy):
		writeBusy(w, r, busy)
		return
	case err != nil:
		return // the client is gone
	}
	defer slot.Release()
	m := costs.Matrix
	var t tsp.Tour
	if points {
		// The coordinate path: no n² matrix.
		ctx, cancel := context.WithTimeout(r.Context(), slot.Deadline(deadline))
		popt := opt
		popt.Algorithm = alg
		t, err = ps.SolvePoints(ctx, tsp.CityPoints(cities), popt)
		cancel()
	} else {
		t, err = h.solveMatrix(r.Context(), slot, deadline, m, cities, opt)
	}
	slot.Release() // the worker is free while the answer is written
	h.answer(w, r, t, err, cities, costs, opt)
}

// solveMatrix is the matrix path of ServeHTTP: the haversine matrix of
// cities unless m is given, then Solver.
func (h *Handler) solveMatrix(rctx context.Context, slot *Slot, deadline time.Duration, m *tsp.Matrix, cities []tsp.City, opt tsp.Options) (tsp.Tour, error) {
	if m == nil {
		var err error
		m, err = tsp.HaversineMatrix(cities) // inside the worker: it is n² memory and time
		if err != nil {
			return tsp.Tour{}, err
		}
	}
	solver := h.Solver
	if solver == nil {
		solver = tsp.Go()
	}
	ctx, cancel := context.WithTimeout(rctx, slot.Deadline(deadline))
	defer cancel()
	return solver.Solve(ctx, m, opt)
}

// answer writes the tour t (or the error err) of the request.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, t tsp.Tour, err error, cities []tsp.City, costs Costs, opt tsp.Options) {
	switch {
	case err == nil, t.Status == tsp.Stopped && errors.Is(err, context.DeadlineExceeded):
		// a stopped search still has the best tour found: answer it
	case r.Context().Err() != nil:
		return // the client is gone
	default:
		writeFailure(w, err)
		return
	}
	if costs.Matrix != nil {
		writeJSON(w, http.StatusOK, matrixResponse(t, costs, opt.End))
		return
	}
	resp := Response{Order: t.Order, LengthKm: t.Length, Status: t.Status.String(), Algorithm: t.Algorithm.String()}
	for _, i := range t.Order {
		resp.Tour = append(resp.Tour, cities[i])
	}
	writeJSON(w, http.StatusOK, resp)
}

// MatrixResponse is the JSON answer to a cost matrix.
type MatrixResponse struct {
	Names     []string  `json:"names,omitempty"` // the cities' names in visiting order, when the matrix has names
	Order     []int     `json:"order"`           // the route as indices into the matrix, from start to its end
	Legs      []float64 `json:"legs"`            // the cost of each leg; a round trip's last leg goes back to start
	Length    float64   `json:"length"`          // the sum of the legs, in the matrix's unit
	Path      bool      `json:"path"`            // the route does not return to start (end=any or a city)
	Status    string    `json:"status"`
	Algorithm string    `json:"algorithm"`
}

func matrixResponse(t tsp.Tour, c Costs, end tsp.End) MatrixResponse {
	resp := MatrixResponse{Order: t.Order, Length: t.Length, Path: !end.Closed(), Status: t.Status.String(), Algorithm: t.Algorithm.String(),
		Legs: Legs(c.Matrix, t.Order, end.Closed())}
	if c.Names != nil {
		for _, i := range t.Order {
			resp.Names = append(resp.Names, c.Names[i])
		}
	}
	return resp
}

// Legs is the cost of each leg of order on m, in order, and the leg back to
// order[0] when closed (none for one city).
func Legs(m *tsp.Matrix, order []int, closed bool) []float64 {
	legs := []float64{}
	for k := 1; k < len(order); k++ {
		legs = append(legs, m.At(order[k-1], order[k]))
	}
	if closed && len(order) > 1 {
		legs = append(legs, m.At(order[len(order)-1], order[0]))
	}
	return legs
}

// ReadBody reads r, at most limit bytes (r enforces it: an
// http.MaxBytesReader), into a buffer of the declared size when there is
// one, so that a large body is not copied as the buffer grows.
func ReadBody(r io.Reader, declared, limit int64) ([]byte, error) {
	n := int64(512)
	if declared > 0 {
		n = min(declared, limit) + 1 // +1: the read that sees the end
	}
	buf := make([]byte, 0, n)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		k, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func skipSpaceBytes(b []byte) []byte { return b[skipSpace(b, 0):] }

// maxLeadingSpace is the most white space sniff skips before the first
// byte of the JSON value.
const maxLeadingSpace = 4 << 10

// sniff reads r up to the first byte that is not JSON white space, and
// returns a reader of everything (that byte included) and the byte; 0 for
// an empty body, which the decoders then refuse.
func sniff(r io.Reader) (io.Reader, byte, error) {
	var prefix []byte
	b := make([]byte, 1)
	for len(prefix) <= maxLeadingSpace {
		k, err := r.Read(b)
		if k == 1 {
			prefix = append(prefix, b[0])
			switch b[0] {
			case ' ', '\t', '\n', '\r':
				continue
			}
			return io.MultiReader(bytes.NewReader(prefix), r), b[0], nil
		}
		if err == io.EOF {
			return bytes.NewReader(prefix), 0, nil
		}
		if err != nil {
			return nil, 0, err
		}
	}
	return nil, 0, fmt.Errorf("%w: more than %d bytes of white space before the JSON value", tsp.ErrSyntax, maxLeadingSpace)
}

// parseQuery reads the query strictly: algorithm, start and deadline_ms,
// each at most once, nothing else.
func parseQuery(r *http.Request, timeout time.Duration) (opt tsp.Options, deadline time.Duration, err error) {
	deadline = timeout
	q := r.URL.Query()
	for k, v := range q {
		if len(v) > 1 {
			return opt, 0, fmt.Errorf("%w: query parameter %.40q given %d times", tsp.ErrInvalidInput, k, len(v))
		}
		s := v[0]
		switch k {
		case "algorithm":
			if opt.Algorithm, err = tsp.ParseAlgorithm(s); err != nil {
				return opt, 0, err
			}
		case "start":
			if opt.Start, err = strconv.Atoi(s); err != nil || opt.Start < 0 {
				return opt, 0, fmt.Errorf("%w: start: want an integer ≥ 0, got %.40q", tsp.ErrInvalidInput, s)
			}
		case "end":
			if opt.End, err = ParseEnd(s); err != nil {
				return opt, 0, err
			}
		case "deadline_ms":
			ms, err := strconv.ParseInt(s, 10, 64)
			if err != nil || ms < 1 || ms > timeout.Milliseconds() {
				return opt, 0, fmt.Errorf("%w: deadline_ms: want an integer from 1 to %d, got %.40q", tsp.ErrInvalidInput, timeout.Milliseconds(), s)
			}
			deadline = time.Duration(ms) * time.Millisecond
		default:
			return opt, 0, fmt.Errorf("%w: unknown query parameter %.40q (want algorithm, start, end, deadline_ms)", tsp.ErrInvalidInput, k)
		}
	}
	return opt, deadline, nil
}

// ParseEnd reads the end of a route: "start" (a round trip), "any" (an
// open path) or the index of a city, a decimal integer ≥ 0. Whether the
// index is a city other than the start is for the caller to check.
func ParseEnd(s string) (tsp.End, error) {
	switch s {
	case "start":
		return tsp.ReturnToStart, nil
	case "any":
		return tsp.EndAnywhere, nil
	}
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 {
		return tsp.End{}, fmt.Errorf("%w: end: want start, any or a city index ≥ 0, got %.40q", tsp.ErrInvalidInput, s)
	}
	return tsp.EndAt(i), nil
}

// CheckPost checks a POST before its body is read, and returns the status
// and message of the refusal, or 0: a cross-origin browser request is
// refused (403, by csrf), so is a body that is not application/json (415)
// and a declared Content-Length over maxBytes (413).
func CheckPost(csrf *http.CrossOriginProtection, r *http.Request, maxBytes int64) (int, string) {
	if err := csrf.Check(r); err != nil {
		return http.StatusForbidden, "cross-origin request refused: post from the page's own origin"
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return http.StatusUnsupportedMediaType, "the body must be JSON: send Content-Type: application/json"
	}
	for k, v := range params {
		if k != "charset" || (v != "utf-8" && v != "UTF-8") {
			return http.StatusUnsupportedMediaType, "the body must be JSON in UTF-8: Content-Type: application/json or application/json; charset=utf-8"
		}
	}
	if r.ContentLength > maxBytes {
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", maxBytes)
	}
	return 0, ""
}

// declared is the size to reserve for r's body: its Content-Length, or
// maxBytes when it declares none.
func declared(r *http.Request, maxBytes int64) int64 {
	if r.ContentLength >= 0 {
		return min(r.ContentLength, maxBytes)
	}
	return maxBytes
}

// StatusFor is the HTTP status of an error: 413 for a body over the limit,
// 408 for a body that did not arrive in time, 422 for too many cities
// (tsp.ErrTooLarge), 400 for any other bad input (tsp.ErrInvalidInput) or
// a body that could not be read, 500 for anything else. The route planner
// page (examples/jumper) maps its errors with it too.
func StatusFor(err error) int {
	switch {
	case errors.As(err, new(*http.MaxBytesError)):
		return http.StatusRequestEntityTooLarge
	case isTimeout(err):
		return http.StatusRequestTimeout
	case errors.Is(err, tsp.ErrTooLarge):
		return http.StatusUnprocessableEntity
	case errors.Is(err, tsp.ErrInvalidInput), IsReadError(err):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// MessageFor is the message of an error answer: the library's message for
// bad input, and a generic one for a body that could not be read (the
// network error names addresses and ports).
func MessageFor(err error) string {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return fmt.Sprintf("request body over %d bytes", tooBig.Limit)
	case isTimeout(err):
		return "the request body did not arrive in time"
	case errors.Is(err, tsp.ErrInvalidInput):
		return err.Error()
	case IsReadError(err):
		return "the request body could not be read"
	}
	return err.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// IsReadError reports whether err is a failure to read the request body
// (over the limit, too slow, the connection broken), not a problem of its
// content.
func IsReadError(err error) bool {
	if err == nil || errors.Is(err, tsp.ErrInvalidInput) {
		return false
	}
	var ne net.Error
	return errors.As(err, new(*http.MaxBytesError)) || errors.As(err, &ne) || errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, http.ErrBodyReadAfterClose)
}

// writeFailure answers err with its status and message.
func writeFailure(w http.ResponseWriter, err error) {
	writeError(w, StatusFor(err), MessageFor(err))
}

// writeBusy answers 503 with Retry-After, after BusyDelay.
func writeBusy(w http.ResponseWriter, r *http.Request, e *BusyError) {
	HoldRefusal(r.Context(), e)
	w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfterSeconds()))
	writeError(w, http.StatusServiceUnavailable, e.Msg)
}

// HoldRefusal waits BusyDelay, at most e's Retry-After, or until ctx ends.
func HoldRefusal(ctx context.Context, e *BusyError) {
	t := time.NewTimer(min(BusyDelay, time.Duration(e.RetryAfterSeconds())*time.Second))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
