package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
)

type wordsOpts struct {
	sel       selFlags
	top       int
	minLen    int
	minCount  int
	ngram     int
	stop, all bool
	compareTo string
	out       output
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
				return runWords(cmd, g, o)
			},
		}
		o.sel.add(cmd, true)
		f := cmd.Flags()
		f.IntVar(&o.top, "top", 50, "show this many words (0: all)")
		f.IntVar(&o.minLen, "min-len", 2, "ignore words shorter than this many letters")
		f.IntVar(&o.minCount, "min-count", 1, "ignore words seen fewer times in the selection")
		f.IntVar(&o.ngram, "ngram", 1, "1 for words, 2 for pairs of adjacent words")
		f.BoolVar(&o.stop, "keep-stop-words", false, "count stop words too")
		f.BoolVar(&o.all, "all-words", false, "count every word: stop words and spoken fillers (um, like, yeah, כאילו, يعني) too")
		f.StringVar(&o.compareTo, "compare-to", "", "rank words distinguishing the selection from: all, code or case")
		addOutput(cmd, &o.out)
		root.AddCommand(cmd)
	})
}

func runWords(cmd *cobra.Command, g *globals, o wordsOpts) error {
	if _, err := o.out.resolve(g); err != nil {
		return err
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
	if o.compareTo != "" && o.sel.empty() {
		return usagef("--compare-to needs a selection to compare (--code, --role, --case, ...)")
	}
	sel, err := o.sel.selection()
	if err != nil {
		return err
	}
	var res *project.WordsResult
	err = g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
		res, err = ops.Words(ctx, project.WordsRequest{Selection: sel, Top: o.top, MinLen: o.minLen, MinCount: o.minCount,
			NGram: o.ngram, KeepStopWords: o.stop, AllWords: o.all, CompareTo: o.compareTo})
		return err
	})
	if err != nil {
		return err
	}
	if o.compareTo == "" {
		words := res.Frequent
		l := listing{title: "Words", json: res, columns: []string{"word", "count", "per_1000"}}
		for _, w := range words {
			l.rows = append(l.rows, []string{w.Word, strconv.Itoa(w.Count), ftoa(w.PerThousand)})
		}
		l.table = func(out io.Writer) error {
			if len(words) == 0 {
				fmt.Fprintln(out, "no words in the selection")
				return nil
			}
			tw := newTable(out, "WORD", "COUNT", "PER 1000")
			for _, w := range words {
				row(tw, w.Word, w.Count, ftoa(w.PerThousand))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(out, "%d words counted\n", res.Words)
			return nil
		}
		return o.out.list(g, l)
	}
	kws := res.Distinctive
	l := listing{title: "Distinctive words", json: res, columns: []string{"word", "count", "ref_count", "per_1000", "ref_per_1000", "g2", "p"}}
	for _, k := range kws {
		l.rows = append(l.rows, []string{k.Word, strconv.Itoa(k.Count), strconv.Itoa(k.RefCount),
			ftoa(k.PerThousand), ftoa(k.RefPerThousand), ftoa(k.G2), pString(k.P)})
	}
	l.table = func(out io.Writer) error {
		if len(kws) == 0 {
			fmt.Fprintf(out, "no word is more frequent in the selection than in the reference (%d and %d words)\n", res.Words, *res.RefWords)
			return nil
		}
		tw := newTable(out, "WORD", "COUNT", "REF COUNT", "PER 1000", "REF PER 1000", "G2", "P")
		for _, k := range kws {
			row(tw, k.Word, k.Count, k.RefCount, ftoa(k.PerThousand), ftoa(k.RefPerThousand), ftoa(k.G2), pString(k.P))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(out, "selection %d words, reference (%s) %d words\n", res.Words, o.compareTo, *res.RefWords)
		return nil
	}
	return o.out.list(g, l)
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func pString(p float64) string {
	if p >= 1 {
		return "-"
	}
	return "<" + ftoa(p)
}
