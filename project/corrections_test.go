package project

import (
	"context"
	"fmt"
	"sort"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// dumpStore reads every record of the project's store except the audit
// log and the revision counters, which an undo moves forward.
func dumpStore(t *testing.T, root string) map[string]string {
	t.Helper()
	db, err := bolt.Open(DBPath(root), 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]string{}
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if string(name) == "events" {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				if string(name) == "meta" && (string(k) == "revision" || string(k) == "index_revision") {
					return nil
				}
				out[string(name)+"/"+fmt.Sprintf("%x", k)] = string(v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffDumps(a, b map[string]string) []string {
	var d []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			d = append(d, "missing after: "+k)
		} else if v != w {
			d = append(d, "differs: "+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, "extra after: "+k)
		}
	}
	sort.Strings(d)
	return d
}

// TestCorrectionsUndoByteForByte runs every correction on the demo study,
// checks the project after it, undoes it and compares every record of
// the store with what it was before.
func TestCorrectionsUndoByteForByte(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := BuildDemo(ctx, dir); err != nil {
		t.Fatal(err)
	}
	// A memo on a case and on a document, so that they travel too.
	p, err := Open(dir, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	err = p.Store.Update(func(tx *store.Tx) error {
		if err := tx.AddMemo("tester", &coding.Memo{Target: coding.MemoCase, TargetID: 7, Text: "youth story"}); err != nil {
			return err
		}
		if err := tx.AddMemo("tester", &coding.Memo{Target: coding.MemoDoc, TargetID: 1, Text: "long pauses"}); err != nil {
			return err
		}
		return tx.Log(&coding.Event{Actor: "tester", Action: "memo", Summary: "memos"})
	})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	ops := []struct {
		name string
		run  func(p *Project) error
	}{
		{"docs rm", func(p *Project) error {
			_, err := p.DeleteDocument(ctx, DeleteDocumentRequest{Doc: "client-moshe", Force: true})
			return err
		}},
		{"docs mv", func(p *Project) error {
			_, err := p.MoveDocument(ctx, MoveDocumentRequest{Doc: "staff-rana", Case: "S9 New"})
			return err
		}},
		{"docs mv --no-case", func(p *Project) error {
			_, err := p.MoveDocument(ctx, MoveDocumentRequest{Doc: "staff-rana", NoCase: true})
			return err
		}},
		{"docs rename", func(p *Project) error {
			_, err := p.RenameDocument(ctx, RenameDocumentRequest{Doc: "staff-rana", NewName: "s7-staff"})
			return err
		}},
		{"cases rename", func(p *Project) error {
			_, err := p.RenameCase(ctx, RenameCaseRequest{Case: "S1 Step by step", NewName: "S1 Small steps"})
			return err
		}},
		{"cases merge", func(p *Project) error {
			_, err := p.MergeCases(ctx, MergeCasesRequest{From: "S7 A second chance", Into: "S4 A way out"})
			return err
		}},
		{"speaker rename", func(p *Project) error {
			_, err := p.RenameSpeaker(ctx, RenameSpeakerRequest{From: "Interviewer", To: "Researcher"})
			return err
		}},
		{"speaker rename in one document", func(p *Project) error {
			_, err := p.RenameSpeaker(ctx, RenameSpeakerRequest{Doc: "client-moshe", From: "Moshe", To: "Client A"})
			return err
		}},
		{"cases rm", func(p *Project) error {
			_, err := p.DeleteCase(ctx, DeleteCaseRequest{Case: "S7 A second chance", Force: true})
			return err
		}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			before := dumpStore(t, dir)
			p, err := Open(dir, Options{Actor: "tester"})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			if err := op.run(p); err != nil {
				t.Fatal(err)
			}
			rep, err := p.Check(ctx)
			if err != nil || len(rep.Problems) > 0 {
				t.Fatalf("check after %s: %v %v", op.name, err, rep.Problems)
			}
			err = p.UpdateIndexed(ctx, func(tx *store.Tx) ([]uint64, bool, error) {
				_, err := tx.Undo("tester")
				return nil, err == nil && tx.IndexChanged(), err
			})
			if err != nil {
				t.Fatal(err)
			}
			rep, err = p.Check(ctx)
			if err != nil || len(rep.Problems) > 0 {
				t.Fatalf("check after undo of %s: %v %v", op.name, err, rep.Problems)
			}
			p.Close()
			if d := diffDumps(before, dumpStore(t, dir)); len(d) > 0 {
				t.Fatalf("undo of %s left %d differences: %v", op.name, len(d), d)
			}
		})
	}
}

// TestCorrectionsRefuse checks the refusals: nothing changes.
func TestCorrectionsRefuse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := BuildDemo(ctx, dir); err != nil {
		t.Fatal(err)
	}
	before := dumpStore(t, dir)
	p, err := Open(dir, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		err  error
		kind string
	}{
		{second(p.DeleteDocument(ctx, DeleteDocumentRequest{Doc: "client-moshe"})), coding.EConflict},
		{second(p.DeleteDocument(ctx, DeleteDocumentRequest{Doc: "nobody"})), coding.ENotFound},
		{second(p.MoveDocument(ctx, MoveDocumentRequest{Doc: "client-moshe"})), coding.EInvalid},
		{second(p.MoveDocument(ctx, MoveDocumentRequest{Doc: "client-moshe", Case: "s1 step by step"})), coding.EInvalid},
		{second(p.RenameDocument(ctx, RenameDocumentRequest{Doc: "client-moshe", NewName: "staff-ruth"})), coding.EConflict},
		{second(p.RenameDocument(ctx, RenameDocumentRequest{Doc: "client-moshe", NewName: "42"})), coding.EInvalid},
		{second(p.RenameCase(ctx, RenameCaseRequest{Case: "S1 Step by step", NewName: "s2 a new career"})), coding.EConflict},
		{second(p.MergeCases(ctx, MergeCasesRequest{From: "S1 Step by step", Into: "s1 step by step"})), coding.EInvalid},
		{second(p.DeleteCase(ctx, DeleteCaseRequest{Case: "S1 Step by step"})), coding.EConflict},
	} {
		if c.err == nil || coding.ErrorKind(c.err) != c.kind {
			t.Errorf("got %v (%s), want kind %s", c.err, coding.ErrorKind(c.err), c.kind)
		}
	}
	p.Close()
	if d := diffDumps(before, dumpStore(t, dir)); len(d) > 0 {
		t.Fatalf("a refused correction changed the store: %v", d)
	}
}

func second[T any](_ T, err error) error { return err }
