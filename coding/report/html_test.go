package report

import (
	"bytes"
	"encoding/json"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	fieldRe = regexp.MustCompile(`<(?:span|b|td)\b[^>]*?(?:data-code="([^"]*)" )?data-field="([^"]+)"[^>]*>([^<]*)<`)
	rectRe  = regexp.MustCompile(`<rect [^>]*data-code="([^"]*)" data-case="([^"]*)" data-n="(\d+)"`)
	cellRe  = regexp.MustCompile(`<td class="n[^"]*" data-row="([^"]+)" data-col="([^"]+)"[^>]*>(\d+)<`)
)

// writeHTMLArtifact keeps the HTML for a look in a browser when
// REPORT_HTML_DIR is set (see the package's screenshots in the final notes).
func writeHTMLArtifact(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("REPORT_HTML_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func selfContained(t *testing.T, page []byte) {
	t.Helper()
	for _, bad := range []string{"<script", "src=", "href=", "@import", "url(", "<link"} {
		if bytes.Contains(page, []byte(bad)) {
			t.Errorf("the HTML is not self-contained: it has %q", bad)
		}
	}
	if !bytes.Contains(page, []byte(`<meta charset="utf-8">`)) {
		t.Error("no charset")
	}
}

// TestRecurrenceHTMLMatchesJSON reads every number the HTML shows for a
// code (data-field spans and heatmap cells) and compares it with the JSON.
func TestRecurrenceHTMLMatchesJSON(t *testing.T) {
	rep := recurrence(t, sample().ds, RecurrenceOptions{Quotes: 2, ByAttr: "department"})
	page := render(t, rep, "html")
	writeHTMLArtifact(t, "recurrence.html", page)
	selfContained(t, page)
	var js struct {
		CasesTotal int `json:"cases_total"`
		Codings    int `json:"codings"`
		Cases      []string
		Codes      []struct {
			Code        string
			Cases       int
			Share       float64
			Level       string
			Roles       map[string]int
			BothRoles   int `json:"both_roles"`
			Codings     int
			CaseCodings []int `json:"case_codings"`
			Quotes      []struct{ Text string }
		}
	}
	if err := json.Unmarshal(render(t, rep, "json"), &js); err != nil {
		t.Fatal(err)
	}
	type key struct{ code, field string }
	want := map[key]float64{{"", "cases_total"}: float64(js.CasesTotal), {"", "codings"}: float64(js.Codings)}
	levels := map[string]int{}
	for _, c := range js.Codes {
		want[key{c.Code, "cases"}] = float64(c.Cases)
		want[key{c.Code, "share"}] = math.Round(c.Share * 100)
		want[key{c.Code, "both_roles"}] = float64(c.BothRoles)
		want[key{c.Code, "codings"}] = float64(c.Codings)
		for r, n := range c.Roles {
			want[key{c.Code, "role:" + r}] = float64(n)
		}
		levels[c.Level]++
	}
	for _, l := range Levels {
		want[key{"", "level:" + l}] = float64(levels[l])
	}
	seen := map[key]bool{}
	for _, m := range fieldRe.FindAllSubmatch(page, -1) {
		k := key{html.UnescapeString(string(m[1])), string(m[2])}
		got, err := strconv.ParseFloat(strings.TrimSpace(string(m[3])), 64)
		if err != nil {
			t.Errorf("%v: %q is not a number", k, m[3])
			continue
		}
		w, ok := want[k]
		if !ok {
			t.Errorf("the HTML shows %v = %v, which the JSON does not have", k, got)
			continue
		}
		if got != w {
			t.Errorf("HTML %v = %v, JSON %v", k, got, w)
		}
		seen[k] = true
	}
	for k := range want {
		if !seen[k] {
			t.Errorf("the HTML does not show %v", k)
		}
	}
	// Heatmap cells: one per code and case, each equal to case_codings.
	cells := rectRe.FindAllSubmatch(page, -1)
	if len(cells) != len(js.Codes)*len(js.Cases) {
		t.Fatalf("%d heatmap cells, want %d", len(cells), len(js.Codes)*len(js.Cases))
	}
	idx := map[string]int{}
	for i, c := range js.Cases {
		idx[c] = i
	}
	byCode := map[string][]int{}
	for _, c := range js.Codes {
		byCode[c.Code] = c.CaseCodings
	}
	for _, m := range cells {
		code, cas := html.UnescapeString(string(m[1])), html.UnescapeString(string(m[2]))
		n, _ := strconv.Atoi(string(m[3]))
		if byCode[code][idx[cas]] != n {
			t.Errorf("heatmap %s/%s = %d, JSON %d", code, cas, n, byCode[code][idx[cas]])
		}
	}
	// Quotes and right-to-left text.
	for _, c := range js.Codes {
		for _, q := range c.Quotes {
			if !bytes.Contains(page, []byte(`<blockquote dir="auto">`+html.EscapeString(q.Text)+`</blockquote>`)) {
				t.Errorf("quote %q is not in the HTML with dir=auto", q.Text)
			}
		}
	}
	if !bytes.Contains(page, []byte("<bdi>סיפור נועה</bdi>")) {
		t.Error("the Hebrew case name is not isolated in <bdi>")
	}
}

// TestMatrixHTMLMatchesJSON compares every cell and total of the HTML
// table with the JSON.
func TestMatrixHTMLMatchesJSON(t *testing.T) {
	for _, opt := range []MatrixOptions{{}, {Cols: "attr:department", Count: "presence"}, {Cols: "role", Count: "chars"}} {
		m, err := Matrix(sample().ds, opt)
		if err != nil {
			t.Fatal(err)
		}
		page := render(t, m, "html")
		writeHTMLArtifact(t, "matrix-"+m.ColsBy[strings.LastIndex(m.ColsBy, ":")+1:]+".html", page)
		selfContained(t, page)
		var js MatrixReport
		if err := json.Unmarshal(render(t, m, "json"), &js); err != nil {
			t.Fatal(err)
		}
		found := cellRe.FindAllSubmatch(page, -1)
		if want := (len(js.Rows) + 1) * (len(js.Columns) + 1); len(found) != want {
			t.Fatalf("%d cells in the HTML, want %d", len(found), want)
		}
		for _, c := range found {
			r, col := string(c[1]), string(c[2])
			got, _ := strconv.Atoi(string(c[3]))
			var w int
			switch {
			case r == "total" && col == "total":
				w = js.Total
			case r == "total":
				j, _ := strconv.Atoi(col)
				w = js.ColTotals[j]
			default:
				i, _ := strconv.Atoi(r)
				if col == "total" {
					w = js.Rows[i].Total
				} else {
					j, _ := strconv.Atoi(col)
					w = js.Rows[i].Cells[j]
				}
			}
			if got != w {
				t.Errorf("%s: cell %s/%s = %d in HTML, %d in JSON", m.ColsBy, r, col, got, w)
			}
		}
	}
}

// TestOtherHTML checks the co-occurrence and codebook pages against JSON.
func TestOtherHTML(t *testing.T) {
	ds := sample().ds
	co, err := Cooccurrence(ds, CooccurrenceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cb, err := Codebook(ds)
	if err != nil {
		t.Fatal(err)
	}
	pairRe := regexp.MustCompile(`data-pair="(\d+)" data-field="([a-z_]+)">([0-9.]+)<`)
	page := render(t, co, "html")
	writeHTMLArtifact(t, "cooccurrence.html", page)
	selfContained(t, page)
	found := pairRe.FindAllSubmatch(page, -1)
	if len(found) != 4*len(co.Pairs) || len(co.Pairs) == 0 {
		t.Fatalf("%d numbers for %d pairs", len(found), len(co.Pairs))
	}
	for _, m := range found {
		i, _ := strconv.Atoi(string(m[1]))
		got, _ := strconv.ParseFloat(string(m[3]), 64)
		p := co.Pairs[i]
		w := map[string]float64{"count": float64(p.Count), "jaccard": math.Round(p.Jaccard*1000) / 1000,
			"a_total": float64(p.ATotal), "b_total": float64(p.BTotal)}[string(m[2])]
		if got != w {
			t.Errorf("pair %d %s = %v, want %v", i, m[2], got, w)
		}
	}
	page = render(t, cb, "html")
	writeHTMLArtifact(t, "codebook.html", page)
	selfContained(t, page)
	codeRe := regexp.MustCompile(`data-code="([^"]*)" data-field="([a-z]+)">(\d+)<`)
	found = codeRe.FindAllSubmatch(page, -1)
	if len(found) != 3*len(cb.Codes) {
		t.Fatalf("%d numbers for %d codes", len(found), len(cb.Codes))
	}
	for _, m := range found {
		got, _ := strconv.Atoi(string(m[3]))
		for _, e := range cb.Codes {
			if e.Code == html.UnescapeString(string(m[1])) {
				if w := map[string]int{"codings": e.Codings, "docs": e.Docs, "cases": e.Cases}[string(m[2])]; w != got {
					t.Errorf("%s %s = %d, want %d", e.Code, m[2], got, w)
				}
			}
		}
	}
}
