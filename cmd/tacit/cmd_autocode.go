package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/store"
)

// ActionAutocode is the audit action of an autocode run.
const ActionAutocode = "autocode"

type autocodeOpts struct {
	sel    selFlags
	query  string
	regex  string
	unit   string
	dryRun bool
}

// autoCoding is one passage an autocode run codes (or would code).
type autoCoding struct {
	ID      uint64 `json:"id,omitempty"`
	Doc     uint64 `json:"doc"`
	DocName string `json:"doc_name"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Text    string `json:"text"`
}

type autocodeResult struct {
	Code    string       `json:"code"`
	Query   string       `json:"query"`
	Unit    string       `json:"unit"`
	DryRun  bool         `json:"dry_run"`
	Group   uint64       `json:"group,omitempty"`
	Hits    int          `json:"hits"`
	Added   int          `json:"added"`
	Skipped int          `json:"skipped"`
	Codings []autoCoding `json:"codings"`
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		var o autocodeOpts
		cmd := &cobra.Command{
			Use:   "autocode CODE --query QUERY",
			Short: "Code every hit of a search",
			Long: `Code every hit of a search query (see 'tacit search --help' for the query
language) with CODE, as the current coder. The unit coded for each match is
the whole turn (default), or the sentence or paragraph that holds it.

All codings of one run are written in one transaction with one audit event;
they record origin "auto", the query, and a group id (the id of that event),
so that the run can be undone as a whole ('tacit undo' right after it, or
by group with 'tacit untag --origin GROUP'). A passage this coder has already coded with CODE is not coded
twice. --dry-run lists what would be coded and writes nothing.`,
			Example: `  tacit autocode "Principles/Crisis as a lever for change" --query 'crisis OR overdose OR "turning point"' --role client --dry-run
  tacit autocode "Respectful attitude" --query 'respect*' --unit sentence --case "S3 True dignity"`,
			Args: argsN(1, 1, "one CODE (a path such as Principles/Respect, or a unique name)"),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runAutocode(cmd.Context(), g, args[0], o)
			},
		}
		o.sel.add(cmd, false)
		f := cmd.Flags()
		f.StringVarP(&o.query, "query", "q", "", "the search query whose hits are coded")
		f.StringVar(&o.regex, "regex", "", "code the matches of this regular expression over the turn text (with or without --query)")
		f.StringVar(&o.unit, "unit", index.UnitTurn, "what to code around each match: turn, sentence or paragraph")
		f.BoolVar(&o.dryRun, "dry-run", false, "list what would be coded, write nothing")
		root.AddCommand(cmd)
	})
}

func runAutocode(ctx context.Context, g *globals, codeRef string, o autocodeOpts) error {
	if o.query == "" && o.regex == "" {
		return usagef("autocode needs --query QUERY (or --regex); see 'tacit autocode --help'")
	}
	switch o.unit {
	case index.UnitTurn, index.UnitSentence, index.UnitParagraph:
	default:
		return usagef("unknown --unit %q; use turn, sentence or paragraph", o.unit)
	}
	if err := validateSearch(o.query, o.regex); err != nil {
		return err
	}
	actor := g.actor()
	p, x, err := openIndexed(ctx, g, !o.dryRun)
	if err != nil {
		return err
	}
	defer p.Close()
	var code *coding.Code
	var codePath string
	req := index.Request{Query: o.query, Regex: o.regex, Sort: index.SortDoc}
	err = p.Store.View(func(tx *store.Tx) error {
		sel, err := o.sel.resolve(tx)
		if err != nil {
			return err
		}
		req.Filter = sel.filter
		if code, err = sel.codebook.Resolve(codeRef); err != nil {
			return err
		}
		codePath = sel.codebook.Path(code.ID)
		return nil
	})
	if err != nil {
		return err
	}
	res, err := x.Search(ctx, req)
	if err != nil {
		return err
	}
	// The passages to code, per document, without duplicates.
	type key struct {
		doc        uint64
		start, end int
	}
	seen := map[key]bool{}
	var spans []autoCoding
	for _, h := range res.Hits {
		ms := h.Matches
		if len(ms) == 0 || o.unit == index.UnitTurn {
			ms = []index.Match{{Start: h.TurnStart, End: h.TurnStart}}
		}
		for _, m := range ms {
			s, e := index.UnitSpan(h.Text, m.Start-h.TurnStart, m.End-h.TurnStart, o.unit)
			if s >= e {
				continue
			}
			k := key{h.Doc, h.TurnStart + s, h.TurnStart + e}
			if seen[k] {
				continue
			}
			seen[k] = true
			rs := []rune(h.Text)
			spans = append(spans, autoCoding{Doc: h.Doc, DocName: h.DocName, Start: k.start, End: k.end, Text: string(rs[s:e])})
		}
	}
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].DocName != spans[j].DocName {
			return spans[i].DocName < spans[j].DocName
		}
		return spans[i].Start < spans[j].Start
	})
	out := autocodeResult{Code: codePath, Query: queryLabel(o), Unit: o.unit, DryRun: o.dryRun, Hits: res.Total, Codings: []autoCoding{}}
	write := func(tx *store.Tx) error {
		existing := map[key]bool{}
		byDoc := map[uint64]bool{}
		for _, sp := range spans {
			if byDoc[sp.Doc] {
				continue
			}
			byDoc[sp.Doc] = true
			cs, err := tx.CodingsByDoc(sp.Doc)
			if err != nil {
				return err
			}
			for _, c := range cs {
				if c.CodeID == code.ID && c.Coder == actor {
					existing[key{c.DocID, c.Start, c.End}] = true
				}
			}
		}
		var fresh []autoCoding
		for _, sp := range spans {
			if existing[key{sp.Doc, sp.Start, sp.End}] {
				out.Skipped++
				continue
			}
			fresh = append(fresh, sp)
		}
		out.Added = len(fresh)
		if o.dryRun || len(fresh) == 0 {
			out.Codings = nonNil(fresh)
			return nil
		}
		// The group id is the id of this run's audit event, logged last so
		// that its undo data covers every coding.
		var last uint64
		if err := tx.Events(func(e *coding.Event) bool { last = e.ID; return false }); err != nil {
			return err
		}
		out.Group = last + 1
		now := tx.Now()
		for i := range fresh {
			c := coding.Coding{DocID: fresh[i].Doc, CodeID: code.ID, Start: fresh[i].Start, End: fresh[i].End,
				Coder: actor, Origin: coding.OriginAuto, Group: out.Group, Query: out.Query, CreatedAt: now}
			if err := tx.AddCoding(&c); err != nil {
				return err
			}
			fresh[i].ID = c.ID
		}
		out.Codings = fresh
		ev := &coding.Event{Actor: actor, Action: ActionAutocode, Target: fmt.Sprintf("code:%d", code.ID),
			Summary: fmt.Sprintf("autocoded %d passages with %q from the query %s (unit %s, group %d)",
				len(fresh), codePath, strconv.Quote(out.Query), o.unit, out.Group)}
		if err := tx.Log(ev); err != nil {
			return err
		}
		if ev.ID != out.Group {
			return coding.Errorf(coding.EInternal, "autocode group %d does not match its event %d; nothing was written", out.Group, ev.ID)
		}
		return nil
	}
	if o.dryRun {
		err = p.Store.View(write)
	} else {
		err = p.Store.Update(write)
	}
	if err != nil {
		return err
	}
	if g.json {
		return g.printJSON(out)
	}
	if len(out.Codings) > 0 {
		tw := g.table("DOC", "RANGE", "TEXT")
		for _, c := range out.Codings {
			row(tw, c.DocName, fmt.Sprintf("%d:%d", c.Start, c.End), truncate(c.Text, 80))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	verb := "coded"
	if o.dryRun {
		verb = "would code"
	}
	fmt.Fprintf(g.stdout, "%s %d passages with %s from %d hits", verb, out.Added, codePath, out.Hits)
	if out.Skipped > 0 {
		fmt.Fprintf(g.stdout, " (%d already coded)", out.Skipped)
	}
	if out.Group != 0 {
		fmt.Fprintf(g.stdout, "; group %d ('tacit undo' reverts the run)", out.Group)
	}
	fmt.Fprintln(g.stdout)
	return nil
}

// queryLabel is what an auto coding records as its query.
func queryLabel(o autocodeOpts) string {
	switch {
	case o.regex == "":
		return o.query
	case o.query == "":
		return "--regex " + o.regex
	}
	return o.query + " --regex " + o.regex
}
