package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStat(t *testing.T) {
	for _, tc := range []struct {
		ms          []int
		lo, med, hi float64
	}{
		{[]int{5}, 5, 5, 5},
		{[]int{9, 1, 5}, 1, 5, 9},
		{[]int{4, 1, 3, 2}, 1, 2.5, 4},
	} {
		var s sample
		for _, m := range tc.ms {
			s.durs = append(s.durs, time.Duration(m)*time.Millisecond)
		}
		lo, med, hi := s.stat()
		if lo != tc.lo || med != tc.med || hi != tc.hi {
			t.Errorf("stat(%v) = %v %v %v, want %v %v %v", tc.ms, lo, med, hi, tc.lo, tc.med, tc.hi)
		}
	}
}

func write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCrossCheck(t *testing.T) {
	js := write(t, "r.json", `{"codes":[{"code":"A","cases":3},{"code":"A/b","cases":2}]}`)
	if got := crossCheck(js, write(t, "ok.csv", "A,3\nA/b,2\n")); !strings.Contains(got, "agree") {
		t.Errorf("equal counts: %s", got)
	}
	if got := crossCheck(js, write(t, "bad.csv", "A,3\nA/b,1\n")); !strings.Contains(got, "DIFFER") {
		t.Errorf("different counts: %s", got)
	}
	if got := crossCheck(js, write(t, "more.csv", "A,3\nA/b,2\nB,1\n")); !strings.Contains(got, "DIFFER") {
		t.Errorf("a code tacit does not list: %s", got)
	}
}

func TestAgreementCheck(t *testing.T) {
	out := write(t, "a.json", `{"docs":[{"id":1},{"id":2}],"pooled":{"units":10,"percent_agreement":90,"fleiss_kappa":0.8,"krippendorff_alpha":0.81,"cohen_kappa":null}}`)
	note, err := agreementCheck(2)(out)
	if err != nil || !strings.Contains(note, "Fleiss' kappa 0.800") || !strings.Contains(note, "Cohen's kappa undefined") {
		t.Errorf("note %q, err %v", note, err)
	}
	if _, err := agreementCheck(3)(out); err == nil {
		t.Error("a wrong number of documents was accepted")
	}
}
