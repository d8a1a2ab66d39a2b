package store

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

// Codings and turns are the hot path of reports (a project may hold hundreds
// of thousands of codings), so they use a compact varint encoding instead of
// JSON. Each encoding starts with a version byte.

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

func (d *dec) s() string {
	n := d.uv()
	if d.err != nil || uint64(len(d.b)) < n {
		d.err = errCorrupt
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

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
		if t.HasTime {
			e.uv(1)
			e.v(int64(t.TimeStart))
			e.v(int64(t.TimeEnd))
		} else {
			e.uv(0)
		}
	}
	return e.b
}

func decodeTurns(b []byte) ([]coding.Turn, error) {
	if len(b) == 0 || b[0] != turnsV1 {
		return nil, errCorrupt
	}
	d := dec{b: b[1:]}
	n := d.uv()
	if n > uint64(len(b)) {
		return nil, errCorrupt
	}
	ts := make([]coding.Turn, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		t := coding.Turn{Index: int(i)}
		t.Speaker = d.s()
		t.Start = int(d.uv())
		t.End = int(d.uv())
		if d.uv() == 1 {
			t.HasTime = true
			t.TimeStart = time.Duration(d.v())
			t.TimeEnd = time.Duration(d.v())
		}
		ts = append(ts, t)
	}
	return ts, d.err
}
