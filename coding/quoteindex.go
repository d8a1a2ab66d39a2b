package coding

// QuoteIndex locates many quotes in one text, folding the text once
// (LocateQuote folds it on every call).
type QuoteIndex struct {
	text string
	ft   folded
	lt   *folded
}

// NewQuoteIndex folds text for Locate.
func NewQuoteIndex(text string) *QuoteIndex {
	return &QuoteIndex{text: text, ft: fold(text, false)}
}

// Locate is LocateQuote on the indexed text.
func (x *QuoteIndex) Locate(quote string) QuoteResult {
	var res QuoteResult
	q := foldQuote(quote, false)
	if len(q) == 0 {
		return res
	}
	for _, i := range indexAll(x.ft.r, q) {
		res.Matches = append(res.Matches, Span{x.ft.pos[i], x.ft.end[i+len(q)-1]})
	}
	if len(res.Matches) > 0 {
		return res
	}
	return LocateQuote(x.text, quote)
}
