package refiqda

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"unicode/utf8"
)

// fastTree builds the same tree as parseTree's encoding/xml loop, for the
// plain XML that tools write, at a fraction of its cost (a project of
// 100,000 codings: 1.7 s of RawToken). It gives up (ok false) on anything
// it does not handle exactly as encoding/xml does — a DOCTYPE or other
// directive, a non-ASCII name, a control character, an unknown entity,
// malformed markup, the limits reached — and parseTree then parses the
// file with encoding/xml, which is the reference: it builds the tree or
// says what is wrong. So fastTree only has to be right about what it
// accepts (FuzzFastTree checks that against encoding/xml).
func fastTree(s []byte) (root *node, ok bool) {
	if !utf8.Valid(s) {
		return nil, false
	}
	for i, c := range s {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return nil, false
		}
		// U+FFFE and U+FFFF are not XML characters.
		if c == 0xef && i+2 < len(s) && s[i+1] == 0xbf && (s[i+2] == 0xbe || s[i+2] == 0xbf) {
			return nil, false
		}
	}
	p := fastParser{s: s, line: 1, intern: map[string]string{}}
	return p.parse()
}

type fastParser struct {
	s       []byte
	i       int
	line    int // line at lineAt
	lineAt  int
	intern  map[string]string
	scratch []byte
	attrs   []xml.Attr // the backing array elements' attributes are cut from
}

// attrChunk is how many attributes a backing array holds.
const attrChunk = 4096

func (p *fastParser) lineOf(pos int) int {
	p.line += bytes.Count(p.s[p.lineAt:pos], []byte{'\n'})
	p.lineAt = pos
	return p.line
}

func (p *fastParser) parse() (*node, bool) {
	s := p.s
	var root *node
	var stack []*node
	count := 0
	for p.i < len(s) {
		if s[p.i] != '<' {
			end := bytes.IndexByte(s[p.i:], '<')
			if end < 0 {
				end = len(s)
			} else {
				end += p.i
			}
			seg := s[p.i:end]
			if bytes.Contains(seg, []byte("]]>")) {
				return nil, false
			}
			var top *node
			if len(stack) > 0 && stack[len(stack)-1].keepText {
				top = stack[len(stack)-1]
			}
			if !p.text(seg, top) {
				return nil, false
			}
			p.i = end
			continue
		}
		if p.i+1 >= len(s) {
			return nil, false
		}
		switch s[p.i+1] {
		case '/':
			p.i += 2
			name, ok := p.name()
			if !ok {
				return nil, false
			}
			p.space()
			if p.i >= len(s) || s[p.i] != '>' {
				return nil, false
			}
			p.i++
			if len(stack) == 0 || stack[len(stack)-1].name != name.Local {
				return nil, false
			}
			stack = stack[:len(stack)-1]
		case '?':
			p.i += 2
			target, ok := p.rawName()
			if !ok {
				return nil, false
			}
			p.space()
			end := bytes.Index(s[p.i:], []byte("?>"))
			if end < 0 {
				return nil, false
			}
			content := string(s[p.i : p.i+end])
			p.i += end + 2
			if target == "xml" {
				if v := procInst("version", content); v != "" && v != "1.0" {
					return nil, false
				}
				switch strings.ToLower(procInst("encoding", content)) {
				case "", "utf-8", "utf8", "us-ascii", "ascii":
				default:
					return nil, false
				}
			}
		case '!':
			rest := s[p.i+2:]
			switch {
			case bytes.HasPrefix(rest, []byte("--")):
				body := rest[2:]
				k := bytes.Index(body, []byte("--"))
				if k < 0 || k+2 >= len(body) || body[k+2] != '>' {
					return nil, false
				}
				p.i += 2 + 2 + k + 3
			case bytes.HasPrefix(rest, []byte("[CDATA[")):
				body := rest[7:]
				k := bytes.Index(body, []byte("]]>"))
				if k < 0 {
					return nil, false
				}
				var top *node
				if len(stack) > 0 && stack[len(stack)-1].keepText {
					top = stack[len(stack)-1]
				}
				if top != nil {
					top.text.Write(crlf(body[:k], &p.scratch))
				}
				p.i += 2 + 7 + k + 3
			default:
				return nil, false // a DOCTYPE or another directive
			}
		default:
			p.i++
			name, ok := p.name()
			if !ok {
				return nil, false
			}
			count++
			if count > maxElements || len(stack) >= maxDepth {
				return nil, false
			}
			// The attributes of every element are cut from one backing
			// array (a selection has six or so: appending them to a
			// slice of its own grew it three times, a tenth of reading
			// a large .qde).
			first := len(p.attrs)
			empty := false
			for {
				p.space()
				if p.i >= len(s) {
					return nil, false
				}
				if s[p.i] == '/' {
					if p.i+1 >= len(s) || s[p.i+1] != '>' {
						return nil, false
					}
					p.i += 2
					empty = true
					break
				}
				if s[p.i] == '>' {
					p.i++
					break
				}
				an, ok := p.name()
				if !ok {
					return nil, false
				}
				p.space()
				if p.i >= len(s) || s[p.i] != '=' {
					return nil, false
				}
				p.i++
				p.space()
				if p.i >= len(s) || (s[p.i] != '"' && s[p.i] != '\'') {
					return nil, false
				}
				q := s[p.i]
				p.i++
				end := bytes.IndexByte(s[p.i:], q)
				if end < 0 {
					return nil, false
				}
				raw := s[p.i : p.i+end]
				if bytes.IndexByte(raw, '<') >= 0 {
					return nil, false
				}
				p.i += end + 1
				val, ok := p.value(raw)
				if !ok {
					return nil, false
				}
				if len(p.attrs) == cap(p.attrs) {
					// a new backing array, this element's attributes moved to it
					grown := make([]xml.Attr, len(p.attrs)-first, max(attrChunk, 2*(len(p.attrs)-first)))
					copy(grown, p.attrs[first:])
					p.attrs, first = grown, 0
				}
				p.attrs = append(p.attrs, xml.Attr{Name: an, Value: val})
			}
			attrs := p.attrs[first:len(p.attrs):len(p.attrs)]
			if len(attrs) == 0 {
				attrs = []xml.Attr{}
			}
			n := &node{name: name.Local, attrs: attrs, line: p.lineOf(p.i), keepText: textElements[strings.ToLower(name.Local)]}
			if len(stack) == 0 {
				if root != nil {
					return nil, false
				}
				root = n
			} else {
				top := stack[len(stack)-1]
				top.children = append(top.children, n)
			}
			if !empty {
				stack = append(stack, n)
			}
		}
	}
	if len(stack) > 0 || root == nil {
		return nil, false
	}
	return root, true
}

