package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// TestWellFormed writes a document with every kind of block and text that
// needs escaping, and checks that every XML part parses and holds the
// text, the styles, the bidi marks and the table of contents field.
func TestWellFormed(t *testing.T) {
	var buf bytes.Buffer
	d := New(&buf, `Title & "quotes" <b>`, "he", true)
	d.Text(StyleTitle, "Title & more", false)
	d.TOC("Contents", []string{"One", "שתיים"})
	d.Heading(1, "One", false, true)
	d.P(Para{Style: StyleQuote, RTL: true, Runs: []Run{{Text: "שלום <עולם> & \"ציטוט\"\x00\x1f\ttab"}}})
	d.Heading(1, "שתיים", true, true)
	d.Table([][]Cell{{{Paras: []Para{{Runs: []Run{{Text: "a"}}}}}, {Paras: []Para{{Runs: []Run{{Text: "مرحبا", Bold: true}}}}}}}, []int{1, 1}, true, true, true)
	d.PageBreak()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(data)
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
		}
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml", "word/_rels/document.xml.rels", "docProps/core.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("no part %s", name)
		}
	}
	doc := parts["word/document.xml"]
	for _, want := range []string{
		`שלום &lt;עולם&gt; &amp; &quot;ציטוט&quot; tab`, // control characters dropped, tab a space
		`<w:pStyle w:val="Quote"/>`, `<w:bidi/>`, `<w:rtl/>`, `<w:bidiVisual/>`,
		` TOC \o "1-1" \h \z \u `, `w:anchor="_Toc000002"`, `w:name="_Toc000002"`, `<w:pageBreakBefore/>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if !strings.Contains(parts["word/styles.xml"], `w:styleId="Heading1"`) || !strings.Contains(parts["word/styles.xml"], `<w:outlineLvl w:val="0"/>`) {
		t.Errorf("styles.xml lacks Heading 1 with its outline level")
	}
	if !strings.Contains(parts["docProps/core.xml"], "Title &amp; &quot;quotes&quot; &lt;b&gt;") {
		t.Errorf("core.xml title not escaped: %s", parts["docProps/core.xml"])
	}
}
