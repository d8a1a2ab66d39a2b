package project

import (
	"context"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

// TestOperations runs the writing operations directly on the demo
// project, each with a check of what it changed and of the error a bad
// request gets (nothing changed then).
func TestOperations(t *testing.T) {
	p := demoProject(t)
	ctx := WithActor(context.Background(), "olive")
	str := func(s string) *string { return &s }

	// EditCode (store.EditCode): colour, description, and a refusal.
	row, err := p.EditCode(ctx, EditCodeRequest{Code: "Respectful attitude", Color: str("green"), Description: str("asked, not told")})
	if err != nil {
		t.Fatal(err)
	}
	if row.Path != "Principles/Respectful attitude" || row.Description != "asked, not told" || row.Color == "" {
		t.Errorf("EditCode gave %+v", row)
	}
	if _, err := p.EditCode(ctx, EditCodeRequest{Code: "Respectful attitude"}); coding.ErrorKind(err) != coding.EInvalid {
		t.Errorf("EditCode with nothing to change: %v", err)
	}
	if _, err := p.EditCode(ctx, EditCodeRequest{Code: "nope", Color: str("red")}); coding.ErrorKind(err) != coding.ENotFound {
		t.Errorf("EditCode of a missing code: %v", err)
	}
	det, err := p.ShowCode(ctx, CodeRequest{Code: "Respectful attitude"})
	if err != nil || det.Description != "asked, not told" {
		t.Fatalf("ShowCode after edit: %+v, %v", det, err)
	}

	// ChangeAttrs on a document (Tx.UpdateDocument) and on a case.
	ar, err := p.ChangeAttrs(ctx, AttrRequest{Target: "client-moshe", Doc: true, Set: map[string]string{"region": "south"}})
	if err != nil {
		t.Fatal(err)
	}
	if ar.Attributes["region"] != "south" {
		t.Errorf("ChangeAttrs gave %+v", ar)
	}
	show, err := p.Show(ctx, ShowRequest{Doc: "client-moshe"})
	if err != nil || show.Attributes["region"] != "south" {
		t.Errorf("the document attribute was not stored: %+v, %v", show.Attributes, err)
	}
	if _, err := p.ChangeAttrs(ctx, AttrRequest{Target: "client-moshe", Doc: true, Unset: []string{"region", "nope"}}); coding.ErrorKind(err) != coding.ENotFound {
		t.Errorf("unset of a missing attribute: %v", err)
	}
	show, _ = p.Show(ctx, ShowRequest{Doc: "client-moshe"})
	if show.Attributes["region"] != "south" {
		t.Errorf("a refused unset changed the document: %+v", show.Attributes)
	}
	if _, err := p.ChangeAttrs(ctx, AttrRequest{Target: "S1 Step by step", Unset: []string{"year"}}); err != nil {
		t.Errorf("unset of a case attribute: %v", err)
	}

	// Tag, then Undo by the same coder removes it.
	tag, err := p.Tag(ctx, TagRequest{Doc: "client-moshe", Codes: []string{"Crisis as a lever for change"}, Ranges: []string{"0:10"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tag.Codings) != 1 || tag.Codings[0].Start != 0 || tag.Codings[0].End != 10 {
		t.Fatalf("Tag gave %+v", tag)
	}
	u, err := p.Undo(ctx, UndoRequest{})
	if err != nil || u.Event.Action != "tag" || u.Event.Actor != "olive" {
		t.Fatalf("Undo gave %+v, %v", u, err)
	}
	// After the undo olive has no codings: a coder filter naming her is a
	// name that selects nothing, as an unknown speaker is.
	if _, err := p.Codings(ctx, CodingsRequest{Coder: "olive"}); coding.ErrorKind(err) != coding.ENotFound {
		t.Errorf("after undo olive's codings: %v", err)
	}

	// Memos: add, edit, list, delete.
	m, err := p.AddMemo(ctx, AddMemoRequest{Target: MemoTarget{Kind: "code", Ref: "Respectful attitude"}, Text: "seen in all"})
	if err != nil || m.On == "" || m.Author != "olive" {
		t.Fatalf("AddMemo gave %+v, %v", m, err)
	}
	if _, err := p.EditMemo(ctx, EditMemoRequest{ID: m.ID, Text: str("seen in all seven")}); err != nil {
		t.Fatal(err)
	}
	list, err := p.ListMemos(ctx, ListMemosRequest{Target: &MemoTarget{Kind: "code", Ref: "Respectful attitude"}})
	if err != nil || len(list.Memos) != 1 || list.Memos[0].Text != "seen in all seven" {
		t.Fatalf("ListMemos gave %+v, %v", list, err)
	}
	if _, err := p.DeleteMemo(ctx, MemoRequest{ID: m.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ShowMemo(ctx, MemoRequest{ID: m.ID}); coding.ErrorKind(err) != coding.ENotFound {
		t.Errorf("a deleted memo: %v", err)
	}

	// Codebook: add, rename, move, merge, delete.
	if _, err := p.AddCode(ctx, AddCodeRequest{Path: "Scratch/A"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddCode(ctx, AddCodeRequest{Path: "Scratch/B"}); err != nil {
		t.Fatal(err)
	}
	if r, err := p.RenameCode(ctx, RenameCodeRequest{Code: "Scratch/A", New: "A2"}); err != nil || r.Path != "Scratch/A2" {
		t.Errorf("RenameCode gave %+v, %v", r, err)
	}
	if r, err := p.MoveCode(ctx, MoveCodeRequest{Code: "Scratch/A2", Root: true}); err != nil || r.Path != "A2" {
		t.Errorf("MoveCode gave %+v, %v", r, err)
	}
	if r, err := p.MergeCode(ctx, MergeCodeRequest{From: "A2", Into: "Scratch/B"}); err != nil || r.Into != "Scratch/B" {
		t.Errorf("MergeCode gave %+v, %v", r, err)
	}
	if _, err := p.DeleteCode(ctx, DeleteCodeRequest{Code: "Scratch"}); coding.ErrorKind(err) == "" || err == nil {
		t.Errorf("deleting a code with sub-codes without force: %v", err)
	}
	if r, err := p.DeleteCode(ctx, DeleteCodeRequest{Code: "Scratch", Force: true}); err != nil || r.Codes != 2 {
		t.Errorf("DeleteCode gave %+v, %v", r, err)
	}

	// Log: only listed actions.
	if _, err := p.Log(ctx, LogRequest{Action: "speaker.role"}); coding.ErrorKind(err) != coding.ENotFound {
		t.Errorf("log of an unknown action: %v", err)
	}
	lg, err := p.Log(ctx, LogRequest{Action: "code", Actor: "olive"})
	if err != nil || len(lg.Events) != 7 {
		t.Errorf("olive's code events: %d, %v", len(lg.Events), err)
	}
}
