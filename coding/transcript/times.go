package transcript

import (
	"strings"
	"time"
)

// parseClock parses an offset written as h:mm:ss, mm:ss or m:ss with an
// optional decimal fraction after "." or "," (".5" is 500 ms). With strict,
// minutes and seconds must have two digits (except the leading field);
// without it unpadded fields such as "0:0:5.320" (Microsoft Graph) pass.
func parseClock(s string, strict bool) (time.Duration, bool) {
	if s == "" || len(s) > 20 {
		return 0, false
	}
	frac := ""
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		frac = s[i+1:]
		s = s[:i]
		if frac == "" || len(frac) > 9 || !isAllDigits(frac) {
			return 0, false
		}
	}
	var parts [3]string
	n := 0
	for {
		i := strings.IndexByte(s, ':')
		if n == 3 {
			return 0, false
		}
		if i < 0 {
			parts[n] = s
			n++
			break
		}
		parts[n] = s[:i]
		n++
		s = s[i+1:]
	}
	if n < 2 {
		return 0, false
	}
	var v [3]int
	for i := 0; i < n; i++ {
		p := parts[i]
		if !isAllDigits(p) || len(p) > 3 {
			return 0, false
		}
		if i > 0 && (len(p) > 2 || (strict && len(p) != 2)) {
			return 0, false
		}
		x := 0
		for j := 0; j < len(p); j++ {
			x = x*10 + int(p[j]-'0')
		}
		v[i] = x
	}
	var h, m, sec int
	if n == 3 {
		h, m, sec = v[0], v[1], v[2]
		if m > 59 {
			return 0, false
		}
	} else {
		m, sec = v[0], v[1]
	}
	if sec > 59 {
		return 0, false
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second
	if frac != "" {
		ns := 0
		for i := 0; i < 9; i++ {
			ns *= 10
			if i < len(frac) {
				ns += int(frac[i] - '0')
			}
		}
		d += time.Duration(ns)
	}
	return d, true
}

// stamp is a timestamp found in text.
type stamp struct {
	t, end time.Duration
	hasEnd bool
	bare   bool // not enclosed in brackets: "00:01:02 text"
	f4     bool // "#hh:mm:ss-d#": in f4 practice the time a paragraph ends
}

// clockLen returns the length of the run of clock characters (digits, ':',
// '.', ',') at s[i:], requiring at least one ':'.
func clockLen(s string, i int) int {
	j, colon := i, false
	for j < len(s) {
		c := s[j]
		if c >= '0' && c <= '9' || c == '.' || c == ',' {
			j++
			continue
		}
		if c == ':' {
			colon = true
			j++
			continue
		}
		break
	}
	// trailing punctuation belongs to the sentence, not the time
	for j > i && (s[j-1] == '.' || s[j-1] == ',' || s[j-1] == ':') {
		j--
	}
	if !colon {
		return 0
	}
	return j - i
}

// parseStampBody parses the inside of a bracketed stamp: "00:04:10",
// "04:10.5", "00:00:07-3" (f4 tenths) or a span "00:00 - 00:10".
func parseStampBody(s string) (stamp, bool) {
	s = strings.TrimSpace(s)
	n := clockLen(s, 0)
	if n == 0 {
		return stamp{}, false
	}
	t, ok := parseClock(s[:n], false)
	if !ok {
		return stamp{}, false
	}
	st := stamp{t: t}
	rest := s[n:]
	if len(rest) == 2 && rest[0] == '-' && rest[1] >= '0' && rest[1] <= '9' {
		st.t += time.Duration(rest[1]-'0') * 100 * time.Millisecond
		st.f4 = true
		return st, true
	}
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return st, true
	}
	for _, sep := range []string{"-->", "-", "–", "—", "/"} {
		if strings.HasPrefix(rest, sep) {
			r2 := strings.TrimSpace(rest[len(sep):])
			if m := clockLen(r2, 0); m == len(r2) && m > 0 {
				if e, ok := parseClock(r2, false); ok {
					st.end, st.hasEnd = e, true
					return st, true
				}
			}
		}
	}
	return stamp{}, false
}

var stampBrackets = [...][2]string{{`\[`, `\]`}, {"[", "]"}, {"(", ")"}, {"{", "}"}, {"#", "#"}}

// stampAt parses a timestamp at s[i:] and returns it with the index just
// after it. Bracketed forms: [..], \[..\], (..), {..}, #..#; the bare form
// "hh:mm:ss" / "mm:ss" must be followed by white space, the end of the
// line, or a letter (MAXQDA glues "00:03:40.5Zack:").
func stampAt(s string, i int) (stamp, int, bool) {
	if i >= len(s) {
		return stamp{}, i, false
	}
	for _, br := range stampBrackets {
		if strings.HasPrefix(s[i:], br[0]) {
			body := s[i+len(br[0]):]
			limit := len(body)
			if limit > 40 {
				limit = 40
			}
			j := strings.Index(body[:limit], br[1])
			if j <= 0 {
				return stamp{}, i, false
			}
			st, ok := parseStampBody(body[:j])
			if !ok {
				return stamp{}, i, false
			}
			return st, i + len(br[0]) + j + len(br[1]), true
		}
	}
	c := s[i]
	if c < '0' || c > '9' {
		return stamp{}, i, false
	}
	n := clockLen(s, i)
	if n == 0 {
		return stamp{}, i, false
	}
	t, ok := parseClock(s[i:i+n], true)
	if !ok {
		return stamp{}, i, false
	}
	j := i + n
	st := stamp{t: t, bare: true}
	if j+1 < len(s) && s[j] == '-' && s[j+1] >= '0' && s[j+1] <= '9' && (j+2 == len(s) || s[j+2] == ' ' || s[j+2] == '\t') {
		st.t += time.Duration(s[j+1]-'0') * 100 * time.Millisecond
		st.f4 = true
		j += 2
	}
	if j < len(s) {
		c := s[j]
		if !(c == ' ' || c == '\t' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= 0x80) {
			return stamp{}, i, false
		}
	}
	return st, j, true
}

// trailingF4 finds an f4 end stamp "#hh:mm:ss-d#" (or "#hh:mm:ss#") at the
// end of s and returns it with the index where it starts.
func trailingF4(s string) (stamp, int, bool) {
	t := strings.TrimRight(s, " \t")
	if !strings.HasSuffix(t, "#") {
		return stamp{}, 0, false
	}
	j := strings.LastIndexByte(t[:len(t)-1], '#')
	if j < 0 || len(t)-j > 20 {
		return stamp{}, 0, false
	}
	st, ok := parseStampBody(t[j+1 : len(t)-1])
	if !ok || st.hasEnd {
		return stamp{}, 0, false
	}
	return st, j, true
}

// parseTiming parses a cue timing line "start --> end [settings]".
func parseTiming(line string) (time.Duration, time.Duration, bool) {
	i := strings.Index(line, "-->")
	if i < 0 {
		return 0, 0, false
	}
	a := strings.TrimSpace(line[:i])
	b := strings.TrimSpace(line[i+3:])
	if k := strings.IndexAny(b, " \t"); k >= 0 {
		b = b[:k]
	}
	s, ok1 := parseClock(a, false)
	e, ok2 := parseClock(b, false)
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	return s, e, true
}
