package reanchor

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

func lcsLen(a, b []int) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func checkPairs(t *testing.T, a, b []int, pairs [][2]int) {
	t.Helper()
	pi, pj := -1, -1
	for _, p := range pairs {
		if p[0] <= pi || p[1] <= pj || a[p[0]] != b[p[1]] {
			t.Fatalf("bad pair %v after (%d,%d): a=%v b=%v", p, pi, pj, a, b)
		}
		pi, pj = p[0], p[1]
	}
}

// TestMyersMinimal compares Myers with a dynamic-programming LCS on small
// random sequences: the match is valid and as long as possible.
func TestMyersMinimal(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 2000; n++ {
		a := make([]int, r.Intn(30))
		b := make([]int, r.Intn(30))
		for i := range a {
			a[i] = r.Intn(5)
		}
		for i := range b {
			b[i] = r.Intn(5)
		}
		pairs := Myers(a, b)
		checkPairs(t, a, b, pairs)
		if want := lcsLen(a, b); len(pairs) != want {
			t.Fatalf("Myers(%v, %v) matched %d, LCS is %d", a, b, len(pairs), want)
		}
	}
}

// TestPatienceFallback forces the fallback on long, very different
// sequences: the match stays valid.
func TestPatienceFallback(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	a := make([]int, 6000)
	b := make([]int, 6000)
	for i := range a {
		a[i] = r.Intn(3000)
		b[i] = r.Intn(3000)
	}
	checkPairs(t, a, b, Myers(a, b))
}

