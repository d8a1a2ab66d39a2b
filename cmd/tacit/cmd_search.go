package main

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/store"
)

// selFlags are the filters that search, words and autocode share.
type selFlags struct {
	cases, docs, speakers, roles, attrs []string
	codes, notCodes, coders             []string
}

func (sf *selFlags) add(cmd *cobra.Command, withCodes bool) {
	f := cmd.Flags()
	f.StringArrayVar(&sf.cases, "case", nil, "only turns of this case (repeatable: any of them)")
	f.StringArrayVar(&sf.docs, "doc", nil, "only turns of this document, by name or id (repeatable)")
	f.StringArrayVar(&sf.speakers, "speaker", nil, "only turns of this speaker label (repeatable)")
	f.StringArrayVar(&sf.roles, "role", nil, "only speech of this role: client, staff, interviewer, ... (repeatable)")
	f.StringArrayVar(&sf.attrs, "attr", nil, "only documents with attribute key=value (repeatable: all of them)")
	if withCodes {
		f.StringArrayVar(&sf.codes, "code", nil, "only text inside codings of this code or its sub-codes (repeatable: any)")
		f.StringArrayVar(&sf.notCodes, "not-code", nil, "only text outside every coding of this code and its sub-codes (repeatable)")
		f.StringSliceVar(&sf.coders, "coder", nil, "with --code/--not-code/--count-by code: only codings by these coders")
	}
}

func (sf *selFlags) empty() bool {
	return len(sf.cases)+len(sf.docs)+len(sf.speakers)+len(sf.roles)+len(sf.attrs)+len(sf.codes)+len(sf.notCodes) == 0
}

// selection is a resolved selFlags: index filters for a search and a turn
// predicate for the store.
type selection struct {
	filter        index.Filter
	inside        index.Spans // nil when no --code
	outside       index.Spans // nil when no --not-code
	caseIDs       map[uint64]bool
	docIDs        map[uint64]bool
	speakers      map[string]bool // NormSpeaker keys
	roles         map[string]bool // lower-case
	attrs         map[string]string
	coders        map[string]bool
	roleMap       coding.RoleMap
	docs          []*coding.Document
	caseNames     map[uint64]string
	projectLang   string
	codebook      *coding.Codebook
	needTurnLists bool
}

