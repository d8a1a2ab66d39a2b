//go:build unix

package store

import (
	"os"
	"syscall"
)

// unlock releases the flock bbolt took on f. Closing f is not enough when
// bbolt panicked half-way through Open: its memory map still refers to the
// open file, and the lock lives as long as that does.
func unlock(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
