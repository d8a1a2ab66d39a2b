package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/store"
)

// longFaults is true when TACIT_FAULT_LONG is set: the fault tests then run
// their full number of trials (see faultTrials).
var longFaults = os.Getenv("TACIT_FAULT_LONG") != ""

// faultTrials is n in the long mode and a few otherwise, so that plain
// 'go test' stays quick.
func faultTrials(short, long int) int {
	if longFaults {
		return long
	}
	return short
}

// tacitExe returns the path of the tacit command that TestMain put on
// $PATH (the test binary under another name).
func tacitExe(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tacit")
	if err != nil {
		t.Skipf("no tacit on PATH (TestMain sets it up): %v", err)
	}
	return p
}

// tacitChild runs tacit as a child process and returns its exit code and
// output.
func tacitChild(ctx context.Context, exe, dir string, args ...string) (int, string, string) {
	cmd := exec.CommandContext(ctx, exe, append([]string{"-p", dir}, args...)...)
	cmd.Env = append(os.Environ(), "TACIT_CODER=fault", "TACIT_PROJECT=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		code = -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
	}
	return code, out.String(), errb.String()
}

// faultProject makes a project with one document of n turns and one code.
func faultProject(t *testing.T, turns int) (dir, doc string) {
	t.Helper()
	dir = t.TempDir()
	if err := project.Init(dir, "en"); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := 0; i < turns; i++ {
		fmt.Fprintf(&b, "Ann: turn %d says something about the mornings and the plan\n", i)
	}
	f := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"import", f, "--name", "a"}, {"code", "add", "Mornings"}} {
		var out, errb bytes.Buffer
		if code := run(append([]string{"-p", dir}, args...), &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
	}
	return dir, "a"
}

