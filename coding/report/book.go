package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// The book of a learning-from-success study: every story (case) as a
// chapter built from its coded passages, then the principles chapter (the
// recurrence report), then the codebook and inter-coder agreement as
// appendices. BuildBook and BuildStory compute a plain model; WriteMarkdown,
// WriteHTML and WriteDOCX render it.

// DefaultQuoteMax is the length in characters above which a quote is
// shortened in the middle (its full text goes to the chapter's notes).
const DefaultQuoteMax = 600

// Memo titles the book reads.
const (
	MemoSummary = "summary" // a case memo: the story's summary
	MemoMethod  = "method"  // a project memo: the method chapter
)

// Section contents (Template).
const (
	ShowPassages = "passages"
	ShowMemo     = "memo"
	ShowBoth     = "both"
)

// BookOptions configures Book and Story.
type BookOptions struct {
	Filter
	// Most is the recurrence threshold of the principles chapter; 0 means
	// DefaultMost.
	Most float64
	// Title is the book's title.
	Title string
	// Lang chooses the language of the book's own headings: en, he or ar;
	// "" picks the language most of the stories' documents are in.
	Lang string
	// Stories, when set, are the cases to make chapters of, in this order
	// (names or decimal ids); otherwise every case in the report, in order.
	Stories []string
	// Template names the sections of a story chapter; nil gives one
	// section per principle coded in the story.
	Template *Template
	// Principles is the path of the code whose sub-codes are the study's
	// principles of action; "" looks for a top-level code named
	// Principles (עקרונות, مبادئ), else every top-level code is one.
	Principles string
	// QuoteMax is the length in characters above which a quote is shortened
	// (0: DefaultQuoteMax; negative: never).
	QuoteMax int
	// Memos are the project's memos: the case memos titled "summary" and
	// section titles, the project memo titled "method".
	Memos []coding.Memo
	// Agreement, when set, is the inter-coder agreement appendix.
	Agreement *BookAgreement
	// Lazy leaves the story chapters of the book to be built one by one as
	// they are written (Book.Chapter), so that a long book is never whole
	// in memory; Book.Fill builds them all.
	Lazy bool
}

// BookAgreement is the inter-coder agreement appendix, as the caller
// computed it (see package agreement).
type BookAgreement struct {
	Coders []string       `json:"coders"`
	Unit   string         `json:"unit"`
	Method string         `json:"method,omitempty"`
	Rows   []AgreementRow `json:"rows"` // per code, then "all codes" last
}

// AgreementRow is one line of the agreement appendix; coefficients are
// formatted ("0.812", "n/a").
type AgreementRow struct {
	Code    string `json:"code"`
	Units   int64  `json:"units"`
	Percent string `json:"percent"`
	Kappa   string `json:"kappa"`
	Alpha   string `json:"alpha"`
}

// Book is the whole book.
type Book struct {
	Report   string   `json:"report"` // "book"
	Title    string   `json:"title"`
	Lang     string   `json:"lang"` // en, he or ar: the book's own strings
	Dir      string   `json:"dir"`  // ltr or rtl
	Filters  Filter   `json:"filters"`
	Method   string   `json:"method,omitempty"`
	AttrKeys []string `json:"attribute_keys"` // columns of the list of stories
	Stories  []Story  `json:"stories"`
	// Principles is the principles chapter: the recurrence of every
	// principle across the stories of the report.
	Principles PrinciplesChapter `json:"principles"`
	Codebook   []CodebookEntry   `json:"codebook"`
	Agreement  *BookAgreement    `json:"agreement,omitempty"`

	// A lazy book (BookOptions.Lazy) builds each chapter as it is written.
	st    *bookState
	units []int32
}

// Chapter returns story chapter i: Stories[i], or, in a lazy book, the
// chapter built now (and not kept).
func (b *Book) Chapter(i int) (*Story, error) {
	if b.st == nil {
		return &b.Stories[i], nil
	}
	ss, err := b.st.stories(b.units[i : i+1])
	if err != nil {
		return nil, err
	}
	ss[0].BookLang = b.Lang
	return &ss[0], nil
}

