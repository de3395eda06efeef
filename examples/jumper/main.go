// Command jumper serves the TSP Jumper page: tick cities, solve them with
// every backend and algorithm of github.com/ffi4go/tsp, and compare the
// results side by side.
//
//	go -C examples run ./jumper                  # http://127.0.0.1:8080
//	go -C examples run ./jumper -addr 127.0.0.1:9090 -deadline 5s -pprof
//
// -pprof serves net/http/pprof, which shows the server's internals and can
// be made to spend its CPU: it is refused unless -addr is a loopback
// address (127.0.0.1, [::1] or localhost). To serve the page on every
// interface, use -addr :8080 without -pprof.
//
// The purego backends load libtsp_c.so and libtsp_cpp.so from -lib, else
// $TSP_LIB_PATH, else the executable's directory; without them those
// backends are listed as unavailable with the reason.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/ffi4go/tsp/backends"
	"github.com/ffi4go/tsp/examples/handler/tsphttp"
	"github.com/ffi4go/tsp/examples/jumper/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal kills at once
	}()
	err := run(ctx, os.Args[1:], os.Stderr, nil)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "jumper:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, then shuts down gracefully: it stops
// accepting and waits for the requests in flight. ready, if not nil, gets
// the address once the server listens.
func run(ctx context.Context, args []string, stderr io.Writer, ready func(addr string)) error {
	fs := flag.NewFlagSet("jumper", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	deadline := fs.Duration("deadline", server.DefaultDeadline, "hard deadline of one solve; at it the search stops and answers its best tour")
	queueTimeout := fs.Duration("queue-timeout", 0, "longest wait for a worker; an expensive request with more work ahead is refused at once (0: the deadline + 1s)")
	soft := fs.Duration("soft-deadline", server.DefaultSoftDeadline, "soft deadline each answer reports on")
	workers := fs.Int("workers", 0, "solves running at once (0: GOMAXPROCS)")
	queue := fs.Int("queue", server.DefaultQueue, "solve requests that may wait for a worker, in each lane; beyond it 503 (0: none)")
	maxCities := fs.Int("max-cities", server.DefaultMaxCities, "most cities one request may send for a solve that needs the distance matrix (exact, exhaustive, a route with an end, the Python backends)")
	maxPoints := fs.Int("max-points-cities", server.DefaultMaxPointsCities, "most cities of a round trip with nearest, 2opt, iterated or auto, solved from the coordinates without a matrix")
	maxMatrix := fs.Int("max-matrix-cities", server.DefaultMaxMatrixCities, "most places of a cost matrix one request may send (the body must fit -max-body too)")
	maxBody := fs.Int64("max-body", 0, "largest request body in bytes (0: 128 a city of the larger of -max-cities and -max-points-cities)")
	largeBodies := fs.Int("large-bodies", 1, "request bodies over 8 KiB read and decoded at once")
	cheapCost := fs.Duration("cheap-cost", 0, "largest estimated cost of a cheap solve, which has a worker of its own (0: 10ms)")
	lib := fs.String("lib", "", "directory of libtsp_c.so and libtsp_cpp.so (default $"+backends.EnvLibPath+", then the executable's directory)")
	pprofOn := fs.Bool("pprof", false, "serve net/http/pprof at /debug/pprof/")
	jsonLogs := fs.Bool("json-logs", false, "log JSON instead of text")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *pprofOn && !loopback(*addr) {
		return fmt.Errorf("-pprof needs a loopback -addr such as 127.0.0.1:%s, not %q: pprof must not be reachable from other machines", port(*addr), *addr)
	}
	if *maxBody <= 0 {
		*maxBody = tsphttp.BytesPerCity * int64(max(*maxCities, *maxPoints, 1))
	}

	var h slog.Handler = slog.NewTextHandler(stderr, nil)
	if *jsonLogs {
		h = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(h)

	q := *queue
	if q == 0 {
		q = -1 // Config: negative means no queue
	}
	bs := backends.All(backends.Config{LibDir: *lib})
	for _, b := range bs {
		if b.Solver != nil {
			log.Info("backend available", "backend", b.Name, "where", b.Where)
		} else {
			log.Warn("backend unavailable", "backend", b.Name, "reason", b.Err)
		}
	}
	s := server.New(server.Config{
		Backends:        bs,
		Deadline:        *deadline,
		QueueTimeout:    *queueTimeout,
		SoftDeadline:    *soft,
		Workers:         *workers,
		Queue:           q,
		MaxCities:       *maxCities,
		MaxPointsCities: *maxPoints,
		MaxMatrixCities: *maxMatrix,
		MaxBody:         *maxBody,
		LargeBodies:     *largeBodies,
		CheapCost:       *cheapCost,
		Debug:           debugHandler(*pprofOn),
		Logger:          log,
	})
	srv := s.HTTPServer(*addr)
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(s.MemoryLimit())
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	cfg := s.Config()
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "deadline", cfg.Deadline,
		"workers", cfg.Workers, "queue", cfg.Queue, "pprof", *pprofOn)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	grace := cfg.QueueTimeout + cfg.Deadline + time.Second
	log.Info("shutting down: waiting for the solves in flight", "at_most", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// loopback reports whether addr (host:port) listens on loopback only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func port(addr string) string {
	if _, p, err := net.SplitHostPort(addr); err == nil {
		return p
	}
	return "8080"
}

// debugHandler serves net/http/pprof at /debug/pprof/ when on.
func debugHandler(on bool) http.Handler {
	if !on {
		return nil
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
