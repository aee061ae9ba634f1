package serve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gspark/gspark/ml/registry"
)

// BenchmarkServe scores one-record requests from many concurrent clients
// over loopback HTTP, with each request scored alone and with
// micro-batching, to decide whether batching pays.
func BenchmarkServe(b *testing.B) {
	root := b.TempDir()
	if _, err := registry.Register(root, "cancer", cancerModel(b, 0), nil); err != nil {
		b.Fatal(err)
	}
	header, rows, _ := cancerRows(b)
	body := []byte(splitBody(b, header, rows[:1]))
	for _, c := range []struct {
		clients, batch int
		wait           time.Duration
	}{{1, 0, 0}, {1, 64, time.Millisecond}, {32, 0, 0}, {32, 64, 0}, {32, 64, time.Millisecond}} {
		b.Run(fmt.Sprintf("clients=%d/batch=%d/wait=%s", c.clients, c.batch, c.wait), func(b *testing.B) {
			s, err := New(context.Background(), Options{ModelPath: filepath.Join(root, "cancer"), BatchRecords: c.batch, BatchWait: c.wait})
			if err != nil {
				b.Fatal(err)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- s.Serve(ctx, ln) }()
			url := "http://" + ln.Addr().String() + "/invocations"
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
			var next atomic.Int64
			var wg sync.WaitGroup
			cpu0 := cpuTime()
			b.ResetTimer()
			for range c.clients {
				wg.Go(func() {
					for next.Add(1) <= int64(b.N) {
						resp, err := client.Post(url, "application/json", bytes.NewReader(body))
						if err != nil {
							b.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != 200 {
							b.Errorf("status %d", resp.StatusCode)
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			b.StopTimer()
			client.CloseIdleConnections()
			cancel()
			if err := <-done; err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkPredictCall is the model's side alone: 64 records scored in 64
// calls or in one.
func BenchmarkPredictCall(b *testing.B) {
	root := b.TempDir()
	if _, err := registry.Register(root, "cancer", cancerModel(b, 0), nil); err != nil {
		b.Fatal(err)
	}
	sc, err := LoadPredictor(context.Background(), filepath.Join(root, "cancer", "v1"))
	if err != nil {
		b.Fatal(err)
	}
	header, rows, _ := cancerRows(b)
	req, err := DecodeJSON([]byte(splitBody(b, header, rows[:64])), sc.Signature())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("64x1", func(b *testing.B) {
		for b.Loop() {
			for _, r := range req.Records {
				if _, err := sc.PredictRecords(ctx, req.Records[:1:1]); err != nil {
					b.Fatal(err, r)
				}
			}
		}
	})
	b.Run("1x64", func(b *testing.B) {
		for b.Loop() {
			if _, err := sc.PredictRecords(ctx, req.Records); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cpuTime is the CPU time (user and system) the process has used, in
// nanoseconds: the clients' and the server's, less sensitive than wall time
// to other work on the machine.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