// Fill builds every chapter of a lazy book into Stories.
func (b *Book) Fill() error {
	if b.st == nil {
		return nil
	}
	ss, err := b.st.stories(b.units)
	if err != nil {
		return err
	}
	for i := range ss {
		ss[i].BookLang = b.Lang
	}
	b.Stories, b.st, b.units = ss, nil, nil
	return nil
}

// Story is one story chapter.
type Story struct {
	Case     string    `json:"case"`
	Lang     string    `json:"lang,omitempty"` // the language of its documents
	Dir      string    `json:"dir"`
	BookLang string    `json:"book_lang"` // the language of the book's own words
	Attrs    []Attr    `json:"attributes"`
	Summary  string    `json:"summary,omitempty"`
	Sections []Section `json:"sections"`
	// NotSeen are the principles coded in other stories of the report but
	// not in this one.
	NotSeen []string `json:"not_seen"`
	// Notes are the chapter's notes: the full text of shortened quotes,
	// numbered from 1 (BookQuote.Note).
	Notes []string `json:"notes"`
}

// Attr is one attribute of a story.
type Attr struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Section is one section of a story chapter.
type Section struct {
	Title string   `json:"title"`
	Codes []string `json:"codes"`          // the code paths that feed it
	Show  string   `json:"show"`           // passages, memo or both
	Memo  string   `json:"memo,omitempty"` // the case memo titled like the section
	Sides []Side   `json:"sides"`
}

// Side is the passages of one role in a section, in interview order.
type Side struct {
	Role     string      `json:"role"` // "" when the speaker has no role
	Passages []BookQuote `json:"passages"`
}

// BookQuote is one coded passage in the book. Text is the coded text with
// its white space folded; Shown is what the page shows: Text, or Text
// shortened in the middle when longer than the limit, with the full text in
// the chapter's note number Note.
type BookQuote struct {
	Doc     string   `json:"doc"`
	Speaker string   `json:"speaker,omitempty"`
	Role    string   `json:"role,omitempty"`
	Code    string   `json:"code"`
	Coders  []string `json:"coders"`
	Start   int      `json:"start"`
	End     int      `json:"end"`
	Key     bool     `json:"key,omitempty"`
	Memos   []string `json:"memos,omitempty"` // the coders' memos, "coder: text"
	Text    string   `json:"text"`
	Shown   string   `json:"shown"`
	Note    int      `json:"note,omitempty"`
	Dir     string   `json:"dir"`
}

// PrinciplesChapter is the recurrence of the principles across the stories.
type PrinciplesChapter struct {
	CasesTotal int              `json:"cases_total"`
	Most       float64          `json:"most"`
	Roles      []string         `json:"roles"`
	Codes      []CodeRecurrence `json:"codes"`
	// Shown is the text of each quote as printed (shortened), aligned
	// with Codes[i].Quotes; Notes holds the full texts. It is in the JSON
	// so that a book sent by 'tacit serve' can be written by the CLI.
	Shown [][]string `json:"shown,omitempty"`
	Notes []string   `json:"notes"`
}

// Template names the sections of a story chapter. In YAML:
//
//	sections:
//	  - title: Background
//	    codes: [Context/Life before the service]
//	  - title: The turning point
//	    codes: [Principles/Crisis as a lever for change]
//	    show: both
//	principles: true   # then one section per other principle coded
//	not_seen: true     # then the principles not seen in this story
type Template struct {
	Sections []TemplateSection `yaml:"sections" json:"sections"`
	// Principles adds, after the named sections, one section per principle
	// coded in the story that no named section took.
	Principles bool `yaml:"principles" json:"principles"`
	// NotSeen, when false, leaves out the list of principles not seen.
	NotSeen *bool `yaml:"not_seen" json:"not_seen,omitempty"`
}

// TemplateSection is one section of a Template.
type TemplateSection struct {
	Title string   `yaml:"title" json:"title"`
	Codes []string `yaml:"codes" json:"codes"`
	// Show is passages (default), memo (the case memo titled like the
	// section) or both.
	Show string `yaml:"show" json:"show,omitempty"`
}

