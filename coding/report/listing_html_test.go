package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteListHTML(t *testing.T) {
	var b bytes.Buffer
	err := WriteListHTML(&b, "Hits <1>", []string{"doc", "n", "text"}, [][]string{
		{"<script>x</script>", "3", "a " + MarkOpen + "crisis" + MarkClose + " & " + MarkOpen + "<b>"},
		{"b", "-", "plain" + MarkClose},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{
		"<title>Hits &lt;1&gt;</title>", "&lt;script&gt;x&lt;/script&gt;", "a <mark>crisis</mark> &amp; <mark>&lt;b&gt;</mark>",
		`<th class="n">n</th>`, `<td class="n">3</td>`, "<td dir=\"auto\">plain</td>", "2 rows",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in\n%s", want, s)
		}
	}
	if strings.Contains(s, "<script>") || strings.ContainsAny(s, MarkOpen+MarkClose) {
		t.Errorf("unescaped markup or a mark left in\n%s", s)
	}
	if err := WriteListHTML(&b, "x", []string{"a"}, [][]string{{"1", "2"}}); err == nil {
		t.Error("a row longer than the header was accepted")
	}
	b.Reset()
	if err := WriteListHTML(&b, "Empty", []string{"a"}, nil); err != nil || !strings.Contains(b.String(), "Nothing to list") {
		t.Errorf("empty listing: %v\n%s", err, b.String())
	}
}
