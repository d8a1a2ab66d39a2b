package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"
)

// jsonWriter streams indented JSON byte for byte as encoding/json's
// Encoder with SetIndent("", "  ") and SetEscapeHTML(false) writes it. The
// recurrence report carries a quote per code and case, megabytes of text
// for a large project; streaming it this way is several times faster than
// encoding/json and holds no copy of the output in memory.
type jsonWriter struct {
	w     *bufio.Writer
	first []bool // per open container: no element written yet
	buf   []byte
}

func newJSONWriter(w io.Writer) *jsonWriter {
	return &jsonWriter{w: bufio.NewWriterSize(w, 64<<10), buf: make([]byte, 0, 64)}
}

func (j *jsonWriter) newline() {
	j.w.WriteByte('\n')
	for range j.first {
		j.w.WriteString("  ")
	}
}

// sep starts an element of the innermost container.
func (j *jsonWriter) sep() {
	if n := len(j.first); n > 0 {
		if !j.first[n-1] {
			j.w.WriteByte(',')
		}
		j.first[n-1] = false
		j.newline()
	}
}

func (j *jsonWriter) open(c byte) {
	j.w.WriteByte(c)
	j.first = append(j.first, true)
}

func (j *jsonWriter) close(c byte) {
	empty := j.first[len(j.first)-1]
	j.first = j.first[:len(j.first)-1]
	if !empty {
		j.newline()
	}
	j.w.WriteByte(c)
}

// key starts an object member.
func (j *jsonWriter) key(k string) {
	j.sep()
	j.str(k)
	j.w.WriteString(": ")
}

func (j *jsonWriter) str(s string) {
	w := j.w
	w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			w.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				w.WriteByte('\\')
				w.WriteByte(c)
			case '\n':
				w.WriteString(`\n`)
			case '\r':
				w.WriteString(`\r`)
			case '\t':
				w.WriteString(`\t`)
			case '\b':
				w.WriteString(`\b`)
			case '\f':
				w.WriteString(`\f`)
			default:
				const hex = "0123456789abcdef"
				w.WriteString(`\u00`)
				w.WriteByte(hex[c>>4])
				w.WriteByte(hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			w.WriteString(s[start:i])
			w.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			w.WriteString(s[start:i])
			fmt.Fprintf(w, `\u%04x`, r)
			i += size
			start = i
			continue
		}
		i += size
	}
	w.WriteString(s[start:])
	w.WriteByte('"')
}

func (j *jsonWriter) int(n int) { j.w.Write(strconv.AppendInt(j.buf[:0], int64(n), 10)) }

func (j *jsonWriter) float(f float64) {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) || math.IsNaN(f) || math.IsInf(f, 0) {
		b, _ := json.Marshal(f) // rare: let encoding/json choose the form
		j.w.Write(b)
		return
	}
	j.w.Write(strconv.AppendFloat(j.buf[:0], f, 'f', -1, 64))
}

func (j *jsonWriter) bool(b bool) { j.w.WriteString(strconv.FormatBool(b)) }

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
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	j.open('{')
	for _, k := range keys {
		j.key(k)
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
		keys := make([]string, 0, len(f.Attrs))
		for k := range f.Attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		j.key("attrs")
		j.open('{')
		for _, k := range keys {
			j.key(k)
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
	j.key("codes")
	j.open('[')
	for i := range r.Codes {
		c := &r.Codes[i]
		j.sep()
		j.open('{')
		j.key("code")
		j.str(c.Code)
		j.key("id")
		j.w.Write(strconv.AppendUint(j.buf[:0], c.ID, 10))
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
		for k := range c.Quotes {
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
	j.w.WriteByte('\n')
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("write report JSON: %w", err)
	}
	return nil
}
