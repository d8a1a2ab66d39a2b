package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/store"
)

type wordsOpts struct {
	sel       selFlags
	top       int
	minLen    int
	minCount  int
	ngram     int
	stop      bool
	compareTo string
	format    string
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		var o wordsOpts
		cmd := &cobra.Command{
			Use:   "words",
			Short: "Most frequent words, or the words that distinguish a subset",
			Long: `Count the words of the interviews' speech (turns only, never the speaker
labels), after the filters. Words are read as the search index reads them:
lower case, niqqud and harakat removed, Hebrew final letters and quotes
unified; they are not stemmed and Hebrew prefixes stay (בכבוד and כבוד are
two words). Stop words of each word's language and numbers are left out.

--compare-to ranks the words that are more frequent in the selection than in
a reference by Dunning's log-likelihood G2 (p < 0.05 from G2 >= 3.84):
  all    the rest of the project
  code   the rest of the coded text (any code)
  case   the rest of the cases the selection comes from`,
			Example: `  tacit words --role client --top 30
  tacit words --ngram 2 --case "S3 True dignity"
  tacit words --code "Principles/Crisis as a lever for change" --compare-to all
  tacit words --role staff --compare-to all --format csv > staff-words.csv`,
			Args: argsN(0, 0, "no arguments (filters are flags)"),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runWords(cmd.Context(), g, o)
			},
		}
		o.sel.add(cmd, true)
		f := cmd.Flags()
		f.IntVar(&o.top, "top", 50, "show this many words (0: all)")
		f.IntVar(&o.minLen, "min-len", 2, "ignore words shorter than this many letters")
		f.IntVar(&o.minCount, "min-count", 1, "ignore words seen fewer times in the selection")
		f.IntVar(&o.ngram, "ngram", 1, "1 for words, 2 for pairs of adjacent words")
		f.BoolVar(&o.stop, "keep-stop-words", false, "count stop words too")
		f.StringVar(&o.compareTo, "compare-to", "", "rank words distinguishing the selection from: all, code or case")
		f.StringVarP(&o.format, "format", "f", "", "table, json or csv (default table; --json means json)")
		root.AddCommand(cmd)
	})
}

type wordsJSON struct {
	Words       int               `json:"total_words"`
	RefWords    *int              `json:"ref_total_words,omitempty"`
	CompareTo   string            `json:"compare_to,omitempty"`
	Frequent    []index.WordCount `json:"words,omitempty"`
	Distinctive []index.Keyword   `json:"keywords,omitempty"`
}

