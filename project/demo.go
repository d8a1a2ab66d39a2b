package project

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/samples"
	"github.com/tacit-qda/tacit/store"
)

// DemoSummary says what BuildDemo made.
type DemoSummary struct {
	Root      string         `json:"project"`
	Documents int            `json:"documents"`
	Cases     int            `json:"cases"`
	Codes     int            `json:"codes"`
	Codings   map[string]int `json:"codings"` // per coder
}

// BuildDemo creates a project in dir from the bundled sample study: it
// writes the transcripts to dir/transcripts, imports them into their cases
// with their attributes, maps speakers to roles, creates the codebook and
// applies the codings of the study's two coders (located by quote). dir must
// not already be a project.
func BuildDemo(ctx context.Context, dir string) (*DemoSummary, error) {
	manifest, err := samples.Manifest()
	if err != nil {
		return nil, err
	}
	tdir := filepath.Join(dir, "transcripts")
	if err := fs.WalkDir(samples.Study(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) == ".json" {
			return err
		}
		data, err := fs.ReadFile(samples.Study(), path)
		if err != nil {
			return err
		}
		dst := filepath.Join(tdir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	}); err != nil {
		return nil, fmt.Errorf("write the sample transcripts: %w", err)
	}
	if err := Init(dir, "en"); err != nil {
		return nil, err
	}
	p, err := Open(dir, Options{Actor: "demo"})
	if err != nil {
		return nil, err
	}
	defer p.Close()
	sum := &DemoSummary{Root: dir, Codings: map[string]int{}}

	roles, err := samples.Roles()
	if err != nil {
		return nil, err
	}
	if err := p.Store.Update(func(tx *store.Tx) error {
		rm, err := tx.Roles()
		if err != nil {
			return err
		}
		for sp, role := range roles {
			rm.Project[coding.NormSpeaker(sp)] = role
		}
		if err := tx.SetRoles(rm); err != nil {
			return err
		}
		return tx.Log(&coding.Event{Actor: p.Actor, Action: store.ActionRole, Summary: fmt.Sprintf("demo: mapped %d speakers to roles", len(roles))})
	}); err != nil {
		return nil, err
	}

	docOf := map[string]uint64{}
	for _, m := range manifest {
		res, err := p.Import(ctx, []string{filepath.Join(tdir, filepath.FromSlash(m.File))},
			ImportOptions{Case: m.Case, Attrs: m.Attributes, Lang: m.Lang}, nil)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", m.File, err)
		}
		docOf[m.File] = res[0].ID
		sum.Documents++
	}

	cases, err := samples.Cases()
	if err != nil {
		return nil, err
	}
	if err := p.Store.Update(func(tx *store.Tx) error {
		for _, ca := range cases {
			c, _, err := tx.EnsureCase(ca.Case)
			if err != nil {
				return err
			}
			if c.Attrs == nil {
				c.Attrs = map[string]string{}
			}
			for k, v := range ca.Attributes {
				c.Attrs[k] = v
			}
			if err := tx.PutCase(c); err != nil {
				return err
			}
			sum.Cases++
		}
		return tx.Log(&coding.Event{Actor: p.Actor, Action: store.ActionAttr, Summary: fmt.Sprintf("demo: attributes of %d cases", len(cases))})
	}); err != nil {
		return nil, err
	}

	// The codebook goes in as 'tacit codebook import' would take it.
	raw, err := samples.ReadFile("codebook.json")
	if err != nil {
		return nil, err
	}
	flat, err := coding.ParseCodebook(raw, "json")
	if err != nil {
		return nil, fmt.Errorf("sample codebook: %w", err)
	}
	if err := p.Store.Update(func(tx *store.Tx) error {
		if _, err := tx.ImportCodebook(p.Actor, flat); err != nil {
			return err
		}
		cb, err := tx.Codes()
		sum.Codes = cb.Len()
		return err
	}); err != nil {
		return nil, err
	}

	defs, err := samples.Codings()
	if err != nil {
		return nil, err
	}
	byCoder := map[string][]samples.CodingDef{}
	for _, d := range defs {
		byCoder[d.Coder] = append(byCoder[d.Coder], d)
	}
	coders := make([]string, 0, len(byCoder))
	for c := range byCoder {
		coders = append(coders, c)
	}
	sort.Strings(coders)
	for _, coder := range coders {
		if err := p.Store.Update(func(tx *store.Tx) error {
			cb, err := tx.Codes()
			if err != nil {
				return err
			}
			for _, d := range byCoder[coder] {
				doc, err := tx.Document(docOf[d.File])
				if err != nil {
					return err
				}
				text, err := tx.Text(doc.ID)
				if err != nil {
					return err
				}
				span, err := coding.FindQuote(doc, text, d.Quote)
				if err != nil {
					return fmt.Errorf("sample coding in %s: %w", d.File, err)
				}
				code, err := cb.Resolve(d.Code)
				if err != nil {
					return err
				}
				if err := tx.AddCoding(&coding.Coding{DocID: doc.ID, CodeID: code.ID, Start: span.Start, End: span.End,
					Coder: coder, Origin: coding.OriginManual, Memo: d.Memo, Key: d.Key, CreatedAt: tx.Now()}); err != nil {
					return err
				}
				sum.Codings[coder]++
			}
			return tx.Log(&coding.Event{Actor: coder, Action: store.ActionTag, Summary: fmt.Sprintf("demo: %d codings by %s", len(byCoder[coder]), coder)})
		}); err != nil {
			return nil, err
		}
	}
	if err := addDemoMemos(p); err != nil {
		return nil, err
	}
	return sum, nil
}

// addDemoMemos writes the memos a team keeps while coding (memos 1 to 3: on
// the project, on a principle and on a story), so that the memo commands'
// examples have something to show and edit.
func addDemoMemos(p *Project) error {
	return p.Store.Update(func(tx *store.Tx) error {
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		crisis, err := cb.Resolve("Principles/Crisis as a lever for change")
		if err != nil {
			return err
		}
		s5, err := tx.CaseByName("S5 A plan for the whole family")
		if err != nil {
			return err
		}
		for _, m := range []struct {
			by string
			m  coding.Memo
		}{
			{"dana", coding.Memo{Target: coding.MemoProject, Title: "Coding rules",
				Text: "Code the smallest passage that still makes sense alone; code the interviewer only when the question itself shows the principle."}},
			{"dana", coding.Memo{Target: coding.MemoCode, TargetID: crisis.ID, Title: "Crisis: open questions",
				Text: "Seen in 5 stories so far; in S3 the crisis is the daughter's, not the client's: check S5 again."}},
			{"yossi", coding.Memo{Target: coding.MemoCase, TargetID: s5.ID,
				Text: "The whole family was the unit of work from the first meeting; compare with S1."}},
		} {
			if err := tx.AddMemo(m.by, &m.m); err != nil {
				return err
			}
		}
		return nil
	})
}
