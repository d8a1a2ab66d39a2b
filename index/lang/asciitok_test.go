package lang

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	bleveunicode "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// sameTokens says how two token streams differ, or "" when they are the
// same token for token (term, offsets, position and type).
func sameTokens(got, want analysis.TokenStream) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d tokens, want %d: %v / %v", len(got), len(want), got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if string(g.Term) != string(w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position || g.Type != w.Type {
			return fmt.Sprintf("token %d = %v, want %v", i, g, w)
		}
	}
	return ""
}

var asciiCases = []string{
	"", " ", "The crisis was my turning point.", "don't", "rock'n'roll", "a.b.c", "a..b", "a.", ".a",
	"k:a", "a:1", "1:2", "3.14", "1,000,000", "1;2", "a;b", "a,b", "1.a", "a.1", "a1.2", "1a.b",
	"_", "__", "_a", "a_", "a_b", "1_2", "_1", "1_", "a_.b", "1_,2", "a'", "'a", "''", "a''b",
	"1'2", "x86_64", "e.g. i.e., U.S.A.", "3:30pm", "\"quoted\" words", "tab\there", "cr\r\nlf\n",
	"form\ffeed\vvt", "[00:01:02] Dana: yes -- no", "email@example.com http://a.b/c?d=1&e=2",
	"C++ and C# and .NET", "5%, $10.50, #1", "end.", "a\x00b", "\x7f",
}

// TestASCIITokenizerIsBleves: on ASCII text the fast path gives exactly
// bleve's unicode tokenizer's tokens, on the hand cases and on 20,000
// random strings over the characters that decide word breaks; on any
// other text it is bleve's.
func TestASCIITokenizerIsBleves(t *testing.T) {
	general := bleveunicode.NewUnicodeTokenizer()
	fast := asciiTokenizer{general}
	check := func(s string) {
		t.Helper()
		if d := sameTokens(fast.Tokenize([]byte(s)), general.Tokenize([]byte(s))); d != "" {
			t.Fatalf("%q: %s", s, d)
		}
	}
	for _, s := range asciiCases {
		check(s)
	}
	for _, s := range []string{"בְּכָבוֹד and more", "café au lait", "ab\xffcd", "x\u200dy"} {
		check(s)
	}
	const alphabet = "aZq09_:,;.' \n\r\t\v\f\"-!@x7"
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := r.Intn(24); n > 0; n-- {
			b.WriteByte(alphabet[r.Intn(len(alphabet))])
		}
		check(b.String())
	}
}

// FuzzASCIITokenizer holds the fast path to bleve's tokenizer on any input.
func FuzzASCIITokenizer(f *testing.F) {
	for _, s := range asciiCases {
		f.Add(s)
	}
	general := bleveunicode.NewUnicodeTokenizer()
	fast := asciiTokenizer{general}
	f.Fuzz(func(t *testing.T, s string) {
		if d := sameTokens(fast.Tokenize([]byte(s)), general.Tokenize([]byte(s))); d != "" {
			t.Fatalf("%q: %s", s, d)
		}
	})
}

func BenchmarkASCIITokenizer(b *testing.B) {
	text := []byte(strings.Repeat("Well, I think the crisis was my turning point: we didn't plan it, but 3.5 years on it's 1,000 times better. ", 20))
	for _, bc := range []struct {
		name string
		tok  analysis.Tokenizer
	}{{"bleve", bleveunicode.NewUnicodeTokenizer()}, {"fast", asciiTokenizer{bleveunicode.NewUnicodeTokenizer()}}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				bc.tok.Tokenize(text)
			}
		})
	}
}

// TestCachedPorterIsBleves: the cached stemmer gives bleve's stems, the
// first time and from the cache, and a keyword token is left alone.
func TestCachedPorterIsBleves(t *testing.T) {
	words := strings.Fields("running runs ran generalizations generalization crisis crises families family's " +
		"respectful respected respecting hopefully happiness caresses ponies ties caress cats feed agreed " +
		"plastered bled motoring sing conflated troubled sized hopping tanned falling hissing fizzed failing " +
		"filing happy sky relational conditional rational valenci hesitanci digitizer conformabli radicalli " +
		"differentli vileli analogousli vietnamization predication operator feudalism decisiveness hopefulness " +
		"callousness formaliti sensitiviti sensibiliti triplicate formative formalize electriciti electrical " +
		"hopeful goodness revival allowance inference airliner gyroscopic adjustable defensible irritant " +
		"replacement adjustment dependent adoption homologou communism activate angulariti homologous effective " +
		"bowdlerize probate rate cease controll roll a as is 1,000 x86_64 don't")
	bleve := porter.NewPorterStemmer()
	for round := 0; round < 2; round++ {
		for _, w := range words {
			want := bleve.Filter(analysis.TokenStream{{Term: []byte(w)}})[0].Term
			got := porterCache.Filter(analysis.TokenStream{{Term: []byte(w)}})[0].Term
			if string(got) != string(want) {
				t.Fatalf("round %d: stem of %q = %q, want %q", round, w, got, want)
			}
		}
	}
	kw := porterCache.Filter(analysis.TokenStream{{Term: []byte("running"), KeyWord: true}})[0].Term
	if string(kw) != "running" {
		t.Errorf("keyword stemmed to %q", kw)
	}
}
