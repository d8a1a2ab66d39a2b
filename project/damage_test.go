package project

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/store"
)

var (
	demoOnce sync.Once
	demoDB   []byte
	demoErr  error
)

// demoCopy returns a new project folder holding a copy of the demo study
// (built once per test run).
func demoCopy(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tacit-demo")
		if err != nil {
			demoErr = err
			return
		}
		defer os.RemoveAll(dir)
		if _, demoErr = BuildDemo(context.Background(), dir); demoErr == nil {
			demoDB, demoErr = os.ReadFile(DBPath(dir))
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, Dir), 0o755)
	if err := os.WriteFile(DBPath(dir), demoDB, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func codingCount(t *testing.T, dir string) int {
	t.Helper()
	p, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	n := 0
	if err := p.Store.View(func(tx *store.Tx) error {
		return tx.Codings(func(*coding.Coding) error { n++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRepairRebuildsDerived breaks every kind of derived data (a coding
// index entry, a count, a name table entry, a coding record that still has
// its index copies) and checks that Check lists each as repairable and
// Repair makes the project clean without losing a coding.
func TestRepairRebuildsDerived(t *testing.T) {
	dir := demoCopy(t)
	want := codingCount(t, dir)
	db, err := bolt.Open(DBPath(dir), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		first := func(b string) []byte {
			k, _ := tx.Bucket([]byte(b)).Cursor().First()
			return append([]byte(nil), k...)
		}
		if err := tx.Bucket([]byte("codings_by_doc")).Delete(first("codings_by_doc")); err != nil {
			return err
		}
		if err := tx.Bucket([]byte("code_counts")).Put(first("code_counts"), make([]byte, 16)); err != nil {
			return err
		}
		if err := tx.Bucket([]byte("doc_names")).Delete(first("doc_names")); err != nil {
			return err
		}
		k := make([]byte, 8)
		binary.BigEndian.PutUint64(k, 5)
		return tx.Bucket([]byte("codings")).Put(k, []byte{0xff, 0xff})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rep, err := CheckAt(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) < 4 {
		t.Errorf("check found %d problems, want at least 4: %q", len(rep.Problems), rep.Problems)
	}
	if !rep.Damaged {
		// The damaged coding record is a record problem.
		t.Errorf("a coding record that does not decode is not reported as damage: %+v", rep)
	}
	p, err := Open(dir, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Repair(ctx)
	p.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.After.Problems) != 0 {
		t.Errorf("problems after repair: %q", res.After.Problems)
	}
	if got := codingCount(t, dir); got != want {
		t.Errorf("%d codings after repair, want %d", got, want)
	}
}

// TestDamagedStoreNeverPanics flips bytes and truncates the demo database
// many ways: opening, checking, reading and writing must give errors (kind
// EDamaged where the file is damaged), never a panic; salvage must give a
// project that checks clean.
func TestDamagedStoreNeverPanics(t *testing.T) {
	ctx := context.Background()
	trials := 6
	if os.Getenv("TACIT_FAULT_LONG") != "" {
		trials = 40
	}
	for trial := 0; trial < trials; trial++ {
		dir := demoCopy(t)
		b, _ := os.ReadFile(DBPath(dir))
		r := rand.New(rand.NewSource(int64(trial)))
		if trial%3 == 2 {
			b = b[:r.Intn(len(b))]
		} else {
			for i := 0; i < 1+r.Intn(40); i++ {
				b[4096*2+r.Intn(len(b)-8192)] = byte(r.Intn(256))
			}
		}
		os.WriteFile(DBPath(dir), b, 0o600)
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("trial %d: panic: %v", trial, r)
				}
			}()
			rep, err := CheckAt(ctx, dir, Options{})
			if err != nil {
				t.Fatalf("trial %d: check: %v", trial, err)
			}
			if p, err := Open(dir, Options{Actor: "t"}); err == nil {
				p.Store.Update(func(tx *store.Tx) error {
					return tx.Log(&coding.Event{Actor: "t", Action: "test", Summary: "test"})
				})
				if _, err := p.Dataset(); err != nil && !rep.Damaged && len(rep.Problems) == 0 {
					t.Errorf("trial %d: clean check but reading fails: %v", trial, err)
				}
				p.Close()
			} else if k := coding.ErrorKind(err); k != coding.EDamaged {
				t.Errorf("trial %d: open error of kind %s: %v", trial, k, err)
			}
			out := filepath.Join(t.TempDir(), "salvaged")
			if _, err := Salvage(ctx, dir, out, "t"); err != nil {
				// A file cut before its root page has nothing to salvage.
				if coding.ErrorKind(err) != coding.EDamaged || !strings.Contains(err.Error(), "nothing can be salvaged") {
					t.Fatalf("trial %d: salvage: %v", trial, err)
				}
				if _, err := os.Stat(out); err == nil {
					t.Errorf("trial %d: a salvage that found nothing left %s behind", trial, out)
				}
				return
			}
			after, err := CheckAt(ctx, out, Options{})
			if err != nil || len(after.Problems) != 0 {
				t.Errorf("trial %d: the salvaged project: %v %q", trial, err, after.Problems)
			}
		}()
	}
}

// TestSalvageTruncated cuts the demo's database at many sizes, before
// and after its root page: salvage never panics, and either copies what
// lies inside the file (saying what lay past the cut) or says in one
// sentence that nothing can be salvaged, leaving no folder behind.
func TestSalvageTruncated(t *testing.T) {
	ctx := context.Background()
	full := demoCopy(t)
	b, _ := os.ReadFile(DBPath(full))
	var nothing, some int
	for _, size := range []int{0, 100, 4096, 8192, 8192 + 100, len(b) / 4, len(b) / 2, 3 * len(b) / 4, len(b) - 4096} {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, Dir), 0o755)
		os.WriteFile(DBPath(dir), b[:size], 0o600)
		out := filepath.Join(t.TempDir(), "salvaged")
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("size %d: panic: %v", size, r)
				}
			}()
			res, err := Salvage(ctx, dir, out, "t")
			if err != nil {
				msg := err.Error()
				if coding.ErrorKind(err) != coding.EDamaged || !strings.Contains(msg, "nothing can be salvaged") || strings.Contains(msg, "\n") {
					t.Errorf("size %d: salvage: %v (kind %s)", size, err, coding.ErrorKind(err))
				}
				if _, err := os.Stat(out); err == nil {
					t.Errorf("size %d: a salvage that found nothing left %s behind", size, out)
				}
				nothing++
				return
			}
			some++
			for _, l := range res.Lost {
				if strings.Contains(l, "assertion") || strings.Contains(l, "runtime error") {
					t.Errorf("size %d: a lost line with bbolt's internals: %s", size, l)
				}
			}
			if after, err := CheckAt(ctx, out, Options{}); err != nil || len(after.Problems) != 0 {
				t.Errorf("size %d: the salvaged project: %v %v", size, err, after)
			}
		}()
	}
	if nothing == 0 || some == 0 {
		t.Errorf("%d cuts salvaged nothing and %d something; want both kinds", nothing, some)
	}
}

