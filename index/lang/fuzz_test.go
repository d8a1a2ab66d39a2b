package lang

import (
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"בְּכָבוֹד והכבוד וכשהגענו",
	`בצה"ל צה״ל מע"מ דו"ח ת"א ח"כ`,
	"צ׳ק ג'ל פרופ' מסאז׳ ה' ''",
	"העבודה\u200F \u200Eשלום\u200D",
	"בית־ספר ה-IDF ו-iPhone בGoogle ב2023 ב-٢٠٢٣",
	"ﬠﬡשׁ שׁ שׂ ﬣ",
	"وَالكِتَابُ بالمدرسة كتـــاب ﻻ ﷲ",
	"The workers' children's reports",
	"וכשה'\"'\"",
	"ב\xffכבוד\xc0",
	"\u05c7\u05bc\u0591",
	"",
}

// FuzzHebrewAnalyzer checks the Hebrew index and query analyzers on any input: no panic,
// offsets inside the input, a term for every surface token, valid UTF-8 terms for valid
// input, added forms at their word's position and offsets, and that every query term is
// among the index terms at the same position (so a word always finds itself).
func FuzzHebrewAnalyzer(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	idx := analyzerNamed(f, AnalyzerHe)
	qry := analyzerNamed(f, QueryAnalyzerHe)
	f.Fuzz(func(t *testing.T, s string) {
		in := []byte(s)
		indexTerms := map[int]map[string]bool{}
		spans := map[int][2]int{}
		for _, tk := range idx.Analyze(in) {
			if tk.Start < 0 || tk.End > len(in) || tk.Start > tk.End {
				t.Fatalf("index token %v outside input of %d bytes", tk, len(in))
			}
			if utf8.Valid(in) && (!utf8.Valid(tk.Term) || !utf8.Valid(in[tk.Start:tk.End])) {
				t.Fatalf("index token %v: invalid UTF-8", tk)
			}
			if sp, ok := spans[tk.Position]; ok && sp != [2]int{tk.Start, tk.End} {
				t.Fatalf("position %d has offsets %v and [%d,%d)", tk.Position, sp, tk.Start, tk.End)
			}
			spans[tk.Position] = [2]int{tk.Start, tk.End}
			if indexTerms[tk.Position] == nil {
				indexTerms[tk.Position] = map[string]bool{}
			}
			indexTerms[tk.Position][string(tk.Term)] = true
		}
		for _, tk := range qry.Analyze(in) {
			if tk.Start < 0 || tk.End > len(in) || tk.Start > tk.End {
				t.Fatalf("query token %v outside input of %d bytes", tk, len(in))
			}
			if utf8.Valid(in) && !indexTerms[tk.Position][string(tk.Term)] {
				t.Fatalf("query term %q at position %d is not indexed there (index terms %v)", tk.Term, tk.Position, indexTerms[tk.Position])
			}
		}
	})
}

// FuzzNormalize checks the word normaliser: no panic, valid UTF-8 out for valid UTF-8 in,
// and idempotence (the query side normalises already-normalised list words again).
func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		for _, l := range []string{"he", "ar", "en", "fr"} {
			n := Normalize(l, s)
			if !utf8.ValidString(n) {
				t.Fatalf("Normalize(%s, %q) = %q: invalid UTF-8", l, s, n)
			}
			if n2 := Normalize(l, n); n2 != n && hasHebrew([]byte(s)) {
				t.Fatalf("Normalize(%s) not idempotent: %q -> %q -> %q", l, s, n, n2)
			}
		}
	})
}
