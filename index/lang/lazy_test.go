package lang

import (
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/registry"
)

// TestLazyAnalyzers: each lazy twin builds its analyzer and gives the same
// tokens.
func TestLazyAnalyzers(t *testing.T) {
	text := []byte("The social workers' crises: בכבוד והכבוד, والمدرسة ٢٠٢٣, l'École des enfants, 社会福祉")
	for _, a := range IndexAnalyzers() {
		cache := registry.NewCache()
		want, err := cache.AnalyzerNamed(a)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		lazy, err := registry.NewCache().AnalyzerNamed(Lazy(a))
		if err != nil {
			t.Fatalf("%s: %v", Lazy(a), err)
		}
		if got, exp := lazy.Analyze(text), want.Analyze(text); !reflect.DeepEqual(got, exp) {
			t.Errorf("%s: lazy gives %v, want %v", a, got, exp)
		}
	}
}
