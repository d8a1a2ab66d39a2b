package report

import (
	"os"
	"testing"
)

func TestDumpHTML(t *testing.T) {
	dir := os.Getenv("REPORT_HTML_DIR")
	if dir == "" {
		t.Skip()
	}
	ds := sample().ds
	rep, _ := Recurrence(ds, RecurrenceOptions{Most: 0.5, Quotes: 2, ByAttr: "department"})
	f, _ := os.Create(dir + "/rec.html")
	rep.WriteHTML(f)
	f.Close()
	m, _ := Matrix(ds, MatrixOptions{})
	f, _ = os.Create(dir + "/mat.html")
	m.WriteHTML(f)
	f.Close()
	c, _ := Cooccurrence(ds, CooccurrenceOptions{})
	f, _ = os.Create(dir + "/cooc.html")
	c.WriteHTML(f)
	f.Close()
	cb, _ := Codebook(ds)
	f, _ = os.Create(dir + "/cb.html")
	cb.WriteHTML(f)
	f.Close()
}
