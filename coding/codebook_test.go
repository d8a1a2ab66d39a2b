package coding

import (
	"regexp"
	"strings"
	"testing"
)

func sampleBook() *Codebook {
	return NewCodebook([]Code{
		{ID: 1, Name: "Principles", GUID: "g1"},
		{ID: 2, Name: "Respectful attitude", ParentID: 1, GUID: "g2"},
		{ID: 3, Name: "Partnership", ParentID: 1, GUID: "g3"},
		{ID: 4, Name: "Many partners", ParentID: 3, GUID: "g4"},
		{ID: 5, Name: "Crisis as lever", ParentID: 1, GUID: "g5"},
		{ID: 6, Name: "Barriers"},
		{ID: 7, Name: "Partnership", ParentID: 6},
	})
}

func TestCodebookResolve(t *testing.T) {
	cb := sampleBook()
	tests := []struct {
		ref  string
		id   uint64
		kind string
		msg  string
	}{
		{"Principles/Respectful attitude", 2, "", ""},
		{"principles / respectful  ATTITUDE", 2, "", ""},
		{"Respectful attitude", 2, "", ""},
		{"Partnership/Many partners", 4, "", ""},
		{"Many partners", 4, "", ""},
		{"Partnership", 0, EInvalid, `ambiguous: "Barriers/Partnership" or "Principles/Partnership"`},
		{"Respect", 0, ENotFound, `did you mean "Principles/Respectful attitude"`},
		{"Crisis as levr", 0, ENotFound, `did you mean "Principles/Crisis as lever"`},
		{"Zebra", 0, ENotFound, `no code "Zebra"`},
		{"Principles//x", 0, EInvalid, "empty part"},
	}
	for _, tc := range tests {
		c, err := cb.Resolve(tc.ref)
		if tc.kind == "" {
			if err != nil || c.ID != tc.id {
				t.Errorf("Resolve(%q) = %v, %v; want id %d", tc.ref, c, err, tc.id)
			}
			continue
		}
		if ErrorKind(err) != tc.kind || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Resolve(%q) error %v (%s), want %s containing %q", tc.ref, err, ErrorKind(err), tc.kind, tc.msg)
		}
	}
}

func TestCodebookTreeOps(t *testing.T) {
	cb := sampleBook()
	if got := cb.Path(4); got != "Principles/Partnership/Many partners" {
		t.Errorf("Path(4) = %q", got)
	}
	if d := cb.Descendants(1); len(d) != 5 {
		t.Errorf("Descendants(1) = %v", d)
	}
	if !cb.IsAncestor(1, 4) || cb.IsAncestor(4, 1) || !cb.IsAncestor(4, 4) {
		t.Error("IsAncestor is wrong")
	}
	// Move "Many partners" to the root, then rename it.
	c := *cb.Code(4)
	c.ParentID = 0
	cb.Put(c)
	if cb.Path(4) != "Many partners" || len(cb.Children(3)) != 0 {
		t.Errorf("after move: path %q, children of 3: %v", cb.Path(4), cb.Children(3))
	}
	c.Name = "A first"
	cb.Put(c)
	if roots := cb.Children(0); cb.Code(roots[0]).Name != "A first" {
		t.Errorf("roots not sorted after rename: %v", roots)
	}
	cb.Remove(4)
	if cb.Code(4) != nil || cb.Len() != 6 {
		t.Error("Remove left the code")
	}
	if probs := cb.Problems(); len(probs) != 0 {
		t.Errorf("Problems: %v", probs)
	}
}

func TestCheckPlaceAndMissing(t *testing.T) {
	cb := sampleBook()
	if err := cb.CheckPlace(1, "respectful ATTITUDE", 0); ErrorKind(err) != EConflict {
		t.Errorf("CheckPlace clash: %v", err)
	}
	if err := cb.CheckPlace(1, "Respectful attitude", 2); err != nil {
		t.Errorf("CheckPlace of itself: %v", err)
	}
	if err := cb.CheckPlace(99, "x", 0); ErrorKind(err) != ENotFound {
		t.Errorf("CheckPlace missing parent: %v", err)
	}
	deepest, missing, err := cb.Missing("Principles/Partnership/New/Deeper")
	if err != nil || deepest.ID != 3 || strings.Join(missing, "|") != "New|Deeper" {
		t.Errorf("Missing = %v %v %v", deepest, missing, err)
	}
	deepest, missing, _ = cb.Missing("Fresh")
	if deepest != nil || len(missing) != 1 {
		t.Errorf("Missing(Fresh) = %v %v", deepest, missing)
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{" Crisis   as lever ": "Crisis as lever", "משבר כמנוף": "משבר כמנוף"} {
		if got, err := CleanName(in); err != nil || got != want {
			t.Errorf("CleanName(%q) = %q %v", in, got, err)
		}
	}
	for _, in := range []string{"", "  ", "a/b"} {
		if _, err := CleanName(in); err == nil {
			t.Errorf("CleanName(%q) accepted", in)
		}
	}
}

func TestProblems(t *testing.T) {
	cb := NewCodebook([]Code{
		{ID: 1, Name: "A", ParentID: 2, GUID: "x"},
		{ID: 2, Name: "B", ParentID: 1, GUID: "x"},
		{ID: 3, Name: "c"}, {ID: 4, Name: "C"},
		{ID: 5, Name: "D", ParentID: 42},
	})
	got := strings.Join(cb.Problems(), "\n")
	for _, want := range []string{"own ancestor", "share the GUID", "share the name", "missing parent 42"} {
		if !strings.Contains(got, want) {
			t.Errorf("Problems lack %q:\n%s", want, got)
		}
	}
}

// TestDamagedTreesEnd: a code with id 0 (a hostile project file gave one:
// it became its own child of the root and Walk recursed until the stack
// overflowed, a fatal error no recover catches) and a cycle: Problems names
// them, and Walk and Descendants still end.
func TestDamagedTreesEnd(t *testing.T) {
	cb := NewCodebook([]Code{
		{ID: 0, Name: "zero"}, {ID: 2, Name: "two"},
		{ID: 3, Name: "a", ParentID: 4}, {ID: 4, Name: "b", ParentID: 3},
	})
	if got := strings.Join(cb.Problems(), "\n"); !strings.Contains(got, `code "zero" has no id (0)`) || !strings.Contains(got, "own ancestor") {
		t.Errorf("Problems:\n%s", got)
	}
	var seen []string
	cb.Walk(func(c *Code, _ int) { seen = append(seen, c.Name) })
	if strings.Join(seen, ",") != "two" {
		t.Errorf("Walk visited %v, want only the reachable code two", seen)
	}
	if d := cb.Descendants(3); len(d) > cb.Len()+2 {
		t.Errorf("Descendants(3) on a cycle = %d ids", len(d))
	}
	if d := cb.Descendants(0); len(d) != 2 {
		t.Errorf("Descendants(0) = %v, want 0 and the root code 2", d)
	}
}

func TestNewGUIDAndColor(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, b := NewGUID(), NewGUID()
	if !re.MatchString(a) || a == b {
		t.Errorf("GUIDs %q %q", a, b)
	}
	for in, want := range map[string]string{"#2A9D8F": "#2a9d8f", "#abc": "#aabbcc", "red": "#e63946", "": ""} {
		if got, err := NormColor(in); err != nil || got != want {
			t.Errorf("NormColor(%q) = %q %v", in, got, err)
		}
	}
	for _, in := range []string{"#12345", "blurple", "#ggg", "123456"} {
		if _, err := NormColor(in); err == nil {
			t.Errorf("NormColor(%q) accepted", in)
		}
	}
}
