package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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

// codingSpans returns "start:end" of every coding in the project.
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
			got[fmt.Sprintf("%d:%d", c.Start, c.End)] = true
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestCompactBesideWriters is the regression test of the compact race:
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