func TestTokenize(t *testing.T) {
	got := []string{}
	for _, tk := range Tokenize("Don't — he said, צה\"ל בכבוד 👍🏽 ok!\n") {
		got = append(got, fmt.Sprintf("%s@%d:%d", tk.Text, tk.Start, tk.End))
	}
	want := "Don't@0:5 —@6:7 he@8:10 said@11:15 ,@15:16 צה\"ל@17:21 בכבוד@22:27 👍@28:29 🏽@29:30 ok@31:33 !@33:34"
	if strings.Join(got, " ") != want {
		t.Errorf("Tokenize =\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
}

// ---- property test ----

// word is one word of a generated document; id says where it came from
// (ids of inserted words are new).
type word struct {
	id   int
	text string
}

var vocab = []string{
	"the", "a", "crisis", "turning", "point", "respect", "family", "plan", "work", "I", "was",
	"she", "called", "me", "every", "week", "and", "then", "nothing", "changed", "help",
	"בכבוד", "משפחה", "עבודה", "היא", "אמרה", "לי", "תוכנית", "🙂", "👍🏽", "don't", "Mr.", "Levi",
	"yes", "no", "really", ",", "?", "—",
}

type gdoc struct {
	paras [][]word
	next  int
}

func (g *gdoc) newWord(r *rand.Rand) word {
	g.next++
	return word{id: g.next, text: vocab[r.Intn(len(vocab))]}
}

// render writes the document, paragraph per line pair, sentences ended
// with a full stop; it returns the text and each word id's [start,end).
func (g *gdoc) render(crlf bool) (string, map[int][2]int) {
	var sb strings.Builder
	pos := map[int][2]int{}
	n := 0
	nl := "\n\n"
	if crlf {
		nl = "\r\n\r\n"
	}
	for pi, p := range g.paras {
		if pi > 0 {
			sb.WriteString(nl)
			n += 2
		}
		for wi, w := range p {
			if wi > 0 {
				sb.WriteString(" ")
				n++
			}
			l := len([]rune(w.text))
			pos[w.id] = [2]int{n, n + l}
			sb.WriteString(w.text)
			n += l
		}
		sb.WriteString(".")
		n++
	}
	return sb.String(), pos
}

func normalise(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func sliceRunes(s string, a, b int) string { return string([]rune(s)[a:b]) }

func tokTexts(s string) string {
	var out []string
	for _, t := range Tokenize(s) {
		out = append(out, t.Text)
	}
	return strings.Join(out, " ")
}

// TestReanchorProperty applies random edits (insertions, deletions,
// replacements, moved paragraphs, CRLF line ends) to generated coded
// documents in English, Hebrew and emoji. Every coding whose words all
// survive, still side by side, is re-anchored to exactly those words
// (checked by slicing the new text); every other coding is changed (a
// valid, non-empty span) or orphaned; none is dropped.
func TestReanchorProperty(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	stats := map[Status]int{}
	for iter := 0; iter < 300; iter++ {
		g := &gdoc{}
		for p := 0; p < 3+r.Intn(8); p++ {
			var ws []word
			for w := 0; w < 3+r.Intn(25); w++ {
				ws = append(ws, g.newWord(r))
			}
			g.paras = append(g.paras, ws)
		}
		oldText, oldPos := g.render(false)
		// Codings: runs of words inside one paragraph, as word ids.
		type cd struct{ ids []int }
		var codings []cd
		var spans []Span
		for c := 0; c < 1+r.Intn(12); c++ {
			p := g.paras[r.Intn(len(g.paras))]
			i := r.Intn(len(p))
			j := i + r.Intn(min(6, len(p)-i))
			var ids []int
			for k := i; k <= j; k++ {
				ids = append(ids, p[k].id)
			}
			codings = append(codings, cd{ids})
			spans = append(spans, Span{ID: uint64(c), Start: oldPos[ids[0]][0], End: oldPos[ids[len(ids)-1]][1]})
		}
		// Edits.
		for e := 0; e < 1+r.Intn(5); e++ {
			pi := r.Intn(len(g.paras))
			p := g.paras[pi]
			switch r.Intn(5) {
			case 0: // insert words
				at := r.Intn(len(p) + 1)
				var ins []word
				for k := 0; k < 1+r.Intn(4); k++ {
					ins = append(ins, g.newWord(r))
				}
				p = append(p[:at], append(ins, p[at:]...)...)
			case 1: // delete words
				if len(p) > 1 {
					at := r.Intn(len(p))
					n := 1 + r.Intn(min(4, len(p)-at))
					if n < len(p) {
						p = append(p[:at:at], p[at+n:]...)
					}
				}
			case 2: // replace one word
				at := r.Intn(len(p))
				p = append(append(p[:at:at], g.newWord(r)), p[at+1:]...)
			case 3: // move a paragraph
				if len(g.paras) > 1 {
					to := r.Intn(len(g.paras))
					ps := append(g.paras[:pi:pi], g.paras[pi+1:]...)
					ps = append(ps[:to:to], append([][]word{p}, ps[to:]...)...)
					g.paras = ps
					continue
				}
			case 4: // a new paragraph
				var ws []word
				for w := 0; w < 2+r.Intn(10); w++ {
					ws = append(ws, g.newWord(r))
				}
				at := r.Intn(len(g.paras) + 1)
				g.paras = append(g.paras[:at:at], append([][]word{ws}, g.paras[at:]...)...)
				continue
			}
			g.paras[pi] = p
		}
		raw, newPos := g.render(r.Intn(2) == 0)
		newText := normalise(raw)
		// Which words follow which in the new text (same paragraph).
		nextOf := map[int]int{}
		for _, p := range g.paras {
			for k := 0; k+1 < len(p); k++ {
				nextOf[p[k].id] = p[k+1].id
			}
		}
		res := Reanchor(oldText, newText, spans, Options{})
		if len(res) != len(spans) {
			t.Fatalf("got %d results for %d spans", len(res), len(spans))
		}
		for ci, c := range codings {
			rs := res[ci]
			stats[rs.Status]++
			intact := true
			for k, id := range c.ids {
				if _, ok := newPos[id]; !ok {
					intact = false
				}
				if k > 0 && nextOf[c.ids[k-1]] != id {
					intact = false
				}
			}
			oldQuote := sliceRunes(oldText, spans[ci].Start, spans[ci].End)
			if rs.Status == Orphaned {
				if intact {
					t.Fatalf("iter %d: coding %q orphaned though its words survive\nold: %q\nnew: %q", iter, oldQuote, oldText, newText)
				}
				continue
			}
			if rs.NewStart < 0 || rs.NewEnd > len([]rune(newText)) || rs.NewStart >= rs.NewEnd {
				t.Fatalf("iter %d: coding %q got bad span %d:%d", iter, oldQuote, rs.NewStart, rs.NewEnd)
			}
			newQuote := sliceRunes(newText, rs.NewStart, rs.NewEnd)
			if intact {
				if rs.Status != Kept && rs.Status != Moved {
					t.Fatalf("iter %d: intact coding %q is %s (%q)\nold: %q\nnew: %q", iter, oldQuote, rs.Status, newQuote, oldText, newText)
				}
				if tokTexts(newQuote) != tokTexts(oldQuote) {
					t.Fatalf("iter %d: coding %q re-anchored to %q", iter, oldQuote, newQuote)
				}
				if rs.Status == Kept && (rs.NewStart != rs.OldStart || rs.NewEnd != rs.OldEnd) {
					t.Fatalf("kept but moved: %+v", rs)
				}
			}
		}
	}
	t.Logf("outcomes: %v", stats)
	for _, s := range []Status{Kept, Moved, Changed, Orphaned} {
		if stats[s] == 0 {
			t.Errorf("the generator never produced a %s coding: %v", s, stats)
		}
	}
}

// TestReanchorCases covers the outcomes one by one.
func TestReanchorCases(t *testing.T) {
	old := "Moshe: Ruth called me Mr. Levi every week. I was compleatly lost.\nMoshe: Then the overdose came."
	for _, c := range []struct {
		name, new, quote string
		status           Status
		want             string
	}{
		{"kept", old + " More.", "Ruth called me", Kept, "Ruth called me"},
		{"moved", "Intro.\n" + old, "I was compleatly lost.", Moved, "I was compleatly lost."},
		{"typo inside", strings.Replace(old, "compleatly", "completely", 1), "I was compleatly lost.", Changed, "I was completely lost."},
		{"name replaced", strings.ReplaceAll(old, "Levi", "Cohen"), "called me Mr. Levi every week", Changed, "called me Mr. Cohen every week"},
		{"deleted", strings.Replace(old, " I was compleatly lost.", "", 1), "I was compleatly lost", Orphaned, ""},
		{"mid-word", old + "!", "oshe: Ru", Kept, "oshe: Ru"},
		{"name at the start", strings.ReplaceAll(old, "Ruth", "R."), "Ruth called me", Changed, "R. called me"},
		{"word at the end", strings.Replace(old, "every week", "every month", 1), "Mr. Levi every week", Changed, "Mr. Levi every month"},
		{"insert before, edit inside", strings.Replace(old, "Moshe: Ruth", "Moshe: Yes. Ruth", 1), "Ruth called me", Moved, "Ruth called me"},
	} {
		t.Run(c.name, func(t *testing.T) {
			i := strings.Index(old, c.quote)
			s := len([]rune(old[:i]))
			rs := Reanchor(old, c.new, []Span{{ID: 1, Start: s, End: s + len([]rune(c.quote))}}, Options{})[0]
			if rs.Status != c.status {
				t.Fatalf("status %s, want %s (%+v)", rs.Status, c.status, rs)
			}
			if c.status != Orphaned {
				if got := sliceRunes(c.new, rs.NewStart, rs.NewEnd); got != c.want {
					t.Errorf("new quote %q, want %q", got, c.want)
				}
			}
		})
	}
}

func TestRelabel(t *testing.T) {
	text := "Interviewer: How?\nMoshe Levi: Ruth called.\nInterviewer: And?\nMOSHE LEVI: I am clean, Moshe Levi said.\n"
	turns := []coding.Turn{
		{Index: 0, Speaker: "Interviewer", Start: 13, End: 17},
		{Index: 1, Speaker: "Moshe Levi", Start: 30, End: 42},
		{Index: 2, Speaker: "Interviewer", Start: 56, End: 60},
		{Index: 3, Speaker: "MOSHE LEVI", Start: 73, End: 101},
	}
	for _, tu := range turns {
		_ = sliceRunes(text, tu.Start, tu.End)
	}
	nt, nturns, n, sh := Relabel(text, turns, "moshe levi", "Client A")
	want := "Interviewer: How?\nClient A: Ruth called.\nInterviewer: And?\nClient A: I am clean, Moshe Levi said.\n"
	if nt != want || n != 2 {
		t.Fatalf("Relabel = %q (%d turns)", nt, n)
	}
	for i, tu := range nturns {
		if sliceRunes(nt, tu.Start, tu.End) != sliceRunes(text, turns[i].Start, turns[i].End) {
			t.Errorf("turn %d reads %q", i, sliceRunes(nt, tu.Start, tu.End))
		}
		if sh.Map(turns[i].Start) != tu.Start || sh.Map(turns[i].End) != tu.End {
			t.Errorf("Shift maps turn %d to %d:%d, want %d:%d", i, sh.Map(turns[i].Start), sh.Map(turns[i].End), tu.Start, tu.End)
		}
	}
	if nturns[3].Speaker != "Client A" || nturns[2].Speaker != "Interviewer" {
		t.Errorf("speakers %v", nturns)
	}
}
