package index

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// uniqueWord returns the n-th word of a script, each one different, so
// that a search for it has exactly one match.
func uniqueWord(n int, alphabet []rune) string {
	var b []rune
	for n >= 0 {
		b = append(b, alphabet[n%len(alphabet)])
		n = n/len(alphabet) - 1
	}
	return string(b)
}

var (
	latin  = []rune("bcdfghjklmnpqrstvwxz")
	hebrew = []rune("בגדלמנסעפצקרשת")
	arabic = []rune("بتثجحخدذرزسشصضطظعغفقكلمن")
)

// longTurn returns a turn of about size bytes of unique Latin, Hebrew and
// Arabic words with emoji between them, and its words.
func longTurn(size int) (string, []string) {
	var b strings.Builder
	var words []string
	for i := 0; b.Len() < size; i++ {
		var w string
		switch i % 3 {
		case 0:
			w = "x" + uniqueWord(i, latin)
		case 1:
			w = uniqueWord(i, hebrew)
		default:
			w = uniqueWord(i, arabic)
		}
		words = append(words, w)
		b.WriteString(w)
		if i%7 == 0 {
			b.WriteString(" 😀")
		}
		b.WriteString(" ")
	}
	return strings.TrimSpace(b.String()), words
}

func TestPartsCoverAndCutAtSpace(t *testing.T) {
	spaced, _ := longTurn(5 * PartBytes)
	noSpace := strings.Repeat("שׁ", PartBytes) // 4 bytes per pair, no white space
	mixed := strings.ToValidUTF8(spaced[:PartBytes/3]+" "+noSpace+" "+spaced[:2*PartBytes], "")
	for name, text := range map[string]string{"spaced": spaced, "no space": noSpace, "mixed": mixed, "short": "a b", "empty": "",
		"exact": strings.Repeat("a ", PartBytes/2)} {
		parts := Parts(text)
		if len(parts) == 0 || parts[0].Start != 0 || parts[len(parts)-1].End != len(text) {
			t.Fatalf("%s: parts %v do not cover [0,%d)", name, parts, len(text))
		}
		for i, p := range parts {
			if p.End-p.Start > PartBytes || p.End <= p.Start && len(text) > 0 {
				t.Fatalf("%s: part %d is %v", name, i, p)
			}
			if !utf8.ValidString(text[p.Start:p.End]) {
				t.Fatalf("%s: part %d %v cuts a code point", name, i, p)
			}
			if i == 0 {
				continue
			}
			prev := parts[i-1]
			if p.Start > prev.End || p.Start <= prev.Start {
				t.Fatalf("%s: part %d %v does not follow %v", name, i, p, prev)
			}
			// Where there is white space near the cut, it is cut there:
			// the part ends before a space and the next starts after one.
			if name == "spaced" {
				if r, _ := utf8.DecodeRuneInString(text[prev.End:]); r != ' ' {
					t.Fatalf("%s: part %d ends inside a word: %q", name, i-1, text[prev.End-10:prev.End+10])
				}
				if r, _ := utf8.DecodeLastRuneInString(text[:p.Start]); r != ' ' {
					t.Fatalf("%s: part %d starts inside a word: %q", name, i, text[p.Start-10:p.Start+10])
				}
				if prev.End-p.Start < PartOverlap {
					t.Fatalf("%s: parts %d and %d overlap by %d bytes, less than %d", name, i-1, i, prev.End-p.Start, PartOverlap)
				}
			}
		}
	}
}

