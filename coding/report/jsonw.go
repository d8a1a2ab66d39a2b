package report

import (
	"encoding/json"
	"fmt"
	"github.com/tacit-qda/tacit/internal/jsonx"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
)

// jsonWriter streams indented JSON byte for byte as encoding/json's
// Encoder with SetIndent("", "  ") and SetEscapeHTML(false) writes it. The
// recurrence report carries a quote per code and case, megabytes of text
// for a large project; streaming it this way is several times faster than
// encoding/json and holds no copy of the output in memory. It appends to a
// buffer that it writes out in 64 KB pieces, and remembers the first write
// error.
type jsonWriter struct {
	w     io.Writer
	b     []byte
	err   error
	first []bool // per open container: no element written yet
}

const jsonChunk = 64 << 10

func newJSONWriter(w io.Writer) *jsonWriter {
	return &jsonWriter{w: w, b: make([]byte, 0, jsonChunk+4096)}
}

// flush writes out the buffer.
func (j *jsonWriter) flush() {
	if j.err == nil && len(j.b) > 0 {
		_, j.err = j.w.Write(j.b)
	}
	j.b = j.b[:0]
}

const indentSpaces = "                                                                "

func (j *jsonWriter) newline() {
	j.b = append(j.b, '\n')
	for n := 2 * len(j.first); n > 0; n -= len(indentSpaces) {
		j.b = append(j.b, indentSpaces[:min(n, len(indentSpaces))]...)
	}
}

// sep starts an element of the innermost container.
func (j *jsonWriter) sep() {
	if len(j.b) >= jsonChunk {
		j.flush()
	}
	if n := len(j.first); n > 0 {
		if !j.first[n-1] {
			j.b = append(j.b, ',')
		}
		j.first[n-1] = false
		j.newline()
	}
}

func (j *jsonWriter) open(c byte) {
	j.b = append(j.b, c)
	j.first = append(j.first, true)
}

func (j *jsonWriter) close(c byte) {
	empty := j.first[len(j.first)-1]
	j.first = j.first[:len(j.first)-1]
	if !empty {
		j.newline()
	}
	j.b = append(j.b, c)
}

// anyKey starts an object member whose name comes from the data.
func (j *jsonWriter) anyKey(k string) {
	j.sep()
	j.str(k)
	j.b = append(j.b, ':', ' ')
}

// key starts an object member named by one of the writer's own field
// names, which need no escaping.
func (j *jsonWriter) key(k string) {
	j.sep()
	j.b = append(j.b, '"')
	j.b = append(j.b, k...)
	j.b = append(j.b, '"', ':', ' ')
}

func (j *jsonWriter) str(s string) { j.b = jsonx.AppendString(j.b, s) }

func (j *jsonWriter) int(n int) { j.b = strconv.AppendInt(j.b, int64(n), 10) }

func (j *jsonWriter) float(f float64) {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) || math.IsNaN(f) || math.IsInf(f, 0) {
		b, _ := json.Marshal(f) // rare: let encoding/json choose the form
		j.b = append(j.b, b...)
		return
	}
	j.b = strconv.AppendFloat(j.b, f, 'f', -1, 64)
}

func (j *jsonWriter) bool(b bool) { j.b = strconv.AppendBool(j.b, b) }

func (j *jsonWriter) strings(v []string) {
	j.open('[')
	for _, s := range v {
		j.sep()
		j.str(s)
	}
	j.close(']')
}

func (j *jsonWriter) ints(v []int) {
	j.open('[')
	for _, n := range v {
		j.sep()
		j.int(n)
	}
	j.close(']')
}

func (j *jsonWriter) intMap(m map[string]int) {
	j.open('{')
	for _, k := range slices.Sorted(maps.Keys(m)) {
		j.anyKey(k)
		j.int(m[k])
	}
	j.close('}')
}

func (j *jsonWriter) filter(f Filter) {
	j.open('{')
	for _, kv := range []struct {
		k string
		v []string
	}{{"coders", f.Coders}, {"roles", f.Roles}, {"docs", f.Docs}, {"cases", f.Cases}} {
		if len(kv.v) > 0 {
			j.key(kv.k)
			j.strings(kv.v)
		}
	}
	if len(f.Attrs) > 0 {
		j.key("attrs")
		j.open('{')
		for _, k := range slices.Sorted(maps.Keys(f.Attrs)) {
			j.anyKey(k)
			j.str(f.Attrs[k])
		}
		j.close('}')
	}
	j.close('}')
}