// Check validates a template: every section has a title, a known show, and
// codes unless it shows only a memo.
func (t *Template) Check() error {
	if t == nil {
		return nil
	}
	if len(t.Sections) == 0 && !t.Principles {
		return invalid("the template has no sections; give a list under sections:, each with a title and codes.")
	}
	for i := range t.Sections {
		s := &t.Sections[i]
		s.Title = strings.TrimSpace(s.Title)
		if s.Title == "" {
			return invalid("section %d of the template has no title.", i+1)
		}
		switch s.Show = strings.ToLower(strings.TrimSpace(s.Show)); s.Show {
		case "":
			s.Show = ShowPassages
		case ShowPassages, ShowMemo, ShowBoth:
		default:
			return invalid("section %q of the template shows %q; use passages, memo or both.", s.Title, s.Show)
		}
		if len(s.Codes) == 0 && s.Show != ShowMemo {
			return invalid("section %q of the template names no codes; list them under codes:, or set show: memo.", s.Title)
		}
	}
	return nil
}

// bookState is one computation of a book or a story.
type bookState struct {
	ix        *index
	opt       BookOptions
	principle []bool  // by code position: the code is a principle (or below one)
	princOf   []int32 // by code position: the principle it rolls up to, -1
	codings   []coded
	memoOf    map[int32]string // position in codings -> coding memo
	byUnit    [][]int32        // positions in codings, per unit
	quoteMax  int
	caseMemos map[uint64]map[string]string // case id -> lower title -> text
	seenAll   []bool                       // by code: a principle coded in some story
}

// BuildBook computes the book of the study.
func BuildBook(ds *Dataset, opt BookOptions) (*Book, error) {
	st, err := newBookState(ds, opt)
	if err != nil {
		return nil, err
	}
	units, err := st.storyUnits()
	if err != nil {
		return nil, err
	}
	b := &Book{Report: "book", Title: opt.Title, Filters: opt.Filter, AttrKeys: []string{}, Stories: []Story{}}
	for _, m := range opt.Memos {
		if m.Target == coding.MemoProject && strings.EqualFold(strings.TrimSpace(m.Title), MemoMethod) {
			b.Method = strings.TrimSpace(m.Text)
		}
	}
	if opt.Lazy {
		b.st, b.units = st, units
		for _, u := range units {
			s, _ := st.storyHead(u)
			b.Stories = append(b.Stories, s)
		}
	} else {
		stories, err := st.stories(units)
		if err != nil {
			return nil, err
		}
		b.Stories = stories
	}
	keys := map[string]bool{}
	for _, s := range b.Stories {
		for _, a := range s.Attrs {
			keys[a.Key] = true
		}
	}
	b.AttrKeys = slices.Sorted(maps.Keys(keys))
	b.Lang = st.bookLang(units)
	b.Dir = langDir(b.Lang)
	for i := range b.Stories {
		b.Stories[i].BookLang = b.Lang
	}

	rec, err := Recurrence(ds, RecurrenceOptions{Filter: opt.Filter, Most: st.opt.Most, Quotes: 1})
	if err != nil {
		return nil, err
	}
	pc := PrinciplesChapter{CasesTotal: rec.CasesTotal, Most: rec.Most, Roles: rec.Roles, Codes: []CodeRecurrence{}, Notes: []string{}}
	slices.SortStableFunc(pc.Roles, func(a, b string) int { return cmp.Compare(roleRank(a), roleRank(b)) })
	for _, line := range rec.Codes {
		i, ok := st.ix.tree.byID[line.ID]
		if !ok || !st.isPrincipleHead(i) {
			continue
		}
		shown := make([]string, len(line.Quotes))
		for k := range line.Quotes {
			q := &line.Quotes[k]
			q.Text = FoldSpace(q.Text)
			var short bool
			shown[k], short = shorten(q.Text, st.quoteMax)
			if short {
				pc.Notes = append(pc.Notes, q.Text)
				shown[k] += fmt.Sprintf(" [%d]", len(pc.Notes))
			}
		}
		pc.Codes = append(pc.Codes, line)
		pc.Shown = append(pc.Shown, shown)
	}
	b.Principles = pc
	cb, err := Codebook(ds)
	if err != nil {
		return nil, err
	}
	b.Codebook = cb.Codes
	if opt.Agreement != nil && len(opt.Agreement.Coders) >= 2 {
		b.Agreement = opt.Agreement
	}
	return b, nil
}

