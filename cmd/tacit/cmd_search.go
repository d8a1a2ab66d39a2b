package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/project"
)

// selFlags are the filters that search, words and autocode share.
type selFlags struct {
	cases, docs, speakers, roles, attrs []string
	langs                               []string
	codes, notCodes, coders             []string
}

func (sf *selFlags) add(cmd *cobra.Command, withCodes bool) {
	f := cmd.Flags()
	f.StringArrayVar(&sf.cases, "case", nil, "only turns of this case (repeatable: any of them)")
	f.StringArrayVar(&sf.docs, "doc", nil, "only turns of this document, by name or id (repeatable)")
	f.StringArrayVar(&sf.speakers, "speaker", nil, "only turns of this speaker label (repeatable)")
	f.StringArrayVar(&sf.roles, "role", nil, "only speech of this role: client, staff, interviewer, ... (repeatable)")
	f.StringArrayVar(&sf.attrs, "attr", nil, "only documents (or cases) with attribute key=value (repeatable: all of them)")
	f.StringSliceVar(&sf.langs, "lang", nil, "only documents in these languages (en, he, ar, ...)")
	if withCodes {
		f.StringArrayVar(&sf.codes, "code", nil, "only text inside codings of this code or its sub-codes (repeatable: any)")
		f.StringArrayVar(&sf.notCodes, "not-code", nil, "only text outside every coding of this code and its sub-codes (repeatable)")
		f.StringSliceVar(&sf.coders, "coder", nil, "only codings by these coders: with --code/--not-code/--count-by code, theirs; alone, the text they coded")
	}
}

func (sf *selFlags) empty() bool {
	return len(sf.cases)+len(sf.docs)+len(sf.speakers)+len(sf.roles)+len(sf.attrs)+len(sf.langs)+len(sf.codes)+len(sf.notCodes)+len(sf.coders) == 0
}

type searchOpts struct {
	sel     selFlags
	regex   string
	limit   int
	offset  int
	sort    string
	countBy string
	context int
	out     output
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		var o searchOpts
		cmd := &cobra.Command{
			Use:   "search QUERY",
			Short: "Search the interviews: keyword-in-context lines, best first",
			Long: `Search the turns of every interview. Each hit is a speaker's turn, shown
as a keyword-in-context line with the matched words marked, and the
code-point range of each match in the document (so a hit can be coded with
'tacit tag DOC CODE --range S:E').

Query language (bleve's query string; see docs/search.md):
  crisis                 a word; English words are stemmed (crises, crisis)
  "turning point"        a phrase
  +crisis +family        both required;  -disrespect  excluded
  crisis OR overdose     either (the default); AND makes both sides required,
                         NOT excludes the next term
  respect*  fam?ly       wildcards (lower-cased; matched against index terms)
  famly~1                fuzzy, up to 2 edits
  speaker:ruth role:client case:"S3 True dignity" doc:moshe lang:he
  attr:department=addiction turn:<3
  /cris[ie]s/            a regular expression over index terms
Hebrew and Arabic words match with their prefixes and without niqqud or
harakat: כבוד finds בכבוד, והכבוד, כָּבוֹד.

--regex matches a Go regular expression against the turn text itself
(case-sensitive unless it starts with (?i)); a QUERY, if given, then selects
the turns the expression is run over.

Filters (--case, --doc, --speaker, --role, --attr, --code, --not-code) never
change the ranking. --code keeps matches inside codings of that code or its
sub-codes; --not-code keeps matches outside all of them.`,
			Example: `  tacit search crisis
  tacit search '"turning point"' --role client
  tacit search 'respect* -disrespect' --case "S3 True dignity"
  tacit search 'famly~1' --speaker Ruth
  tacit search plan --not-code "Principles/A plan for the whole family"
  tacit search crisis --count-by case
  tacit search crisis --count-by case --csv
  tacit search --regex '(?i)turn(ing)? point' --json`,
			Args: func(cmd *cobra.Command, args []string) error {
				if len(args) > 1 {
					return usagef("search takes one QUERY; quote it: tacit search '\"turning point\" -crisis'")
				}
				if len(args) == 0 && o.regex == "" {
					return usagef("search needs a QUERY or --regex; see 'tacit search --help'")
				}
				return nil
			},
			RunE: func(cmd *cobra.Command, args []string) error {
				q := ""
				if len(args) == 1 {
					q = args[0]
				}
				return runSearch(cmd, g, q, o)
			},
		}
		o.sel.add(cmd, true)
		f := cmd.Flags()
		f.StringVar(&o.regex, "regex", "", "a regular expression matched against the turn text (Go syntax)")
		f.IntVarP(&o.limit, "limit", "n", 20, "show at most this many hits (0: all)")
		f.IntVar(&o.offset, "offset", 0, "skip this many hits first")
		f.StringVar(&o.sort, "sort", "score", "order of the hits: score or doc")
		f.StringVar(&o.countBy, "count-by", "", "also count the hits per case, doc, speaker, role or code (CSV, Markdown and HTML then list the counts)")
		f.IntVar(&o.context, "context", 60, "characters of context on each side of a match")
		addOutput(cmd, &o.out)
		root.AddCommand(cmd)
	})
}

