package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/internal/jsonx"
	"github.com/tacit-qda/tacit/project"
)

// printShowJSON writes a shown document byte for byte as printJSON does,
// but its long texts (the document's, a long turn's or coding's) go
// straight to the output instead of through encoding/json's buffer and
// its indented copy: a 100 MB one-line document took 1.8 GB.
func printShowJSON(g *globals, d *project.ShowResult) error {
	const long = 64 << 10
	var big []string
	hold := func(s *string) {
		if len(*s) > long {
			big = append(big, *s)
			// NUL never occurs in a document's text (import removes
			// control characters), so its escape marks the place.
			*s = "\x00" + strconv.Itoa(len(big)-1)
		}
	}
	c := *d
	c.Turns = append([]project.ShowTurn(nil), d.Turns...)
	c.Codings = append([]project.ShowCoding(nil), d.Codings...)
	hold(&c.Text)
	for i := range c.Turns {
		hold(&c.Turns[i].Text)
	}
	for i := range c.Codings {
		hold(&c.Codings[i].Text)
	}
	if len(big) == 0 {
		return g.printJSON(d)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&c); err != nil {
		return err
	}
	out := buf.Bytes()
	mark := []byte(`"\u0000`)
	w := bufio.NewWriterSize(g.stdout, 64<<10)
	var b []byte
	for {
		i := bytes.Index(out, mark)
		if i < 0 {
			w.Write(out)
			break
		}
		w.Write(out[:i])
		j := i + len(mark)
		k := j
		for k < len(out) && out[k] >= '0' && out[k] <= '9' {
			k++
		}
		n, _ := strconv.Atoi(string(out[j:k]))
		// The text in pieces cut between code points.
		w.WriteByte('"')
		for s := big[n]; s != ""; {
			m := min(len(s), 32<<10)
			for m < len(s) && !utf8.RuneStart(s[m]) {
				m++
			}
			b = jsonx.AppendString(b[:0], s[:m])
			w.Write(b[1 : len(b)-1])
			s = s[m:]
		}
		w.WriteByte('"')
		out = out[k+1:] // past the placeholder's closing quote
	}
	return w.Flush()
}
