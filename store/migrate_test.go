package store

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tacit-qda/tacit/coding"
)

// copyV1 copies testdata/v1.db, a schema-1 database written by tacit before
// schema 2 (two documents in one case, one of them Hebrew with timed turns;
// codes "Principles/Respectful attitude" and "Crisis as lever"; five
// codings by dana and noa; a code memo; a role; as its last changes an
// undoable attribute change by lead and a tag by dana).
func copyV1(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "v1.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tacit.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func schemaOf(t *testing.T, path string) uint64 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v uint64
	db.View(func(tx *bolt.Tx) error { v = getU64(tx.Bucket(bMeta).Get(kSchema)); return nil })
	return v
}

func TestMigrateV1(t *testing.T) {
	path := copyV1(t)
	if v := schemaOf(t, path); v != 1 {
		t.Fatalf("fixture has schema %d, want 1", v)
	}
	if _, err := Open(path, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "needs an upgrade from schema 1 to 2") {
		t.Fatalf("read-only open of schema 1: %v", err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.db.StrictMode = true
	check(t, s)

	wantDocs := []coding.Document{
		{ID: 1, Name: "s1-client-moshe", CaseID: 1, Format: "text", Encoding: "utf-8", Lang: "en",
			SourcePath: "/in/moshe.txt", SourceHash: "aa11", Chars: coding.RuneLen(moshe), Attrs: map[string]string{"role": "client", "year": "2023"},
			Turns:    []coding.Turn{{Index: 0, Speaker: "Interviewer", Start: 13, End: 30}, {Index: 1, Speaker: "Moshe", Start: 38, End: 98}, {Index: 2, Speaker: "Moshe", Start: 106, End: 124}},
			Warnings: []string{"line 3: no speaker"}, ImportedAt: time.Date(2024, 3, 1, 9, 0, 0, 123456789, time.UTC), ImportedBy: "lead"},
		{ID: 2, Name: "s1-staff-רות", CaseID: 1, Format: "vtt", Encoding: "utf-16le", SourceHash: "bb22", Chars: 30,
			Attrs:      map[string]string{"role": "staff"},
			Turns:      []coding.Turn{{Index: 0, Speaker: "רות", Start: 5, End: 20, HasTime: true, TimeStart: 1500 * time.Millisecond, TimeEnd: 9 * time.Second}},
			ImportedAt: time.Date(2024, 3, 1, 9, 1, 0, 0, time.UTC)},
	}
	wantCounts := map[string]int{"Principles": 0, "Principles/Respectful attitude": 3, "Crisis as lever": 2}
	s.View(func(tx *Tx) error {
		docs, err := tx.Documents(true)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != len(wantDocs) {
			t.Fatalf("%d documents after migration, want %d", len(docs), len(wantDocs))
		}
		for i, d := range docs {
			if !reflect.DeepEqual(*d, wantDocs[i]) {
				t.Errorf("document %d after migration:\n got %+v\nwant %+v", i+1, *d, wantDocs[i])
			}
			one, err := tx.Document(d.ID)
			if err != nil || !reflect.DeepEqual(one, d) {
				t.Errorf("Document(%d) = %+v, %v; Documents gave %+v", d.ID, one, err, d)
			}
		}
		cb, err := tx.Codes()
		if err != nil {
			t.Fatal(err)
		}
		for path, n := range wantCounts {
			c := cb.ByPath(path)
			if c == nil {
				t.Errorf("code %q lost in the migration", path)
				continue
			}
			cs, _ := tx.CodingsByCode(c.ID)
			inDocs := map[uint64]bool{}
			for _, x := range cs {
				inDocs[x.DocID] = true
			}
			if got, docs := tx.CodeCounts(c.ID); len(cs) != n || got != n || tx.CountCodings(c.ID) != n || docs != len(inDocs) {
				t.Errorf("code %q: %d codings, counts %d in %d documents, want %d in %d", path, len(cs), got, docs, n, len(inDocs))
			}
			if c.CreatedAt.IsZero() || c.GUID == "" {
				t.Errorf("code %q lost its GUID or time: %+v", path, c)
			}
		}
		if c := cb.ByPath("Principles/Respectful attitude"); c == nil || c.Description != "client as an adult" || c.Color != "#2a9d8f" {
			t.Errorf("code description and colour after migration: %+v", c)
		}
		byDoc, _ := tx.CodingsByDoc(1)
		if len(byDoc) != 3 || byDoc[1].Memo != "same passage" || byDoc[1].Coder != "noa" {
			t.Errorf("codings of document 1 after migration: %+v", byDoc)
		}
		if ms, _ := tx.Memos(coding.MemoCode, cb.ByPath("Principles/Respectful attitude").ID); len(ms) != 1 {
			t.Errorf("code memo lost: %v", ms)
		}
		if rm, _ := tx.Roles(); rm.Project["moshe"] != "client" {
			t.Errorf("roles after migration: %+v", rm)
		}
		return nil
	})

	// Changes made before the upgrade can still be undone: dana's tag (its
	// journal held empty index values) and lead's attribute change (JSON).
	crisis := codeID(t, s, "Crisis as lever")
	mustUpdate(t, s, func(tx *Tx) error { _, err := tx.Undo("dana"); return err })
	mustUpdate(t, s, func(tx *Tx) error { _, err := tx.Undo("lead"); return err })
	s.View(func(tx *Tx) error {
		if n := tx.CountCodings(crisis); n != 1 {
			t.Errorf("after undoing the tag, Crisis as lever has %d codings, want 1", n)
		}
		d, err := tx.Document(2)
		if err != nil || d.Attrs != nil {
			t.Errorf("after undoing the attribute change: %+v %v", d, err)
		}
		return nil
	})
	check(t, s)
	s.Close()
	if v := schemaOf(t, path); v != SchemaVersion {
		t.Fatalf("schema after migration %d, want %d", v, SchemaVersion)
	}
	s2, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("reopen after migration: %v", err)
	}
	s2.Close()
}

func TestJournal1to2RefusesIndexWithoutCoding(t *testing.T) {
	j := encodeJournal([]*jentry{{bucket: string(bCodingsByCode), key: key2(1, 2), hasAfter: true}})
	if _, err := journal1to2(j); err == nil {
		t.Error("a journal with an index entry but no coding entry was converted")
	}
}

func TestDocAndCodeRoundTrip(t *testing.T) {
	docs := []coding.Document{
		{ID: 7},
		{ID: 1 << 40, Name: "משה", CaseID: 3, Format: "docx", Encoding: "utf-8", Lang: "he", SourcePath: `C:\in\a.docx`,
			SourceHash: "ff", Chars: 123456, Attrs: map[string]string{"b": "2", "a": ""}, Warnings: []string{"x", ""},
			ImportedAt: time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC), ImportedBy: "dana"},
	}
	for _, d := range docs {
		b := encodeDoc(&d)
		got, err := decodeDoc(d.ID, b)
		if err != nil || !reflect.DeepEqual(got, d) {
			t.Errorf("document round trip: %+v %v, want %+v", got, err, d)
		}
		if _, err := decodeDoc(d.ID, b[:len(b)-1]); err == nil {
			t.Errorf("truncated document %d decoded", d.ID)
		}
	}
	a := coding.Document{Attrs: map[string]string{"x": "1", "y": "2", "z": "3"}}
	for i := 0; i < 10; i++ {
		if string(encodeDoc(&a)) != string(encodeDoc(&coding.Document{Attrs: map[string]string{"z": "3", "y": "2", "x": "1"}})) {
			t.Fatal("equal documents encode differently")
		}
	}
	codes := []coding.Code{
		{ID: 1},
		{ID: 2, GUID: "0f6e", Name: "Respectful attitude", ParentID: 1, Description: "d", Color: "#2a9d8f", CreatedAt: time.Unix(1700000000, 5).UTC()},
	}
	for _, c := range codes {
		b := encodeCode(&c)
		got, err := decodeCode(c.ID, b)
		if err != nil || got != c {
			t.Errorf("code round trip: %+v %v, want %+v", got, err, c)
		}
		if _, err := decodeCode(c.ID, append(b, 0)); err == nil {
			t.Errorf("code %d with a trailing byte decoded", c.ID)
		}
	}
}

