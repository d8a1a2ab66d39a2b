package project

import (
	"os"
	"syscall"
	"unsafe"
)

var pageSize = uintptr(os.Getpagesize())

// releasePages tells the kernel that this process is done with the pages
// of the store's memory map under b (a document's text read in place):
// they leave the process's resident memory and stay in the page cache,
// from which a later read faults them back in. The store's map is
// read-only and shared, so nothing is lost; a long report that reads
// every text once (the book) then never holds them all at once.
func releasePages(b []byte) {
	if len(b) == 0 {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	end := start + uintptr(len(b))
	// Only the whole pages inside b: a page it shares with its neighbours
	// may hold data that is still being read.
	first := (start + pageSize - 1) &^ (pageSize - 1)
	last := end &^ (pageSize - 1)
	if last <= first {
		return
	}
	_ = syscall.Madvise(b[first-start:last-start], syscall.MADV_DONTNEED)
}
