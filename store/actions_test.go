package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryActionIsListed reads every non-test Go file of the module and
// checks that each audit event it writes (a coding.Event literal) names
// its action with one of the Action constants of this package, and that
// every Action constant is in the list that 'tacit log --action' accepts.
func TestEveryActionIsListed(t *testing.T) {
	root := ".."
	fset := token.NewFileSet()
	consts := map[string]string{} // ActionX -> value, from this package
	var uses []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || (strings.HasPrefix(n, ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inStore := filepath.Dir(path) == filepath.Join(root, "store")
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				if !inStore {
					return true
				}
				for i, name := range n.Names {
					if strings.HasPrefix(name.Name, "Action") && i < len(n.Values) {
						if lit, ok := n.Values[i].(*ast.BasicLit); ok {
							v, _ := strconv.Unquote(lit.Value)
							consts[name.Name] = v
						}
					}
				}
			case *ast.CompositeLit:
				sel, ok := n.Type.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Event" {
					if id, ok := n.Type.(*ast.Ident); !ok || id.Name != "Event" || !inStore {
						return true
					}
				}
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "Action" {
						continue
					}
					pos := fset.Position(kv.Pos())
					switch v := kv.Value.(type) {
					case *ast.BasicLit:
						t.Errorf("%s: an audit action written as the literal %s; use a store.Action constant", pos, v.Value)
					case *ast.Ident:
						if strings.HasPrefix(v.Name, "Action") {
							uses = append(uses, v.Name+" at "+pos.String())
						}
						// A variable (action, e.Action) is checked where it is set.
					case *ast.SelectorExpr:
						if x, ok := v.X.(*ast.Ident); ok && x.Name == "store" {
							uses = append(uses, v.Sel.Name+" at "+pos.String())
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range consts {
		if !KnownAction(v) {
			t.Errorf("%s = %q is not in the list of actions (store/actions.go)", name, v)
		}
	}
	for _, u := range uses {
		name, _, _ := strings.Cut(u, " ")
		if _, ok := consts[name]; !ok {
			t.Errorf("%s: no such action constant in store", u)
		}
	}
	if len(uses) < 10 {
		t.Errorf("found only %d uses of action constants; is the walk reading the module?", len(uses))
	}
	seen := map[string]bool{}
	for _, a := range Actions() {
		if seen[a] {
			t.Errorf("action %q is listed twice", a)
		}
		seen[a] = true
	}
}
