// Package projgen generates whole, reproducible tacit projects for
// benchmarks: documents with turns (texts from internal/corpusgen, parsed
// by the real transcript parser), cases with attributes, speaker roles, a
// codebook tree and codings by several coders, written through the real
// store API (project.Init, store transactions, coding records) in a few
// large transactions.
//
// The first ReliabilityDocs documents are coded by every coder: each
// reference passage is applied by each coder with probability Agree (same
// code, span moved by a few characters inside the same turn), with a
// sibling code with probability (1-Agree)/2, or left out. Every other
// document is coded by one coder (round robin), so that 'tacit agreement'
// compares exactly the reliability documents by default.
//
// The same Config (seed included) gives the same documents, cases, codes
// and codings, with the same ids and time stamps.
package projgen

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"time"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/transcript"
	"github.com/tacit-qda/tacit/internal/corpusgen"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/store"
)

// Config says what to generate. Zero fields take the values of Default.
type Config struct {
	Seed        int64
	Docs        int // documents
	DocsPerCase int // documents per case (story)
	Words       int // about this many words per document
	Parents     int // top-level codes
	Children    int // sub-codes per top-level code
	Codings     int // codings in total (exactly)
	// Coders are the coders' names; the first ReliabilityDocs documents are
	// coded by all of them, every other document by one.
	Coders          []string
	ReliabilityDocs int
	// Agree is the probability that a coder applies a reliability passage
	// as the reference does (same code, nearly the same span), in (0,1].
	Agree float64
	// Departments are the values of the case attribute "department".
	Departments []string
	// Index builds the search index at the end (slow; reports, codings and
	// tag do not need it).
	Index bool
}

// Default returns the benchmark project of the issues: 1,000 documents of
// about 2,000 words in 200 cases, 100 codes (10 parents with 9 children),
// 100,000 codings by 3 coders, 200 documents coded by all three.
func Default() Config {
	return Config{
		Seed: 1, Docs: 1000, DocsPerCase: 5, Words: 2000, Parents: 10, Children: 9,
		Codings: 100000, Coders: []string{"A", "B", "C"}, ReliabilityDocs: 200, Agree: 0.9,
		Departments: []string{"addiction", "probation", "employment", "youth", "housing", "mental health"},
	}
}

func (c *Config) fill() error {
	d := Default()
	if c.Seed == 0 {
		c.Seed = d.Seed
	}
	if c.Docs == 0 {
		c.Docs = d.Docs
	}
	if c.DocsPerCase == 0 {
		c.DocsPerCase = d.DocsPerCase
	}
	if c.Words == 0 {
		c.Words = d.Words
	}
	if c.Parents == 0 {
		c.Parents = d.Parents
	}
	if c.Children == 0 {
		c.Children = d.Children
	}
	if c.Codings == 0 {
		c.Codings = d.Codings
	}
	if len(c.Coders) == 0 {
		c.Coders = d.Coders
	}
	if c.ReliabilityDocs == 0 {
		c.ReliabilityDocs = min(d.ReliabilityDocs, c.Docs)
	}
	if c.Agree == 0 {
		c.Agree = d.Agree
	}
	if len(c.Departments) == 0 {
		c.Departments = d.Departments
	}
	switch {
	case c.Docs < 1 || c.DocsPerCase < 1 || c.Words < 10 || c.Parents < 1 || c.Children < 0 || c.Codings < 0:
		return fmt.Errorf("projgen: sizes must be positive (docs %d, docs per case %d, words %d, parents %d)", c.Docs, c.DocsPerCase, c.Words, c.Parents)
	case c.ReliabilityDocs < 0 || c.ReliabilityDocs > c.Docs:
		return fmt.Errorf("projgen: %d reliability documents of %d", c.ReliabilityDocs, c.Docs)
	case c.Agree < 0 || c.Agree > 1:
		return fmt.Errorf("projgen: agree %v is outside [0,1]", c.Agree)
	}
	return nil
}

// Doc describes one generated document.
type Doc struct {
	ID    uint64
	Name  string
	Case  string
	Role  string // client or staff
	Chars int
	Turns []coding.Turn
}

// Result describes the generated project.
type Result struct {
	Root   string
	Config Config
	Docs   []Doc
	// Cases are the case names in id order; CaseOf[i] is the case of Docs[i].
	Cases []string
	// Codes are the code paths in id order (parents and children);
	// Leaves are the children's paths in id order.
	Codes  []string
	Leaves []string
	// CodeID maps a path to its id.
	CodeID map[string]uint64
	// PerCode counts the codings of each code path (not rolled up).
	PerCode map[string]int
	// ReliabilityDocs are the names of the documents every coder coded.
	ReliabilityDocs []string
	Codings         int
	TextBytes       int64
}