// selection is the project.Selection the flags name; a malformed
// --attr is a usage error.
func (sf *selFlags) selection() (project.Selection, error) {
	sel := project.Selection{Cases: sf.cases, Docs: sf.docs, Speakers: sf.speakers, Roles: sf.roles, Langs: sf.langs,
		Codes: sf.codes, NotCodes: sf.notCodes, Coders: sf.coders}
	if len(sf.attrs) > 0 {
		attrs, err := parseAttrs(sf.attrs)
		if err != nil {
			return sel, err
		}
		sel.Attrs = attrs
	}
	return sel, nil
}

func runSearch(cmd *cobra.Command, g *globals, q string, o searchOpts) error {
	if err := project.ValidateSearch(q, o.regex); err != nil {
		return err
	}
	format, err := o.out.resolve(g)
	if err != nil {
		return err
	}
	sel, err := o.sel.selection()
	if err != nil {
		return err
	}
	req := project.SearchRequest{Query: q, Regex: o.regex, Selection: sel, Limit: o.limit, Offset: o.offset, Sort: o.sort,
		CountBy: o.countBy, Context: o.context}
	switch {
	case g.isTerminal() && format == fmtTable && o.out.out == "":
		req.Mark = [2]string{"\x1b[1;31m", "\x1b[0m"}
	case format == fmtHTML:
		req.Mark = [2]string{report.MarkOpen, report.MarkClose}
	}
	var res *project.SearchResult
	err = g.do(cmd, searching, func(ctx context.Context, ops project.Operations) (err error) {
		res, err = ops.Search(ctx, req)
		return err
	})
	if err != nil {
		return err
	}
	// One row per hit shown, or with --count-by one row per value counted;
	// the JSON has the total, the hits and the counts.
	l := listing{title: "Search: " + searchTitle(q, o.regex), json: res,
		columns: []string{"doc", "doc_name", "case", "turn", "speaker", "role", "score", "start", "end", "matches", "fragment"}}
	if o.countBy != "" {
		l.title += ", hits per " + o.countBy
		l.columns = []string{o.countBy, "hits"}
		for _, k := range countKeys(res.Counts) {
			l.rows = append(l.rows, []string{k, num(res.Counts[k])})
		}
		if l.rows == nil {
			l.rows = [][]string{}
		}
	}
	for _, h := range res.Hits {
		if o.countBy != "" {
			break
		}
		start, end := "", ""
		var ms []string
		for i, m := range h.Matches {
			if i == 0 {
				start, end = num(m.Start), num(m.End)
			}
			ms = append(ms, fmt.Sprintf("%d:%d", m.Start, m.End))
		}
		l.rows = append(l.rows, []string{num(h.Doc), h.DocName, h.Case, num(h.Turn), h.Speaker, h.Role,
			strconv.FormatFloat(h.Score, 'g', 6, 64), start, end, strings.Join(ms, " "), h.Fragment})
	}
	l.table = func(w io.Writer) error {
		if res.Total == 0 {
			fmt.Fprintln(w, "no hits")
			return nil
		}
		tw := newTable(w)
		for _, h := range res.Hits {
			rng := "-"
			if len(h.Matches) > 0 {
				rng = fmt.Sprintf("%d:%d", h.Matches[0].Start, h.Matches[0].End)
			}
			who := h.Speaker
			if h.Role != "" {
				who += " (" + h.Role + ")"
			}
			row(tw, h.DocName+"#"+strconv.Itoa(h.Turn), rng, dash(who), h.Fragment)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		shown := ""
		if len(res.Hits) < res.Total {
			shown = fmt.Sprintf(", showing %d-%d (--limit, --offset)", o.offset+1, o.offset+len(res.Hits))
		}
		fmt.Fprintf(w, "%s%s\n", plural(res.Total, "hit"), shown)
		if res.Counts != nil {
			fmt.Fprintln(w)
			printCounts(w, o.countBy, res.Counts)
		}
		return nil
	}
	return o.out.list(g, l)
}

// searchTitle names a search in an HTML page's title.
func searchTitle(q, regex string) string {
	switch {
	case q != "" && regex != "":
		return q + " /" + regex + "/"
	case regex != "":
		return "/" + regex + "/"
	}
	return q
}

// countKeys orders the values counted: most hits first, then by name.
func countKeys(counts map[string]int) []string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

func printCounts(w io.Writer, by string, counts map[string]int) {
	keys := countKeys(counts)
	tw := newTable(w, strings.ToUpper(by), "HITS")
	for _, k := range keys {
		row(tw, k, counts[k])
	}
	tw.Flush()
}