func (j *jsonWriter) quote(q *Quote) {
	j.open('{')
	j.key("case")
	j.str(q.Case)
	j.key("doc")
	j.str(q.Doc)
	j.key("speaker")
	j.str(q.Speaker)
	if q.Role != "" {
		j.key("role")
		j.str(q.Role)
	}
	j.key("code")
	j.str(q.Code)
	if q.Coder != "" {
		j.key("coder")
		j.str(q.Coder)
	}
	j.key("coders")
	j.strings(q.Coders)
	j.key("start")
	j.int(q.Start)
	j.key("end")
	j.int(q.End)
	if q.Key {
		j.key("key")
		j.bool(true)
	}
	if q.Memo != "" {
		j.key("memo")
		j.str(q.Memo)
	}
	j.key("text")
	j.str(q.Text)
	j.close('}')
}

// recurrence writes r with the field names and order of its struct tags;
// TestRecurrenceJSONWriter holds it to encoding/json's output.
func (j *jsonWriter) recurrence(r *RecurrenceReport) error {
	j.open('{')
	j.key("report")
	j.str(r.Report)
	j.key("cases_total")
	j.int(r.CasesTotal)
	j.key("most")
	j.float(r.Most)
	j.key("filters")
	j.filter(r.Filters)
	j.key("cases")
	j.strings(r.Cases)
	j.key("codings")
	j.int(r.Codings)
	j.key("roles")
	j.strings(r.Roles)
	j.key("sides")
	j.strings(r.Sides)
	j.key("codes")
	j.open('[')
	for i := range r.Codes {
		c := &r.Codes[i]
		j.sep()
		j.open('{')
		j.key("code")
		j.str(c.Code)
		j.key("id")
		j.b = strconv.AppendUint(j.b, c.ID, 10)
		j.key("depth")
		j.int(c.Depth)
		if c.Description != "" {
			j.key("description")
			j.str(c.Description)
		}
		j.key("cases")
		j.int(c.Cases)
		j.key("share")
		j.float(c.Share)
		j.key("level")
		j.str(c.Level)
		j.key("present")
		j.strings(c.Present)
		j.key("absent")
		j.strings(c.Absent)
		j.key("roles")
		j.intMap(c.Roles)
		j.key("both_roles")
		j.int(c.BothRoles)
		j.key("codings")
		j.int(c.Codings)
		j.key("case_codings")
		j.ints(c.CaseCodings)
		j.key("quotes")
		j.open('[')
		// The quotes' texts lie in document order, the quotes come
		// code by code: read a few quotes' texts ahead at once so that
		// their cache misses overlap rather than come one by one.
		touchTexts(c.Quotes[:min(touchAhead, len(c.Quotes))])
		for k := range c.Quotes {
			if k%touchAhead == 0 {
				touchTexts(c.Quotes[min(k+touchAhead, len(c.Quotes)):min(k+2*touchAhead, len(c.Quotes))])
			}
			j.sep()
			j.quote(&c.Quotes[k])
		}
		j.close(']')
		j.close('}')
	}
	j.close(']')
	if r.ByAttr != nil {
		j.key("by_attr")
		j.open('{')
		j.key("attr")
		j.str(r.ByAttr.Attr)
		j.key("groups")
		j.open('[')
		for _, g := range r.ByAttr.Groups {
			j.sep()
			j.open('{')
			j.key("value")
			j.str(g.Value)
			j.key("cases_total")
			j.int(g.CasesTotal)
			j.key("cases")
			j.strings(g.Cases)
			j.key("codes")
			j.open('[')
			for _, c := range g.Codes {
				j.sep()
				j.open('{')
				j.key("code")
				j.str(c.Code)
				j.key("cases")
				j.int(c.Cases)
				j.key("share")
				j.float(c.Share)
				j.key("level")
				j.str(c.Level)
				j.key("absent")
				j.strings(c.Absent)
				j.key("roles")
				j.intMap(c.Roles)
				j.key("both_roles")
				j.int(c.BothRoles)
				j.close('}')
			}
			j.close(']')
			j.close('}')
		}
		j.close(']')
		j.close('}')
	}
	if r.EmptyReason != "" {
		j.key("empty_reason")
		j.str(r.EmptyReason)
	}
	j.close('}')
	j.b = append(j.b, '\n')
	j.flush()
	if j.err != nil {
		return fmt.Errorf("write report JSON: %w", j.err)
	}
	return nil
}
