package store

import (
	"path/filepath"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

// TestAddCodings: the bulk path leaves the same indexes and counts as one
// AddCoding per coding (Check verifies them), and assigns ids in document
// order.
func TestAddCodings(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "t.db"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Update(func(tx *Tx) error {
		var docs []uint64
		for i := 0; i < 3; i++ {
			d := &coding.Document{Name: "d", Turns: []coding.Turn{}}
			if err := tx.AddDocument(d, "some text of a document"); err != nil {
				return err
			}
			docs = append(docs, d.ID)
		}
		var codes []uint64
		for _, n := range []string{"a", "b", "c"} {
			c := &coding.Code{GUID: coding.NewGUID(), Name: n}
			if err := tx.PutCode(c); err != nil {
				return err
			}
			codes = append(codes, c.ID)
		}
		var list []coding.Coding
		for i := 0; i < 30; i++ {
			list = append(list, coding.Coding{DocID: docs[(i*7)%3], CodeID: codes[(i*5)%3], Start: i % 10, End: i%10 + 3, Coder: "x"})
		}
		if err := tx.AddCodings(list); err != nil {
			return err
		}
		for i := range list {
			for j := range list {
				if list[i].DocID < list[j].DocID && list[i].ID > list[j].ID {
					t.Fatalf("ids not in document order")
				}
			}
		}
		if probs := tx.Check(); len(probs) > 0 {
			t.Errorf("check: %v", probs)
		}
		return tx.Log(&coding.Event{Actor: "t", Action: "test", Summary: "bulk"})
	})
	if err != nil {
		t.Fatal(err)
	}
}
