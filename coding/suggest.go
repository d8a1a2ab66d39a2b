package coding

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Closest returns up to n candidates closest to s by edit distance
// (case-insensitive), best first, among those close enough to be a likely
// typo or that contain s.
func Closest(s string, candidates []string, n int) []string {
	type scored struct {
		c string
		d int
	}
	ls := strings.ToLower(s)
	var out []scored
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := levenshtein(ls, lc)
		// Compare with the last path part too, so "Respect" finds "Principles/Respectful attitude".
		if i := strings.LastIndex(lc, "/"); i >= 0 {
			if d2 := levenshtein(ls, lc[i+1:]); d2 < d {
				d = d2
			}
		}
		limit := max(2, len([]rune(ls))/3)
		if d <= limit || (len(ls) >= 3 && strings.Contains(lc, ls)) {
			out = append(out, scored{c, d})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].d < out[j].d })
	var res []string
	for i := 0; i < len(out) && i < n; i++ {
		res = append(res, out[i].c)
	}
	return res
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// QuoteList formats names as "a", "b" or "c".
func QuoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// NotFound is the ENotFound error for a reference that names nothing: it
// suggests the closest of candidates, else names the next step (next, a
// Next* kind such as NextListDocs).
func NotFound(what, ref string, candidates []string, next string) *Error {
	if s := Closest(ref, candidates, 3); len(s) > 0 {
		return Errorf(ENotFound, "no %s %q; did you mean %s?", what, ref, QuoteList(s))
	}
	return &Error{Kind: ENotFound, Message: fmt.Sprintf("no %s %q", what, ref), Next: next}
}