// resolve checks the filters against the store (names that do not exist
// are errors with suggestions) and reads the codings the code filters need.
func (sf *selFlags) resolve(tx *store.Tx) (*selection, error) {
	s := &selection{projectLang: tx.Lang()}
	var err error
	if s.docs, err = tx.Documents(true); err != nil {
		return nil, err
	}
	if s.roleMap, err = tx.Roles(); err != nil {
		return nil, err
	}
	if s.caseNames, err = tx.CaseNames(); err != nil {
		return nil, err
	}
	if s.codebook, err = tx.Codes(); err != nil {
		return nil, err
	}
	if len(sf.cases) > 0 {
		s.caseIDs = map[uint64]bool{}
		for _, ref := range sf.cases {
			c, err := tx.FindCase(ref)
			if err != nil {
				return nil, err
			}
			s.caseIDs[c.ID] = true
			s.filter.Cases = append(s.filter.Cases, c.Name)
		}
	}
	if len(sf.docs) > 0 {
		s.docIDs = map[uint64]bool{}
		for _, ref := range sf.docs {
			d, err := tx.FindDocument(ref)
			if err != nil {
				return nil, err
			}
			s.docIDs[d.ID] = true
			s.filter.DocIDs = append(s.filter.DocIDs, d.ID)
		}
	}
	if len(sf.speakers) > 0 {
		s.speakers = map[string]bool{}
		labels := map[string][]string{} // norm -> raw labels
		var all []string
		for _, d := range s.docs {
			for _, sp := range d.Speakers() {
				k := coding.NormSpeaker(sp)
				if len(labels[k]) == 0 {
					all = append(all, sp)
				}
				if !contains(labels[k], sp) {
					labels[k] = append(labels[k], sp)
				}
			}
		}
		for _, ref := range sf.speakers {
			k := coding.NormSpeaker(ref)
			if len(labels[k]) == 0 {
				return nil, notFound("speaker", ref, all, "'tacit speaker list' lists them")
			}
			s.speakers[k] = true
			s.filter.Speakers = append(s.filter.Speakers, labels[k]...)
		}
	}
	if len(sf.roles) > 0 {
		s.roles = map[string]bool{}
		known := map[string]bool{}
		for _, d := range s.docs {
			for _, t := range d.Turns {
				if r := s.roleMap.Role(d, t.Speaker); r != "" {
					known[strings.ToLower(r)] = true
				}
			}
		}
		var all []string
		for r := range known {
			all = append(all, r)
		}
		sort.Strings(all)
		for _, ref := range sf.roles {
			r := strings.ToLower(strings.TrimSpace(ref))
			if !known[r] {
				return nil, notFound("role", ref, all, "no speaker has a role yet; set one with 'tacit speaker role SPEAKER ROLE'")
			}
			s.roles[r] = true
			s.filter.Roles = append(s.filter.Roles, r)
		}
	}
	if len(sf.attrs) > 0 {
		if s.attrs, err = parseAttrs(sf.attrs); err != nil {
			return nil, err
		}
		for k, v := range s.attrs {
			s.filter.Attrs = append(s.filter.Attrs, k+"="+v)
		}
		sort.Strings(s.filter.Attrs)
	}
	if len(sf.coders) > 0 {
		s.coders = map[string]bool{}
		for _, c := range sf.coders {
			s.coders[strings.TrimSpace(c)] = true
		}
	}
	if len(sf.codes) > 0 {
		if s.inside, err = s.codeSpans(tx, sf.codes); err != nil {
			return nil, err
		}
		s.filter.OnlyTurns = []string{}
		for _, d := range s.docs {
			for _, t := range d.Turns {
				if s.inside.Overlaps(d.ID, t.Start, t.End) {
					s.filter.OnlyTurns = append(s.filter.OnlyTurns, index.TurnID(d.ID, t.Index))
				}
			}
		}
	}
	if len(sf.notCodes) > 0 {
		if s.outside, err = s.codeSpans(tx, sf.notCodes); err != nil {
			return nil, err
		}
		for _, d := range s.docs {
			for _, t := range d.Turns {
				if t.End > t.Start && s.outside.Contains(d.ID, t.Start, t.End) {
					s.filter.ExcludeTurns = append(s.filter.ExcludeTurns, index.TurnID(d.ID, t.Index))
				}
			}
		}
	}
	return s, nil
}

// codeSpans returns the merged spans of the codings of the codes (and
// their sub-codes) by the selected coders.
func (s *selection) codeSpans(tx *store.Tx, refs []string) (index.Spans, error) {
	sp := index.Spans{}
	for _, ref := range refs {
		c, err := s.codebook.Resolve(ref)
		if err != nil {
			return nil, err
		}
		for _, id := range s.codebook.Descendants(c.ID) {
			cs, err := tx.CodingsByCode(id)
			if err != nil {
				return nil, err
			}
			for _, cd := range cs {
				if s.coders == nil || s.coders[cd.Coder] {
					sp.Add(cd.DocID, cd.Start, cd.End)
				}
			}
		}
	}
	sp.Normalize()
	return sp, nil
}

// codeCountSpans returns the spans of each code's own codings, by path.
func (s *selection) codeCountSpans(tx *store.Tx) (map[string]index.Spans, error) {
	out := map[string]index.Spans{}
	var err error
	s.codebook.Walk(func(c *coding.Code, _ int) {
		if err != nil {
			return
		}
		var cs []coding.Coding
		cs, err = tx.CodingsByCode(c.ID)
		sp := index.Spans{}
		for _, cd := range cs {
			if s.coders == nil || s.coders[cd.Coder] {
				sp.Add(cd.DocID, cd.Start, cd.End)
			}
		}
		if len(sp) > 0 {
			sp.Normalize()
			out[s.codebook.Path(c.ID)] = sp
		}
	})
	return out, err
}

// turnOK reports whether a turn passes the case, doc, speaker, role and
// attribute filters.
func (s *selection) turnOK(d *coding.Document, t coding.Turn) bool {
	if s.caseIDs != nil && !s.caseIDs[d.CaseID] {
		return false
	}
	if s.docIDs != nil && !s.docIDs[d.ID] {
		return false
	}
	if s.speakers != nil && !s.speakers[coding.NormSpeaker(t.Speaker)] {
		return false
	}
	if s.roles != nil && !s.roles[strings.ToLower(s.roleMap.Role(d, t.Speaker))] {
		return false
	}
	for k, v := range s.attrs {
		if !strings.EqualFold(d.Attrs[k], v) {
			return false
		}
	}
	return true
}

