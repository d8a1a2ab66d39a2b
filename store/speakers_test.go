package store

import (
	"slices"
	"strconv"
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
