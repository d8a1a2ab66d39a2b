package server

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/tacit-qda/tacit/internal/nextkinds"
)

// TestNextWordsAreTheWebs: what the server says about an error's next step
// names no command-line flag (the web has parameters and fields, not
// flags); and the steps it must say are said.
func TestNextWordsAreTheWebs(t *testing.T) {
	kinds, err := nextkinds.Read(filepath.Join("..", "coding", "errors.go"))
	if err != nil {
		t.Fatal(err)
	}
	flag := regexp.MustCompile(`(?:^|[^\w-])--[a-z]`)
	said := map[string]bool{}
	for _, k := range kinds {
		words := nextWords(k.Value)
		if flag.MatchString(words) {
			t.Errorf("coding.%s: the server says %q, a command-line flag", k.Name, words)
		}
		said[k.Value] = words != ""
	}
	// The steps of errors a web request can meet.
	for _, kind := range []string{"damaged", "reindex", "upgrade", "name_coder", "give_query", "update_user",
		"name_coders", "check_coders", "check_docs", "common_docs", "other_docs", "move_doc_to", "force_others", "force_map"} {
		if !said[kind] {
			t.Errorf("the server says nothing about %q", kind)
		}
	}
}
