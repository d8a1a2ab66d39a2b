package report

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"testing"
)

// TestRecurrenceJSONWriter holds the streaming writer to encoding/json's
// bytes, on the sample, its variants and random datasets with odd text.
func TestRecurrenceJSONWriter(t *testing.T) {
	ds := sample().ds
	var reps []*RecurrenceReport
	for _, opt := range []RecurrenceOptions{{Quotes: 2}, {Quotes: 1, ByAttr: "department", Most: 0.66},
		{Filter: Filter{Coders: []string{"x"}, Attrs: map[string]string{"role": "client", "department": "youth"}}},
		{Filter: Filter{Roles: []string{"client"}, Docs: []string{"Interview with Dana"}, Cases: []string{"Story 1"}}, Most: 1e-7}} {
		reps = append(reps, recurrence(t, ds, opt))
	}
	for seed := int64(1); seed <= 10; seed++ {
		rng := rand.New(rand.NewSource(seed))
		rds, _ := genDataset(rng, genSpec{docs: 8, cases: 3, codes: 6, codings: 40, turns: 3, turnLen: 30})
		rds.Codes[0].Description = "tab\there \"quoted\" \\ <b>&</b> \u2028 \x01 bad:\xff end"
		cs := codingList(rds)
		cs[0].Memo = "line\nbreak\r\n"
		rds.Codings = CodingsOf(cs)
		reps = append(reps, recurrence(t, rds, RecurrenceOptions{Quotes: 3, ByAttr: "department"}))
	}
	for i, rep := range reps {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := rep.WriteJSON(&got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			g, w := got.Bytes(), want.Bytes()
			k := 0
			for k < len(g) && k < len(w) && g[k] == w[k] {
				k++
			}
			t.Errorf("report %d: the streamed JSON differs from encoding/json at byte %d:\ngot  %q\nwant %q", i, k,
				g[max(0, k-80):min(len(g), k+80)], w[max(0, k-80):min(len(w), k+80)])
		}
	}
}

// FuzzJSONString holds the string writer (eight plain bytes at a time, then
// byte by byte) to encoding/json on any bytes, valid UTF-8 or not.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain ASCII text longer than eight", "tab\there \"q\" \\ <b>&</b>", "\u2028\u2029 x",
		"\x01\x1f\x7f", "bad:\xff\xfe end", "שרה תמיד דיברה איתי בכבוד", "emoji 😀 and é", "12345678\"12345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		j := newJSONWriter(&got)
		j.str(s)
		j.b = append(j.b, '\n')
		j.flush()
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("str(%q) = %s, want %s", s, got.Bytes(), want.Bytes())
		}
	})
}