// BuildStory computes the chapter of one story (a case name or id).
func BuildStory(ds *Dataset, opt BookOptions, name string) (*Story, error) {
	opt.Stories = []string{name}
	st, err := newBookState(ds, opt)
	if err != nil {
		return nil, err
	}
	units, err := st.storyUnits()
	if err != nil {
		return nil, err
	}
	stories, err := st.stories(units)
	if err != nil {
		return nil, err
	}
	stories[0].BookLang = st.bookLang(units)
	return &stories[0], nil
}

func newBookState(ds *Dataset, opt BookOptions) (*bookState, error) {
	if opt.Most == 0 {
		opt.Most = DefaultMost
	}
	if err := checkMost(opt.Most); err != nil {
		return nil, err
	}
	if err := opt.Template.Check(); err != nil {
		return nil, err
	}
	switch opt.Lang = strings.ToLower(strings.TrimSpace(opt.Lang)); opt.Lang {
	case "", "en", "he", "ar":
	default:
		return nil, invalid("the book can be written in en, he or ar, not %q.", opt.Lang)
	}
	ix, err := newIndex(ds, opt.Filter)
	if err != nil {
		return nil, err
	}
	st := &bookState{ix: ix, opt: opt, codings: ix.codings, memoOf: ix.memos, quoteMax: opt.QuoteMax}
	if st.quoteMax == 0 {
		st.quoteMax = DefaultQuoteMax
	}
	if err := st.findPrinciples(); err != nil {
		return nil, err
	}
	st.byUnit = make([][]int32, len(ix.units))
	for k := range st.codings {
		u := ix.docCase[st.codings[k].doc]
		st.byUnit[u] = append(st.byUnit[u], int32(k))
	}
	st.caseMemos = map[uint64]map[string]string{}
	for _, m := range opt.Memos {
		if m.Target != coding.MemoCase {
			continue
		}
		t := strings.ToLower(strings.TrimSpace(m.Title))
		if st.caseMemos[m.TargetID] == nil {
			st.caseMemos[m.TargetID] = map[string]string{}
		}
		if prev, ok := st.caseMemos[m.TargetID][t]; ok { // several memos with one title: all, in order
			st.caseMemos[m.TargetID][t] = prev + "\n\n" + strings.TrimSpace(m.Text)
		} else {
			st.caseMemos[m.TargetID][t] = strings.TrimSpace(m.Text)
		}
	}
	return st, nil
}

// principleRootNames are the names of a top-level code taken as the root of
// the principles when BookOptions.Principles is not given.
var principleRootNames = []string{"principles", "principles of action", "עקרונות", "עקרונות פעולה", "مبادئ", "المبادئ", "مبادئ العمل"}

// findPrinciples marks the principles: the children of the principles root
// (and their sub-codes, which roll up to them), or every top-level code.
func (st *bookState) findPrinciples() error {
	t := st.ix.tree
	n := len(t.codes)
	st.principle = make([]bool, n)
	st.princOf = make([]int32, n)
	root := int32(-1)
	if p := strings.TrimSpace(st.opt.Principles); p != "" {
		for i := range t.codes {
			if strings.EqualFold(t.path[i], p) {
				root = int32(i)
			}
		}
		if root < 0 {
			return coding.Errorf(coding.ENotFound, "no code is named %q; give the path of the code whose sub-codes are the principles.", p)
		}
	} else {
		for i := range t.codes {
			if t.parent[i] < 0 && slices.Contains(principleRootNames, strings.ToLower(strings.TrimSpace(t.codes[i].Name))) {
				root = int32(i)
				break
			}
		}
	}
	for i := range t.codes {
		st.princOf[i] = -1
		up := t.up[i] // the code, then its ancestors
		if root < 0 {
			st.principle[i] = true
			st.princOf[i] = up[len(up)-1]
			continue
		}
		for k, a := range up {
			if a == root && k > 0 {
				st.principle[i] = true
				st.princOf[i] = up[k-1]
			}
		}
	}
	return nil
}

