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

	"github.com/tacit-qda/tacit/internal/nextkinds"
)

// adviceAllowed are string literals of the lower layers that name tacit, a
// command or a flag without advising the user to run it, or whose words a
// golden file pins (see the note beside each).
var adviceAllowed = map[string]bool{
	// The query an auto coding records, stored with it: data, not advice.
	"--regex ":  true,
	" --regex ": true,
	// Report text that the agreement goldens (coding/agreement/testdata,
	// project/testdata/book-demo*.md) pin word for word: the setting a
	// report was made with, and how to widen it.
	"%d of %d documents compared: the others were not coded by every coder (name documents with --docs to compare them anyway)": true,
	", and units that no coder coded with that code are left out (--uncoded exclude)":                                           true,
	", and units that no coder coded count as agreement (--uncoded include)":                                                    true,
	// A parse warning the prose golden pins (coding/transcript/testdata).
	"; to take them as labels anyway, import again with --speakers %s": true,
}

// TestLowerLayersGiveNoAdvice fails when a string literal in a non-test Go
// file of store, project, coding or index tells the user to run a tacit
// command ('tacit reindex', `tacit docs`, tacit show ...) or names one of
// its flags (--force, --encoding). Those layers
// carry an error's kind and facts, and name the next step as a coding.Next*
// kind; the CLI (nextWords) and the server say it in their own words.
func TestLowerLayersGiveNoAdvice(t *testing.T) {
	var names []string
	for _, c := range newRootCmd(&globals{}).Commands() {
		names = append(names, regexp.QuoteMeta(c.Name()))
	}
	cmdRe := regexp.MustCompile(`(?:['"` + "`" + `]tacit |\btacit (?:` + strings.Join(names, "|") + `)\b)`)
	flagRe := regexp.MustCompile(`(?:^|[^\w-])--[a-z]`)       // a flag name: --force, not -->
	cssRe := regexp.MustCompile(`var\(--[\w-]+|--[\w-]+\s*:`) // CSS custom properties: var(--ink), --ink: #111
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
				switch {
				case adviceAllowed[s]:
				case cmdRe.MatchString(s):
					t.Errorf("%s: %q names a tacit command; give the error a coding.Next* kind and say it in cmd/tacit (nextWords)", fset.Position(lit.Pos()), s)
				case flagRe.MatchString(cssRe.ReplaceAllString(s, "")):
					t.Errorf("%s: %q names a command-line flag; give the error a coding.Next* kind and say it in cmd/tacit (nextWords)", fset.Position(lit.Pos()), s)
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

// TestEveryNextKindIsWorded fails when a coding.Next* kind has no words in
// the CLI: an error naming it would then end without its next step.
func TestEveryNextKindIsWorded(t *testing.T) {
	kinds, err := nextkinds.Read(filepath.Join("..", "..", "coding", "errors.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		if nextWords(k.Value, "") == "" {
			t.Errorf("coding.%s (%q) has no words in nextWords", k.Name, k.Value)
		}
	}
}