// lang returns the language a document's words are read in.
func (s *selection) lang(d *coding.Document) string {
	if d.Lang != "" {
		return d.Lang
	}
	return s.projectLang
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func notFound(what, ref string, all []string, hint string) error {
	msg := fmt.Sprintf("no %s %q", what, ref)
	if c := coding.Closest(ref, all, 3); len(c) > 0 {
		msg += "; did you mean " + coding.QuoteList(c) + "?"
	} else if len(all) > 0 {
		sort.Strings(all)
		if len(all) > 8 {
			all = append(all[:8:8], "...")
		}
		msg += "; known: " + strings.Join(all, ", ")
	} else {
		msg += "; " + hint
	}
	return coding.Errorf(coding.ENotFound, "%s", msg)
}

// openIndexed opens the project and its search index (once). A search
// opens the project read-only (so that several readers can run); when the
// index is out of date it says so on stderr and reopens the project to
// rebuild it.
func openIndexed(ctx context.Context, g *globals, write bool) (*project.Project, *index.Index, error) {
	p, err := g.open(!write)
	if err != nil {
		return nil, nil, err
	}
	stale := func() {
		fmt.Fprintln(g.stderr, "tacit: the search index is out of date; rebuilding it from the store")
	}
	if write {
		p.OnRebuild = stale
	}
	x, err := p.Index(ctx)
	if !write && project.IndexStale(err) {
		stale()
		p.Close()
		if p, err = g.open(false); err != nil {
			return nil, nil, err
		}
		x, err = p.Index(ctx)
	}
	if err != nil {
		p.Close()
		return nil, nil, err
	}
	return p, x, nil
}

type searchOpts struct {
	sel     selFlags
	regex   string
	limit   int
	offset  int
	sort    string
	countBy string
	context int
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
		f.StringVar(&o.countBy, "count-by", "", "also count the hits per case, doc, speaker, role or code")
		f.IntVar(&o.context, "context", 60, "characters of context on each side of a match")
		root.AddCommand(cmd)
	})
}

// selection is the project.Selection the flags name; a malformed
// --attr is a usage error.
func (sf *selFlags) selection() (project.Selection, error) {
	sel := project.Selection{Cases: sf.cases, Docs: sf.docs, Speakers: sf.speakers, Roles: sf.roles,
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
	sel, err := o.sel.selection()
	if err != nil {
		return err
	}
	req := project.SearchRequest{Query: q, Regex: o.regex, Selection: sel, Limit: o.limit, Offset: o.offset, Sort: o.sort,
		CountBy: o.countBy, Context: o.context}
	if g.isTerminal() && !g.json {
		req.Mark = [2]string{"\x1b[1;31m", "\x1b[0m"}
	}
	var res *project.SearchResult
	err = g.do(cmd, searching, func(ctx context.Context, ops project.Operations) (err error) {
		res, err = ops.Search(ctx, req)
		return err
	})
	if err != nil {
		return err
	}
	if g.json {
		return g.printJSON(res)
	}
	if res.Total == 0 {
		fmt.Fprintln(g.stdout, "no hits")
		return nil
	}
	tw := g.table()
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
	fmt.Fprintf(g.stdout, "%d hits%s\n", res.Total, shown)
	if res.Counts != nil {
		fmt.Fprintln(g.stdout)
		printCounts(g, o.countBy, res.Counts)
	}
	return nil
}

// validateSearch checks a query and a regular expression before the
// project is opened.
func validateSearch(q, re string) error {
	if q != "" {
		if err := index.ValidateQuery(q); err != nil {
			return err
		}
	}
	if re != "" {
		if _, err := regexp.Compile(re); err != nil {
			return coding.Errorf(coding.EInvalid, "the regular expression %q does not compile: %s", re, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
	}
	return nil
}

func printCounts(g *globals, by string, counts map[string]int) {
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
	tw := g.table(strings.ToUpper(by), "HITS")
	for _, k := range keys {
		row(tw, k, counts[k])
	}
	tw.Flush()
}
