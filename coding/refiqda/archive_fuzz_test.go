package refiqda

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpenQDPX feeds arbitrary bytes to the .qdpx (ZIP) reader and asks the
// archive it returns for every entry named in it and for a few made-up
// references: errors, never a panic, a hang or an unbounded allocation.
func FuzzOpenQDPX(f *testing.F) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("project.qde")
	w.Write([]byte(`<Project name="p"><Sources><TextSource guid="a" name="s" plainTextPath="internal://a.txt"/></Sources></Project>`))
	w, _ = zw.Create("sources/a.txt")
	w.Write([]byte("hello"))
	zw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04 not a zip"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := OpenQDPX(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, n := range a.Names() {
			a.Source("internal://" + n)
			a.Source(n)
		}
		for _, ref := range []string{"internal://a.txt", "relative://../x", "absolute:///etc/passwd", "", "internal://"} {
			a.Source(ref)
		}
		ReadProject(a.QDE)
	})
}

// TestSourceStaysInFolder: a bare .qde's source path cannot reach a sibling
// folder whose name starts with the .qde's folder's name.
func TestSourceStaysInFolder(t *testing.T) {
	root := t.TempDir()
	dir, sib := filepath.Join(root, "proj"), filepath.Join(root, "proj2")
	os.MkdirAll(dir, 0o755)
	os.MkdirAll(sib, 0o755)
	os.WriteFile(filepath.Join(sib, "secret.txt"), []byte("secret"), 0o644)
	os.WriteFile(filepath.Join(dir, "project.qde"), []byte("<Project/>"), 0o644)
	a, err := OpenQDE(filepath.Join(dir, "project.qde"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"relative://../proj2/secret.txt", "../proj2/secret.txt", "absolute://../proj2/secret.txt"} {
		if data, err := a.Source(ref); err == nil {
			t.Errorf("%s read a file outside the project's folder: %q", ref, data)
		}
	}
}
