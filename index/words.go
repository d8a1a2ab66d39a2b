package index

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	bleveunicode "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index/lang"
)

// WordOptions controls a word count.
type WordOptions struct {
	// MinLen is the minimum number of code points of a counted word
	// (default 2).
	MinLen int
	// NGram is 1 for words (default) or 2 for pairs of adjacent words
	// within a sentence.
	NGram int
	// KeepStopWords counts stop words too.
	KeepStopWords bool
	// KeepFillers counts the fillers of spoken language too ("um", "like",
	// "yeah", "כאילו", "يعني": lang.IsSpokenFiller).
	KeepFillers bool
}

// WordCounter counts words of texts with the tokenisation and folding of
// the search index: bleve's Unicode word segmentation, then lang.Normalize
// (lower case, niqqud and harakat removed, Hebrew final letters and quotes
// unified; no stemming and no Hebrew prefix stripping), stop words of the
// word's script removed (lang.IsStopWord). Tokens without a letter (numbers)
// are not counted.
type WordCounter struct {
	opt    WordOptions
	counts map[string]int
	forms  map[string]map[string]int
	total  int
}

// NewWordCounter returns an empty counter.
func NewWordCounter(opt WordOptions) *WordCounter {
	if opt.MinLen <= 0 {
		opt.MinLen = 2
	}
	if opt.NGram <= 0 {
		opt.NGram = 1
	}
	return &WordCounter{opt: opt, counts: map[string]int{}, forms: map[string]map[string]int{}}
}

var tokenizer = bleveunicode.NewUnicodeTokenizer()

type wordTok struct {
	key, form string
	ok        bool // counted (not a stop word, long enough)
	start     int  // byte offsets in the text
	end       int
}

// Add counts the words of one text written in language lng (a document's
// language, used for words in Latin script; Hebrew and Arabic words are
// judged by their script). A long text is tokenised a piece at a time
// (cut at white space), so that a 50 MB turn never holds all its tokens.
func (c *WordCounter) Add(text, lng string) {
	var prev *wordTok // the last word of the previous piece
	for start := 0; start < len(text); {
		end := len(text)
		if end-start > PartBytes {
			end = cutAt(text, start+PartBytes, start+PartBytes/2)
			if end <= start {
				end = len(text)
			}
		}
		words := c.words(text[start:end], lng, start)
		switch c.opt.NGram {
		case 1:
			for _, w := range words {
				if w.ok {
					c.count(w.key, w.form)
				}
			}
		default:
			if prev != nil && len(words) > 0 {
				words = append([]wordTok{*prev}, words...)
			}
			for i := 1; i < len(words); i++ {
				a, b := words[i-1], words[i]
				if !a.ok || !b.ok || strings.ContainsAny(text[a.end:b.start], ".!?;:…؟۔\n") {
					continue
				}
				c.count(a.key+" "+b.key, a.form+" "+b.form)
			}
			if len(words) > 0 {
				last := words[len(words)-1]
				prev = &last
			}
		}
		start = end
	}
}

// words tokenises a piece of a text that starts at byte offset base.
func (c *WordCounter) words(text, lng string, base int) []wordTok {
	toks := tokenizer.Tokenize([]byte(text))
	words := make([]wordTok, 0, len(toks))
	for _, t := range toks {
		term := string(t.Term)
		if !hasLetter(term) {
			continue
		}
		key := lang.Normalize(lng, term)
		ok := coding.RuneLen(key) >= c.opt.MinLen && (c.opt.KeepStopWords || !lang.IsStopWord(lng, term)) &&
			(c.opt.KeepFillers || !lang.IsSpokenFiller(lng, term))
		words = append(words, wordTok{key: key, form: strings.ToLower(term), ok: ok, start: base + t.Start, end: base + t.End})
	}
	return words
}