// codingTotal returns the number of codings in the project.
func codingTotal(t *testing.T, dir string) int {
	t.Helper()
	p, err := project.Open(dir, project.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open after the trials: %v", err)
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

// codingSpans returns "start:end" of every coding of document 1 (the one
// faultProject makes) with code 1 (Mornings).
func codingSpans(t *testing.T, dir string) map[string]bool {
	t.Helper()
	p, err := project.Open(dir, project.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open after the trials: %v", err)
	}
	defer p.Close()
	got := map[string]bool{}
	err = p.Store.View(func(tx *store.Tx) error {
		return tx.Codings(func(c *coding.Coding) error {
			if c.DocID == 1 && c.Origin != coding.OriginAuto {
				got[fmt.Sprintf("%d:%d", c.Start, c.End)] = true
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestCompactBesideWriters is the regression test of the compact race
// (and runs backups beside them too):
// child processes tag in a loop while others compact over and over. A
// writer that waited for the lock of the file compact replaced used to
// commit into the deleted file and exit 0; every tag that exited 0 must be
// in the project afterwards.
func TestCompactBesideWriters(t *testing.T) {
	exe := tacitExe(t)
	dir, doc := faultProject(t, 300)
	tags := faultTrials(40, 200)
	compacts := faultTrials(15, 60)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	var mu sync.Mutex
	acked := []string{}
	var wg sync.WaitGroup
	// Two taggers so that one is often waiting for the lock.
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < tags; i += 2 {
				span := fmt.Sprintf("%d:%d", i, i+3)
				code, _, stderr := tacitChild(ctx, exe, dir, "tag", doc, "Mornings", "--range", span)
				switch code {
				case 0:
					mu.Lock()
					acked = append(acked, span)
					mu.Unlock()
				case exitInUse:
				default:
					t.Errorf("tag %s: exit %d: %s", span, code, stderr)
				}
			}
		}(w)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < compacts; i++ {
			code, _, stderr := tacitChild(ctx, exe, dir, "compact")
			if code != 0 && code != exitInUse {
				t.Errorf("compact: exit %d: %s", code, stderr)
			}
		}
	}()
	// Backups beside them: each is a whole, sound project database.
	backups := t.TempDir()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < compacts; i++ {
			b := filepath.Join(backups, fmt.Sprintf("b%d.db", i))
			code, _, stderr := tacitChild(ctx, exe, dir, "backup", b)
			if code != 0 && code != exitInUse {
				t.Errorf("backup: exit %d: %s", code, stderr)
			}
			if code != 0 {
				continue
			}
			r := filepath.Join(backups, fmt.Sprintf("r%d", i))
			os.MkdirAll(filepath.Join(r, ".tacit"), 0o755)
			os.Rename(b, filepath.Join(r, ".tacit", "tacit.db"))
			if code, out, stderr := tacitChild(ctx, exe, r, "reindex"); code != 0 {
				t.Errorf("reindex of backup %d: exit %d: %s%s", i, code, out, stderr)
			}
			if code, out, stderr := tacitChild(ctx, exe, r, "check"); code != 0 {
				t.Errorf("check of backup %d: exit %d: %s%s", i, code, out, stderr)
			}
		}
	}()
	wg.Wait()
	got := codingSpans(t, dir)
	lost := 0
	for _, s := range acked {
		if !got[s] {
			lost++
		}
	}
	t.Logf("%d tags acknowledged beside %d compacts; %d lost", len(acked), compacts, lost)
	if lost > 0 {
		t.Errorf("%d of %d acknowledged tags are missing after compacts", lost, len(acked))
	}
	if len(acked) == 0 {
		t.Errorf("no tag succeeded")
	}
	code, out, stderr := tacitChild(ctx, exe, dir, "check")
	if code != 0 {
		t.Errorf("check after the trials: exit %d: %s%s", code, out, stderr)
	}
}

// startChild starts tacit as a child process (not waited for).
func startChild(exe, dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(exe, append([]string{"-p", dir}, args...)...)
	cmd.Env = append(os.Environ(), "TACIT_CODER=fault", "TACIT_PROJECT=")
	return cmd
}

// afterCrash checks a project after a kill: it opens, a search (which
// rebuilds a stale index) works, and check is then clean.
func afterCrash(t *testing.T, exe, dir, what string) {
	t.Helper()
	ctx := context.Background()
	if code, _, stderr := tacitChild(ctx, exe, dir, "search", "mornings", "--count-by", "doc"); code != 0 {
		t.Errorf("%s: search after the kill: exit %d: %s", what, code, stderr)
	}
	if code, out, stderr := tacitChild(ctx, exe, dir, "check"); code != 0 {
		t.Errorf("%s: check after the kill: exit %d: %s%s", what, code, out, stderr)
	}
}

// TestKillAtRandomMoments kills tacit with SIGKILL at random moments of an
// import, an autocode, a reindex, a compact and a loop of tags. Afterwards
// the project opens, check is clean once the index has healed, every tag
// acknowledged before the kill is present, and autocode is all or nothing.
// A few trials each by default; 20 with TACIT_FAULT_LONG=1.
func TestKillAtRandomMoments(t *testing.T) {
	exe := tacitExe(t)
	trials := faultTrials(2, 20)
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	var files []string
	src := t.TempDir()
	for i := 0; i < 12; i++ {
		var b strings.Builder
		for j := 0; j < 200; j++ {
			fmt.Fprintf(&b, "Ann: file %d turn %d about the mornings\nBob: and the plan %d\n", i, j, j)
		}
		f := filepath.Join(src, fmt.Sprintf("f%02d.txt", i))
		os.WriteFile(f, []byte(b.String()), 0o644)
		files = append(files, f)
	}
	type stats struct{ trials, survived, lost int }
	res := map[string]*stats{}
	kill := func(name string, cmd *exec.Cmd) {
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Intn(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	for trial := 0; trial < trials; trial++ {
		dir, doc := faultProject(t, 300)
		ctx := context.Background()
		// import of a folder
		st := res["import"]
		if st == nil {
			st = &stats{}
			res["import"] = st
		}
		st.trials++
		kill("import", startChild(exe, dir, "import", src))
		afterCrash(t, exe, dir, "import")
		st.survived++

		// autocode: all or nothing
		if res["autocode"] == nil {
			res["autocode"] = &stats{}
		}
		res["autocode"].trials++
		before := codingTotal(t, dir)
		_, dry, _ := tacitChild(ctx, exe, dir, "autocode", "Mornings", "--query", "mornings", "--dry-run", "--json")
		var plan struct {
			Added int `json:"added"`
		}
		json.Unmarshal([]byte(dry), &plan)
		kill("autocode", startChild(exe, dir, "autocode", "Mornings", "--query", "mornings"))
		if after := codingTotal(t, dir); after != before && after != before+plan.Added {
			t.Errorf("autocode killed: %d codings, want %d (nothing) or %d (all)", after, before, before+plan.Added)
			res["autocode"].lost++
		}
		afterCrash(t, exe, dir, "autocode")
		res["autocode"].survived++

		// reindex
		if res["reindex"] == nil {
			res["reindex"] = &stats{}
		}
		res["reindex"].trials++
		kill("reindex", startChild(exe, dir, "reindex"))
		afterCrash(t, exe, dir, "reindex")
		res["reindex"].survived++

		// compact
		if res["compact"] == nil {
			res["compact"] = &stats{}
		}
		res["compact"].trials++
		before = codingTotal(t, dir)
		kill("compact", startChild(exe, dir, "compact"))
		if after := codingTotal(t, dir); after != before {
			t.Errorf("compact killed: %d codings, before %d", after, before)
			res["compact"].lost += before - after
		}
		afterCrash(t, exe, dir, "compact")
		res["compact"].survived++

		// a loop of tags, the running one killed
		if res["tag loop"] == nil {
			res["tag loop"] = &stats{}
		}
		res["tag loop"].trials++
		acked := []string{}
		deadline := time.Now().Add(time.Duration(200+rng.Intn(800)) * time.Millisecond)
		for i := 0; ; i++ {
			span := fmt.Sprintf("%d:%d", 1000+i, 1003+i)
			cmd := startChild(exe, dir, "tag", doc, "Mornings", "--range", span)
			if time.Now().After(deadline) {
				kill("tag", cmd)
				break
			}
			if err := cmd.Run(); err == nil {
				acked = append(acked, span)
			}
		}
		got := codingSpans(t, dir)
		for _, s := range acked {
			if !got[s] {
				res["tag loop"].lost++
				t.Errorf("tag %s acknowledged and lost after a kill", s)
			}
		}
		afterCrash(t, exe, dir, "tag loop")
		res["tag loop"].survived++
	}
	for _, name := range []string{"import", "autocode", "reindex", "compact", "tag loop"} {
		s := res[name]
		t.Logf("| kill during %s | %d | %d | %d | 0 |", name, s.trials, s.survived, s.lost)
	}
}

// TestKillBackup kills 'tacit backup' at random moments: the project is
// untouched (check is clean), and the backup's name holds either nothing
// or a whole, sound copy; a partial copy only ever lies under a hidden
// ".NAME.partial-*" name. A few trials by default; 20 with
// TACIT_FAULT_LONG=1.
func TestKillBackup(t *testing.T) {
	exe := tacitExe(t)
	dir, _ := faultProject(t, 20000)
	trials := faultTrials(3, 20)
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	// Kill within the time a whole backup takes, so that most kills land
	// while it runs.
	start := time.Now()
	if code, _, stderr := tacitChild(context.Background(), exe, dir, "backup", filepath.Join(t.TempDir(), "first.db")); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, stderr)
	}
	took := time.Since(start)
	var whole, absent, partial int
	for trial := 0; trial < trials; trial++ {
		out := t.TempDir()
		dest := filepath.Join(out, "b.db")
		cmd := startChild(exe, dir, "backup", dest)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int63n(int64(took))))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		ents, _ := os.ReadDir(out)
		for _, e := range ents {
			switch {
			case e.Name() == "b.db":
			case strings.HasPrefix(e.Name(), ".b.db.partial-"):
				partial++
			default:
				t.Errorf("trial %d: the killed backup left %s", trial, e.Name())
			}
		}
		if _, err := os.Stat(dest); err != nil {
			absent++
		} else {
			s, err := store.Open(dest, store.Options{ReadOnly: true})
			if err != nil {
				t.Errorf("trial %d: a killed backup left %s that does not open: %v", trial, dest, err)
			} else {
				s.View(func(tx *store.Tx) error {
					if probs := tx.Check(); len(probs) > 0 {
						t.Errorf("trial %d: a killed backup left a damaged %s: %v", trial, dest, probs)
					}
					return nil
				})
				s.Close()
				whole++
			}
		}
		if code, out, stderr := tacitChild(context.Background(), exe, dir, "check"); code != 0 {
			t.Errorf("trial %d: check after the killed backup: exit %d: %s%s", trial, code, out, stderr)
		}
	}
	t.Logf("a whole backup took %v", took)
	t.Logf("| kill during backup | %d | %d (%d whole backups, %d none; %d partial copies under hidden names) | 0 | 0 |", trials, trials, whole, absent, partial)
}

// TestDiskFullSyscall makes every pwrite of the database fail with ENOSPC
// at the system-call level (strace's fault injection; skipped where strace
// is missing or may not trace), so that the whole path of a full disk is
// real (bbolt's commit, the store, the CLI): each write command exits
// non-zero with one line saying the disk is full and to free space, and
// the project is unchanged and checks clean. TestDiskFullInjected in store
// covers the same where strace cannot run, TestDiskFull in project a real
// tmpfs where one can be mounted.
func TestDiskFullSyscall(t *testing.T) {
	exe := tacitExe(t)
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("no strace here: the full disk is covered by TestDiskFullInjected")
	}
	dir, doc := faultProject(t, 50)
	if out, err := exec.Command(strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=pwrite64", exe, "-p", dir, "docs").CombinedOutput(); err != nil {
		t.Skipf("strace cannot trace here (%v: %s): the full disk is covered by TestDiskFullInjected", err, out)
	}
	f := filepath.Join(t.TempDir(), "b.txt")
	os.WriteFile(f, []byte("Ann: a second interview about the mornings\nBob: and the plan\n"), 0o644)
	before := snapshot(t, dir)
	for _, args := range [][]string{
		{"tag", doc, "Mornings", "--range", "10:20"}, {"code", "add", "Evenings"}, {"import", f, "--name", "b"},
		{"memo", "add", "project", "a note"},
	} {
		cmd := exec.Command(strace, append([]string{"-f", "-qq", "-o", "/dev/null", "-e", "trace=pwrite64",
			"-e", "inject=pwrite64:error=ENOSPC", exe, "-p", dir}, args...)...)
		cmd.Env = append(os.Environ(), "TACIT_CODER=fault", "TACIT_PROJECT=")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		msg := strings.TrimSpace(errb.String())
		if err == nil {
			t.Errorf("%v on a full disk: exit 0: %s", args, out.String())
			continue
		}
		last := msg[strings.LastIndex(msg, "\n")+1:]
		if !strings.Contains(msg, "disk is full") || !strings.Contains(last, "free") || strings.Contains(msg, "goroutine") {
			t.Errorf("%v on a full disk: %q, want an error saying the disk is full and to free space", args, msg)
		}
		if args[0] != "import" && strings.Contains(msg, "\n") {
			t.Errorf("%v on a full disk: %d lines: %q", args, strings.Count(msg, "\n")+1, msg)
		}
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("the project changed on a full disk:\nbefore %s\nafter  %s", before, after)
	}
	if code, out, stderr := tacitChild(context.Background(), exe, dir, "check"); code != 0 {
		t.Errorf("check after the full disk: exit %d: %s%s", code, out, stderr)
	}
}

// TestHostileInputs feeds commands their worst inputs (empty, huge, binary,
// invalid UTF-8, control characters, wrong format, unknown ids, paths
// outside the project, negative and overflowing numbers, very long queries)
// and checks that each gets a one-line error and a non-zero exit (never a
// stack trace), and that the project's data is unchanged afterwards.
func TestHostileInputs(t *testing.T) {
	dir, doc := faultProject(t, 20)
	files := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(files, name)
		os.WriteFile(p, data, 0o644)
		return p
	}
	empty := write("empty.txt", nil)
	binary := write("bin.txt", []byte{0, 1, 2, 0xff, 0xfe, 0, 0x80})
	badUTF8 := write("bad.txt", []byte("Ann: caf\xe9 \xff\xfe\n"))
	wrong := write("wrong.vtt", []byte("this is not WEBVTT at all\n"))
	docx := write("fake.docx", []byte("PK\x03\x04 not a zip"))
	longQ := strings.Repeat("crisis ", 20000)
	nested := strings.Repeat("(", 5000) + "a" + strings.Repeat(")", 5000)
	huge := write("huge.txt", bytes.Repeat([]byte("\xff\x00binary "), 400000)) // 4 MB, no turns
	hugeCSV := write("huge.csv", append([]byte("doc,code,start,end\n"), bytes.Repeat([]byte("a"), 3<<20)...))
	ctrl := write("ctrl.txt", []byte("Ann\x07\x1b[31m: hi\x00 there\r\nBob\x08: \x1b]0;title\x07ok\n"))
	badCSV := write("bad.csv", []byte("doc,code,start,end\na,Mornings,-5,3\na,Mornings,0,99999999999999999999\na,Mornings,x,y\n"))
	emptyCSV := write("empty.csv", nil)
	badYAML := write("cb.yaml", []byte("codes: [[[\n\x00\xff"))
	badJSON := write("cb.json", []byte(`{"codes": [{"name": 5}]`))
	projJSON := write("proj.json", []byte(`{"tacit_export": 99, "documents": [{"text": 3}]}`))
	qdpx := write("fake.qdpx", []byte("PK\x03\x04 not a zip"))
	qdc := write("fake.qdc", []byte("<?xml version=\"1.0\"?><CodeBook><Codes><Code name=\"\x01\"/></Codes"))
	html := write("page.html", bytes.Repeat([]byte("<div>"), 100000))
	newer := faultNewerSchema(t)
	dbLink := filepath.Join(files, "link.json")
	os.Symlink(filepath.Join(dir, ".tacit", "tacit.db"), dbLink)
	outside := filepath.Join(dir, "..", "..", "..", "..", "..", "..", "etc", "passwd")
	before := snapshot(t, dir)
	for _, args := range [][]string{
		{"import", huge}, {"import", ctrl, "--name", "../../\x00x"}, {"import", html, "--format", "vtt"},
		{"import", projJSON}, {"import", qdpx}, {"import", outside, "--format", "docx"},
		{"codebook", "import", emptyCSV}, {"codebook", "import", badYAML}, {"codebook", "import", badJSON},
		{"codebook", "import", qdc}, {"codebook", "import", binary, "--format", "yaml"}, {"codebook", "import", huge},
		{"codings", "import", emptyCSV}, {"codings", "import", badCSV}, {"codings", "import", hugeCSV},
		{"codings", "import", binary}, {"codings", "import", badCSV, "--offsets", "nope"},
		{"replace", doc, empty}, {"replace", doc, binary}, {"replace", "no-such-doc", badUTF8}, {"replace", doc, "/nonexistent/x.txt"},
		{"speaker", "rename", "Nobody", "X"}, {"speaker", "rename", "Ann", ""}, {"speaker", "rename", "no-such-doc", "Ann", "B"},
		{"speaker", "role", "Nobody", "client"}, {"speaker", "role", "Ann", "client", "--doc", "no-such-doc"},
		{"cases", "rename", "Nope", "X"}, {"cases", "merge", "Nope", "Other"}, {"cases", "rm", "Nope"},
		{"attr", "set", "Nope", "k=v"}, {"attr", "set", "--doc", doc, "=v"}, {"attr", "set", "--doc", doc, "novalue"},
		{"attr", "unset", "--doc", "no-such-doc", "k"},
		{"memo", "add", "coding", "999999", "text"}, {"memo", "add", "code", "Nope", "text"}, {"memo", "add", "nope", "x", "y"},
		{"memo", "edit", "-1", "x"}, {"memo", "delete", "99999999999999999999"}, {"memo", "show", "abc"},
		{"codings", "--doc", "no-such-doc"}, {"codings", "--code", "\x00"},
		{"show", doc, "--from", "99999999999999999999"}, {"show", "\xff\xfe"},
		{"log", "--limit", "-5"}, {"log", "--since", "yesterday-ish"}, {"log", "--since", "99999999999999999999d"},
		{"words", "--ngram", "-1"}, {"words", "--top", "99999999999999999999"}, {"words", "--doc", "no-such-doc"},
		{"report", "matrix", "--cols", "nonsense"}, {"report", "matrix", "--count", "\x00"},
		{"report", "recurrence", "--most", "-1"}, {"report", "recurrence", "--quotes", "-3"}, {"report", "recurrence", "--most", "NaN"},
		{"report", "story", "No such case"}, {"report", "story", "x", "--template", binary}, {"report", "book", "--lang", "xx"},
		{"agreement", "--coders", "a"}, {"agreement", "--coders", "nobody,noone", "--unit", "nope"},
		{"export", "qdpx", "/nonexistent-folder/x.qdpx"}, {"export", "codings", "-o", "/nonexistent-folder/x.csv"},
		{"export", "project", "-o", filepath.Join(dir, ".tacit", "tacit.db")},
		{"export", "codings", "-o", filepath.Join(dir, ".tacit", "index", "x.csv")},
		{"report", "recurrence", "-o", filepath.Join(dir, ".tacit", "tacit.db")},
		{"codebook", "export", filepath.Join(dir, ".tacit", "tacit.db")}, {"codebook", "export", dbLink},
		{"export", "qdpx", dbLink}, {"export", "qdpx", files},
		{"search", strings.Repeat("a* ", 300)}, {"search", "turn:99999999999999999999"}, {"search", "crisis~99"},
		{"search", "\x00\x01\x1b[2J"}, {"search", "crisis", "--offset", "-1"}, {"search", "crisis", "--limit", "99999999999999999999"},
		{"autocode", "Mornings", "--query", nested}, {"autocode", "Mornings", "--query", "\xff"},
		{"orphans", "no-such-doc"}, {"undo", "--as", "\x00"},
		{"-p", newer, "tag", "a", "Mornings", "--turn", "1"}, {"-p", newer, "check"}, {"-p", newer, "search", "mornings"},
		{"-p", newer, "compact"}, {"-p", newer, "upgrade"},
		{"import", empty}, {"import", binary}, {"import", badUTF8}, {"import", wrong}, {"import", docx},
		{"import", "/nonexistent/x.txt"}, {"import", filepath.Join(files, "..", "no-such-folder", "x.txt")},
		{"tag", doc, "Mornings", "--range", "-5:3"}, {"tag", doc, "Mornings", "--range", "0:99999999999999999999"},
		{"tag", doc, "Mornings", "--turn", "-1"}, {"tag", doc, "Mornings", "--turn", "99999999999"},
		{"tag", doc, "Nope", "--turn", "1"}, {"tag", "no-such-doc", "Mornings", "--turn", "1"},
		{"tag", doc, "Mornings", "--quote", "\x00\x01"}, {"tag", doc, "Mornings", "--quote", ""},
		{"untag", "999999"}, {"untag", "-1"}, {"show", "999999"}, {"show", doc, "--from", "-3"},
		{"search", longQ}, {"search", nested}, {"search", "\xff\xfe"}, {"search", ""}, {"search", "field:x"},
		{"search", "crisis", "--regex", "(("}, {"search", "crisis", "--limit", "-1"},
		{"autocode", "Mornings", "--query", longQ}, {"autocode", "Nope", "--query", "a"},
		{"code", "add", ""}, {"code", "add", "\x00"}, {"code", "delete", "Nope"}, {"code", "rename", "Mornings", ""},
		{"memo", "add", "--doc", "999", "text"}, {"undo", "999999"},
		{"backup", "/nonexistent-folder/b.db"}, {"backup", filepath.Join(dir, ".tacit", "tacit.db")},
		{"salvage", dir}, {"report", "nope"}, {"words", "--top", "-5"},
		{"-p", newer, "docs"}, {"-p", t.TempDir(), "docs"},
	} {
		var out, errb bytes.Buffer
		full := append([]string{"-p", dir}, args...)
		if args[0] == "-p" {
			full = args
		}
		code := run(full, &out, &errb)
		msg := errb.String()
		if testing.Verbose() {
			t.Logf("%q: exit %d: %s", args, code, strings.TrimSpace(msg))
		}
		if code == 0 {
			// Some inputs are fine (an empty quote search hits nothing, say):
			// what matters is no damage and no crash.
			continue
		}
		if strings.Contains(msg, "goroutine ") || strings.Contains(msg, "panic") {
			t.Errorf("%q: a stack trace: %s", args, msg)
		}
		if n := strings.Count(strings.TrimSpace(msg), "\n"); n != 0 && args[0] != "import" {
			t.Errorf("%q: the error is %d lines: %q", args, n+1, msg)
		}
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("the project changed under hostile inputs:\nbefore %s\nafter  %s", before, after)
	}
}

// faultNewerSchema returns a project written by a newer tacit: its schema
// version is one past this tacit's.
func faultNewerSchema(t *testing.T) string {
	t.Helper()
	dir, _ := faultProject(t, 5)
	db, err := bolt.Open(filepath.Join(dir, ".tacit", "tacit.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v := make([]byte, 8)
	binary.BigEndian.PutUint64(v, store.SchemaVersion+1)
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v) }); err != nil {
		t.Fatal(err)
	}
	return dir
}

