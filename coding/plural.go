package coding

import (
	"strconv"
	"strings"
)

// Plural returns "1 turn" or "n turns": the count with the singular or the
// plural form of a noun, for messages that must not say "1 hits".
func Plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}

// ClipMiddle shortens s to at most n code points by cutting out its middle
// ("tagged doc 1:9 "…" with "Principles/Crisis as a lever"" keeps both the
// start and the code's leaf at the end), so that two long lines that differ
// only at the end still look different.
func ClipMiddle(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || n < 5 {
		return s
	}
	head := (n - 1) * 2 / 5
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// StripMarkup removes the Markdown emphasis and heading markers that
// transcripts carry around speaker labels ("**Emma:**", "__Q__", "### Dana",
// "<u>Name</u>") from context shown beside a quote.
func StripMarkup(s string) string {
	if !strings.ContainsAny(s, "*_#<") {
		return s
	}
	s = strings.NewReplacer("**", "", "__", "", "<u>", "", "</u>", "").Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, "#")
		if len(t) < len(l) && len(l)-len(t) <= 6 && strings.HasPrefix(t, " ") {
			lines[i] = strings.TrimLeft(t, " ")
		}
	}
	return strings.Join(lines, "\n")
}

// Dedent removes the indentation of every line of a quote (the source's
// layout, not the speaker's words) and trims it.
//
// A quote none of whose lines is indented (most) is returned as it is,
// trimmed, without a copy: a report of 200,000 quotes split and joined
// every one of them.
func Dedent(s string) string {
	s = strings.TrimSpace(s)
	if !indented(s) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " \t\u00a0")
	}
	return strings.Join(lines, "\n")
}

// indented reports whether a line of s after the first starts with a
// space, a tab or a no-break space (what Dedent removes).
func indented(s string) bool {
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return false
		}
		s = s[i+1:]
		if len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || strings.HasPrefix(s, "\u00a0")) {
			return true
		}
	}
}
