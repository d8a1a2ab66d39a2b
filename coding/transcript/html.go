package transcript

import (
	"html"
	"strings"
)

// FormatHTML is an HTML transcript: Taguette stores documents as HTML, and
// Google Docs and Word save them so.
const FormatHTML = "html"

// blockTags end a line of the text: paragraphs, headings, list items,
// table rows, divisions.
var blockTags = map[string]bool{
	"p": true, "div": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"tr": true, "blockquote": true, "pre": true, "section": true, "article": true, "header": true, "footer": true,
	"table": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true, "hr": true, "body": true,
	"main": true, "aside": true, "nav": true, "figure": true, "figcaption": true, "address": true, "caption": true,
}

// skipTags hold no text of the document.
var skipTags = map[string]bool{"script": true, "style": true, "head": true, "title": true, "template": true, "noscript": true, "svg": true}

// htmlText turns HTML into text: one line per block element (paragraph,
// heading, list item, table row ...), <br> a line break, a table cell a
// tab; entities decoded; scripts, styles and the head dropped; a line
// break inside a text run (source wrapping, as Word writes) becomes one
// space; white space between blocks is dropped, white space inside a
// block is kept. For Taguette's documents (<p>...</p> per line) this is
// exactly their text with the tags stripped, so Taguette's offsets apply.
func htmlText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	atLineStart := true
	newline := func() {
		if !atLineStart {
			b.WriteByte('\n')
			atLineStart = true
		}
	}
	pre := 0
	writeText := func(raw string) {
		t := html.UnescapeString(raw)
		if pre == 0 {
			if strings.ContainsAny(t, "\r\n") {
				t = joinWrapped(t)
			}
			if atLineStart && strings.Trim(raw, " \t\r\n") == "" {
				// White space between blocks: blank lines in the source
				// stay blank lines (as in Taguette's text), the rest goes.
				if b.Len() > 0 {
					n := strings.Count(strings.ReplaceAll(raw, "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(raw, "\r\n", ""), "\r")
					for ; n > 1; n-- {
						b.WriteByte('\n')
					}
				}
				return
			}
		}
		if t == "" {
			return
		}
		b.WriteString(t)
		atLineStart = strings.HasSuffix(t, "\n")
	}
	i := 0
	for i < len(s) {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			writeText(s[i:])
			break
		}
		if lt > 0 {
			writeText(s[i : i+lt])
		}
		i += lt
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest[4:], "-->")
			if end < 0 {
				return finishHTML(b.String())
			}
			i += 4 + end + 3
			continue
		case strings.HasPrefix(rest, "<!") || strings.HasPrefix(rest, "<?"):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				return finishHTML(b.String())
			}
			i += end + 1
			continue
		}
		// A tag: <name attrs> or </name>; a '<' not followed by a letter
		// or '/' is text.
		j := 1
		closing := false
		if j < len(rest) && rest[j] == '/' {
			closing = true
			j++
		}
		k := j
		for k < len(rest) && (isASCIILetter(rest[k]) || (k > j && rest[k] >= '0' && rest[k] <= '9')) {
			k++
		}
		if k == j {
			writeText("<")
			i++
			continue
		}
		name := strings.ToLower(rest[j:k])
		end := tagEnd(rest, k)
		if end < 0 {
			return finishHTML(b.String())
		}
		i += end + 1
		selfClosing := end > 0 && rest[end-1] == '/'
		switch {
		case skipTags[name] && !closing && !selfClosing:
			closeTag := "</" + name
			m := indexFold(s[i:], closeTag)
			if m < 0 {
				return finishHTML(b.String())
			}
			i += m
			if e := strings.IndexByte(s[i:], '>'); e >= 0 {
				i += e + 1
			} else {
				i = len(s)
			}
		case name == "br":
			b.WriteByte('\n')
			atLineStart = true
		case name == "td" || name == "th":
			if closing {
				b.WriteByte('\t')
				atLineStart = false
			}
		case blockTags[name]:
			if name == "pre" {
				if closing && pre > 0 {
					pre--
				} else if !closing {
					pre++
				}
			}
			newline()
		}
	}
	return finishHTML(b.String())
}

// finishHTML drops spaces and tabs at the ends of the text and makes it
// end with one line break.
func finishHTML(s string) string {
	s = strings.TrimRight(s, " \t\n")
	if s == "" {
		return ""
	}
	return s + "\n"
}

func isASCIILetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// tagEnd returns the index of the '>' that closes the tag starting at s[0],
// skipping quoted attribute values, or -1.
func tagEnd(s string, from int) int {
	var q byte
	for i := from; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '>':
			return i
		}
	}
	return -1
}

// indexFold finds sub in s, ASCII case-insensitively.
func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

// joinWrapped turns each line break of a text run, with the spaces and
// tabs around it, into one space (HTML source wrapping).
func joinWrapped(t string) string {
	var w strings.Builder
	w.Grow(len(t))
	i := 0
	for i < len(t) {
		c := t[i]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			j := i
			brk := false
			for j < len(t) && (t[j] == ' ' || t[j] == '\t' || t[j] == '\r' || t[j] == '\n') {
				if t[j] == '\r' || t[j] == '\n' {
					brk = true
				}
				j++
			}
			if brk {
				w.WriteByte(' ')
			} else {
				w.WriteString(t[i:j])
			}
			i = j
			continue
		}
		w.WriteByte(c)
		i++
	}
	return w.String()
}