// TestEmptyDatabaseIsRefused: a 0-byte tacit.db is not re-initialised.
func TestEmptyDatabaseIsRefused(t *testing.T) {
	dir := demoCopy(t)
	os.WriteFile(DBPath(dir), nil, 0o600)
	_, err := Open(dir, Options{})
	if coding.ErrorKind(err) != coding.EDamaged {
		t.Fatalf("open of an empty database: %v", err)
	}
	if st, _ := os.Stat(DBPath(dir)); st.Size() != 0 {
		t.Errorf("the empty file was written to (%d bytes)", st.Size())
	}
}

// TestDamagedIndexHeals damages the search index's files (byte flips and
// truncation of segments and of root.bolt): a search on a writable project
// rebuilds the index and answers; a read-only one says the index is stale.
func TestDamagedIndexHeals(t *testing.T) {
	ctx := context.Background()
	trials := 6
	if os.Getenv("TACIT_FAULT_LONG") != "" {
		trials = 30
	}
	dir := demoCopy(t)
	p, err := Open(dir, Options{Actor: "t"})
	if err != nil {
		t.Fatal(err)
	}
	want, err := p.Search(ctx, SearchRequest{Query: "crisis"})
	p.Close()
	if err != nil {
		t.Fatal(err)
	}
	for trial := 0; trial < trials; trial++ {
		var files []string
		filepath.Walk(IndexPath(dir), func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && info.Size() > 0 {
				files = append(files, path)
			}
			return nil
		})
		r := rand.New(rand.NewSource(int64(trial)))
		f := files[r.Intn(len(files))]
		b, _ := os.ReadFile(f)
		if trial%2 == 1 {
			b = b[:r.Intn(len(b))]
		} else {
			for i := 0; i < 1+r.Intn(40); i++ {
				b[r.Intn(len(b))] = byte(r.Intn(256))
			}
		}
		os.WriteFile(f, b, 0o600)
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("trial %d (%s): panic: %v", trial, f, r)
				}
			}()
			ro, err := Open(dir, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ro.Search(ctx, SearchRequest{Query: "crisis"}); err != nil && !IndexStale(err) {
				t.Errorf("trial %d (%s): read-only search: %v", trial, f, err)
			}
			ro.Close()
			p, err := Open(dir, Options{Actor: "t"})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			got, err := p.Search(ctx, SearchRequest{Query: "crisis"})
			if err != nil {
				t.Fatalf("trial %d (%s): search: %v", trial, f, err)
			}
			if got.Total != want.Total {
				t.Errorf("trial %d (%s): %d hits, want %d", trial, f, got.Total, want.Total)
			}
		}()
		rep, err := CheckAt(ctx, dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Problems) > 0 {
			// A flip in stored fields is only seen by check: reindex, as check says.
			p, _ := Open(dir, Options{Actor: "t"})
			p.Reindex(ctx)
			p.Close()
		}
	}
}

