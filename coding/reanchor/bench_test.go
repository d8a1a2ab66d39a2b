package reanchor

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// dmpMatch is the same word-level diff done by sergi/go-diff's
// diffmatchpatch (each token id becomes one rune), kept to measure the
// two against each other (see BenchmarkAlign and TestMatchersAgree).
func dmpMatch(a, b []int) [][2]int {
	toRune := func(x int) rune {
		r := rune(x + 0x100)
		if r >= 0xD800 {
			r += 0x800 // skip the surrogates, which do not survive a string
		}
		return r
	}
	ra := make([]rune, len(a))
	for i, x := range a {
		ra[i] = toRune(x)
	}
	rb := make([]rune, len(b))
	for i, x := range b {
		rb[i] = toRune(x)
	}
	d := diffmatchpatch.New()
	d.DiffTimeout = 5 * time.Second
	var out [][2]int
	i, j := 0, 0
	for _, df := range d.DiffMainRunes(ra, rb, false) {
		n := len([]rune(df.Text))
		switch df.Type {
		case diffmatchpatch.DiffEqual:
			for k := 0; k < n; k++ {
				out = append(out, [2]int{i + k, j + k})
			}
			i += n
			j += n
		case diffmatchpatch.DiffDelete:
			i += n
		case diffmatchpatch.DiffInsert:
			j += n
		}
	}
	return out
}

// interview generates an interview of about n words with a corrected
// version: edits scattered through it, a paragraph inserted early, a name
// replaced throughout.
func interview(n int, edits int, seed int64) (string, string) {
	r := rand.New(rand.NewSource(seed))
	var ws []string
	// Real interview text (the English sample stories), else generated.
	var sample []string
	for _, f := range []string{"s1-step-by-step/client-moshe.txt", "s1-step-by-step/staff-ruth.md", "s2-new-career/staff-avi.txt",
		"s3-true-dignity/staff-nadia.txt", "s4-way-out/staff-michal.txt", "s5-whole-family/client-sigal.txt"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "samples", "study", f)); err == nil {
			sample = append(sample, strings.Split(string(b), " ")...)
		}
	}
	for len(ws) < n {
		if len(sample) > 0 {
			ws = append(ws, sample...)
			continue
		}
		ws = append(ws, vocab[r.Intn(len(vocab))])
		if r.Intn(15) == 0 {
			ws = append(ws, ".\n\nMoshe:")
		}
	}
	ws = ws[:n]
	old := strings.Join(ws, " ")
	nw := append([]string(nil), ws...)
	for e := 0; e < edits; e++ {
		at := r.Intn(len(nw))
		switch r.Intn(3) {
		case 0:
			nw = append(nw[:at:at], nw[at+1:]...)
		case 1:
			nw = append(nw[:at:at], append([]string{"inserted", "words"}, nw[at:]...)...)
		default:
			nw[at] = "replaced"
		}
	}
	nw = append([]string{"A", "new", "paragraph", "at", "the", "start", ".\n\n"}, nw...)
	return old, strings.ReplaceAll(strings.Join(nw, " "), "Moshe", "Client A")
}

// TestMatchersAgree checks that both diffs give valid matches of about
// the same size on a realistic correction.
func TestMatchersAgree(t *testing.T) {
	old, nw := interview(8000, 40, 3)
	m1 := Align(old, nw, Options{})
	m2 := Align(old, nw, Options{Match: dmpMatch})
	n1, n2 := 0, 0
	for i := range m1.newIdx {
		if m1.newIdx[i] >= 0 {
			n1++
		}
		if m2.newIdx[i] >= 0 {
			n2++
		}
	}
	checkPairs(t, m1.ai, m1.bi, Myers(m1.ai, m1.bi))
	checkPairs(t, m2.ai, m2.bi, dmpMatch(m2.ai, m2.bi))
	if n1 < n2 {
		t.Errorf("Myers matched %d tokens, diffmatchpatch %d", n1, n2)
	}
}

// BenchmarkAlign compares the two diffs on an 8,000-word interview with
// 40 scattered edits (compare the ratio, within one run).
func BenchmarkAlign(b *testing.B) {
	old, nw := interview(8000, 40, 3)
	for _, c := range []struct {
		name string
		m    Matcher
	}{{"myers", Myers}, {"diffmatchpatch", dmpMatch}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Align(old, nw, Options{Match: c.m})
			}
		})
	}
	b.Run("myers-diff-only", func(b *testing.B) {
		m := Align(old, nw, Options{})
		for i := 0; i < b.N; i++ {
			Myers(m.ai, m.bi)
		}
	})
	b.Run("dmp-diff-only", func(b *testing.B) {
		m := Align(old, nw, Options{})
		for i := 0; i < b.N; i++ {
			dmpMatch(m.ai, m.bi)
		}
	})
}