// isPrincipleHead reports whether code i is a principle itself (a child of
// the root), not a sub-code of one.
func (st *bookState) isPrincipleHead(i int32) bool { return st.princOf[i] == i }

// storyUnits returns the units to make chapters of.
func (st *bookState) storyUnits() ([]int32, error) {
	ix := st.ix
	if len(st.opt.Stories) == 0 {
		return ix.universe(), nil
	}
	var out []int32
	for _, s := range st.opt.Stories {
		found := int32(-1)
		for i, u := range ix.units {
			if u.name == s || (u.c != nil && fmt.Sprint(u.c.ID) == s) {
				found = int32(i)
				break
			}
		}
		if found < 0 {
			for i, u := range ix.units { // then case-insensitively
				if strings.EqualFold(strings.Join(strings.Fields(u.name), " "), strings.Join(strings.Fields(s), " ")) {
					found = int32(i)
					break
				}
			}
		}
		if found < 0 {
			names := make([]string, len(ix.units))
			for i, u := range ix.units {
				names[i] = u.name
			}
			return nil, coding.NotFound("case", s, names, coding.NextListCases)
		}
		if !ix.units[found].inUse {
			return nil, invalid("the case %q is outside the filters (%s).", ix.units[found].name, st.opt.Filter.describe())
		}
		out = append(out, found)
	}
	return out, nil
}

// stories builds the chapters of units, reading every quoted passage in
// one call of Dataset.Passages.
// storyHead is a story's chapter without its sections: its name,
// attributes, summary and direction.
func (st *bookState) storyHead(u int32) (Story, map[string]string) {
	un := &st.ix.units[u]
	s := Story{Case: un.name, Attrs: []Attr{}, Sections: []Section{}, NotSeen: []string{}, Notes: []string{}}
	var memos map[string]string
	if un.c != nil {
		for _, k := range slices.Sorted(maps.Keys(un.c.Attrs)) {
			s.Attrs = append(s.Attrs, Attr{k, un.c.Attrs[k]})
		}
		memos = st.caseMemos[un.c.ID]
	} else if un.doc != nil {
		for _, k := range slices.Sorted(maps.Keys(un.doc.Attrs)) {
			s.Attrs = append(s.Attrs, Attr{k, un.doc.Attrs[k]})
		}
	}
	s.Summary = memos[MemoSummary]
	s.Lang = st.unitLang(u)
	s.Dir = langDir(s.Lang)
	return s, memos
}

