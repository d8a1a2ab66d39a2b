//go:build !linux

package project

// releasePages does nothing where madvise is not used (see pages_linux.go).
func releasePages(b []byte) {}