// TestSearchSplitTurn searches the words on both sides of every cut of a
// turn indexed in parts (Latin, Hebrew and Arabic words, emoji between
// them): each is one hit of that turn, with the code-point offsets of the
// word in the document; a phrase across the cut is found too.
func TestSearchSplitTurn(t *testing.T) {
	long, _ := longTurn(3*PartBytes + 5000)
	src := transcript(1, "long", "S1", "en", nil,
		"Ann: short opening turn",
		"Bob: "+long,
		"Ann: closing turn",
	)
	x := buildCorpus(t, []Source{src})
	if n, err := x.DocCount(); err != nil || n != 3 {
		t.Fatalf("DocCount = %d, %v; want 3 turns", n, err)
	}
	turn := src.Doc.Turns[1]
	off := coding.NewOffsets(src.Text)
	text := off.Slice(turn.Start, turn.End)
	parts := Parts(text)
	if len(parts) < 3 {
		t.Fatalf("the turn has %d parts, want at least 3", len(parts))
	}
	// match returns the document offsets of the word at byte b of the turn.
	match := func(b int, w string) Match {
		s := turn.Start + utf8.RuneCountInString(text[:b])
		return Match{s, s + utf8.RuneCountInString(w)}
	}
	ctx := context.Background()
	check := func(q string, want []Match) {
		t.Helper()
		res, err := x.Search(ctx, Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 1 || len(res.Hits) != 1 {
			t.Fatalf("%s: %d hits (total %d), want 1", q, len(res.Hits), res.Total)
		}
		h := res.Hits[0]
		if h.Turn != 1 || h.TurnStart != turn.Start || h.TurnEnd != turn.End {
			t.Fatalf("%s: hit turn %d [%d,%d), want turn 1 [%d,%d)", q, h.Turn, h.TurnStart, h.TurnEnd, turn.Start, turn.End)
		}
		if fmt.Sprint(h.Matches) != fmt.Sprint(want) {
			t.Fatalf("%s: matches %v, want %v", q, h.Matches, want)
		}
		for _, m := range h.Matches {
			if got := off.Slice(m.Start, m.End); !strings.Contains(q, got) {
				t.Fatalf("%s: match %v is %q", q, m, got)
			}
		}
		if !strings.Contains(h.Fragment, "**") {
			t.Fatalf("%s: fragment %q has no mark", q, h.Fragment)
		}
	}
	for k := 0; k+1 < len(parts); k++ {
		cut := parts[k].End
		// The words just before and just after the cut.
		before := text[strings.LastIndexByte(text[:cut], ' ')+1 : cut]
		afterStart := cut + 1
		if strings.HasPrefix(text[afterStart:], "😀 ") {
			afterStart += len("😀 ")
		}
		after := text[afterStart:]
		after = after[:strings.IndexByte(after, ' ')]
		bs := strings.LastIndexByte(text[:cut], ' ') + 1
		check(before, []Match{match(bs, before)})
		check(after, []Match{match(afterStart, after)})
		// Words in the overlap are in two parts, found once.
		mid := text[parts[k+1].Start:]
		mid = mid[:strings.IndexByte(mid, ' ')]
		check(mid, []Match{match(parts[k+1].Start, mid)})
		phrase := text[bs : afterStart+len(after)]
		if !strings.Contains(phrase, "😀") {
			check(`"`+phrase+`"`, []Match{match(bs, before), match(afterStart, after)})
		}
	}
	// A word of the last part.
	last := text[strings.LastIndexByte(text, ' ')+1:]
	check(last, []Match{match(len(text)-len(last), last)})

	// A turn filter names every part.
	res, err := x.Search(ctx, Request{Query: last, Filter: Filter{OnlyTurns: []string{TurnID(1, 1)}}})
	if err != nil || res.Total != 1 {
		t.Fatalf("only turn 1: %v, %v", res, err)
	}
	res, err = x.Search(ctx, Request{Query: last, Filter: Filter{ExcludeTurns: []string{TurnID(1, 1)}}})
	if err != nil || res.Total != 0 {
		t.Fatalf("without turn 1: %+v, %v", res, err)
	}
	// Paging counts turns, not parts: "n" is in all three turns.
	res, err = x.Search(ctx, Request{Regex: "n", Limit: 1, Offset: 1, Sort: SortDoc})
	if err != nil || res.Total != 3 || len(res.Hits) != 1 || res.Hits[0].Turn != 1 {
		t.Fatalf("regex page: %+v, %v", res, err)
	}

	// Deleting the document removes every part.
	w := x.NewWriter()
	w.Delete(1, len(src.Doc.Turns))
	if err := w.Commit(2); err != nil {
		t.Fatal(err)
	}
	if n, err := x.Bleve().DocCount(); err != nil || n != 0 {
		t.Fatalf("after delete the index holds %d documents (%v)", n, err)
	}
}

func TestWordsAcrossPieces(t *testing.T) {
	long, words := longTurn(3 * PartBytes)
	for _, ng := range []int{1, 2} {
		c := NewWordCounter(WordOptions{MinLen: 1, NGram: ng, KeepStopWords: true, KeepFillers: true})
		c.Add(long, "en")
		want := len(words)
		if ng == 2 {
			want--
		}
		if c.Total() != want {
			t.Fatalf("ngram %d: counted %d, want %d", ng, c.Total(), want)
		}
	}
}

// unitSpanRunes is UnitSpan as it was, over a code point array.
func unitSpanRunes(text string, start, end int, unit string) (int, int) {
	rs := []rune(text)
	n := len(rs)
	start, end = clamp(start, 0, n), clamp(end, 0, n)
	if end < start {
		start, end = end, start
	}
	lo, hi := 0, n
	if unit == UnitSentence || unit == UnitParagraph {
		isBreak := func(i int) bool {
			if i <= 0 || i >= n || rs[i-1] == '\n' {
				return true
			}
			if unit == UnitParagraph || !unicode.IsSpace(rs[i]) {
				return false
			}
			j := i - 1
			for j > 0 && strings.ContainsRune(`"'”’)]»`, rs[j]) {
				j--
			}
			return strings.ContainsRune(".!?…؟۔", rs[j])
		}
		for lo = start; lo > 0 && !isBreak(lo); lo-- {
		}
		for hi = max(start+1, end); hi < n && !isBreak(hi); hi++ {
		}
		hi = min(hi, n)
	}
	for lo < hi && unicode.IsSpace(rs[lo]) {
		lo++
	}
	for hi > lo && unicode.IsSpace(rs[hi-1]) {
		hi--
	}
	return lo, hi
}

func TestUnitSpanMatchesRunes(t *testing.T) {
	pieces := []string{"a", "שלום", " ", "\n", ". ", "؟ ", "”", "! ", "😀", "x.", "'", "» "}
	rng := rand.New(rand.NewSource(3))
	for trial := 0; trial < 3000; trial++ {
		var b strings.Builder
		for k := rng.Intn(30); k > 0; k-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		text := b.String()
		n := utf8.RuneCountInString(text)
		s, e := rng.Intn(n+3)-1, rng.Intn(n+3)-1
		for _, unit := range []string{UnitTurn, UnitSentence, UnitParagraph} {
			a1, b1 := UnitSpan(text, s, e, unit)
			a2, b2 := unitSpanRunes(text, s, e, unit)
			if a1 != a2 || b1 != b2 {
				t.Fatalf("UnitSpan(%q,%d,%d,%s) = %d,%d, want %d,%d", text, s, e, unit, a1, b1, a2, b2)
			}
		}
	}
}
