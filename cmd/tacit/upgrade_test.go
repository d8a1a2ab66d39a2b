package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpgradeSchema1 opens the schema-1 fixture of store/testdata: read-only
// commands name 'tacit upgrade' (never a command that fails the same way),
// 'tacit upgrade' backs the database up, says where, and upgrades it, and
// then every command works.
func TestUpgradeSchema1(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "store", "testdata", "v1.db"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".tacit"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".tacit", "tacit.db"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	tacit := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(append([]string{"-p", dir}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	for _, cmd := range [][]string{{"docs"}, {"check"}, {"codings"}} {
		code, _, stderr := tacit(cmd...)
		if code == 0 || !strings.Contains(stderr, "needs an upgrade from schema 1") || !strings.Contains(stderr, "'tacit upgrade'") {
			t.Errorf("tacit %s on a schema-1 project: exit %d, %q", cmd[0], code, stderr)
		}
		if strings.Contains(stderr, "'tacit check'") {
			t.Errorf("tacit %s sends the user to check, which cannot upgrade: %q", cmd[0], stderr)
		}
	}
	code, stdout, stderr := tacit("upgrade")
	if code != 0 || !strings.Contains(stdout, "from schema 1 to") {
		t.Fatalf("tacit upgrade: exit %d, %q %q", code, stdout, stderr)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, ".tacit", "tacit.schema1.*.db"))
	if len(backups) != 1 || !strings.Contains(stdout, backups[0]) {
		t.Errorf("backups %v; upgrade said %q", backups, stdout)
	}
	// The backup is the schema-1 database: as a project, it needs the upgrade.
	old := t.TempDir()
	b, err := os.ReadFile(backups[0])
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(old, ".tacit"), 0o755)
	if err := os.WriteFile(filepath.Join(old, ".tacit", "tacit.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-p", old, "docs"}, &out, &errb); code == 0 || !strings.Contains(errb.String(), "from schema 1") {
		t.Errorf("the backup is not the schema-1 database: exit %d, %q", code, errb.String())
	}
	if code, stdout, stderr := tacit("docs", "--json"); code != 0 || !strings.Contains(stdout, `"name"`) {
		t.Errorf("docs after the upgrade: exit %d, %q %q", code, stdout, stderr)
	}
	if code, stdout, _ := tacit("upgrade"); code != 0 || !strings.Contains(stdout, "nothing to do") {
		t.Errorf("a second upgrade: exit %d, %q", code, stdout)
	}

	// Without 'tacit upgrade': the first change upgrades, after the same
	// backup, and says where it is.
	dir = t.TempDir()
	os.MkdirAll(filepath.Join(dir, ".tacit"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, ".tacit", "tacit.db"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = tacit("code", "add", "Zeta")
	backups, _ = filepath.Glob(filepath.Join(dir, ".tacit", "tacit.schema1.*.db"))
	if code != 0 || len(backups) != 1 || !strings.Contains(stderr, "upgraded the project database from schema 1") || !strings.Contains(stderr, backups[0]) {
		t.Errorf("first change on a schema-1 project: exit %d, backups %v, %q", code, backups, stderr)
	}
	if code, _, stderr := tacit("code", "add", "Eta"); code != 0 || stderr != "" {
		t.Errorf("second change: exit %d, %q", code, stderr)
	}
}
