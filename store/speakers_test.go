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
