package project

import (
	"os"
	"syscall"
	"unsafe"
)

var pageSize = uintptr(os.Getpagesize())

// releaseBatch is how many bytes of texts a pageReleaser lets a process
// map before it gives their pages back in one call.
const releaseBatch = 8 << 20

// pageReleaser gives the pages of the store's memory map under the texts
// a report has read in place (add) back to the kernel, in batches: they
// leave the process's resident memory and stay in the page cache, from
// which a later read faults them back in. The store's map is read-only and
// shared, so nothing is lost; a long report that reads every text once
// (the book) then never holds them all at once.
//
// One madvise call per text cost more than the report's work: each call
// flushes the TLB of every processor that ran one of the process's threads
// (an interrupt to the other processor, a VM exit on a virtual machine):
// 1,000 texts took ~150 ms of system time. A batch releases the span from
// the lowest to the highest text it holds in one call: the pages between
// them are of the same read-only map, and any that is needed again is
// faulted back in.
type pageReleaser struct {
	lo    []byte  // the text with the lowest address (its data is the span's start)
	hi    uintptr // the end of the span
	bytes int     // text bytes added since the last release
}

// add records text b (inside the store's map, see store.Tx.Mapped) as read,
// releasing the batch once it holds releaseBatch bytes.
func (r *pageReleaser) add(b []byte) {
	if len(b) == 0 {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	end := start + uintptr(len(b))
	if r.lo == nil || start < uintptr(unsafe.Pointer(unsafe.SliceData(r.lo))) {
		r.lo = b
	}
	r.hi = max(r.hi, end)
	if r.bytes += len(b); r.bytes >= releaseBatch {
		r.release()
	}
}

// release gives back the whole pages of the span of the texts added since
// the last release. It must be called while they are still mapped (inside
// the store transaction that read them).
func (r *pageReleaser) release() {
	if r.lo == nil {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(r.lo)))
	span := unsafe.Slice(unsafe.SliceData(r.lo), r.hi-start)
	r.lo, r.hi, r.bytes = nil, 0, 0
	// Only the whole pages inside the span: a page it shares with its
	// neighbours may hold data that is still being read.
	first := (start + pageSize - 1) &^ (pageSize - 1)
	last := (start + uintptr(len(span))) &^ (pageSize - 1)
	if last <= first {
		return
	}
	_ = syscall.Madvise(span[first-start:last-start], syscall.MADV_DONTNEED)
}
