package transcript

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHTMLText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"taguette", "<p>1 Read the &lsquo;Home&rsquo; tab.</p>\n<p> (reads)</p>\n<p>  Okay &amp; yes.</p>\n", "1 Read the ‘Home’ tab.\n (reads)\n  Okay & yes.\n"},
		{"google docs", `<html><head><style>p{}</style><title>T</title></head><body><p class="c1"><span>Dana: </span><span class="b">Hello</span></p><p><span>Avi: hi</span></p></body></html>`, "Dana: Hello\nAvi: hi\n"},
		{"word wrapping", "<p class=MsoNormal>Dana: this line\r\nis wrapped<o:p></o:p></p>\r\n<p>Avi: yes</p>", "Dana: this line is wrapped\nAvi: yes\n"},
		{"br and lists", "Q: one<br>A: two<ul><li>x</li><li>y</li></ul><!-- c --><script>var a='<p>';</script>", "Q: one\nA: two\nx\ny\n"},
		{"table", "<table><tr><td>a</td><td>b</td></tr></table>", "a\tb\n"},
		{"broken", "<p>a < b and <b>c</b> <i", "a < b and c\n"},
		{"pre", "<pre>x\n  y</pre>", "x\n  y\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := htmlText(tc.in); got != tc.want {
				t.Errorf("htmlText(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestHTMLTaguetteDocuments parses the 17 Taguette documents of the serdif
// project: the text must be their tag-stripped text (the .txt beside
// them), so that Taguette's offsets apply to the imported document.
func TestHTMLTaguetteDocuments(t *testing.T) {
	var dir string
	wd, _ := os.Getwd()
	for d := wd; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "shared", "corpora", "coded", "serdif-taguette", "documents")
		if _, err := os.Stat(p); err == nil {
			dir = p
			break
		}
		if filepath.Dir(d) == d {
			t.Skip("serdif-taguette corpus not present")
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	if len(files) != 17 {
		t.Fatalf("%d HTML documents, want 17", len(files))
	}
	same := 0
	for _, f := range files {
		data, _ := os.ReadFile(f)
		res, err := Parse(filepath.Base(f), data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Format != FormatHTML {
			t.Errorf("%s: format %s", f, res.Format)
		}
		want, _ := os.ReadFile(strings.TrimSuffix(f, ".html") + ".txt")
		w, _ := cleanText(string(want))
		if strings.TrimRight(res.Text, "\n") == strings.TrimRight(w, "\n") {
			same++
		} else {
			a, b := res.Text, w
			i := 0
			for i < len(a) && i < len(b) && a[i] == b[i] {
				i++
			}
			t.Errorf("%s: text differs from the .txt at byte %d: %q vs %q", filepath.Base(f), i, a[i:min(len(a), i+40)], b[i:min(len(b), i+40)])
		}
	}
	t.Logf("%d of %d HTML documents give exactly Taguette's text", same, len(files))
}

// FuzzHTML: any markup gives text without a panic, and the parsed
// document's turns lie inside its text.
func FuzzHTML(f *testing.F) {
	f.Add("<p>Dana: hi &amp; bye</p>\n\n<h2>x</h2><br/><table><tr><td>a</td></tr></table>")
	f.Add("<!-- <p> --><script>'</script>\"<p a='>'>b</p><pre>\n x</pre><!doctype html><")
	f.Fuzz(func(t *testing.T, s string) {
		_ = htmlText(s)
		res, err := Parse("x.html", []byte(s), Options{})
		if err != nil {
			return
		}
		n := len([]rune(res.Text))
		for _, tr := range res.Turns {
			if tr.Start < 0 || tr.End > n || tr.Start > tr.End {
				t.Fatalf("turn %+v outside a text of %d", tr, n)
			}
		}
	})
}
