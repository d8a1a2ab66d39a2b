package store

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt's Tx.Check runs in a goroutine of its own, where a damaged element
// offset that points outside the memory map is a fatal fault, not a panic
// that can be recovered. So before calling it, walkPages reads the page
// tree from the file (never through the map) and checks that every page id
// and every element's key and value lie where they can be read. Only a
// tree that passes is handed to bbolt's deeper check.
//
// Layout (bbolt v1.x, little-endian on the platforms tacit runs on): a page
// header is id u64, flags u16, count u16, overflow u32; a branch element is
// pos u32, ksize u32, pgid u64; a leaf element is flags u32, pos u32, ksize
// u32, vsize u32, with pos relative to the element; a bucket value is root
// u64, sequence u64, followed by an inline page when root is 0; the meta
// (on pages 0 and 1, after the header) is magic, version, page size, flags
// u32, root bucket (root u64, sequence u64), freelist u64, high-water pgid
// u64, txid u64, checksum u64 (FNV-64a of what precedes it).
const (
	pageHeader  = 16
	elemSize    = 16
	branchFlag  = 0x01
	leafFlag    = 0x02
	bucketFlag  = 0x01
	boltMagic   = 0xED0CDAED
	maxPageWalk = 1 << 24
)

var le = binary.LittleEndian

type pageWalk struct {
	f        io.ReaderAt
	size     int64
	pageSize int64
	hwm      uint64
	visited  map[uint64]bool
	probs    []string
}

// walkPages checks the page tree of the database file at path; it returns
// one line per problem (nil when the tree can be walked safely).
func walkPages(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return []string{err.Error()}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return []string{err.Error()}
	}
	w := &pageWalk{f: f, size: st.Size(), visited: map[uint64]bool{}}
	root, ok := w.meta()
	if !ok {
		return w.probs
	}
	w.tree(root, 0)
	return w.probs
}

func (w *pageWalk) fail(f string, a ...any) bool {
	if len(w.probs) < 100 {
		w.probs = append(w.probs, fmt.Sprintf(f, a...))
	}
	return false
}

// readMeta returns the meta of the page at off when it is valid.
func (w *pageWalk) readMeta(off int64) []byte {
	b := make([]byte, pageHeader+64)
	if _, err := w.f.ReadAt(b, off); err != nil {
		return nil
	}
	m := b[pageHeader:]
	h := fnv.New64a()
	h.Write(m[:56])
	if le.Uint32(m) != boltMagic || h.Sum64() != le.Uint64(m[56:]) {
		return nil
	}
	return m
}

// meta picks the valid meta page with the higher transaction id, as bbolt
// does, and returns the root bucket's page.
func (w *pageWalk) meta() (uint64, bool) {
	m0 := w.readMeta(0)
	w.pageSize = 4096
	if m0 != nil {
		w.pageSize = int64(le.Uint32(m0[8:]))
	}
	if w.pageSize < 512 || w.pageSize > 1<<20 {
		return 0, w.fail("database: the meta page gives a page size of %d", w.pageSize)
	}
	best := m0
	if m1 := w.readMeta(w.pageSize); m1 != nil && (m0 == nil || le.Uint64(m1[48:]) > le.Uint64(m0[48:])) {
		best = m1
	}
	if best == nil {
		return 0, w.fail("database: no valid meta page")
	}
	w.hwm = le.Uint64(best[40:])
	if int64(w.hwm)*w.pageSize > w.size {
		return 0, w.fail("database: the file is %d bytes, shorter than the %d its pages need", w.size, int64(w.hwm)*w.pageSize)
	}
	return le.Uint64(best[16:]), true
}

// tree checks the page id and its subtree.
func (w *pageWalk) tree(id uint64, depth int) {
	if depth > 64 {
		w.fail("database: the page tree is deeper than 64 at page %d", id)
		return
	}
	if id < 2 || id >= w.hwm {
		w.fail("database: a reference to page %d, outside the %d pages of the file", id, w.hwm)
		return
	}
	if w.visited[id] || len(w.visited) > maxPageWalk {
		w.fail("database: page %d is reachable twice", id)
		return
	}
	w.visited[id] = true
	head := make([]byte, pageHeader)
	if _, err := w.f.ReadAt(head, int64(id)*w.pageSize); err != nil {
		w.fail("database: page %d cannot be read: %v", id, err)
		return
	}
	overflow := uint64(le.Uint32(head[12:]))
	if le.Uint64(head) != id {
		w.fail("database: page %d says it is page %d", id, le.Uint64(head))
		return
	}
	if id+overflow >= w.hwm {
		w.fail("database: page %d overflows past the end of the file", id)
		return
	}
	buf := make([]byte, int64(overflow+1)*w.pageSize)
	if _, err := w.f.ReadAt(buf, int64(id)*w.pageSize); err != nil {
		w.fail("database: page %d cannot be read: %v", id, err)
		return
	}
	w.page(buf, id, depth)
}

// page checks one page (a file page, or an inline page inside a bucket
// value) held in buf.
func (w *pageWalk) page(buf []byte, id uint64, depth int) {
	flags := le.Uint16(buf[8:])
	count := int(le.Uint16(buf[10:]))
	if pageHeader+count*elemSize > len(buf) {
		w.fail("database: page %d claims %d elements, more than fit", id, count)
		return
	}
	for i := 0; i < count; i++ {
		e := pageHeader + i*elemSize
		switch {
		case flags&branchFlag != 0:
			pos, ksize := int(le.Uint32(buf[e:])), int(le.Uint32(buf[e+4:]))
			if e+pos+ksize > len(buf) || e+pos < 0 {
				w.fail("database: key %d of branch page %d lies outside the page", i, id)
				return
			}
			w.tree(le.Uint64(buf[e+8:]), depth+1)
		case flags&leafFlag != 0:
			fl, pos := le.Uint32(buf[e:]), int(le.Uint32(buf[e+4:]))
			ksize, vsize := int(le.Uint32(buf[e+8:])), int(le.Uint32(buf[e+12:]))
			end := e + pos + ksize + vsize
			if e+pos < 0 || end > len(buf) || end < e {
				w.fail("database: element %d of leaf page %d lies outside the page", i, id)
				return
			}
			if fl&bucketFlag == 0 {
				continue
			}
			v := buf[e+pos+ksize : end]
			if len(v) < 16 {
				w.fail("database: bucket %d of page %d has a short header", i, id)
				continue
			}
			if root := le.Uint64(v); root != 0 {
				w.tree(root, depth+1)
			} else if len(v) >= 16+pageHeader {
				w.page(v[16:], id, depth+1)
			} else {
				w.fail("database: inline bucket %d of page %d is too short", i, id)
			}
		default:
			w.fail("database: page %d is neither a branch nor a leaf (flags %#x)", id, flags)
			return
		}
	}
}
