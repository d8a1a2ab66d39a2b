package agreement

import (
	"encoding/json"
	"testing"
)

// TestCoefJSONRoundTrip: a coefficient read back from its JSON is the same
// value (or still undefined), so a report sent over the wire prints alike.
func TestCoefJSONRoundTrip(t *testing.T) {
	for _, c := range []Coef{defined(0.5), defined(1), defined(-0.25), undefined("no pairs")} {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var got Coef
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if got.OK != c.OK || got.Value != c.Value || got.String() != c.String() {
			t.Errorf("%s: round trip gave %+v", b, got)
		}
	}
}
