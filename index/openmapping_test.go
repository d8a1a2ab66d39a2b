package index

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
)

// TestMappingSum keeps mappingSum in step with NewMapping: when it fails,
// the mapping changed, so bump MappingVersion too.
func TestMappingSum(t *testing.T) {
	data, err := mappingJSON()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != mappingSum {
		t.Fatalf("the index mapping changed: set mappingSum = %q in openmapping.go and bump MappingVersion", got)
	}
}

// TestMappingBuiltEqualsDecoded: the mapping built in code for the stored
// JSON is the mapping bleve would decode from it.
func TestMappingBuiltEqualsDecoded(t *testing.T) {
	data, err := mappingJSON()
	if err != nil {
		t.Fatal(err)
	}
	var decoded, built *mapping.IndexMappingImpl
	if err := decodeJSON(data, &decoded); err != nil {
		t.Fatal(err)
	}
	if err := unmarshalJSON(data, &built); err != nil {
		t.Fatal(err)
	}
	if err := built.Validate(); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(decoded)
	b, _ := json.Marshal(built)
	if string(a) != string(b) {
		t.Fatalf("built mapping differs from decoded:\n%s\n%s", a, b)
	}
	// Another JSON is decoded as before.
	var other *mapping.IndexMappingImpl
	if err := unmarshalJSON([]byte(`{"default_field":"x"}`), &other); err != nil || other.DefaultField != "x" {
		t.Fatalf("other mapping: %v %+v", err, other)
	}
}

// TestOpenBuildsMapping: reopening an index builds its mapping in code.
func TestOpenBuildsMapping(t *testing.T) {
	dir := t.TempDir() + "/idx"
	x, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x.Close()
	before := mappingsBuilt.Load()
	x, err = Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if mappingsBuilt.Load() != before+1 {
		t.Fatal("the stored mapping was decoded, not built: bleve stores another JSON than mappingJSON gives")
	}
}
