package project

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding/refiqda"
)

// corporaDir finds ../shared/corpora above the working directory (or
// $TACIT_CORPORA); tests that need it skip without it.
func corporaDir(t testing.TB) string {
	t.Helper()
	d := findCorpora()
	if d == "" {
		t.Skip("shared corpora not present")
	}
	return d
}

func findCorpora() string {
	if d := os.Getenv("TACIT_CORPORA"); d != "" {
		return d
	}
	wd, _ := os.Getwd()
	for d := wd; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "shared", "corpora")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// xmllint validates data against one of the REFI-QDA schemas with xmllint,
// skipping when xmllint or the schemas are missing.
func xmllint(t *testing.T, data []byte, schema string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Log("xmllint is not installed (Debian: libxml2-utils); schema validation skipped")
		return
	}
	dir := findCorpora()
	if dir == "" {
		t.Log("the REFI-QDA schemas (../shared/corpora/refi/schema) are absent; schema validation skipped")
		return
	}
	f := filepath.Join(t.TempDir(), "x.xml")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", filepath.Join(dir, "refi", "schema", schema), f).CombinedOutput()
	if err != nil {
		t.Errorf("xmllint against %s: %v\n%s", schema, err, out)
	}
}

// refiDemoDir builds the sample study in a temporary folder.
func refiDemoDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := BuildDemo(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func openRO(t *testing.T, dir string) *Project {
	t.Helper()
	p, err := Open(dir, Options{ReadOnly: true, Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// checkQDPX opens an exported .qdpx, validates its .qde with xmllint and
// the Go-side structural check, and returns it parsed.
func checkQDPX(t *testing.T, data []byte, utf16 bool) (*refiqda.Archive, *refiqda.Project) {
	t.Helper()
	a, err := refiqda.OpenQDPX(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if a.QDEName != "project.qde" {
		t.Errorf("the .qde is %q", a.QDEName)
	}
	for _, n := range a.Names() {
		if n != "project.qde" && !strings.HasPrefix(n, "sources/") {
			t.Errorf("unexpected entry %s", n)
		}
	}
	xmllint(t, a.QDE, "Project-mrt2019.xsd")
	rp, err := refiqda.ReadProject(a.QDE)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(a.QDE, []byte(`<?xml version="1.0" encoding="utf-8"?>`+"\n<Project xmlns=\"urn:QDA-XML:project:1.0\"")) {
		t.Errorf("the .qde does not start with the declaration and the 1.0 namespace")
	}
	unit := refiqda.Unit{UTF16: utf16}
	probs := refiqda.Lint(rp, func(s *refiqda.Source) (int, bool) {
		b, err := a.Source(s.PlainTextPath)
		if err != nil {
			t.Errorf("source %s: %v", s.Name, err)
			return 0, false
		}
		txt, err := refiqda.NewText(b)
		if err != nil {
			t.Errorf("source %s: %v", s.Name, err)
			return 0, false
		}
		if txt.BOM || txt.CRLF > 0 || txt.Norm != string(b) {
			t.Errorf("source %s is not written as normalised UTF-8 without a BOM", s.Name)
		}
		if !strings.HasPrefix(s.PlainTextPath, "internal://"+s.GUID) {
			t.Errorf("source %s has plainTextPath %s", s.Name, s.PlainTextPath)
		}
		return txt.Len(unit), true
	})
	for _, pr := range probs {
		t.Error(pr)
	}
	return a, rp
}

func TestExportQDPXDemo(t *testing.T) {
	p := openRO(t, refiDemoDir(t))
	ctx := context.Background()
	var buf bytes.Buffer
	res, err := p.ExportQDPX(ctx, ExportQDPXRequest{}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if res.Documents != 14 || res.Cases != 7 || res.Codings == 0 || res.Codes == 0 {
		t.Errorf("export result %+v", res)
	}
	_, rp := checkQDPX(t, buf.Bytes(), false)
	c := rp.Count()
	if c.TextSources != res.Documents || c.Selections != res.Codings || c.Codings != res.Codings || c.Codes != res.Codes || c.Cases != res.Cases {
		t.Errorf("the file holds %+v; the export said %+v", c, res)
	}
	// A second export is byte for byte the same: GUIDs are stable.
	var again bytes.Buffer
	if _, err := p.ExportQDPX(ctx, ExportQDPXRequest{}, &again); err != nil {
		t.Fatal(err)
	}
	a1, _ := refiqda.OpenQDPX(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	a2, _ := refiqda.OpenQDPX(bytes.NewReader(again.Bytes()), int64(again.Len()))
	if !bytes.Equal(a1.QDE, a2.QDE) {
		t.Error("two exports of the same project differ")
	}
	var u16 bytes.Buffer
	if _, err := p.ExportQDPX(ctx, ExportQDPXRequest{UTF16: true}, &u16); err != nil {
		t.Fatal(err)
	}
	checkQDPX(t, u16.Bytes(), true)

	var qdc bytes.Buffer
	cr, err := p.ExportQDC(ctx, &qdc)
	if err != nil {
		t.Fatal(err)
	}
	xmllint(t, qdc.Bytes(), "Codebook.xsd")
	cb, err := refiqda.ReadCodebook(qdc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	refiqda.Walk(cb.Codes, func(c *refiqda.Code, _ []string) {
		n++
		if !refiqda.ValidGUID(c.GUID) {
			t.Errorf("code %s has GUID %q", c.Name, c.GUID)
		}
	})
	if n != cr.Codes || n != res.Codes {
		t.Errorf(".qdc holds %d codes, want %d", n, cr.Codes)
	}
}

// TestCodebookQDC imports the real .qdc samples (the Taguette one has the
// empty <Sets/> that fails the schema; it is read anyway), and round-trips
// the demo codebook through .qdc with its GUIDs.
func TestCodebookQDC(t *testing.T) {
	ctx := context.Background()
	if dir := findCorpora(); dir != "" {
		for file, n := range map[string]int{"atlasti-win-23.4.0_requal-test.qdc": 1, "taguette-1.5.2_tests-expected.qdc": 3, "spec-1.5_annexA-example1.qdc": 6} {
			data, err := os.ReadFile(filepath.Join(dir, "refi", "samples", file))
			if err != nil {
				t.Fatal(err)
			}
			p := newProject(t)
			res, err := p.ImportCodebook(ctx, ImportCodebookRequest{Name: file, Data: data})
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if res.Created != n {
				t.Errorf("%s: %d codes created, want %d", file, res.Created, n)
			}
			// The ATLAS.ti codebook has one set: listed, not lost.
			if sets := strings.Count(strings.Join(res.NotImported, "\n"), "set "); sets != strings.Count(string(data), "<Set ") {
				t.Errorf("%s: not imported %q", file, res.NotImported)
			}
		}
	}
	src := openRO(t, refiDemoDir(t))
	var qdc bytes.Buffer
	if _, err := src.ExportQDC(ctx, &qdc); err != nil {
		t.Fatal(err)
	}
	p := newProject(t)
	if _, err := p.ImportCodebook(ctx, ImportCodebookRequest{Name: "cb.qdc", Data: qdc.Bytes()}); err != nil {
		t.Fatal(err)
	}
	a, b := viewOf(t, src).Codes, viewOf(t, p).Codes
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("codebook after a .qdc round trip:\n%s\nwant\n%s", strings.Join(b, "\n"), strings.Join(a, "\n"))
	}
	// Importing it again changes nothing (matched by GUID).
	res, err := p.ImportCodebook(ctx, ImportCodebookRequest{Name: "cb.qdc", Data: qdc.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created+res.Updated != 0 {
		t.Errorf("second import %+v", res)
	}
}
