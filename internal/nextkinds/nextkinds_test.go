package nextkinds

import (
	"path/filepath"
	"testing"
)

func TestReadFindsTheKinds(t *testing.T) {
	kinds, err := Read(filepath.Join("..", "..", "coding", "errors.go"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, k := range kinds {
		if k.Value == "" {
			t.Errorf("%s has an empty value", k.Name)
		}
		if other, dup := seen[k.Value]; dup {
			t.Errorf("%s and %s share the value %q", other, k.Name, k.Value)
		}
		seen[k.Value] = k.Name
	}
	if seen["reindex"] != "NextReindex" {
		t.Errorf("NextReindex not read as \"reindex\": %v", seen["reindex"])
	}
}
