package project

import (
	"archive/zip"
	"bytes"
	"context"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/store"
)

// storedPassage returns the coded text of [start,end) of a document as the
// store holds it, white space folded.
func storedPassage(t *testing.T, p *Project, doc string, start, end int) string {
	t.Helper()
	var out string
	err := p.Store.View(func(tx *store.Tx) error {
		d, err := tx.FindDocument(doc)
		if err != nil {
			return err
		}
		text, err := tx.Text(d.ID)
		if err != nil {
			return err
		}
		r := []rune(text)
		out = report.FoldSpace(string(r[start:min(end, len(r))]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	mdQuoteLine = regexp.MustCompile(`(?m)^> (.+)$`)
	blockquote  = regexp.MustCompile(`(?s)<blockquote>(.*?)</blockquote>`)
	mdUnescape  = strings.NewReplacer(`\\`, `\`, `\*`, `*`, `\_`, `_`, "\\`", "`", `\[`, `[`, `\]`, `]`, "&lt;", "<", "&gt;", ">", `\|`, `|`)
	docxPara    = regexp.MustCompile(`(?s)<w:p>(.*?)</w:p>`)
	docxStyle   = regexp.MustCompile(`<w:pStyle w:val="([^"]+)"/>`)
	docxText    = regexp.MustCompile(`(?s)<w:t xml:space="preserve">(.*?)</w:t>`)
)

// quotesOf returns the quotes as each format prints them (Markdown block
// quotes without their captions, HTML <blockquote>s, Word paragraphs in
// the Quote style) and all the text of the document, for notes.
func quotesOf(t *testing.T, format string, data []byte) (quotes map[string]bool, all string) {
	t.Helper()
	quotes = map[string]bool{}
	switch format {
	case report.FormatMD:
		for _, m := range mdQuoteLine.FindAllStringSubmatch(string(data), -1) {
			if !strings.HasPrefix(m[1], "— ") {
				quotes[mdUnescape.Replace(m[1])] = true
			}
		}
		return quotes, mdUnescape.Replace(string(data))
	case report.FormatHTML:
		for _, m := range blockquote.FindAllStringSubmatch(string(data), -1) {
			quotes[html.UnescapeString(m[1])] = true
		}
		return quotes, html.UnescapeString(string(data))
	case report.FormatDOCX:
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		f, err := z.Open("word/document.xml")
		if err != nil {
			t.Fatal(err)
		}
		x, err := io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		for _, p := range docxPara.FindAllStringSubmatch(string(x), -1) {
			var text strings.Builder
			for _, r := range docxText.FindAllStringSubmatch(p[1], -1) {
				text.WriteString(html.UnescapeString(r[1]))
			}
			if s := docxStyle.FindStringSubmatch(p[1]); s != nil && s[1] == "Quote" {
				quotes[text.String()] = true
			}
			sb.WriteString(text.String())
			sb.WriteString("\n")
		}
		return quotes, sb.String()
	}
	t.Fatalf("format %s", format)
	return nil, ""
}

// TestBookQuotesAreTheCodedText checks, for the book of the sample study in
// Markdown, HTML and Word, with and without shortening: every quote of a
// story chapter is the coded passage exactly (white space folded) as the
// store holds it; it is printed whole, or shortened with its full text in
// the chapter's notes; and every principle coded in a story has a section
// in its chapter.
func TestBookQuotesAreTheCodedText(t *testing.T) {
	dir := bookDemo(t)
	p, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()

	// The principles coded in each story, from the store.
	coded := map[string]map[string]bool{}
	err = p.Store.View(func(tx *store.Tx) error {
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		cases, err := tx.CaseNames()
		if err != nil {
			return err
		}
		return tx.Codings(func(c *coding.Coding) error {
			path := cb.Path(c.CodeID)
			parts := strings.Split(path, "/")
			if parts[0] != "Principles" || len(parts) < 2 {
				return nil
			}
			d, err := tx.Document(c.DocID)
			if err != nil {
				return err
			}
			name := cases[d.CaseID]
			if coded[name] == nil {
				coded[name] = map[string]bool{}
			}
			coded[name][parts[1]] = true
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}

	for _, quoteMax := range []int{0, 60} {
		b, err := p.Book(ctx, BookRequest{QuoteMax: quoteMax})
		if err != nil {
			t.Fatal(err)
		}
		type printed struct {
			quotes map[string]bool
			all    string
		}
		outs := map[string]printed{}
		for _, f := range []string{report.FormatMD, report.FormatHTML, report.FormatDOCX} {
			var buf bytes.Buffer
			if err := report.WriteBook(&buf, b, f); err != nil {
				t.Fatal(err)
			}
			q, all := quotesOf(t, f, buf.Bytes())
			outs[f] = printed{q, all}
		}
		n, short := 0, 0
		for _, s := range b.Stories {
			titles := map[string]bool{}
			for _, sec := range s.Sections {
				titles[sec.Title] = true
				for _, side := range sec.Sides {
					for _, q := range side.Passages {
						n++
						if want := storedPassage(t, p, q.Doc, q.Start, q.End); q.Text != want {
							t.Errorf("%s, %s: quote %q is not the coded text %q", s.Case, sec.Title, q.Text, want)
						}
						if q.Note > 0 {
							short++
							if s.Notes[q.Note-1] != q.Text || !strings.Contains(q.Shown, "…") {
								t.Errorf("%s: shortened quote %q has note %q", s.Case, q.Shown, s.Notes[q.Note-1])
							}
						} else if q.Shown != q.Text {
							t.Errorf("%s: quote %q shown as %q", s.Case, q.Text, q.Shown)
						}
						for f, out := range outs {
							if !out.quotes[q.Shown] {
								t.Errorf("%s: %s does not quote %q", f, s.Case, q.Shown)
							}
							if q.Note > 0 && !strings.Contains(out.all, q.Text) {
								t.Errorf("%s: %s does not hold the full text of %q in a note", f, s.Case, q.Shown)
							}
						}
					}
				}
			}
			for pr := range coded[s.Case] {
				if !titles[pr] {
					t.Errorf("%s: the coded principle %q has no section", s.Case, pr)
				}
			}
			if len(coded[s.Case]) == 0 {
				t.Errorf("no principles coded in %s", s.Case)
			}
		}
		if n < 50 {
			t.Errorf("only %d quotes in the book", n)
		}
		if quoteMax == 60 && short == 0 {
			t.Errorf("no quote was shortened at 60 characters")
		}
		// The principles chapter quotes the coded text too.
		for i, c := range b.Principles.Codes {
			for k, q := range c.Quotes {
				if want := storedPassage(t, p, q.Doc, q.Start, q.End); q.Text != want {
					t.Errorf("principles, %s: quote %q is not the coded text %q", c.Code, q.Text, want)
				}
				shown := b.Principles.Shown[i][k]
				if i, ok := strings.CutSuffix(shown, "]"); ok && strings.Contains(i, " [") {
					shown = i[:strings.LastIndex(i, " [")]
				}
				if shown != q.Text && !strings.Contains(shown, "…") {
					t.Errorf("principles, %s: %q shown as %q", c.Code, q.Text, shown)
				}
			}
		}
	}
}

// tool returns the path of an external program, or skips the test.
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (.ci/run installs it); skipping", name)
	}
	return path
}

// TestBookDOCXOpens opens the Word book of the sample study in pandoc and in
// LibreOffice (headless, converting it to PDF), which is how an editor's
// tools will meet it.
func TestBookDOCXOpens(t *testing.T) {
	dir := bookDemo(t)
	p, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	b, err := p.Book(context.Background(), BookRequest{})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	path := filepath.Join(out, "book.docx")
	var buf bytes.Buffer
	if err := report.WriteBook(&buf, b, report.FormatDOCX); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var quotes []string
	for _, s := range b.Stories {
		for _, sec := range s.Sections {
			for _, side := range sec.Sides {
				for _, q := range side.Passages {
					quotes = append(quotes, q.Shown)
				}
			}
		}
	}

	t.Run("pandoc", func(t *testing.T) {
		pandoc := tool(t, "pandoc")
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		text, err := exec.CommandContext(ctx, pandoc, "-f", "docx", "-t", "plain", "--wrap=none", path).Output()
		if err != nil {
			t.Fatalf("pandoc could not read the book: %v", err)
		}
		plain := report.FoldSpace(string(text))
		for _, q := range quotes {
			if !strings.Contains(plain, q) {
				t.Errorf("pandoc's text of the book lacks the quote %q", q)
			}
		}
		for _, h := range []string{"S1 Step by step", "S6 Leaving home", "S7 A second chance", "Principles of action", "Appendix A: The codebook"} {
			if !strings.Contains(plain, h) {
				t.Errorf("pandoc's text of the book lacks %q", h)
			}
		}
	})
	t.Run("libreoffice", func(t *testing.T) {
		soffice := tool(t, "soffice")
		ctx, cancel := context.WithTimeout(context.Background(), 180*time.Second)
		defer cancel()
		// A profile of its own, so that other LibreOffice processes on the
		// machine neither block nor share it.
		profile := "file://" + filepath.ToSlash(filepath.Join(out, "lo-profile"))
		cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation="+profile, "--headless", "--convert-to", "pdf", "--outdir", out, path)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("LibreOffice could not convert the book: %v\n%s", err, msg)
		}
		st, err := os.Stat(filepath.Join(out, "book.pdf"))
		if err != nil {
			t.Fatalf("LibreOffice made no PDF of the book: %v", err)
		}
		if st.Size() < 20000 {
			t.Errorf("LibreOffice's PDF of the book is only %d bytes", st.Size())
		}
	})
}
