package store

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

// TestTurnSpeakers: the labels read from the encoded turns are those of
// the decoded turns, in order of first appearance, "" included.
func TestTurnSpeakers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		turns []coding.Turn
		want  []string
	}{
		{"none", nil, nil},
		{"header and two", []coding.Turn{{Header: true}, {Speaker: "Ruth", Start: 3, End: 9}, {Speaker: "Q", HasTime: true, TimeStart: time.Second, TimeEnd: 2 * time.Second}, {Speaker: "Ruth"}}, []string{"", "Ruth", "Q"}},
		{"labels differing in case", []coding.Turn{{Speaker: "ruth"}, {Speaker: "Ruth"}, {Speaker: "ruth"}}, []string{"ruth", "Ruth"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := turnSpeakers(encodeTurns(tc.turns))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := turnSpeakers(nil); err == nil {
		t.Fatal("a missing record gives no error")
	}
	if _, err := turnSpeakers(encodeTurns([]coding.Turn{{Speaker: "Ruth"}})[:3]); err == nil {
		t.Fatal("a cut record gives no error")
	}
}

// TestScanTurnsTimedHeader: a turn whose flags are 3 (a header with times)
// keeps the turns after it in place when read in place (scanTurnsV1).
func TestScanTurnsTimedHeader(t *testing.T) {
	turns := []coding.Turn{{Header: true, HasTime: true, TimeStart: time.Second, TimeEnd: 2 * time.Second, End: 3},
		{Speaker: "Ruth", Start: 3, End: 9}, {Speaker: "Q", Start: 9, End: 12}}
	raw := encodeTurns(turns)
	var got []string
	if !scanTurnsV1(raw[1:], func(sp []byte, s, e int) { got = append(got, string(sp)+":"+strconv.Itoa(s)+"-"+strconv.Itoa(e)) }) {
		t.Fatal("scanTurnsV1 refused the record")
	}
	if want := []string{":0-3", "Ruth:3-9", "Q:9-12"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestMapped: the text TextBytes hands out in a read transaction lies in
// the store's map (a long one on overflow pages, a short one in a leaf);
// a copy of it, an empty slice and anything read in a write transaction
// do not count as mapped, since their pages must never be given back.
func TestMapped(t *testing.T) {
	s := newStore(t)
	long := strings.Repeat("Moshe: שלום world. ", 2000)
	var ids []uint64
	if err := s.Update(func(tx *Tx) error {
		for i, text := range []string{long, "Ruth: hi"} {
			d := &coding.Document{Name: "d" + strconv.Itoa(i), SourceHash: "h" + strconv.Itoa(i)}
			if err := tx.AddDocument(d, text); err != nil {
				return err
			}
			ids = append(ids, d.ID)
		}
		return logEv(tx)
	}); err != nil {
		t.Fatal(err)
	}
	check := func(tx *Tx, want bool) {
		for _, id := range ids {
			b, err := tx.TextBytes(id)
			if err != nil {
				t.Fatal(err)
			}
			if got := tx.Mapped(b); got != want {
				t.Errorf("text %d (%d bytes): Mapped = %v, want %v (writable %v)", id, len(b), got, want, tx.writable)
			}
			if tx.Mapped(slices.Clone(b)) {
				t.Errorf("a heap copy of text %d counts as mapped", id)
			}
			if tx.Mapped(b[:0]) {
				t.Errorf("an empty slice counts as mapped")
			}
		}
	}
	if err := s.View(func(tx *Tx) error { check(tx, true); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *Tx) error { check(tx, false); return errors.New("no change") }); err == nil {
		t.Fatal("the write transaction committed")
	}
}

// TestSearchReaders: ScanCodingsByCode gives the fields CodingsByCode
// decodes, code by code; TurnsAt gives the turns asked for, as the decoded
// list has them, and nothing for turns the document does not have.
func TestSearchReaders(t *testing.T) {
	s := newStore(t)
	var doc, other uint64
	var codes [3]uint64
	turns := []coding.Turn{{Header: true, HasTime: true, TimeStart: time.Second, TimeEnd: 2 * time.Second, End: 3},
		{Speaker: "Ruth", Start: 3, End: 9}, {Speaker: "Q", Start: 9, End: 12, HasTime: true, TimeEnd: time.Minute}, {Speaker: "Ruth", Start: 12, End: 20}}
	mustUpdate(t, s, func(tx *Tx) error {
		d := &coding.Document{Name: "ruth", SourceHash: "h1", Turns: turns}
		if err := tx.AddDocument(d, "hi Ruth: hello Q: yes Ruth: goodbye"); err != nil {
			return err
		}
		d2 := &coding.Document{Name: "other", SourceHash: "h2", Turns: []coding.Turn{{Speaker: "A", End: 1}}}
		if err := tx.AddDocument(d2, "x"); err != nil {
			return err
		}
		doc, other = d.ID, d2.ID
		for i := range codes {
			c := &coding.Code{Name: "C" + strconv.Itoa(i)}
			if err := tx.PutCode(c); err != nil {
				return err
			}
			codes[i] = c.ID
		}
		// Code 0: three codings (one with a memo and key), code 1: one,
		// code 2: none.
		for _, c := range []coding.Coding{
			{DocID: doc, CodeID: codes[0], Start: 3, End: 5, Coder: "dana"},
			{DocID: doc, CodeID: codes[1], Start: 4, End: 9, Coder: "yossi"},
			{DocID: other, CodeID: codes[0], Start: 0, End: 1, Coder: "רנה", Memo: "why", Key: true},
			{DocID: doc, CodeID: codes[0], Start: 12, End: 20, Coder: "dana", Origin: coding.OriginAuto, Query: "bye"},
		} {
			if err := tx.AddCoding(&c); err != nil {
				return err
			}
		}
		return logEv(tx)
	})
	err := s.View(func(tx *Tx) error {
		for _, code := range codes {
			want, err := tx.CodingsByCode(code)
			if err != nil {
				return err
			}
			var got []coding.Coding
			err = tx.ScanCodingsByCode(code, func(f *CodingFields) error {
				got = append(got, coding.Coding{ID: f.ID, DocID: f.DocID, CodeID: f.CodeID, Start: f.Start, End: f.End,
					Coder: string(f.Coder), Memo: string(f.Memo), Key: f.Key})
				return nil
			})
			if err != nil {
				return err
			}
			if len(got) != len(want) {
				t.Fatalf("code %d: %d codings, want %d", code, len(got), len(want))
			}
			for i, w := range want {
				g := got[i]
				if g.ID != w.ID || g.DocID != w.DocID || g.CodeID != w.CodeID || g.Start != w.Start || g.End != w.End ||
					g.Coder != w.Coder || g.Memo != w.Memo || g.Key != w.Key {
					t.Errorf("code %d, coding %d: got %+v, want %+v", code, i, g, w)
				}
			}
		}
		for _, tc := range []struct {
			idx  []int
			want []string
		}{
			{nil, nil},
			{[]int{0}, []string{"0::0-3"}},
			{[]int{1, 3}, []string{"1:Ruth:3-9", "3:Ruth:12-20"}},
			{[]int{0, 1, 2, 3}, []string{"0::0-3", "1:Ruth:3-9", "2:Q:9-12", "3:Ruth:12-20"}},
			{[]int{2, 4}, []string{"2:Q:9-12"}},
			{[]int{-1, 3}, []string{"3:Ruth:12-20"}},
		} {
			var got []string
			err := tx.TurnsAt(doc, tc.idx, func(i int, sp []byte, s, e int) {
				got = append(got, strconv.Itoa(i)+":"+string(sp)+":"+strconv.Itoa(s)+"-"+strconv.Itoa(e))
			})
			if err != nil {
				t.Errorf("TurnsAt %v: %v", tc.idx, err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("TurnsAt %v: got %q, want %q", tc.idx, got, tc.want)
			}
		}
		if err := tx.TurnsAt(999, []int{0}, func(int, []byte, int, int) {}); err == nil {
			t.Error("TurnsAt of a missing document gives no error")
		}
		if !tx.HasTurns(doc) || tx.HasTurns(999) {
			t.Error("HasTurns is wrong")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