// snapshot summarises a project's data (documents, codes, codings).
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	p, err := project.Open(dir, project.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var b strings.Builder
	err = p.Store.View(func(tx *store.Tx) error {
		docs, err := tx.Documents(false)
		if err != nil {
			return err
		}
		for _, d := range docs {
			fmt.Fprintf(&b, "doc %d %s %d;", d.ID, d.Name, d.Chars)
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		cb.Walk(func(c *coding.Code, _ int) { fmt.Fprintf(&b, "code %d %s;", c.ID, c.Name) })
		return tx.Codings(func(c *coding.Coding) error {
			fmt.Fprintf(&b, "coding %d %d:%d;", c.ID, c.Start, c.End)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDamagedDatabaseExitStatus: a truncated or emptied database gives exit
// status 5 and one line, for readers, writers and check alike.
func TestDamagedDatabaseExitStatus(t *testing.T) {
	for _, size := range []int64{0, 9000} {
		dir, doc := faultProject(t, 50)
		if err := os.Truncate(filepath.Join(dir, ".tacit", "tacit.db"), size); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"docs"}, {"tag", doc, "Mornings", "--turn", "1"}, {"check"}, {"search", "mornings"}} {
			var out, errb bytes.Buffer
			code := run(append([]string{"-p", dir}, args...), &out, &errb)
			if code != exitDamaged {
				t.Errorf("size %d, %v: exit %d, want %d: %s", size, args, code, exitDamaged, errb.String())
			}
			if strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 || !strings.Contains(errb.String(), "damaged") {
				t.Errorf("size %d, %v: stderr %q", size, args, errb.String())
			}
		}
	}
}