var (
	parentNames = []string{"Respectful attitude", "Whole family", "Many partners", "Systemic work",
		"Crisis as lever", "Therapeutic relationship", "Tailored treatment", "Trust", "Continuity", "Empowerment"}
	clientNames = []string{"Moshe", "Dana", "Ruth", "Yossi", "Miriam"}
	staffNames  = []string{"Avi", "Noa", "Samir", "Leila", "David"}
)

// corpusgen names interview i's speaker names[i%10]: indexes 0-4 are the
// client names above, 5-9 the staff names.

// fixed clock for reproducible time stamps.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { c.t = c.t.Add(time.Second); return c.t }

func guid(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.Intn(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Generate creates a project at root (which must not be a project yet) and
// fills it as cfg says.
func Generate(root string, cfg Config) (*Result, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	if err := project.Init(root, "en"); err != nil {
		return nil, fmt.Errorf("projgen: %w", err)
	}
	p, err := project.Open(root, project.Options{Actor: "projgen"})
	if err != nil {
		return nil, fmt.Errorf("projgen: %w", err)
	}
	defer p.Close()
	clk := &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	p.Store.Now = clk.now
	g := &gen{cfg: cfg, r: rand.New(rand.NewSource(cfg.Seed)), res: &Result{Root: root, Config: cfg,
		CodeID: map[string]uint64{}, PerCode: map[string]int{}}, clk: clk}
	steps := []func(*store.Store) error{g.docs, g.codes, g.codings}
	for _, step := range steps {
		if err := step(p.Store); err != nil {
			return nil, fmt.Errorf("projgen: %w", err)
		}
	}
	if cfg.Index {
		if err := p.Reindex(context.Background()); err != nil {
			return nil, fmt.Errorf("projgen: %w", err)
		}
	}
	return g.res, nil
}

type gen struct {
	cfg Config
	r   *rand.Rand
	res *Result
	clk *clock
}

const docBatch = 250

func (g *gen) docs(s *store.Store) error {
	cg := corpusgen.New(g.cfg.Seed)
	cfg := g.cfg
	roles := coding.RoleMap{Project: map[string]string{"interviewer": "interviewer"}, PerDoc: map[uint64]map[string]string{}}
	for _, n := range clientNames {
		roles.Project[coding.NormSpeaker(n)] = "client"
	}
	for _, n := range staffNames {
		roles.Project[coding.NormSpeaker(n)] = "staff"
	}
	for lo := 0; lo < cfg.Docs; lo += docBatch {
		err := s.Update(func(tx *store.Tx) error {
			for i := lo; i < min(cfg.Docs, lo+docBatch); i++ {
				ci, j := i/cfg.DocsPerCase, i%cfg.DocsPerCase
				caseName := fmt.Sprintf("S%03d %s", ci+1, parentNames[ci%len(parentNames)])
				c, created, err := tx.EnsureCase(caseName)
				if err != nil {
					return err
				}
				if created {
					c.Attrs["department"] = cfg.Departments[g.r.Intn(len(cfg.Departments))]
					c.Attrs["year"] = fmt.Sprint(2020 + g.r.Intn(6))
					if err := tx.PutCase(c); err != nil {
						return err
					}
					g.res.Cases = append(g.res.Cases, c.Name)
				}
				// Two client interviews per story, the rest staff.
				role, who := "client", g.r.Intn(5)
				if j >= 2 {
					role, who = "staff", 5+g.r.Intn(5)
				}
				iv := cg.Interview(who, cfg.Words)
				name := fmt.Sprintf("s%03d-%s-%d", ci+1, role, j+1)
				parsed, err := transcript.Parse(name+".txt", []byte(iv.Text), transcript.Options{})
				if err != nil {
					return fmt.Errorf("parse generated interview %d: %w", i, err)
				}
				d := &coding.Document{Name: name, CaseID: c.ID, Format: parsed.Format, Encoding: parsed.Encoding,
					Lang: "en", SourcePath: "/generated/" + name + ".txt", SourceHash: fmt.Sprintf("projgen-%d-%d", cfg.Seed, i),
					Turns: parsed.Turns, Attrs: map[string]string{"role": role}, Warnings: parsed.Warnings,
					ImportedAt: g.clk.now(), ImportedBy: "projgen"}
				if err := tx.AddDocument(d, parsed.Text); err != nil {
					return err
				}
				g.res.Docs = append(g.res.Docs, Doc{ID: d.ID, Name: d.Name, Case: c.Name, Role: role, Chars: d.Chars, Turns: d.Turns})
				g.res.TextBytes += int64(len(parsed.Text))
			}
			return tx.Log(&coding.Event{Actor: "projgen", Action: store.ActionImport, Summary: fmt.Sprintf("generated documents %d-%d", lo+1, min(cfg.Docs, lo+docBatch))})
		})
		if err != nil {
			return err
		}
	}
	return s.Update(func(tx *store.Tx) error {
		if err := tx.SetRoles(roles); err != nil {
			return err
		}
		return tx.Log(&coding.Event{Actor: "projgen", Action: store.ActionRole, Summary: "speaker roles of the generated interviews"})
	})
}

func (g *gen) codes(s *store.Store) error {
	return s.Update(func(tx *store.Tx) error {
		for pi := 0; pi < g.cfg.Parents; pi++ {
			name := parentNames[pi%len(parentNames)]
			if pi >= len(parentNames) {
				name = fmt.Sprintf("%s %d", name, pi/len(parentNames)+1)
			}
			pc := &coding.Code{GUID: guid(g.r), Name: name, Description: "Principle: " + strings.ToLower(name), CreatedAt: g.clk.now()}
			if err := tx.PutCode(pc); err != nil {
				return err
			}
			g.res.Codes = append(g.res.Codes, name)
			g.res.CodeID[name] = pc.ID
			for ci := 0; ci < g.cfg.Children; ci++ {
				cn := fmt.Sprintf("facet %d", ci+1)
				c := &coding.Code{GUID: guid(g.r), Name: cn, ParentID: pc.ID, CreatedAt: g.clk.now()}
				if err := tx.PutCode(c); err != nil {
					return err
				}
				path := name + "/" + cn
				g.res.Codes = append(g.res.Codes, path)
				g.res.Leaves = append(g.res.Leaves, path)
				g.res.CodeID[path] = c.ID
			}
		}
		return tx.Log(&coding.Event{Actor: "projgen", Action: store.ActionCodeAdd, Summary: fmt.Sprintf("generated %d codes", len(g.res.Codes))})
	})
}

// passage is one span of one code.
type passage struct {
	code       string
	start, end int
}

// pickCode draws a code: mostly leaves with skewed weights, 3% parents.
func (g *gen) pickCode(weights []float64, total float64) string {
	if g.r.Float64() < 0.03 || len(g.res.Leaves) == 0 {
		return g.res.Codes[g.parentIndex(g.r.Intn(g.cfg.Parents))]
	}
	x := g.r.Float64() * total
	for i, w := range weights {
		if x < w {
			return g.res.Leaves[i]
		}
		x -= w
	}
	return g.res.Leaves[len(g.res.Leaves)-1]
}

func (g *gen) parentIndex(pi int) int { return pi * (g.cfg.Children + 1) }

// sibling returns another child of code's parent (or another parent).
func (g *gen) sibling(code string) string {
	parent, _, ok := strings.Cut(code, "/")
	if !ok || g.cfg.Children < 2 {
		return g.res.Codes[g.parentIndex(g.r.Intn(g.cfg.Parents))]
	}
	for {
		c := fmt.Sprintf("%s/facet %d", parent, 1+g.r.Intn(g.cfg.Children))
		if c != code {
			return c
		}
	}
}

// span draws a passage inside a turn of speech (not the interviewer's,
// when there is another), snapped to word boundaries.
func (g *gen) span(d *Doc, text []rune) (int, int) {
	var t coding.Turn
	for try := 0; try < 8; try++ {
		t = d.Turns[g.r.Intn(len(d.Turns))]
		if !strings.EqualFold(t.Speaker, "Interviewer") && t.End-t.Start > 20 {
			break
		}
	}
	n := t.End - t.Start
	if n <= 1 {
		return t.Start, t.End
	}
	length := min(n, 30+g.r.Intn(370))
	a := t.Start + g.r.Intn(n-length+1)
	for a > t.Start && text[a-1] != ' ' {
		a--
	}
	b := min(t.End, a+length)
	for b < t.End && text[b] != ' ' && text[b] != '.' {
		b++
	}
	if b <= a {
		b = min(t.End, a+1)
	}
	return a, b
}

// jitter moves a span by up to 12 characters at each end, inside the turn.
func (g *gen) jitter(d *Doc, a, b int) (int, int) {
	ti := docTurn(d, a)
	lo, hi := d.Turns[ti].Start, d.Turns[ti].End
	na := min(max(lo, a+g.r.Intn(25)-12), hi-1)
	nb := max(min(hi, b+g.r.Intn(25)-12), na+1)
	return na, nb
}

func docTurn(d *Doc, pos int) int {
	i := sort.Search(len(d.Turns), func(i int) bool { return d.Turns[i].End > pos })
	if i == len(d.Turns) {
		i--
	}
	return i
}

const codingBatch = 25000

func (g *gen) codings(s *store.Store) error {
	cfg := g.cfg
	weights := make([]float64, len(g.res.Leaves))
	total := 0.0
	for i := range weights {
		weights[i] = 0.5 + g.r.Float64()
		total += weights[i]
	}
	// Codings per document, about equal: a reliability document holds
	// passages coded by every coder.
	k := len(cfg.Coders)
	perDoc := float64(cfg.Codings) / float64(cfg.Docs)
	passages := int(perDoc/float64(k) + 0.5)
	expectRel := int(float64(cfg.ReliabilityDocs*passages*k) * (cfg.Agree + (1-cfg.Agree)/2))
	rest := max(0, cfg.Codings-expectRel)
	others := cfg.Docs - cfg.ReliabilityDocs
	var pending []coding.Coding
	now := g.clk.t
	add := func(d *Doc, code string, a, b int, coder string) {
		if len(pending)+g.res.Codings >= cfg.Codings {
			return
		}
		now = now.Add(time.Duration(1+g.r.Intn(90)) * time.Second)
		c := coding.Coding{DocID: d.ID, CodeID: g.res.CodeID[code], Start: a, End: b, Coder: coder,
			Origin: coding.OriginManual, CreatedAt: now}
		switch x := g.r.Intn(100); {
		case x < 2:
			c.Memo = "a telling passage for the write-up"
		case x < 3:
			c.Key = true
		}
		pending = append(pending, c)
		g.res.PerCode[code]++
	}
	flush := func(force bool) error {
		if len(pending) == 0 || (!force && len(pending) < codingBatch) {
			return nil
		}
		batch := pending
		pending = nil
		err := s.Update(func(tx *store.Tx) error {
			for i := range batch {
				if err := tx.AddCoding(&batch[i]); err != nil {
					return err
				}
			}
			return tx.Log(&coding.Event{Actor: "projgen", Action: store.ActionTag,
				Summary: fmt.Sprintf("generated %d codings", len(batch)), Undo: []byte{}})
		})
		g.res.Codings += len(batch)
		return err
	}
	var text []rune
	textOf := func(s *store.Store, d *Doc) ([]rune, error) {
		var t string
		err := s.View(func(tx *store.Tx) error {
			var err error
			t, err = tx.Text(d.ID)
			return err
		})
		return []rune(t), err
	}
	for i := range g.res.Docs {
		d := &g.res.Docs[i]
		var err error
		if text, err = textOf(s, d); err != nil {
			return err
		}
		if i < cfg.ReliabilityDocs {
			g.res.ReliabilityDocs = append(g.res.ReliabilityDocs, d.Name)
			for p := 0; p < passages; p++ {
				code := g.pickCode(weights, total)
				a, b := g.span(d, text)
				for _, coder := range cfg.Coders {
					switch x := g.r.Float64(); {
					case x < cfg.Agree:
						na, nb := g.jitter(d, a, b)
						add(d, code, na, nb, coder)
					case x < cfg.Agree+(1-cfg.Agree)/2:
						add(d, g.sibling(code), a, b, coder)
					}
				}
			}
		} else {
			oi := i - cfg.ReliabilityDocs
			n := rest / others
			if oi < rest%others {
				n++
			}
			coder := cfg.Coders[oi%k]
			for c := 0; c < n; c++ {
				a, b := g.span(d, text)
				add(d, g.pickCode(weights, total), a, b, coder)
			}
		}
		if err := flush(false); err != nil {
			return err
		}
	}
	// Top up (the reliability share is random) on the non-reliability
	// documents, so that the total is exact.
	for i := cfg.ReliabilityDocs; len(pending)+g.res.Codings < cfg.Codings && others > 0; i++ {
		d := &g.res.Docs[cfg.ReliabilityDocs+(i-cfg.ReliabilityDocs)%others]
		var err error
		if text, err = textOf(s, d); err != nil {
			return err
		}
		a, b := g.span(d, text)
		add(d, g.pickCode(weights, total), a, b, cfg.Coders[(i-cfg.ReliabilityDocs)%others%k])
	}
	return flush(true)
}

// CodeWithCount returns the leaf code whose number of codings is nearest to
// n (ties: the first in id order), and its count.
func (r *Result) CodeWithCount(n int) (string, int) {
	best, bestN := "", -1
	for _, c := range r.Leaves {
		m := r.PerCode[c]
		if bestN < 0 || abs(m-n) < abs(bestN-n) {
			best, bestN = c, m
		}
	}
	return best, bestN
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
