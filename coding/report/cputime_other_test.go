//go:build !unix

package report

import "time"

var start = time.Now()

// cpuTime is the time since the test started where there is no getrusage.
func cpuTime() time.Duration { return time.Since(start) }