// FuzzDecodeRecords feeds arbitrary bytes to the record decoders, which
// read the database file: they must return an error, never panic or
// allocate without bound.
func FuzzDecodeRecords(f *testing.F) {
	f.Add(encodeDoc(&coding.Document{Name: "a", Attrs: map[string]string{"k": "v"}, Warnings: []string{"w"}, ImportedAt: time.Unix(5, 6)}))
	f.Add(encodeCode(&coding.Code{Name: "c", CreatedAt: time.Unix(1, 2)}))
	f.Add(encodeCoding(&coding.Coding{DocID: 1, CodeID: 2, Start: 3, End: 4, Coder: "x"}))
	f.Add(encodeTurns([]coding.Turn{{Speaker: "s", Start: 1, End: 2, HasTime: true}}))
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		if d, err := decodeDoc(1, b); err == nil {
			if again, err := decodeDoc(1, encodeDoc(&d)); err != nil || !reflect.DeepEqual(again, d) {
				t.Errorf("document does not survive a second round trip: %+v %v", again, err)
			}
		}
		if c, err := decodeCode(1, b); err == nil {
			if again, err := decodeCode(1, encodeCode(&c)); err != nil || again != c {
				t.Errorf("code does not survive a second round trip: %+v %v", again, err)
			}
		}
		decodeCoding(1, b)
		decodeTurns(b)
		decodeJournal(b)
	})
}
