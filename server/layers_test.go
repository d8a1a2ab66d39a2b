package server

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The server decodes requests and calls the operations layer; it never
// reaches the store or the index itself (DESIGN.md, "Layout").
func TestServerDoesNotImportStoreOrIndex(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if strings.HasSuffix(p, "/tacit/store") || strings.HasSuffix(p, "/tacit/index") || strings.Contains(p, "go.etcd.io/bbolt") || strings.Contains(p, "blevesearch") {
				t.Errorf("%s imports %s; call package project instead", f, p)
			}
		}
	}
}