// TestCheckRepairHealsIndex: check reports a damaged search index (byte
// flips in a segment, a truncated root.bolt, a removed segment) with advice,
// and check --repair (Repair) rebuilds it so that check is clean after.
func TestCheckRepairHealsIndex(t *testing.T) {
	ctx := context.Background()
	dir := demoCopy(t)
	p, err := Open(dir, Options{Actor: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	p.Close()
	damage := []func(files []string){
		func(files []string) { // byte flips in the largest file
			big := files[0]
			for _, f := range files {
				if st, _ := os.Stat(f); st != nil {
					if bs, _ := os.Stat(big); st.Size() > bs.Size() {
						big = f
					}
				}
			}
			b, _ := os.ReadFile(big)
			r := rand.New(rand.NewSource(7))
			for i := 0; i < 200; i++ {
				b[r.Intn(len(b))] ^= 0xff
			}
			os.WriteFile(big, b, 0o600)
		},
		func(files []string) { // every file cut in half
			for _, f := range files {
				b, _ := os.ReadFile(f)
				os.WriteFile(f, b[:len(b)/2], 0o600)
			}
		},
		func(files []string) { // the segments removed
			for _, f := range files {
				if strings.HasSuffix(f, ".zap") {
					os.Remove(f)
				}
			}
		},
	}
	for i, d := range damage {
		var files []string
		filepath.Walk(IndexPath(dir), func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && info.Size() > 0 {
				files = append(files, path)
			}
			return nil
		})
		d(files)
		rep, err := CheckAt(ctx, dir, Options{})
		if err != nil {
			t.Fatalf("damage %d: check: %v", i, err)
		}
		if len(rep.Problems) == 0 || rep.Damaged || !rep.Repairable || rep.Advice == "" {
			t.Errorf("damage %d: check says %+v, want a repairable index problem with advice", i, rep)
		}
		p, err := Open(dir, Options{Actor: "t"})
		if err != nil {
			t.Fatalf("damage %d: open: %v", i, err)
		}
		res, err := p.Repair(ctx)
		p.Close()
		if err != nil {
			t.Fatalf("damage %d: repair: %v", i, err)
		}
		if len(res.After.Problems) != 0 {
			t.Errorf("damage %d: problems after the repair: %v", i, res.After.Problems)
		}
		if rep, err := CheckAt(ctx, dir, Options{}); err != nil || len(rep.Problems) != 0 {
			t.Errorf("damage %d: check after the repair: %v %v", i, err, rep.Problems)
		}
	}
}

// TestLeftoversRemovedOnNextOpen: what a killed compact, reindex or backup
// leaves is listed by check and removed by the next writer; files that
// only look alike are kept.
func TestLeftoversRemovedOnNextOpen(t *testing.T) {
	dir := demoCopy(t)
	os.WriteFile(filepath.Join(dir, Dir, "tacit.db.compact"), []byte("half"), 0o600)
	os.MkdirAll(filepath.Join(dir, Dir, "index.rebuild", "store"), 0o755)
	// A killed backup leaves its hidden partial copy beside the target: an
	// upgrade's in .tacit, a backup written into the project folder.
	os.WriteFile(filepath.Join(dir, Dir, ".tacit.schema1.20260101T000000.db.partial-12345"), []byte("half"), 0o600)
	os.WriteFile(filepath.Join(dir, ".study.db.partial-678"), []byte("half"), 0o600)
	keep := []string{filepath.Join(dir, "notes.partial-1"), filepath.Join(dir, ".draft.partial-final")}
	for _, k := range keep {
		os.WriteFile(k, []byte("mine"), 0o600)
	}
	rep, err := CheckAt(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".tacit/tacit.db.compact", ".tacit/index.rebuild", ".tacit/.tacit.schema1.20260101T000000.db.partial-12345", ".study.db.partial-678"}
	if !slices.Equal(rep.Leftovers, want) {
		t.Errorf("leftovers %q, want %q", rep.Leftovers, want)
	}
	p, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	if l := leftovers(dir); len(l) != 0 {
		t.Errorf("after a writable open: %q", l)
	}
	for _, k := range keep {
		if _, err := os.Stat(k); err != nil {
			t.Errorf("a file that is no leftover was removed: %v", err)
		}
	}
}

// TestDiskFull imports into a project on a 2 MB tmpfs (skipped where the
// machine does not allow mounting one): the files that fit are imported,
// the others fail with "the disk is full", the store stays sound, and once
// space is freed the same import finishes the rest.
func TestDiskFull(t *testing.T) {
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	defer exec.Command("umount", mnt).Run()
	dir := filepath.Join(mnt, "p")
	if err := Init(dir, "en"); err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	var files []string
	for i := 0; i < 4; i++ {
		var b strings.Builder
		for j := 0; j < 6000; j++ {
			fmt.Fprintf(&b, "Ann: line %d of file %d about the mornings\nBob: yes\n", j, i)
		}
		files = append(files, write(t, src, fmt.Sprintf("f%d.txt", i), b.String()))
	}
	ctx := context.Background()
	p, err := Open(dir, Options{Actor: "t"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Import(ctx, files, ImportOptions{}, nil)
	p.Close()
	if err == nil || !strings.Contains(err.Error(), "disk is full") {
		t.Fatalf("import on a full disk: %v", err)
	}
	done := 0
	for _, r := range res {
		if r.Error == "" {
			done++
		}
	}
	rep, err := CheckAt(ctx, dir, Options{})
	if err != nil || rep.Damaged {
		t.Fatalf("check on the full disk: %v %+v", err, rep)
	}
	// Free space: a bigger tmpfs.
	exec.Command("mount", "-o", "remount,size=64m", mnt).Run()
	p, err = Open(dir, Options{Actor: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Import(ctx, files, ImportOptions{}, nil); err != nil {
		t.Fatalf("the same import after freeing space: %v", err)
	}
	if rep, err := p.Check(ctx); err != nil || len(rep.Problems) > 0 {
		t.Fatalf("check after freeing space: %v %q", err, rep.Problems)
	}
	t.Logf("%d of %d files fitted on the full disk", done, len(files))
}

// TestIndexOutOfStepHeals: a hit the store cannot give back (a damaged
// segment that names a document id of its own, or an index out of step)
// is the index's fault: a writable search rebuilds the index and answers,
// a read-only one says the index is stale. Trial 4 of TestDamagedIndexHeals
// met this by chance once ("document 0 does not exist").
func TestIndexOutOfStepHeals(t *testing.T) {
	ctx := context.Background()
	dir := demoCopy(t)
	p, err := Open(dir, Options{Actor: "t"})
	if err != nil {
		t.Fatal(err)
	}
	want, err := p.Search(ctx, SearchRequest{Query: "crisis"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := p.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := x.NewWriter()
	ghost := &coding.Document{ID: 999999, Name: "ghost",
		Turns: []coding.Turn{{Index: 0, Start: 0, End: 15, Speaker: "Ghost"}}}
	if err := w.Add(index.Source{Doc: ghost, Text: "a crisis ghost.", Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	p.Close()

	ro, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ro.Search(ctx, SearchRequest{Query: "crisis"})
	ro.Close()
	if !IndexStale(err) {
		t.Errorf("read-only search on an index out of step: %v, want a stale-index error", err)
	}
	p, err = Open(dir, Options{Actor: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	got, err := p.Search(ctx, SearchRequest{Query: "crisis"})
	if err != nil {
		t.Fatalf("writable search on an index out of step: %v", err)
	}
	if got.Total != want.Total {
		t.Errorf("%d hits after the rebuild, want %d", got.Total, want.Total)
	}
}

// TestImportWriteFails injects a full disk into the store write of the
// second of three files (TestDiskFull needs a tmpfs): each file is
// reported as it is done, the third is still imported, the error says to
// free space and run the same import again, and that re-run imports the
// missing file and skips the others.
func TestImportWriteFails(t *testing.T) {
	p := newProject(t)
	src := t.TempDir()
	var files []string
	for i := 0; i < 3; i++ {
		files = append(files, write(t, src, fmt.Sprintf("f%d.txt", i), fmt.Sprintf("Ann: file %d about the mornings\nBob: yes\n", i)))
	}
	importFault = func(path string) error {
		if path == files[1] {
			return &os.PathError{Op: "write", Path: "tacit.db", Err: syscall.ENOSPC}
		}
		return nil
	}
	defer func() { importFault = nil }()
	var seen []string
	res, err := p.Import(context.Background(), files, ImportOptions{}, func(r ImportResult) {
		seen = append(seen, filepath.Base(r.File)+":"+strconv.FormatBool(r.Error == ""))
	})
	if got := strings.Join(seen, " "); got != "f0.txt:true f1.txt:false f2.txt:true" {
		t.Fatalf("progress: %s", got)
	}
	if err == nil || !strings.Contains(err.Error(), "1 of 3 files could not be imported") || !strings.Contains(err.Error(), "free space, then run the same import again") {
		t.Fatalf("error: %v", err)
	}
	if !strings.Contains(res[1].Error, "the disk is full") || res[2].ID == 0 {
		t.Fatalf("results: %+v", res)
	}
	importFault = nil
	res, err = p.Import(context.Background(), files, ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].Skipped || res[1].Skipped || res[1].ID == 0 || !res[2].Skipped {
		t.Fatalf("re-run: %+v", res)
	}
	if r, err := p.Search(context.Background(), SearchRequest{Query: "mornings"}); err != nil || r.Total != 3 {
		t.Fatalf("search after the re-run: %+v %v", r, err)
	}
}