func runWords(ctx context.Context, g *globals, o wordsOpts) error {
	format := o.format
	if format == "" {
		format = "table"
		if g.json {
			format = "json"
		}
	}
	switch format {
	case "table", "json", "csv":
	default:
		return usagef("unknown --format %q; use table, json or csv", format)
	}
	if o.ngram != 1 && o.ngram != 2 {
		return usagef("--ngram must be 1 or 2")
	}
	switch o.compareTo {
	case "", "all", "code", "case":
	default:
		return usagef("unknown --compare-to %q; use all, code or case", o.compareTo)
	}
	if o.top < 0 || o.minLen < 1 || o.minCount < 1 {
		return usagef("--top must be 0 or more, --min-len and --min-count 1 or more")
	}
	p, err := g.open(true)
	if err != nil {
		return err
	}
	defer p.Close()
	wo := index.WordOptions{MinLen: o.minLen, NGram: o.ngram, KeepStopWords: o.stop}
	sub, ref := index.NewWordCounter(wo), index.NewWordCounter(wo)
	err = p.Store.View(func(tx *store.Tx) error {
		sel, err := o.sel.resolve(tx)
		if err != nil {
			return err
		}
		if o.compareTo != "" && o.sel.empty() {
			return usagef("--compare-to needs a selection to compare (--code, --role, --case, ...)")
		}
		var coded index.Spans
		if o.compareTo == "code" {
			if coded, err = allCodedSpans(tx, sel); err != nil {
				return err
			}
		}
		subCases := map[uint64]bool{}
		type part struct {
			doc   *coding.Document
			text  string
			spans []index.Span // reference spans before the subset is removed
			sub   []index.Span
		}
		var parts []part
		for _, d := range sel.docs {
			if err := ctx.Err(); err != nil {
				return err
			}
			text, err := tx.Text(d.ID)
			if err != nil {
				return err
			}
			off := coding.NewOffsets(text)
			lng := sel.lang(d)
			pt := part{doc: d, text: text}
			for _, t := range d.Turns {
				turn := []index.Span{{Start: t.Start, End: t.End}}
				var s []index.Span
				if sel.turnOK(d, t) {
					s = turn
					if sel.inside != nil {
						s = intersect(s, sel.inside[d.ID])
					}
					if sel.outside != nil {
						s = subtract(s, sel.outside[d.ID])
					}
				}
				for _, sp := range s {
					sub.Add(off.Slice(sp.Start, sp.End), lng)
				}
				if len(s) > 0 {
					subCases[d.CaseID] = true
				}
				pt.sub = append(pt.sub, s...)
				switch o.compareTo {
				case "all", "case":
					pt.spans = append(pt.spans, turn...)
				case "code":
					pt.spans = append(pt.spans, intersect(turn, coded[d.ID])...)
				}
			}
			parts = append(parts, pt)
		}
		if o.compareTo == "" {
			return nil
		}
		for _, pt := range parts {
			if o.compareTo == "case" && !subCases[pt.doc.CaseID] {
				continue
			}
			off := coding.NewOffsets(pt.text)
			for _, sp := range subtract(pt.spans, pt.sub) {
				ref.Add(off.Slice(sp.Start, sp.End), sel.lang(pt.doc))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if o.compareTo == "" {
		words := sub.Top(o.top, o.minCount)
		switch format {
		case "json":
			return g.printJSON(wordsJSON{Words: sub.Total(), Frequent: nonNil(words)})
		case "csv":
			rows := [][]string{{"word", "count", "per_1000"}}
			for _, w := range words {
				rows = append(rows, []string{w.Word, strconv.Itoa(w.Count), ftoa(w.PerThousand)})
			}
			return writeCSV(g.stdout, rows)
		}
		if len(words) == 0 {
			fmt.Fprintln(g.stdout, "no words in the selection")
			return nil
		}
		tw := g.table("WORD", "COUNT", "PER 1000")
		for _, w := range words {
			row(tw, w.Word, w.Count, ftoa(w.PerThousand))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(g.stdout, "%d words counted\n", sub.Total())
		return nil
	}
	kws := index.Keywords(sub, ref, o.top, o.minCount)
	switch format {
	case "json":
		n := ref.Total()
		return g.printJSON(wordsJSON{Words: sub.Total(), RefWords: &n, CompareTo: o.compareTo, Distinctive: nonNil(kws)})
	case "csv":
		rows := [][]string{{"word", "count", "ref_count", "per_1000", "ref_per_1000", "g2", "p"}}
		for _, k := range kws {
			rows = append(rows, []string{k.Word, strconv.Itoa(k.Count), strconv.Itoa(k.RefCount),
				ftoa(k.PerThousand), ftoa(k.RefPerThousand), ftoa(k.G2), pString(k.P)})
		}
		return writeCSV(g.stdout, rows)
	}
	if len(kws) == 0 {
		fmt.Fprintf(g.stdout, "no word is more frequent in the selection than in the reference (%d and %d words)\n", sub.Total(), ref.Total())
		return nil
	}
	tw := g.table("WORD", "COUNT", "REF COUNT", "PER 1000", "REF PER 1000", "G2", "P")
	for _, k := range kws {
		row(tw, k.Word, k.Count, k.RefCount, ftoa(k.PerThousand), ftoa(k.RefPerThousand), ftoa(k.G2), pString(k.P))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "selection %d words, reference (%s) %d words\n", sub.Total(), o.compareTo, ref.Total())
	return nil
}

// allCodedSpans returns the spans of every coding (by the selected coders).
func allCodedSpans(tx *store.Tx, sel *selection) (index.Spans, error) {
	sp := index.Spans{}
	err := tx.Codings(func(c *coding.Coding) error {
		if sel.coders == nil || sel.coders[c.Coder] {
			sp.Add(c.DocID, c.Start, c.End)
		}
		return nil
	})
	sp.Normalize()
	return sp, err
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func pString(p float64) string {
	if p >= 1 {
		return "-"
	}
	return "<" + ftoa(p)
}

// intersect returns the parts of a that lie inside b (both sorted, merged).
func intersect(a, b []index.Span) []index.Span {
	var out []index.Span
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		s, e := max(a[i].Start, b[j].Start), min(a[i].End, b[j].End)
		if s < e {
			out = append(out, index.Span{Start: s, End: e})
		}
		if a[i].End < b[j].End {
			i++
		} else {
			j++
		}
	}
	return out
}

// subtract returns the parts of a outside b (b sorted and merged; a's
// spans need not be sorted but must not overlap each other).
func subtract(a, b []index.Span) []index.Span {
	var out []index.Span
	for _, sp := range a {
		cur := sp.Start
		for _, x := range b {
			if x.End <= cur || x.Start >= sp.End {
				continue
			}
			if x.Start > cur {
				out = append(out, index.Span{Start: cur, End: x.Start})
			}
			cur = max(cur, x.End)
		}
		if cur < sp.End {
			out = append(out, index.Span{Start: cur, End: sp.End})
		}
	}
	return out
}
