package transcript

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/unicode/norm"
)

// bomEncoding names the byte-order mark at the start of data, or "".
func bomEncoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8-bom"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}):
		return "utf-32le"
	case bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return "utf-32be"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return "utf-16le"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return "utf-16be"
	}
	return ""
}

// lookupEncoding finds a golang.org/x/text encoding by WHATWG or IANA name.
func lookupEncoding(name string) (encoding.Encoding, bool) {
	if e, err := htmlindex.Get(name); err == nil && e != nil {
		return e, true
	}
	if e, err := ianaindex.IANA.Encoding(name); err == nil && e != nil {
		return e, true
	}
	return nil, false
}

// decode turns file bytes into normalised text (see the package doc) and
// reports the source encoding.
func decode(name string, data []byte, encName string) (string, string, []string, error) {
	var (
		s    string
		enc  string
		warn []string
	)
	encName = strings.TrimSpace(encName)
	if encName != "" && !isUTF8Name(encName) {
		e, ok := lookupEncoding(encName)
		if !ok {
			return "", "", nil, invalid("%s: unknown encoding %q; pass a name such as windows-1252, iso-8859-1, utf-16le or macintosh", name, encName)
		}
		out, err := e.NewDecoder().Bytes(data)
		if err != nil {
			return "", "", nil, withNext(invalid("%s: cannot decode the file as %s (%v)", name, encName, err), coding.NextCheckEncoding, encName)
		}
		if !utf8.Valid(out) {
			out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
		}
		s, enc = string(out), strings.ToLower(encName)
	} else {
		enc = bomEncoding(data)
		switch enc {
		case "utf-16le", "utf-16be":
			body := data[2:]
			if len(body)%2 != 0 {
				return "", "", nil, invalid("%s: the file starts with a UTF-16 byte-order mark but has an odd number of bytes, so it is truncated or not UTF-16; export it again", name)
			}
			var order binary.ByteOrder = binary.LittleEndian
			if enc == "utf-16be" {
				order = binary.BigEndian
			}
			var replaced bool
			s, replaced = decodeUTF16(body, order)
			if replaced {
				warn = append(warn, "invalid UTF-16 sequences (unpaired surrogates) were replaced by U+FFFD")
			}
		case "utf-32le", "utf-32be":
			body := data[4:]
			if len(body)%4 != 0 {
				return "", "", nil, invalid("%s: the file starts with a UTF-32 byte-order mark but its length is not a multiple of 4; export it again", name)
			}
			var order binary.ByteOrder = binary.LittleEndian
			if enc == "utf-32be" {
				order = binary.BigEndian
			}
			var b strings.Builder
			b.Grow(len(body) / 4)
			for i := 0; i+4 <= len(body); i += 4 {
				r := rune(order.Uint32(body[i:]))
				if !utf8.ValidRune(r) {
					r = utf8.RuneError
				}
				b.WriteRune(r)
			}
			s = b.String()
		default:
			skip := 0
			if enc == "utf-8-bom" {
				skip = 3
			} else {
				enc = "utf-8"
			}
			body := data[skip:]
			if !utf8.Valid(body) {
				off := skip + firstInvalidUTF8(body)
				return "", "", nil, withNext(invalid("%s: invalid UTF-8 at byte %d", name, off), coding.NextLegacyText, "")
			}
			s = string(body)
		}
		if encName != "" {
			enc = strings.ToLower(encName)
		}
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		return "", "", nil, withNext(invalid("%s: the decoded text contains a NUL character, so this is not a text file", name), coding.NextNotText, "")
	}
	s, removed := cleanText(s)
	if removed > 0 {
		warn = append(warn, "removed "+coding.Plural(removed, "control character", "control characters"))
	}
	if strings.TrimSpace(s) == "" {
		return "", "", nil, invalid("%s: the file contains only white space; export the transcript again or leave this file out", name)
	}
	return s, enc, warn, nil
}

// decodeUTF16 decodes UTF-16 code units (body, in the given byte order)
// straight into UTF-8, as utf16.Decode would (an unpaired surrogate
// becomes U+FFFD; replaced reports any), without its slices of units and
// runes: a 100 MB file peaked at 682 MB during import with them. A first
// pass counts the UTF-8 length so that the text is allocated once.
func decodeUTF16(body []byte, order binary.ByteOrder) (text string, replaced bool) {
	n := len(body) / 2
	at := func(i int) (rune, int) {
		c := rune(order.Uint16(body[2*i:]))
		if !utf16.IsSurrogate(c) {
			return c, 1
		}
		if c < 0xDC00 && i+1 < n {
			if c2 := rune(order.Uint16(body[2*i+2:])); 0xDC00 <= c2 && c2 < 0xE000 {
				return utf16.DecodeRune(c, c2), 2
			}
		}
		return -1, 1
	}
	size := 0
	for i := 0; i < n; {
		r, w := at(i)
		if r < 0 {
			r = utf8.RuneError
		}
		size += utf8.RuneLen(r)
		i += w
	}
	var b strings.Builder
	b.Grow(size)
	for i := 0; i < n; {
		r, w := at(i)
		if r < 0 {
			r, replaced = utf8.RuneError, true
		}
		b.WriteRune(r)
		i += w
	}
	return b.String(), replaced
}

func isUTF8Name(n string) bool {
	switch strings.ToLower(n) {
	case "utf-8", "utf8", "unicode-1-1-utf-8":
		return true
	}
	return false
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// cleanText normalises line ends to "\n", removes U+FEFF and C0 controls
// other than TAB/LF, and applies NFC. It returns the number of control
// characters removed (BOMs not counted).
func cleanText(s string) (string, int) {
	needs := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			needs = true
			break
		}
		if c >= 0xC2 && (strings.HasPrefix(s[i:], "\ufeff") || strings.HasPrefix(s[i:], "\u0085") ||
			strings.HasPrefix(s[i:], "\u2028") || strings.HasPrefix(s[i:], "\u2029")) {
			needs = true
			break
		}
	}
	removed := 0
	if needs {
		var b strings.Builder
		b.Grow(len(s))
		for i := 0; i < len(s); {
			c := s[i]
			if c < utf8.RuneSelf {
				switch {
				case c == '\r':
					b.WriteByte('\n')
					if i+1 < len(s) && s[i+1] == '\n' {
						i++
					}
				case c == '\v' || c == '\f':
					b.WriteByte('\n')
				case (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f:
					removed++
				default:
					b.WriteByte(c)
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			switch r {
			case '\ufeff':
			case '\u0085', '\u2028', '\u2029':
				b.WriteByte('\n')
			default:
				b.WriteString(s[i : i+size])
			}
			i += size
		}
		s = b.String()
	}
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s, removed
}
