package benchx

import "testing"

// TestCPUTimeAndPeakHeapMove: busy work moves the CPU time, and a step
// that holds 64 MB shows at least that much heap.
func TestCPUTimeAndPeakHeapMove(t *testing.T) {
	c0 := CPUTime()
	var hold []byte
	peak := PeakHeap(func() {
		hold = make([]byte, 64<<20)
		for i := range hold {
			hold[i] = byte(i)
		}
	})
	if peak < 64<<20 {
		t.Errorf("peak heap %d, want at least 64 MB", peak)
	}
	if CPUTime() <= c0 {
		t.Error("CPU time did not move")
	}
	_ = hold[len(hold)-1]
}
