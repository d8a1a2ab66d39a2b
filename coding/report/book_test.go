package report

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFoldSpace(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"a", "a"},
		{"a b", "a b"},
		{" a", "a"},
		{"a ", "a"},
		{"a  b", "a b"},
		{"a\nb", "a b"},
		{"a\u00a0b", "a b"},
		{"שלום  עולם", "שלום עולם"},
		{"مرحبا\u2003بك", "مرحبا بك"},
		{"   ", ""},
	} {
		if got := FoldSpace(c.in); got != c.want {
			t.Errorf("FoldSpace(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := strings.Join(strings.Fields(c.in), " "); got != c.want {
			t.Errorf("case %q: want %q disagrees with strings.Fields", c.in, c.want)
		}
	}
}

func TestShorten(t *testing.T) {
	long := strings.Repeat("word ", 100) + "end"
	got, short := shorten(long, 60)
	if !short || !strings.Contains(got, " … ") || utf8.RuneCountInString(got) > 64 {
		t.Errorf("shorten = %q (%v)", got, short)
	}
	if !strings.HasPrefix(got, "word") || !strings.HasSuffix(got, "end") {
		t.Errorf("shorten keeps the head and the tail: %q", got)
	}
	if got, short := shorten("short", 60); short || got != "short" {
		t.Errorf("shorten(short) = %q, %v", got, short)
	}
	if got, short := shorten(long, -1); short || got != long {
		t.Errorf("a negative limit never shortens")
	}
}

func TestTextDir(t *testing.T) {
	for _, c := range []struct{ in, def, want string }{
		{"Hello", "rtl", "ltr"},
		{"שלום", "ltr", "rtl"},
		{"مرحبا", "ltr", "rtl"},
		{"2024 — שלום", "ltr", "rtl"},
		{"123", "rtl", "rtl"},
		{"", "", "ltr"},
	} {
		if got := textDir(c.in, c.def); got != c.want {
			t.Errorf("textDir(%q, %q) = %q, want %q", c.in, c.def, got, c.want)
		}
	}
}

func TestParseTemplate(t *testing.T) {
	good := "sections:\n  - title: Background\n    codes: [Context/Life before the service]\n  - title: Turning point\n    show: memo\nprinciples: true\n"
	tpl, err := ParseTemplate([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Sections) != 2 || tpl.Sections[0].Show != ShowPassages || tpl.Sections[1].Show != ShowMemo || !tpl.Principles {
		t.Errorf("parsed %+v", tpl)
	}
	for _, c := range []struct{ in, want string }{
		{"", "the template is empty"},
		{"sections: [", "not valid YAML"},
		{"sections:\n  - codes: [A]\n", "section 1 of the template has no title"},
		{"sections:\n  - title: X\n", `section "X" of the template names no codes`},
		{"sections:\n  - title: X\n    codes: [A]\n    show: pictures\n", `shows "pictures"`},
		{"section:\n  - title: X\n", "not valid YAML"},
		{"principles: false\n", "the template has no sections"},
	} {
		_, err := ParseTemplate([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseTemplate(%q) = %v, want %q", c.in, err, c.want)
		}
	}
}

func FuzzParseTemplate(f *testing.F) {
	f.Add([]byte("sections:\n  - title: Background\n    codes: [Context/Life before the service]\n    show: both\nprinciples: true\nnot_seen: false\n"))
	f.Add([]byte("sections: []"))
	f.Add([]byte("{sections: [{title: a, codes: [b]}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := ParseTemplate(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("a template error is one line: %q", err)
			}
			return
		}
		if err := tpl.Check(); err != nil {
			t.Errorf("a parsed template fails its check: %v", err)
		}
		for _, s := range tpl.Sections {
			if s.Title == "" || (s.Show != ShowPassages && s.Show != ShowMemo && s.Show != ShowBoth) {
				t.Errorf("bad section %+v", s)
			}
		}
	})
}

func FuzzFoldSpace(f *testing.F) {
	f.Add("a  b\n c")
	f.Add(" שלום\u00a0 עולם ")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := FoldSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("FoldSpace(%q) = %q, want %q", s, got, want)
		}
	})
}
