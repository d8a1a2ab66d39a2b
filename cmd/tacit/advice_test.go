package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// adviceAllowed are string literals of the lower layers that name tacit or
// a command without advising the user to run it.
var adviceAllowed = map[string]bool{}

// TestLowerLayersGiveNoAdvice fails when a string literal in a non-test Go
// file of store, project, coding or index tells the user to run a tacit
// command ('tacit reindex', `tacit docs`, tacit show ...). Those layers
// carry an error's kind and facts, and name the next step as a coding.Next*
// kind; the CLI (nextWords) and the server say it in their own words.
func TestLowerLayersGiveNoAdvice(t *testing.T) {
	var names []string
	for _, c := range newRootCmd(&globals{}).Commands() {
		names = append(names, regexp.QuoteMeta(c.Name()))
	}
	cmdRe := regexp.MustCompile(`(?:['"` + "`" + `]tacit |\btacit (?:` + strings.Join(names, "|") + `)\b)`)
	for _, dir := range []string{"store", "project", "coding", "index"} {
		root := filepath.Join("..", "..", dir)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0) // no comments: they may name commands
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					s = lit.Value
				}
				if cmdRe.MatchString(s) && !adviceAllowed[s] {
					t.Errorf("%s: %q names a tacit command; give the error a coding.Next* kind and say it in cmd/tacit (nextWords)", fset.Position(lit.Pos()), s)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
