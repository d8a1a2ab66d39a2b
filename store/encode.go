package store

import (
	"encoding/binary"
	"errors"
	"slices"
	"sort"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

// Codings, turns, documents and codes are read by every report and by most
// commands (a project may hold hundreds of thousands of codings; decoding
// 1,000 documents from JSON took 10-12 ms), so they use a compact varint
// encoding instead of JSON. Each encoding starts with a version byte.

var errCorrupt = errors.New("corrupt record")

type enc struct{ b []byte }

func (e *enc) uv(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) v(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) s(s string)  { e.uv(uint64(len(s))); e.b = append(e.b, s...) }

type dec struct {
	b   []byte
	err error
}

func (d *dec) uv() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) v() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bytes reads a length-prefixed string without copying it: the result
// points into the record.
func (d *dec) bytes() []byte {
	n := d.uv()
	if d.err != nil || uint64(len(d.b)) < n {
		d.err = errCorrupt
		return nil
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
}

func (d *dec) s() string { return string(d.bytes()) }

// skip passes over a string.
func (d *dec) skip() { d.bytes() }

const codingV1 = 1

func encodeCoding(c *coding.Coding) []byte {
	e := enc{b: make([]byte, 0, 48+len(c.Coder)+len(c.Memo)+len(c.Query))}
	e.b = append(e.b, codingV1)
	e.uv(c.DocID)
	e.uv(c.CodeID)
	e.uv(uint64(c.Start))
	e.uv(uint64(c.End))
	e.s(c.Coder)
	e.s(c.Origin)
	e.uv(c.Group)
	e.s(c.Query)
	e.s(c.Memo)
	if c.Key {
		e.uv(1)
	} else {
		e.uv(0)
	}
	e.v(c.CreatedAt.UnixNano())
	return e.b
}

func decodeCoding(id uint64, b []byte) (coding.Coding, error) {
	if len(b) == 0 || b[0] != codingV1 {
		return coding.Coding{}, errCorrupt
	}
	d := dec{b: b[1:]}
	c := coding.Coding{ID: id}
	c.DocID = d.uv()
	c.CodeID = d.uv()
	c.Start = int(d.uv())
	c.End = int(d.uv())
	c.Coder = d.s()
	c.Origin = d.s()
	c.Group = d.uv()
	c.Query = d.s()
	c.Memo = d.s()
	c.Key = d.uv() == 1
	c.CreatedAt = time.Unix(0, d.v()).UTC()
	return c, d.err
}

const turnsV1 = 1

func encodeTurns(ts []coding.Turn) []byte {
	e := enc{b: make([]byte, 0, 1+len(ts)*12)}
	e.b = append(e.b, turnsV1)
	e.uv(uint64(len(ts)))
	for _, t := range ts {
		e.s(t.Speaker)
		e.uv(uint64(t.Start))
		e.uv(uint64(t.End))
		// flags: 1 = has time (then the two times follow), 2 = header.
		// Records written before the header flag hold 0 or 1.
		var flags uint64
		if t.HasTime {
			flags |= 1
		}
		if t.Header {
			flags |= 2
		}
		e.uv(flags)
		if t.HasTime {
			e.v(int64(t.TimeStart))
			e.v(int64(t.TimeEnd))
		}
	}
	return e.b
}

// openTurns reads the head of an encoded turn list: a decoder at its
// first turn and the number of turns.
func openTurns(b []byte) (dec, uint64, error) {
	if len(b) == 0 || b[0] != turnsV1 {
		return dec{}, 0, errCorrupt
	}
	d := dec{b: b[1:]}
	n := d.uv()
	if n > uint64(len(b)) {
		return dec{}, 0, errCorrupt
	}
	return d, n, nil
}

// turn reads one encoded turn in place: its speaker label (the stored
// bytes) and the rest of it (Index and Speaker left unset).
func (d *dec) turn() (speaker []byte, t coding.Turn) {
	speaker = d.bytes()
	t.Start = int(d.uv())
	t.End = int(d.uv())
	flags := d.uv()
	t.Header = flags&2 != 0
	if flags&1 != 0 {
		t.HasTime = true
		t.TimeStart = time.Duration(d.v())
		t.TimeEnd = time.Duration(d.v())
	}
	return speaker, t
}

func decodeTurns(b []byte) ([]coding.Turn, error) {
	d, n, err := openTurns(b)
	if err != nil {
		return nil, err
	}
	ts := make([]coding.Turn, 0, n)
	// A transcript has a handful of speakers: their labels are allocated
	// once, not once per turn.
	var speakers []string
	for i := uint64(0); i < n && d.err == nil; i++ {
		sp, t := d.turn()
		t.Index = int(i)
		t.Speaker, speakers = intern(speakers, sp, d.err == nil)
		ts = append(ts, t)
	}
	return ts, d.err
}

// intern returns b as a string, the one already in seen when it is there;
// a new one joins seen (up to 16) when keep is true.
func intern(seen []string, b []byte, keep bool) (string, []string) {
	for _, s := range seen {
		if s == string(b) {
			return s, seen
		}
	}
	s := string(b)
	if len(seen) < 16 && keep {
		seen = append(seen, s)
	}
	return s, seen
}

// turnSpeakers returns the distinct speaker labels of an encoded turn list
// in order of first appearance ("" included when a turn has none), without
// building the turns.
func turnSpeakers(b []byte) ([]string, error) {
	d, n, err := openTurns(b)
	if err != nil {
		return nil, err
	}
	var out []string
	for i := uint64(0); i < n && d.err == nil; i++ {
		sp, _ := d.turn()
		if !slices.ContainsFunc(out, func(s string) bool { return s == string(sp) }) && d.err == nil {
			out = append(out, string(sp))
		}
	}
	return out, d.err
}

// Times are stored as a presence flag, then seconds and nanoseconds since
// the Unix epoch (UTC), so that the zero time survives a round trip (its
// UnixNano does not fit in an int64).
func (e *enc) t(t time.Time) {
	if t.IsZero() {
		e.uv(0)
		return
	}
	e.uv(1)
	e.v(t.Unix())
	e.uv(uint64(t.Nanosecond()))
}

func (d *dec) t() time.Time {
	if d.uv() == 0 {
		return time.Time{}
	}
	sec := d.v()
	nsec := d.uv()
	if nsec >= 1e9 {
		d.err = errCorrupt
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

// strMap writes a string map with its keys sorted, so equal maps encode to
// equal bytes (undo compares records byte for byte).
func (e *enc) strMap(m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	e.uv(uint64(len(keys)))
	for _, k := range keys {
		e.s(k)
		e.s(m[k])
	}
}

func (d *dec) strMap() map[string]string {
	n := d.uv()
	if d.err != nil || n > uint64(len(d.b)) {
		d.err = errCorrupt
		return nil
	}
	if n == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		k := d.s()
		m[k] = d.s()
	}
	return m
}

const docV1 = 1

// encodeDoc encodes a document's metadata (its ID is the key; Text and
// Turns are stored apart).
func encodeDoc(doc *coding.Document) []byte {
	e := enc{b: make([]byte, 0, 64+len(doc.Name)+len(doc.SourcePath)+len(doc.SourceHash))}
	e.b = append(e.b, docV1)
	e.s(doc.Name)
	e.uv(doc.CaseID)
	e.s(doc.Format)
	e.s(doc.Encoding)
	e.s(doc.Lang)
	e.s(doc.SourcePath)
	e.s(doc.SourceHash)
	e.uv(uint64(doc.Chars))
	e.strMap(doc.Attrs)
	e.uv(uint64(len(doc.Warnings)))
	for _, w := range doc.Warnings {
		e.s(w)
	}
	e.t(doc.ImportedAt)
	e.s(doc.ImportedBy)
	return e.b
}

func decodeDoc(id uint64, b []byte) (coding.Document, error) {
	if len(b) == 0 || b[0] != docV1 {
		return coding.Document{}, errCorrupt
	}
	d := dec{b: b[1:]}
	doc := coding.Document{ID: id}
	doc.Name = d.s()
	doc.CaseID = d.uv()
	doc.Format = d.s()
	doc.Encoding = d.s()
	doc.Lang = d.s()
	doc.SourcePath = d.s()
	doc.SourceHash = d.s()
	doc.Chars = int(d.uv())
	doc.Attrs = d.strMap()
	if n := d.uv(); n > 0 && d.err == nil {
		if n > uint64(len(d.b)) {
			return coding.Document{}, errCorrupt
		}
		doc.Warnings = make([]string, 0, n)
		for i := uint64(0); i < n && d.err == nil; i++ {
			doc.Warnings = append(doc.Warnings, d.s())
		}
	}
	doc.ImportedAt = d.t()
	doc.ImportedBy = d.s()
	if d.err == nil && len(d.b) != 0 {
		return coding.Document{}, errCorrupt
	}
	return doc, d.err
}

const codeV1 = 1

// encodeCode encodes a code of the codebook (its ID is the key).
func encodeCode(c *coding.Code) []byte {
	e := enc{b: make([]byte, 0, 48+len(c.Name)+len(c.Description))}
	e.b = append(e.b, codeV1)
	e.s(c.GUID)
	e.s(c.Name)
	e.uv(c.ParentID)
	e.s(c.Description)
	e.s(c.Color)
	e.t(c.CreatedAt)
	return e.b
}

func decodeCode(id uint64, b []byte) (coding.Code, error) {
	if len(b) == 0 || b[0] != codeV1 {
		return coding.Code{}, errCorrupt
	}
	d := dec{b: b[1:]}
	c := coding.Code{ID: id}
	c.GUID = d.s()
	c.Name = d.s()
	c.ParentID = d.uv()
	c.Description = d.s()
	c.Color = d.s()
	c.CreatedAt = d.t()
	if d.err == nil && len(d.b) != 0 {
		return coding.Code{}, errCorrupt
	}
	return c, d.err
}
