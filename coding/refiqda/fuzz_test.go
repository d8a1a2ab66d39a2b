package refiqda

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadProject feeds arbitrary bytes to the .qde reader: it must return
// a project or an error, never panic or hang, and a project it returns
// must write out as XML it reads back with the same counts.
func FuzzReadProject(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><Users><User guid="11111111-1111-1111-1111-111111111111" name="a"/></Users><CodeBook><Codes><Code guid="{22222222-2222-2222-2222-222222222222}" name="c" isCodable="true"><Code guid="33333333-3333-3333-3333-333333333333" name="d" isCodable="0" color="#fff"/></Code></Codes></CodeBook><Sources><TextSource guid="44444444-4444-4444-4444-444444444444" name="s"><PlainTextContent>hello world</PlainTextContent><PlainTextSelection guid="55555555-5555-5555-5555-555555555555" startPosition="0" endPosition="5"><Coding guid="66666666-6666-6666-6666-666666666666"><CodeRef targetGUID="22222222-2222-2222-2222-222222222222"/></Coding></PlainTextSelection></TextSource><AudioSource guid="77777777-7777-7777-7777-777777777777" name="x"><AudioSelection guid="88888888-8888-8888-8888-888888888888" begin="0" end="1"/></AudioSource></Sources><Notes><Note guid="99999999-9999-9999-9999-999999999999"><PlainTextContent>n</PlainTextContent></Note></Notes><Sets><Set guid="aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa" name="s"><MemberSource targetGUID="44444444-4444-4444-4444-444444444444"/></Set></Sets></Project>`))
	f.Add([]byte(`<Project xmlns="urn:QDA-XML:project:0:4" name="x"><Cases><Case guid="1"><VariableValue><VariableRef targetGUID="2"/><TextValue>v</TextValue></VariableValue><SourceRef targetGUID="3"/></Case></Cases></Project>`))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Project name="&e;"/>`))
	f.Add([]byte("\xef\xbb\xbf<Project/>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadProject(data)
		if err != nil {
			return
		}
		_ = Lint(p, nil)
		for _, s := range p.Sources {
			if !utf8.ValidString(s.Content) {
				return // the writer does not repair invalid text
			}
		}
		var buf bytes.Buffer
		if err := WriteProject(&buf, p); err != nil {
			t.Fatal(err)
		}
		q, err := ReadProject(buf.Bytes())
		if err != nil {
			t.Fatalf("reading back what WriteProject wrote: %v\n%s", err, buf.String())
		}
		a, b := p.Count(), q.Count()
		// Only text sources are written.
		a.Sources, a.OtherSelection = a.TextSources, 0
		b.Sources, b.OtherSelection = b.TextSources, 0
		if a.Selections != b.Selections || a.Codes != b.Codes || a.TextSources != b.TextSources {
			t.Fatalf("counts changed in a write/read round trip: %+v -> %+v", a, b)
		}
	})
}

// FuzzReadCodebook feeds arbitrary bytes to the .qdc reader.
func FuzzReadCodebook(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="x"><Codes><Code guid="{11111111-1111-1111-1111-111111111111}" name="a" isCodable="true" color="#FF0000"><Description>d</Description><Code guid="22222222-2222-2222-2222-222222222222" name="b" isCodable="false"/></Code></Codes><Sets><Set guid="33333333-3333-3333-3333-333333333333" name="s"><MemberCode guid="11111111-1111-1111-1111-111111111111"/></Set></Sets></CodeBook>`))
	f.Add([]byte(`<CodeBook xmlns="urn:QDA-XML:codebook:0:4"><Codes><Code guid="x" name="interesting\places" isCodable="true"/></Codes><Sets/></CodeBook>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := ReadCodebook(data)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteCodebook(&buf, cb); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadCodebook(buf.Bytes()); err != nil {
			if utf8.Valid(data) {
				t.Fatalf("reading back what WriteCodebook wrote: %v", err)
			}
		}
	})
}

// FuzzTextMap checks the position mapping on arbitrary text: every
// position that maps lands inside the normalised text, in order.
func FuzzTextMap(f *testing.F) {
	f.Add([]byte("\ufeffAna: café\r\nBen: 😀 e\u0301\r\x0b!"), 3, 9)
	f.Add([]byte("a\r\n\r\nb"), 0, 5)
	f.Fuzz(func(t *testing.T, data []byte, s, e int) {
		txt, err := NewText(data)
		if err != nil {
			return
		}
		n := utf8.RuneCountInString(txt.Norm)
		for _, u := range Units {
			a, b, ok := txt.Map(u, s, e)
			if !ok {
				continue
			}
			if a < 0 || b < a || b > n {
				t.Fatalf("%s: %d:%d maps to %d:%d of a %d-character text", u, s, e, a, b, n)
			}
			_ = txt.Score(u, []Sel{{s, e, ""}})
		}
		if strings.Contains(txt.Norm, "\r") {
			t.Fatalf("normalised text holds a CR: %q", txt.Norm)
		}
	})
}

