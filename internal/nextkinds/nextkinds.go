// Package nextkinds reads the next-step kinds (the coding.Next*
// constants) from the source of coding/errors.go, so that the tests of
// each shell (the CLI, the server) check every kind has its words without
// a list kept by hand beside the constants.
package nextkinds

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// Kind is one constant: its Go name and its value.
type Kind struct {
	Name, Value string
}

// Read returns the Next* string constants of the Go file at path, in the
// order they are declared. Fewer than 40 means the parse missed them (the
// file holds more), which is an error.
func Read(path string) ([]Kind, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return nil, fmt.Errorf("read the next-step kinds: %w", err)
	}
	var out []Kind
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
				if !ok || lit.Kind != token.STRING {
					continue
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					return nil, fmt.Errorf("read the next-step kind %s: %w", name.Name, err)
				}
				out = append(out, Kind{name.Name, v})
			}
		}
	}
	if len(out) < 40 {
		return nil, fmt.Errorf("found %d Next* kinds in %s; the parse missed them", len(out), path)
	}
	return out, nil
}