func (c *WordCounter) count(key, form string) {
	c.counts[key]++
	c.total++
	f := c.forms[key]
	if f == nil {
		f = map[string]int{}
		c.forms[key] = f
	}
	f[form]++
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// Total returns the number of words (or pairs) counted.
func (c *WordCounter) Total() int { return c.total }

// form returns the most frequent surface form of a key (ties: the
// shortest, so a form without niqqud, then the alphabetically first).
func (c *WordCounter) form(key string) string {
	best, n := key, -1
	for f, k := range c.forms[key] {
		if k > n || (k == n && (len(f) < len(best) || len(f) == len(best) && f < best)) {
			best, n = f, k
		}
	}
	return best
}

// WordCount is one line of a frequency list.
type WordCount struct {
	Word        string  `json:"word"`
	Key         string  `json:"key"`
	Count       int     `json:"count"`
	PerThousand float64 `json:"per_1000"`
}

// Top returns the n most frequent words (all when n <= 0) counted at least
// minCount times, most frequent first, ties in key order. Word is the most
// frequent surface form, Key the folded form that was counted.
func (c *WordCounter) Top(n, minCount int) []WordCount {
	out := []WordCount{}
	for k, v := range c.counts {
		if v >= minCount {
			out = append(out, WordCount{Word: c.form(k), Key: k, Count: v, PerThousand: per1000(v, c.total)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func per1000(v, total int) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(float64(v)*1e6/float64(total)) / 1e3
}

// Keyword is a word that distinguishes a subset of the text from a
// reference: its counts in both, and Dunning's log-likelihood G2.
type Keyword struct {
	Word           string  `json:"word"`
	Key            string  `json:"key"`
	Count          int     `json:"count"`
	RefCount       int     `json:"ref_count"`
	PerThousand    float64 `json:"per_1000"`
	RefPerThousand float64 `json:"ref_per_1000"`
	G2             float64 `json:"g2"`
	// P is the significance level the G2 passes: 0.001, 0.01, 0.05, or 1
	// (not significant), from the chi-square distribution with one degree
	// of freedom (critical values 10.83, 6.63, 3.84).
	P float64 `json:"p"`
}

// Keywords returns the n words (all when n <= 0) that are relatively more
// frequent in subset than in ref, with at least minCount occurrences in the
// subset, highest G2 first.
func Keywords(subset, ref *WordCounter, n, minCount int) []Keyword {
	out := []Keyword{}
	c, d := float64(subset.total), float64(ref.total)
	for k, a := range subset.counts {
		if a < minCount {
			continue
		}
		b := ref.counts[k]
		if d > 0 && float64(a)/c <= float64(b)/d {
			continue
		}
		g := LogLikelihood(float64(a), float64(b), c, d)
		out = append(out, Keyword{Word: subset.form(k), Key: k, Count: a, RefCount: b,
			PerThousand: per1000(a, subset.total), RefPerThousand: per1000(b, ref.total),
			G2: math.Round(g*1000) / 1000, P: pLevel(g)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].G2 != out[j].G2 {
			return out[i].G2 > out[j].G2
		}
		return out[i].Key < out[j].Key
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// LogLikelihood returns Dunning's G2 for a word seen a times in a corpus of
// c words and b times in a corpus of d words (Rayson and Garside 2000):
// 2·(a·ln(a/E1) + b·ln(b/E2)) with E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d).
func LogLikelihood(a, b, c, d float64) float64 {
	if c+d == 0 || a+b == 0 {
		return 0
	}
	e1 := c * (a + b) / (c + d)
	e2 := d * (a + b) / (c + d)
	g := 0.0
	if a > 0 {
		g += a * math.Log(a/e1)
	}
	if b > 0 {
		g += b * math.Log(b/e2)
	}
	return 2 * g
}

func pLevel(g float64) float64 {
	switch {
	case g >= 10.83:
		return 0.001
	case g >= 6.63:
		return 0.01
	case g >= 3.84:
		return 0.05
	}
	return 1
}

// Units of text that autocode codes.
const (
	UnitTurn      = "turn"
	UnitSentence  = "sentence"
	UnitParagraph = "paragraph"
)

// UnitSpan returns the unit of text around [start,end) (code points of
// text): the whole text (UnitTurn), the sentence or sentences
// (UnitSentence), or the paragraph or paragraphs (UnitParagraph) that hold
// it, without surrounding white space. A sentence ends after ., !, ?, …,
// ؟ or ۔ (with any closing quotes or brackets) followed by white space, or
// at a line break; a paragraph ends at a line break.
func UnitSpan(text string, start, end int, unit string) (int, int) {
	return UnitSpanOf(coding.NewOffsets(text), text, start, end, unit)
}

// UnitSpanOf is UnitSpan with the offsets of text (coding.NewOffsets) at
// hand. It reads only the text between the unit's ends: a turn may be
// 50 MB, and a code point array of it took 200 MB for every match.
func UnitSpanOf(off *coding.Offsets, text string, start, end int, unit string) (int, int) {
	n := off.Len()
	start, end = clamp(start, 0, n), clamp(end, 0, n)
	if end < start {
		start, end = end, start
	}
	at := func(b int) rune { r, _ := utf8.DecodeRuneInString(text[b:]); return r }
	before := func(b int) (rune, int) { return utf8.DecodeLastRuneInString(text[:b]) }
	lo, hi := 0, len(text) // byte offsets
	if unit == UnitSentence || unit == UnitParagraph {
		isBreak := func(b int) bool { // a unit ends before the code point at byte b
			if b <= 0 || b >= len(text) {
				return true
			}
			prev, size := before(b)
			if prev == '\n' {
				return true
			}
			if unit == UnitParagraph || !unicode.IsSpace(at(b)) {
				return false
			}
			j := b - size // the code point before b
			for j > 0 && strings.ContainsRune(`"'”’)]»`, at(j)) {
				_, sz := before(j)
				j -= sz
			}
			return strings.ContainsRune(".!?…؟۔", at(j))
		}
		for lo = off.Byte(start); lo > 0 && !isBreak(lo); {
			_, sz := before(lo)
			lo -= sz
		}
		for hi = max(off.Byte(start+1), off.Byte(end)); hi < len(text) && !isBreak(hi); {
			_, sz := utf8.DecodeRuneInString(text[hi:])
			hi += sz
		}
		hi = min(hi, len(text))
	}
	for lo < hi && unicode.IsSpace(at(lo)) {
		_, sz := utf8.DecodeRuneInString(text[lo:])
		lo += sz
	}
	for hi > lo {
		r, sz := before(hi)
		if !unicode.IsSpace(r) {
			break
		}
		hi -= sz
	}
	return off.Rune(lo), off.Rune(hi)
}