func (st *bookState) stories(units []int32) ([]Story, error) {
	ix := st.ix
	// The principles coded anywhere in the report, for "not seen".
	if st.seenAll == nil {
		st.seenAll = make([]bool, len(ix.tree.codes))
		for k := range st.codings {
			if p := st.princOf[st.codings[k].code]; p >= 0 {
				st.seenAll[p] = true
			}
		}
	}
	seenAll := st.seenAll
	type pending struct {
		story, section, side, passage int
		coding                        int32
	}
	var pend []pending
	out := make([]Story, len(units))
	for si, u := range units {
		un := &ix.units[u]
		s, memos := st.storyHead(u)

		// The story's codings in interview order: by document, then start.
		mine := slices.Clone(st.byUnit[u])
		docRank := make(map[int32]int, len(un.docs))
		for r, d := range un.docs {
			docRank[d] = r
		}
		slices.SortStableFunc(mine, func(a, b int32) int {
			x, y := &st.codings[a], &st.codings[b]
			if c := cmp.Compare(docRank[x.doc], docRank[y.doc]); c != 0 {
				return c
			}
			if x.start != y.start {
				return cmp.Compare(x.start, y.start)
			}
			return cmp.Compare(x.end, y.end)
		})
		seen := make([]bool, len(ix.tree.codes))
		for _, k := range mine {
			if p := st.princOf[st.codings[k].code]; p >= 0 {
				seen[p] = true
			}
		}

		// The sections and the codes that feed each.
		type plan struct {
			sec   Section
			codes []int32 // code positions; codings of sub-codes count too
		}
		var plans []plan
		taken := make([]bool, len(ix.tree.codes))
		t := st.opt.Template
		if t != nil {
			for _, ts := range t.Sections {
				p := plan{sec: Section{Title: ts.Title, Codes: []string{}, Show: ts.Show}}
				for _, ref := range ts.Codes {
					c, err := st.resolveCode(ref)
					if err != nil {
						return nil, fmt.Errorf("template section %q: %w", ts.Title, err)
					}
					p.codes = append(p.codes, c)
					p.sec.Codes = append(p.sec.Codes, ix.tree.path[c])
					taken[c] = true
				}
				if ts.Show != ShowPassages {
					p.sec.Memo = memos[strings.ToLower(ts.Title)]
				}
				plans = append(plans, p)
			}
		}
		if t == nil || t.Principles {
			for _, c := range ix.tree.order {
				if !seen[c] || !st.isPrincipleHead(c) || taken[c] {
					continue
				}
				plans = append(plans, plan{sec: Section{Title: ix.tree.codes[c].Name, Codes: []string{ix.tree.path[c]},
					Show: ShowPassages}, codes: []int32{c}})
			}
		}
		if t == nil || t.NotSeen == nil || *t.NotSeen {
			for _, c := range ix.tree.order {
				if seenAll[c] && !seen[c] && st.isPrincipleHead(c) {
					s.NotSeen = append(s.NotSeen, ix.tree.path[c])
				}
			}
		}

		for pi := range plans {
			p := &plans[pi]
			sec := p.sec
			sec.Sides = []Side{}
			if sec.Show != ShowMemo {
				feeds := func(code int32) bool {
					for _, a := range ix.tree.up[code] {
						if slices.Contains(p.codes, a) {
							return true
						}
					}
					return false
				}
				// Passages of this section, clustered: codings in one
				// document that share at least half of the shorter one
				// (two coders on the same words) are one passage, quoting
				// the key or the longest coding.
				type cluster struct{ members []int32 }
				var clusters []cluster
				for _, k := range mine {
					c := &st.codings[k]
					if !feeds(c.code) {
						continue
					}
					joined := false
					for ci := len(clusters) - 1; ci >= 0 && !joined; ci-- {
						f := &st.codings[clusters[ci].members[0]]
						if f.doc != c.doc {
							break
						}
						for _, m := range clusters[ci].members {
							o := &st.codings[m]
							shared := min(o.end, c.end) - max(o.start, c.start)
							if shared > 0 && 2*int(shared) >= min(o.chars(), c.chars()) {
								clusters[ci].members = append(clusters[ci].members, k)
								joined = true
								break
							}
						}
					}
					if !joined {
						clusters = append(clusters, cluster{members: []int32{k}})
					}
				}
				sideOf := map[string]int{}
				for _, cl := range clusters {
					rep := cl.members[0]
					for _, k := range cl.members[1:] {
						a, b := &st.codings[k], &st.codings[rep]
						if a.flags&flagKey > b.flags&flagKey || (a.flags&flagKey == b.flags&flagKey && a.chars() > b.chars()) {
							rep = k
						}
					}
					c := &st.codings[rep]
					q := BookQuote{Doc: ix.ds.Docs[c.doc].Name, Speaker: ix.speaker(c), Code: ix.tree.path[c.code],
						Start: int(c.start), End: int(c.end), Coders: []string{}}
					if c.role >= 0 {
						q.Role = ix.roles[c.role]
					}
					for _, k := range cl.members {
						m := &st.codings[k]
						name := ix.coders.names[m.coder]
						if !slices.Contains(q.Coders, name) {
							q.Coders = append(q.Coders, name)
						}
						q.Key = q.Key || m.flags&flagKey != 0
						if memo := strings.TrimSpace(st.memoOf[k]); memo != "" {
							q.Memos = append(q.Memos, name+": "+memo)
						}
					}
					slices.Sort(q.Coders)
					sd, ok := sideOf[q.Role]
					if !ok {
						sd = len(sec.Sides)
						sideOf[q.Role] = sd
						sec.Sides = append(sec.Sides, Side{Role: q.Role})
					}
					sec.Sides[sd].Passages = append(sec.Sides[sd].Passages, q)
					pend = append(pend, pending{story: si, section: len(s.Sections), side: sd,
						passage: len(sec.Sides[sd].Passages) - 1, coding: rep})
				}
				// Client first, staff second, other roles by name, no role last;
				// pend keeps side indexes, so remap after sorting.
				order := make([]int, len(sec.Sides))
				for i := range order {
					order[i] = i
				}
				slices.SortStableFunc(order, func(a, b int) int {
					return cmp.Compare(roleRank(sec.Sides[a].Role), roleRank(sec.Sides[b].Role))
				})
				sorted := make([]Side, len(order))
				where := make([]int, len(order))
				for newPos, old := range order {
					sorted[newPos] = sec.Sides[old]
					where[old] = newPos
				}
				sec.Sides = sorted
				for i := range pend {
					if pend[i].story == si && pend[i].section == len(s.Sections) {
						pend[i].side = where[pend[i].side]
					}
				}
			}
			s.Sections = append(s.Sections, sec)
		}
		out[si] = s
	}

	// Read every quoted passage at once.
	ps := make([]Passage, len(pend))
	order := make([]int, len(pend))
	for i, p := range pend {
		c := &st.codings[p.coding]
		ps[i] = Passage{Doc: ix.ds.Docs[c.doc].ID, Start: int(c.start), End: int(c.end)}
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(ps[a].Doc, ps[b].Doc); c != 0 {
			return c
		}
		return cmp.Compare(ps[a].Start, ps[b].Start)
	})
	sortedPs := make([]Passage, len(ps))
	for i, o := range order {
		sortedPs[i] = ps[o]
	}
	if ix.ds.Passages != nil && len(sortedPs) > 0 {
		if err := ix.ds.Passages(sortedPs); err != nil {
			return nil, fmt.Errorf("load the quoted passages: %w", err)
		}
	}
	for i, o := range order {
		p := pend[o]
		q := &out[p.story].Sections[p.section].Sides[p.side].Passages[p.passage]
		q.Text = FoldSpace(sortedPs[i].Text)
		q.Dir = textDir(q.Text, out[p.story].Dir)
	}
	// Shorten long quotes, numbering the notes in reading order.
	for si := range out {
		s := &out[si]
		for a := range s.Sections {
			for b := range s.Sections[a].Sides {
				for c := range s.Sections[a].Sides[b].Passages {
					q := &s.Sections[a].Sides[b].Passages[c]
					var short bool
					if q.Shown, short = shorten(q.Text, st.quoteMax); short {
						s.Notes = append(s.Notes, q.Text)
						q.Note = len(s.Notes)
					}
				}
			}
		}
	}
	return out, nil
}