// FuzzFastTree checks fastTree against encoding/xml: whatever it accepts,
// encoding/xml accepts too, with the same tree (names, attributes, kept
// text, lines).
func FuzzFastTree(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0" encoding="utf-8"?><Project name="a&amp;b" x='1'><Description>d &lt; e&#x1F600;&#65;</Description><!-- c --><Users/></Project>`,
		"<a:Project xmlns:a=\"urn:x\"><a:Description><![CDATA[x\r\ny<z]]>\r\nw</a:Description></a:Project>",
		"<Project>\n <Sources>\n  <TextSource guid=\"G\" name=\"n\"\r\n plainTextPath=\"p\">\n<PlainTextContent>a\rb</PlainTextContent></TextSource></Sources></Project>\n",
		`<!DOCTYPE x><x/>`, `<x>]]></x>`, `<x a=b/>`, `<x>&#0;</x>`, `<?xml version="1.1"?><x/>`, `<?xml encoding="latin1"?><x/>`,
		`<x><y></x></y>`, `<x/><y/>`, `<x><!--a--b--></x>`, `<1x/>`, `<x:y:z/>`, `<:x/>`, `<x a="1"b="2"/>`, `<x>&#xD800;</x>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := fastTree(data)
		if !ok {
			return
		}
		slow, err := slowTree(data)
		if err != nil {
			t.Fatalf("fastTree accepts what encoding/xml refuses (%v): %q", err, data)
		}
		if d := diffTree(fast, slow, "/"); d != "" {
			t.Fatalf("fastTree differs from encoding/xml at %s: %q", d, data)
		}
	})
}

func diffTree(a, b *node, at string) string {
	at += a.name
	if a.name != b.name || a.line != b.line || a.keepText != b.keepText || a.text.String() != b.text.String() {
		return fmt.Sprintf("%s: %q line %d text %q / %q line %d text %q", at, a.name, a.line, a.text.String(), b.name, b.line, b.text.String())
	}
	if !reflect.DeepEqual(a.attrs, b.attrs) {
		return fmt.Sprintf("%s: attributes %q / %q", at, a.attrs, b.attrs)
	}
	if len(a.children) != len(b.children) {
		return fmt.Sprintf("%s: %d / %d children", at, len(a.children), len(b.children))
	}
	for i := range a.children {
		if d := diffTree(a.children[i], b.children[i], at+"/"); d != "" {
			return d
		}
	}
	return ""
}

// TestFastTreeTakesPlainXML checks that the fast path does take entities,
// CDATA, CR LF, comments, prefixes and a declaration (else it would be
// correct but useless).
func TestFastTreeTakesPlainXML(t *testing.T) {
	for _, s := range []string{
		`<?xml version="1.0" encoding="utf-8"?><Project name="a&amp;b" x='1'><Description>d &lt; e&#x1F600;&#65;</Description><!-- c --><Users/></Project>`,
		"<a:Project xmlns:a=\"urn:x\"><a:Description><![CDATA[x\r\ny<z]]>\r\nw</a:Description></a:Project>",
	} {
		fast, ok := fastTree([]byte(s))
		if !ok {
			t.Errorf("fastTree gave up on %q", s)
			continue
		}
		slow, err := slowTree([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		if d := diffTree(fast, slow, "/"); d != "" {
			t.Errorf("%q: %s", s, d)
		}
	}
}

// TestFastTreeSamples checks that every real sample takes the fast path
// and gives encoding/xml's tree.
func TestFastTreeSamples(t *testing.T) {
	dir := samplesDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.q*"))
	for _, file := range files {
		var data []byte
		if a, err := Open(file); err == nil {
			data = a.QDE
		} else if filepath.Ext(file) == ".qdc" {
			continue
		} else {
			t.Fatalf("%s: %v", file, err)
		}
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		fast, ok := fastTree(data)
		if !ok {
			t.Errorf("%s: fastTree gave up", filepath.Base(file))
			continue
		}
		slow, err := slowTree(data)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffTree(fast, slow, "/"); d != "" {
			t.Errorf("%s: %s", filepath.Base(file), d)
		}
	}
}
