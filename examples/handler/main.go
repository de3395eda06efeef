// Command handler serves tsphttp.Handler alone at POST /tour:
//
//	go -C examples run ./handler -addr 127.0.0.1:8081
//	curl -H 'Content-Type: application/json' -d '[{"name":"a","lat":48.86,"lon":2.35},{"name":"b","lat":52.52,"lon":13.4},{"name":"c","lat":51.51,"lon":-0.13}]' \
//	    http://127.0.0.1:8081/tour
//	curl -H 'Content-Type: application/json' -d '{"names":["depot","a","b"],"matrix":[[0,7,9],[6,0,4],[8,5,0]]}' \
//	    'http://127.0.0.1:8081/tour?end=any'
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ffi4go/tsp/examples/handler/tsphttp"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	timeout := flag.Duration("timeout", 10*time.Second, "deadline of one solve, the most a client may ask for")
	workers := flag.Int("workers", 0, "solves at once, one of them kept for cheap solves (0: GOMAXPROCS, at least 2)")
	flag.Parse()

	mux := http.NewServeMux()
	mux.Handle("POST /tour", &tsphttp.Handler{Timeout: *timeout, Workers: *workers})
	srv := &http.Server{
		Addr:              *addr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      2**timeout + 5*time.Second, // the queue timeout (= timeout) + the solve
		IdleTimeout:       time.Minute,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2**timeout+time.Second)
		defer cancel()
		srv.Shutdown(shutdown) // stop accepting, let the solves in flight finish
	}()
	log.Printf("POST JSON cities to http://%s/tour", *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	<-drained // ListenAndServe returns as soon as Shutdown begins
}