// resolveCode finds a template's code by path (case-insensitive) or, when
// unambiguous, by its own name.
func (st *bookState) resolveCode(ref string) (int32, error) {
	t := st.ix.tree
	ref = strings.Trim(strings.TrimSpace(ref), "/")
	for i := range t.codes {
		if strings.EqualFold(t.path[i], ref) {
			return int32(i), nil
		}
	}
	found := int32(-1)
	for i := range t.codes {
		if strings.EqualFold(t.codes[i].Name, ref) {
			if found >= 0 {
				return -1, invalid("more than one code is named %q; give its path, as in %s.", ref, t.path[i])
			}
			found = int32(i)
		}
	}
	if found < 0 {
		return -1, coding.NotFound("code", ref, t.path, coding.NextListCodes)
	}
	return found, nil
}

// roleRank orders the sides of a section: client, staff, other roles, none.
func roleRank(role string) int {
	switch strings.ToLower(role) {
	case "client":
		return 0
	case "staff":
		return 1
	case "":
		return 3
	}
	return 2
}

// unitLang returns the language most of a unit's documents are in, by
// characters ("" for unmarked documents, which count as English).
func (st *bookState) unitLang(u int32) string {
	count := map[string]int{}
	for _, d := range st.ix.units[u].docs {
		doc := &st.ix.ds.Docs[d]
		count[normLang(doc.Lang)] += max(doc.Chars, 1)
	}
	best, n := "", -1
	for _, l := range slices.Sorted(maps.Keys(count)) {
		if count[l] > n {
			best, n = l, count[l]
		}
	}
	return best
}

