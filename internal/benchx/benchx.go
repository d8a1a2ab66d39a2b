// Package benchx holds what tacit's benchmarks measure besides the wall
// clock: the process's CPU time, which a machine shared with other work
// disturbs less, and the peak of the heap while a step runs.
package benchx

import (
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"
)

// CPUPerOp starts counting the process's CPU time; the function it returns
// reports it per op as "cpu-ms/op". Use: defer benchx.CPUPerOp(b)().
func CPUPerOp(b *testing.B) func() {
	start := CPUTime()
	return func() {
		b.ReportMetric(float64((CPUTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// PeakHeap samples the heap in use every 20 ms while fn runs and returns
// the largest value seen. It reads runtime/metrics, which does not stop
// the world as runtime.ReadMemStats does (on a loaded machine, stopping
// the world 50 times a second added seconds of CPU to what it measured).
func PeakHeap(fn func()) uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64() + s[1].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	return peak.Load()
}
