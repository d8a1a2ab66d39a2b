package lang

import (
	"github.com/blevesearch/bleve/v2/analysis"
)

// asciiTokenizer is bleve's unicode tokenizer (UAX #29 words as
// github.com/blevesearch/segment finds them) with a path of its own for a
// text that is all ASCII, most English turns: the same tokens (terms,
// byte offsets, positions, types) from one scan and two allocations, where
// the general segmenter was a tenth of an import's CPU. Any other text goes
// to bleve's tokenizer. TestASCIITokenizerIsBleves and FuzzASCIITokenizer
// hold the two to the same output.
type asciiTokenizer struct{ general analysis.Tokenizer }

// Word-break classes of the ASCII bytes (UAX #29, as segment's tables
// give them): letters, digits, the low line (ExtendNumLet), and the
// characters that join two letters (MidLetter ':'), two digits (MidNum
// ',' ';') or either (MidNumLet '.', Single_Quote, the apostrophe). Everything else
// ends a word and is no word itself.
const (
	wbOther = iota
	wbLetter
	wbDigit
	wbLow
	wbMidLetter
	wbMidNum
	wbMidBoth
)

var wbClass = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = wbLetter, wbLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = wbDigit
	}
	t['_'] = wbLow
	t[':'] = wbMidLetter
	t[','], t[';'] = wbMidNum, wbMidNum
	t['.'], t['\''] = wbMidBoth, wbMidBoth
	return t
}()

func isASCII(b []byte) bool {
	var or byte
	for _, c := range b {
		or |= c
	}
	return or < 0x80
}

// Tokenize returns the words of input.
func (t asciiTokenizer) Tokenize(input []byte) analysis.TokenStream {
	if !isASCII(input) {
		return t.general.Tokenize(input)
	}
	toks := make([]analysis.Token, 0, len(input)/5+1)
	n := len(input)
	for i := 0; i < n; {
		c := wbClass[input[i]]
		if c != wbLetter && c != wbDigit && c != wbLow {
			i++
			continue
		}
		start := i
		letters, digits := false, false
	word:
		for i < n {
			switch c := wbClass[input[i]]; c {
			case wbLetter:
				letters = true
			case wbDigit:
				digits = true
			case wbLow:
			case wbMidLetter, wbMidNum, wbMidBoth:
				// joins two letters or two digits (WB6, WB7, WB11, WB12)
				if i+1 >= n {
					break word
				}
				prev, next := wbClass[input[i-1]], wbClass[input[i+1]]
				if !(prev == wbLetter && next == wbLetter && c != wbMidNum) &&
					!(prev == wbDigit && next == wbDigit && c != wbMidLetter) {
					break word
				}
			default:
				break word
			}
			i++
		}
		// A word of digits (and low lines) is a number; any letter makes
		// it a word, and so does a word of low lines alone.
		typ := analysis.AlphaNumeric
		if digits && !letters {
			typ = analysis.Numeric
		}
		toks = append(toks, analysis.Token{Term: input[start:i], Start: start, End: i, Position: len(toks) + 1, Type: typ})
	}
	out := make(analysis.TokenStream, len(toks))
	for k := range toks {
		out[k] = &toks[k]
	}
	return out
}