// bookLang is BookOptions.Lang, else the language most stories are in.
func (st *bookState) bookLang(units []int32) string {
	if st.opt.Lang != "" {
		return st.opt.Lang
	}
	count := map[string]int{}
	for _, u := range units {
		count[st.unitLang(u)]++
	}
	best, n := "en", 0
	for _, l := range []string{"en", "he", "ar"} {
		k := count[l]
		if l == "en" {
			k += count[""]
		}
		if k > n {
			best, n = l, k
		}
	}
	return best
}

func normLang(l string) string {
	l = strings.ToLower(l)
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	switch l {
	case "iw":
		return "he"
	case "", "en":
		return "en"
	}
	return l
}

// langDir is the writing direction of a language.
func langDir(lang string) string {
	switch normLang(lang) {
	case "he", "ar", "fa", "ur", "yi":
		return "rtl"
	}
	return "ltr"
}

// textDir is the direction of the first strong character of s, else def.
func textDir(s, def string) string {
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Hebrew, unicode.Arabic, unicode.Syriac, unicode.Thaana, unicode.Nko):
			return "rtl"
		case unicode.IsLetter(r):
			return "ltr"
		}
	}
	if def == "" {
		return "ltr"
	}
	return def
}

// FoldSpace folds every run of white space in s to one space and trims it:
// the form in which the book quotes a passage.
func FoldSpace(s string) string {
	folded, prev := true, true // prev: the last byte was a space (or the start)
	for i := 0; i < len(s) && folded; i++ {
		c := s[i]
		switch {
		case c == ' ':
			folded = !prev
			prev = true
		case c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c >= utf8.RuneSelf:
			if c >= utf8.RuneSelf {
				r, n := utf8.DecodeRuneInString(s[i:])
				if unicode.IsSpace(r) {
					folded = false
				}
				i += n - 1
				prev = false
				continue
			}
			folded = false
		default:
			prev = false
		}
	}
	if folded && !prev {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// shorten returns s, or s cut to about max characters with an ellipsis in
// the middle at word boundaries; short reports whether it cut.
func shorten(s string, max int) (out string, short bool) {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s, false
	}
	r := []rune(s)
	half := max / 2
	head := r[:half]
	if i := lastSpace(head); i > half/2 {
		head = head[:i]
	}
	tail := r[len(r)-half:]
	if i := firstSpace(tail); i >= 0 && i < half/2 {
		tail = tail[i+1:]
	}
	return strings.TrimSpace(string(head)) + " … " + strings.TrimSpace(string(tail)), true
}

func lastSpace(r []rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == ' ' {
			return i
		}
	}
	return -1
}

func firstSpace(r []rune) int {
	for i, c := range r {
		if c == ' ' {
			return i
		}
	}
	return -1
}

// FilteredDocs returns the ids of the documents that pass the filter's
// document, case and attribute conditions (coders and roles narrow
// codings, not documents).
func FilteredDocs(ds *Dataset, f Filter) (map[uint64]bool, error) {
	ix, err := prepareIndex(ds, f)
	if err != nil {
		return nil, err
	}
	out := make(map[uint64]bool, len(ds.Docs))
	for i, ok := range ix.docOK {
		if ok {
			out[ds.Docs[i].ID] = true
		}
	}
	return out, nil
}
