//go:build !unix

package benchx

import "time"

var start = time.Now()

// CPUTime is the time since the process started where there is no
// getrusage.
func CPUTime() time.Duration { return time.Since(start) }