// space skips XML white space as encoding/xml does.
func (p *fastParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\r', '\n', '\t':
			p.i++
		default:
			return
		}
	}
}

// rawName reads an ASCII XML name (non-ASCII names are left to
// encoding/xml).
func (p *fastParser) rawName() (string, bool) {
	s := p.s
	j := p.i
	for j < len(s) {
		c := s[j]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == ':' ||
			j > p.i && ('0' <= c && c <= '9' || c == '.' || c == '-') {
			j++
			continue
		}
		if c >= utf8.RuneSelf {
			return "", false
		}
		break
	}
	if j == p.i {
		return "", false
	}
	b := s[p.i:j]
	p.i = j
	name, ok := p.intern[string(b)]
	if !ok {
		name = string(b)
		p.intern[name] = name
	}
	return name, true
}

// name reads a name and splits its prefix as encoding/xml's nsname does.
func (p *fastParser) name() (xml.Name, bool) {
	s, ok := p.rawName()
	if !ok || strings.Count(s, ":") > 1 {
		return xml.Name{}, false
	}
	if space, local, ok := strings.Cut(s, ":"); ok && space != "" && local != "" {
		return xml.Name{Space: space, Local: local}, true
	}
	return xml.Name{Local: s}, true
}

// value decodes an attribute value.
func (p *fastParser) value(raw []byte) (string, bool) {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return string(raw), true
	}
	var b strings.Builder
	if !decode(raw, &b, &p.scratch) {
		return "", false
	}
	return b.String(), true
}

// text checks a run of character data and adds it to n's text (n nil:
// the text is not kept).
func (p *fastParser) text(seg []byte, n *node) bool {
	if n == nil {
		if bytes.IndexByte(seg, '&') < 0 {
			return true
		}
		var b strings.Builder
		return decode(seg, &b, &p.scratch)
	}
	if bytes.IndexByte(seg, '&') < 0 && bytes.IndexByte(seg, '\r') < 0 {
		n.text.Write(seg)
		return true
	}
	return decode(seg, &n.text, &p.scratch)
}

// decode writes raw with its entities and CR LF decoded as encoding/xml
// does, refusing what it would refuse (and, to be safe, a little more).
func decode(raw []byte, b *strings.Builder, scratch *[]byte) bool {
	for len(raw) > 0 {
		k := bytes.IndexByte(raw, '&')
		if k < 0 {
			b.Write(crlf(raw, scratch))
			return true
		}
		b.Write(crlf(raw[:k], scratch))
		raw = raw[k+1:]
		semi := bytes.IndexByte(raw, ';')
		if semi <= 0 || semi > 12 {
			return false
		}
		ent := raw[:semi]
		raw = raw[semi+1:]
		switch string(ent) {
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "amp":
			b.WriteByte('&')
		case "apos":
			b.WriteByte('\'')
		case "quot":
			b.WriteByte('"')
		default:
			if ent[0] != '#' || len(ent) < 2 {
				return false
			}
			digits, base := ent[1:], 10
			if digits[0] == 'x' {
				digits, base = digits[1:], 16
			}
			if len(digits) == 0 {
				return false
			}
			n, err := strconv.ParseUint(string(digits), base, 32)
			if err != nil || !charOK(rune(n)) {
				return false
			}
			b.WriteRune(rune(n))
		}
	}
	return true
}

// charOK reports whether r is an XML character and not a surrogate.
func charOK(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// crlf returns raw with CR LF and lone CR as LF (encoding/xml's reading).
func crlf(raw []byte, scratch *[]byte) []byte {
	if bytes.IndexByte(raw, '\r') < 0 {
		return raw
	}
	out := (*scratch)[:0]
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\r' {
			out = append(out, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, c)
	}
	*scratch = out
	return out
}

// procInst returns the value of param in a processing instruction's
// content, as encoding/xml reads it.
func procInst(param, s string) string {
	param += "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}
