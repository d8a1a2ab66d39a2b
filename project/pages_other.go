//go:build !linux

package project

// pageReleaser does nothing where madvise is not used (see pages_linux.go).
type pageReleaser struct{}

func (r *pageReleaser) add(b []byte) {}

func (r *pageReleaser) release() {}
