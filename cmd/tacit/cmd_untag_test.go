package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// TestUntagOrigin undoes one autocode run by its group id, leaving codings
// of other runs and manual codings alone.
func TestUntagOrigin(t *testing.T) {
	dir := newSearchProject(t)
	mustRun(t, dir, "tag", "moshe", "Principles/Crisis as lever", "--quote", "called me Mr. Levi")
	var run1, run2 struct {
		Added int    `json:"added"`
		Group uint64 `json:"group"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "autocode", "Principles/Crisis as lever", "--query", "crisis", "--json")), &run1); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "autocode", "Principles/Crisis as lever", "--query", "plan", "--json")), &run2); err != nil {
		t.Fatal(err)
	}
	if run1.Added == 0 || run2.Added == 0 || run1.Group == run2.Group {
		t.Fatalf("autocode runs: %+v %+v", run1, run2)
	}
	out := mustRun(t, dir, "untag", "--origin", strconv.FormatUint(run1.Group, 10), "--json")
	var removed []map[string]any
	if err := json.Unmarshal([]byte(out), &removed); err != nil {
		t.Fatal(err)
	}
	if len(removed) != run1.Added {
		t.Errorf("untag --origin removed %d codings, run 1 added %d", len(removed), run1.Added)
	}
	var left []map[string]any
	json.Unmarshal([]byte(mustRun(t, dir, "codings", "--json")), &left)
	if len(left) != 1+run2.Added {
		t.Errorf("%d codings left, want %d (the manual one and run 2)", len(left), 1+run2.Added)
	}
	if _, errs, code := tacitRun(t, dir, "untag", "--origin", strconv.FormatUint(run1.Group, 10)); code != exitNotFound || !strings.Contains(errs, "no codings come from autocode run") {
		t.Errorf("second untag --origin: exit %d %q", code, errs)
	}
	if _, errs, code := tacitRun(t, dir, "untag", "3", "--origin", "4"); code != exitUsage {
		t.Errorf("ids and --origin: exit %d %q", code, errs)
	}
}
