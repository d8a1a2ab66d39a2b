package store

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

var words = strings.Fields(`the worker called me every week and asked what I wanted not what the
office wanted we met at the café near the market because I could not face the building
she said my name the way I said it and after the overdose everything changed my sister
came to the meetings the employer gave me a second chance small steps one at a time`)

// genStore fills s with docs documents (each about 40 turns), codes codes
// (ten parents with their children) and codings codings spread at random
// (fixed seed) over documents and codes. It returns the documents and codes.
func genStore(tb testing.TB, s *Store, docs, codes, codings int) ([]*coding.Document, []uint64) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var ds []*coding.Document
	var ids []uint64
	for lo := 0; lo < docs; lo += 200 {
		err := s.Update(func(tx *Tx) error {
			for i := lo; i < min(docs, lo+200); i++ {
				var sb strings.Builder
				var turns []coding.Turn
				pos := 0
				for t := 0; t < 40; t++ {
					sp := "Interviewer"
					if t%2 == 1 {
						sp = fmt.Sprintf("Client %d", i)
					}
					label := sp + ": "
					sb.WriteString(label)
					pos += len(label)
					start := pos
					n := 10 + rng.IntN(40)
					for w := 0; w < n; w++ {
						if w > 0 {
							sb.WriteByte(' ')
							pos++
						}
						word := words[rng.IntN(len(words))]
						sb.WriteString(word)
						pos += coding.RuneLen(word)
					}
					turns = append(turns, coding.Turn{Index: t, Speaker: sp, Start: start, End: pos})
					sb.WriteByte('\n')
					pos++
				}
				d := &coding.Document{Name: fmt.Sprintf("doc-%04d", i), Format: "text", Turns: turns,
					Attrs: map[string]string{"role": []string{"client", "staff"}[i%2]}, SourceHash: fmt.Sprintf("h%d", i)}
				if err := tx.AddDocument(d, sb.String()); err != nil {
					return err
				}
				ds = append(ds, d)
			}
			return tx.Log(&coding.Event{Actor: "gen", Action: "import", Summary: "generated documents"})
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	err := s.Update(func(tx *Tx) error {
		var parents []uint64
		for i := 0; i < codes; i++ {
			c := &coding.Code{GUID: coding.NewGUID(), Name: fmt.Sprintf("Code %03d", i), CreatedAt: tx.Now()}
			if i >= 10 && len(parents) > 0 {
				c.ParentID = parents[i%len(parents)]
			}
			if err := tx.PutCode(c); err != nil {
				return err
			}
			if i < 10 {
				parents = append(parents, c.ID)
			}
			ids = append(ids, c.ID)
		}
		return tx.Log(&coding.Event{Actor: "gen", Action: ActionCodeAdd, Summary: "generated codes"})
	})
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now().UTC()
	for lo := 0; lo < codings; lo += 20000 {
		err := s.Update(func(tx *Tx) error {
			for i := lo; i < min(codings, lo+20000); i++ {
				d := ds[rng.IntN(len(ds))]
				t := d.Turns[rng.IntN(len(d.Turns))]
				a := t.Start + rng.IntN(t.End-t.Start)
				b := a + 1 + rng.IntN(t.End-a)
				c := &coding.Coding{DocID: d.ID, CodeID: ids[rng.IntN(len(ids))], Start: a, End: b,
					Coder: []string{"dana", "noa"}[i%2], Origin: coding.OriginManual, CreatedAt: now}
				if err := tx.AddCoding(c); err != nil {
					return err
				}
			}
			return tx.Log(&coding.Event{Actor: "gen", Action: ActionTag, Summary: "generated codings", Undo: []byte{}})
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return ds, ids
}

// TestGenerateProject writes a project with 1,000 documents, 100 codes and
// 100,000 codings for measuring the CLI with a built binary:
//
//	TACIT_GEN_PROJECT=/tmp/big go test ./store -run TestGenerateProject
//	tacit -p /tmp/big codings --code "Code 042" --json > /dev/null
//
// The search index is not built (codings and tag do not need it).
func TestGenerateProject(t *testing.T) {
	dir := os.Getenv("TACIT_GEN_PROJECT")
	if dir == "" {
		t.Skip("set TACIT_GEN_PROJECT=DIR to generate a benchmark project")
	}
	if err := os.MkdirAll(filepath.Join(dir, ".tacit"), 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := Open(filepath.Join(dir, ".tacit", "tacit.db"), Options{Create: true, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	genStore(t, s, 1000, 100, 100000)
}

func benchStore(b *testing.B) (*Store, []*coding.Document, []uint64) {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "tacit.db"), Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	s.db.NoSync = true
	ds, ids := genStore(b, s, 1000, 100, 100000)
	s.db.NoSync = false
	return s, ds, ids
}

// BenchmarkRetrieveCode reads the ~1,000 codings of one code with their
// documents, speakers and passages, as 'tacit codings --code X' does.
func BenchmarkRetrieveCode(b *testing.B) {
	s, _, ids := benchStore(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		err := s.View(func(tx *Tx) error {
			cs, err := tx.CodingsByCode(ids[42])
			if err != nil {
				return err
			}
			docs := map[uint64]*coding.Document{}
			for _, c := range cs {
				d := docs[c.DocID]
				if d == nil {
					if d, err = tx.Document(c.DocID); err != nil {
						return err
					}
					docs[c.DocID] = d
				}
				_ = d.TurnAt(c.Start)
				if _, _, _, err := tx.Excerpt(c.DocID, c.Start, c.End, 40); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil || n < 500 {
			b.Fatalf("%d codings, %v", n, err)
		}
	}
}

// BenchmarkTag tags one span in a full project (one committed, synced
// transaction with its event).
func BenchmarkTag(b *testing.B) {
	s, ds, ids := benchStore(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := ds[i%len(ds)]
		t := d.Turns[1]
		err := s.Update(func(tx *Tx) error {
			_, _, err := tx.Tag("bench", TagRequest{Doc: d, CodeIDs: []uint64{ids[i%len(ids)]}, Spans: []coding.Span{{Start: t.Start, End: t.End}}})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRetrieveCodeByDoc reads the same codings as BenchmarkRetrieveCode
// the way 'tacit codings --code X' does since schema 2: document metadata
// only, the passage's turn read in place, and all passages of a document
// cut in one Excerpts call.
func BenchmarkRetrieveCodeByDoc(b *testing.B) {
	s, _, ids := benchStore(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		err := s.View(func(tx *Tx) error {
			cs, err := tx.CodingsByCode(ids[42])
			if err != nil {
				return err
			}
			docs := map[uint64]*coding.Document{}
			byDoc := map[uint64][]coding.Span{}
			for _, c := range cs {
				if docs[c.DocID] == nil {
					if docs[c.DocID], err = tx.DocumentMeta(c.DocID); err != nil {
						return err
					}
				}
				if _, _, err := tx.TurnOf(c.DocID, c.Start, c.End); err != nil {
					return err
				}
				byDoc[c.DocID] = append(byDoc[c.DocID], coding.Span{Start: c.Start, End: c.End})
			}
			for id, spans := range byDoc {
				ps, err := tx.Excerpts(id, spans, 40)
				if err != nil {
					return err
				}
				n += len(ps)
			}
			return nil
		})
		if err != nil || n < 500 {
			b.Fatalf("%d codings, %v", n, err)
		}
	}
}
