package agreement

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", path, got)
	}
}

func goldenReports(t *testing.T) map[string]*Report {
	t.Helper()
	bin := exampleInput()
	bin.Codes = []string{crisis, respect, family}
	bin.Disagreements = true
	excl := exampleInput()
	excl.Exclusive, excl.Group, excl.Codes, excl.Disagreements = true, "Tone", []string{pos, neg}, true
	three := exampleInput()
	three.Coders = []string{"dana", "yossi", "rana"}
	three.Codings = append(three.Codings, at(three.Docs[0], "rana", crisis, "crisis"))
	three.Codes = []string{crisis}
	three.Unit = UnitSentence
	out := map[string]*Report{}
	for name, in := range map[string]Input{"binary_turn": bin, "exclusive_turn": excl, "three_sentence": three} {
		r, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = r
	}
	return out
}

func TestGolden(t *testing.T) {
	for name, r := range goldenReports(t) {
		for _, f := range []string{FormatJSON, FormatMD} {
			var b bytes.Buffer
			if err := Write(&b, r, f); err != nil {
				t.Fatal(err)
			}
			golden(t, name+"."+f, b.Bytes())
		}
	}
}

// TestJSONContract checks the field names the CLI and scripts rely on.
func TestJSONContract(t *testing.T) {
	rs := goldenReports(t)
	var bin map[string]any
	b, _ := json.Marshal(rs["binary_turn"])
	if err := json.Unmarshal(b, &bin); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"unit", "coders", "docs", "codes", "pooled", "method", "uncoded", "disagreements"} {
		if _, ok := bin[k]; !ok {
			t.Errorf("binary JSON lacks %q", k)
		}
	}
	code := bin["codes"].([]any)[0].(map[string]any)
	for _, k := range []string{"code", "units", "percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "n_coded", "table"} {
		if _, ok := code[k]; !ok {
			t.Errorf("code entry lacks %q", k)
		}
	}
	var ex map[string]any
	b, _ = json.Marshal(rs["exclusive_turn"])
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"unit", "mode", "values", "units", "pairable_units", "percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "conflicts", "coincidences"} {
		if _, ok := ex[k]; !ok {
			t.Errorf("exclusive JSON lacks %q", k)
		}
	}
	if ex["mode"] != "exclusive" {
		t.Errorf("mode = %v", ex["mode"])
	}
	// Three coders: Cohen's kappa is null with a reason.
	var three map[string]any
	b, _ = json.Marshal(rs["three_sentence"])
	if err := json.Unmarshal(b, &three); err != nil {
		t.Fatal(err)
	}
	c := three["codes"].([]any)[0].(map[string]any)
	if c["cohen_kappa"] != nil || c["undefined"].(map[string]any)["cohen_kappa"] == nil {
		t.Errorf("three coders: cohen_kappa %v undefined %v", c["cohen_kappa"], c["undefined"])
	}
	if _, ok := three["disagreements"]; ok {
		t.Error("disagreements present though not asked for")
	}
}

func TestWriteFormats(t *testing.T) {
	rs := goldenReports(t)
	for name, r := range rs {
		for _, f := range Formats {
			var b bytes.Buffer
			if err := Write(&b, r, f); err != nil {
				t.Fatalf("%s %s: %v", name, f, err)
			}
			if b.Len() == 0 {
				t.Errorf("%s %s: empty output", name, f)
			}
		}
	}
	var b bytes.Buffer
	err := Write(&b, rs["binary_turn"], "pdf")
	if coding.ErrorKind(err) != coding.EInvalid {
		t.Errorf("unknown format: %v", err)
	}
}

func TestCSV(t *testing.T) {
	rs := goldenReports(t)
	var b bytes.Buffer
	if err := Write(&b, rs["three_sentence"], FormatCSV); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[1][2] != crisis || recs[2][2] != "(pooled)" || recs[0][len(recs[0])-1] != "n_coded_rana" {
		t.Errorf("csv = %q", recs)
	}
	if recs[1][8] != "" { // cohen_kappa with three coders
		t.Errorf("cohen_kappa cell = %q, want empty", recs[1][8])
	}
	b.Reset()
	if err := Write(&b, rs["binary_turn"], FormatCSV); err != nil {
		t.Fatal(err)
	}
	recs, err = csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][0] != "code" || recs[0][8] != "dana" || len(recs) != 1+len(rs["binary_turn"].Disagreements) {
		t.Errorf("disagreement csv = %q", recs)
	}
}

func TestHTMLEscapesAndDirection(t *testing.T) {
	d := mkDoc(1, "<evil>", "", "A: <script>alert(1)</script> & more", "B: שלום עולם.")
	in := Input{Coders: []string{"x", "y"}, Docs: []Doc{d}, Disagreements: true,
		Codings: []Coding{at(d, "x", "K<b>", "<script>"), at(d, "y", "K<b>", "שלום")}}
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, r, FormatHTML); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Contains(page, "<script>") || strings.Contains(page, "<evil>") || strings.Contains(page, "K<b>") {
		t.Errorf("unescaped text in HTML:\n%s", page)
	}
	if !strings.Contains(page, `dir="auto"`) || !strings.Contains(page, "שלום עולם.") {
		t.Errorf("HTML lacks dir=auto or the Hebrew text")
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") || strings.Contains(page, "<link") {
		t.Errorf("HTML is not self-contained")
	}
	b.Reset()
	if err := Write(&b, r, FormatMD); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<script>") {
		t.Errorf("unescaped text in Markdown:\n%s", b.String())
	}
}
