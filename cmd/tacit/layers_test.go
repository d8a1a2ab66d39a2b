package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLayers keeps the CLI and the server on the operations layer: no
// non-test file of cmd/tacit or server/ imports the store or the index.
// Whatever they need is a method of project (see project.Operations).
func TestLayers(t *testing.T) {
	forbidden := []string{"github.com/tacit-qda/tacit/store", "github.com/tacit-qda/tacit/index"}
	for _, dir := range []string{".", filepath.Join("..", "..", "server")} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			if _, err := os.Stat(dir); err == nil {
				t.Errorf("no Go files in %s", dir)
			}
			continue
		}
		fset := token.NewFileSet()
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range af.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range forbidden {
					if path == bad || strings.HasPrefix(path, bad+"/") {
						t.Errorf("%s imports %s: cmd/tacit and server/ call project's operations instead", f, path)
					}
				}
			}
		}
	}
}
