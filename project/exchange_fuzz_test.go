package project

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadProjectJSON feeds arbitrary bytes to the reader of a lossless
// project export ('tacit import FILE.json'): it must return a bundle or an
// error, never panic or hang.
func FuzzReadProjectJSON(f *testing.F) {
	f.Add([]byte(`{"format":"tacit-project","version":1,"documents":[{"id":1,"name":"a","text":"Ann: hi","turns":[{"Speaker":"Ann","Start":5,"End":7}]}],"codes":[{"ID":1,"Name":"c"},{"ID":2,"Name":"d","ParentID":1}],"codings":[{"ID":1,"DocID":1,"CodeID":2,"Start":5,"End":7}],"cases":[{"ID":1,"Name":"s"}]}`))
	f.Add([]byte(`{"format":"tacit-project","version":1,"codes":[{"ID":1,"Name":"c","ParentID":2},{"ID":2,"Name":"d","ParentID":1}]}`))
	f.Add([]byte(`{"format":"tacit-project","version":1,"documents":[{"id":1,"text":"x","turns":[{"Start":-1,"End":99}]}]}`))
	f.Add([]byte(`{"tacit_export": 99}`))
	file := filepath.Join(f.TempDir(), "p.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		readProjectJSON(file)
	})
}
