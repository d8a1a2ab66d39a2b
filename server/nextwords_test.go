package server

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestNextWordsAreTheWebs: what the server says about an error's next step
// names no command-line flag (the web has parameters and fields, not
// flags); and the steps it must say are said.
func TestNextWordsAreTheWebs(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "coding", "errors.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	flag := regexp.MustCompile(`(?:^|[^\w-])--[a-z]`)
	said := map[string]bool{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "Next") || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					continue
				}
				kind, _ := strconv.Unquote(lit.Value)
				words := nextWords(kind)
				if flag.MatchString(words) {
					t.Errorf("coding.%s: the server says %q, a command-line flag", name.Name, words)
				}
				said[kind] = words != ""
			}
		}
	}
	// The steps of errors a web request can meet.
	for _, kind := range []string{"damaged", "reindex", "upgrade", "name_coder", "give_query", "update_user",
		"name_coders", "check_coders", "check_docs", "common_docs", "other_docs", "move_doc_to", "force_others", "force_map"} {
		if !said[kind] {
			t.Errorf("the server says nothing about %q", kind)
		}
	}
}
