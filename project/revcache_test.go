package project

import "testing"

// TestRevCache: a value is returned only at the revision it was kept at;
// a put from an older revision than the one kept is dropped; past max
// values the cache starts again.
func TestRevCache(t *testing.T) {
	c := revCache[string, int]{max: 2}
	c.put(5, "a", 1)
	if v, ok := c.get(5, "a"); !ok || v != 1 {
		t.Errorf("get(5, a) = %d, %v", v, ok)
	}
	if _, ok := c.get(6, "a"); ok {
		t.Error("a value kept at revision 5 was returned at 6")
	}
	c.put(4, "b", 2) // an older transaction's
	if _, ok := c.get(4, "b"); ok {
		t.Error("an older revision's put replaced the newer values")
	}
	c.putAll(5, []string{"b", "c"}, []int{2, 3}) // 3 values > max 2: start again
	out, miss, at := c.getAll(5, []string{"a", "b", "c"})
	if len(miss) != 1 || miss[0] != "a" || at[0] != 0 || out[1] != 2 || out[2] != 3 {
		t.Errorf("getAll = %v, miss %v at %v", out, miss, at)
	}
	var zero revCache[int, int] // no bound
	for i := range 1000 {
		zero.put(1, i, i)
	}
	if v, ok := zero.get(1, 0); !ok || v != 0 {
		t.Error("an unbounded cache dropped its first value")
	}
}
