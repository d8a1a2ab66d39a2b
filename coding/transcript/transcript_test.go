package transcript

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

var update = flag.Bool("update", false, "rewrite golden files and generated samples in testdata/")

// officePara is one paragraph of a generated DOCX/ODT sample: an optional
// bold run followed by plain text ("\n" = soft line break).
type officePara struct{ bold, text string }

var officeSamples = map[string][]officePara{
	"bold-names": {
		{"", "Interview 3, library volunteers"},
		{"Interviewer", " Thank you for coming in. How long have you volunteered here?"},
		{"Volunteer", " Six years this autumn.\nMostly on Saturdays."},
		{"", "Before that I helped at the school."},
		{"Interviewer", " What keeps you coming back?"},
		{"Volunteer", " The regulars. And the tea."},
	},
	"bold-colon": {
		{"Mentor:", " Let's look at last month first."},
		{"Mentee:", " It went better than I thought.\tMostly."},
		{"Mentor:", " Tell me about the difficult week."},
		{"", "Mentee: It was the move. Everything was in boxes."},
	},
	"unlabelled": {
		{"", "The hall was cold but full."},
		{"", "People talked about the bus route before the meeting started."},
	},
}

var officeExpect = map[string]string{
	"bold-names": "Interviewer|Volunteer|Interviewer|Volunteer",
	"bold-colon": "Mentor|Mentee|Mentor|Mentee",
	"unlabelled": "|",
}

func xmlEsc(s string) string { return html.EscapeString(s) }

func makeDOCX(t testing.TB, ps []officePara) []byte {
	var body strings.Builder
	body.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>`)
	run := func(s string, bold bool) {
		body.WriteString("<w:r>")
		if bold {
			body.WriteString(`<w:rPr><w:b/></w:rPr>`)
		}
		for i, line := range strings.Split(s, "\n") {
			if i > 0 {
				body.WriteString("<w:br/>")
			}
			for j, part := range strings.Split(line, "\t") {
				if j > 0 {
					body.WriteString("<w:tab/>")
				}
				fmt.Fprintf(&body, `<w:t xml:space="preserve">%s</w:t>`, xmlEsc(part))
			}
		}
		body.WriteString("</w:r>")
	}
	for _, p := range ps {
		body.WriteString(`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>`)
		if p.bold != "" {
			run(p.bold, true)
		}
		run(p.text, false)
		body.WriteString("<w:r><w:delText>deleted words</w:delText></w:r></w:p>")
	}
	body.WriteString(`<w:p/></w:body></w:document>`)
	return makeZip(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   body.String(),
	})
}

func makeODT(t testing.TB, ps []officePara) []byte {
	var body strings.Builder
	body.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0">` +
		`<office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>` +
		`<office:body><office:text>`)
	esc := func(s string) string {
		s = xmlEsc(s)
		s = strings.ReplaceAll(s, "\n", "<text:line-break/>")
		s = strings.ReplaceAll(s, "\t", "<text:tab/>")
		return strings.ReplaceAll(s, "  ", ` <text:s/>`)
	}
	for _, p := range ps {
		body.WriteString(`<text:p text:style-name="Standard">`)
		if p.bold != "" {
			fmt.Fprintf(&body, `<text:span text:style-name="T1">%s</text:span>`, esc(p.bold))
		}
		body.WriteString(esc(p.text))
		body.WriteString(`<office:annotation><text:p>a reviewer comment</text:p></office:annotation></text:p>`)
	}
	body.WriteString(`<text:p/></office:text></office:body></office:document-content>`)
	return makeZip(t, map[string]string{
		"mimetype":    "application/vnd.oasis.opendocument.text",
		"content.xml": body.String(),
	})
}

func makeZip(t testing.TB, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := []string{"mimetype", "[Content_Types].xml", "word/document.xml", "content.xml"}
	for _, n := range names {
		c, ok := files[n]
		if !ok {
			continue
		}
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(c)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sampleOptions gives the options a sample needs (legacy encodings).
var sampleOptions = map[string]Options{
	"cp1252.txt": {Encoding: "windows-1252"},
}

// sampleSpeakers is the expected speaker of every turn, "|"-separated
// ("" = no speaker), written by hand from the samples.
var sampleSpeakers = map[string]string{
	"colon.txt":        "Interviewer|Dana|Interviewer|Dana|Interviewer|Dana",
	"caps-crlf.txt":    "INTERVIEWER|RESPONDENT|INTERVIEWER|RESPONDENT",
	"qa.txt":           "Q|A|Q|A|Q|A",
	"otter.txt":        "Maya Lind|Tom Okafor|Maya Lind|Tom Okafor|Unknown Speaker",
	"teams.txt":        "Ana Ruiz|Lee, Chris [Ext]|Ana Ruiz",
	"zoom.txt":         "Priya Shah|Sam Cole|Priya Shah",
	"rev.md":           "Rosa Field|Ben Adeyemi|Ben Adeyemi|Rosa Field",
	"bold.md":          "Noor Haddad|Elliot Park|Noor Haddad|Elliot Park",
	"bold-inline.md":   "Interviewer|Gardener|Interviewer|Gardener",
	"headings.md":      "Facilitator|Participant 3|Facilitator|Participant 3",
	"stamps.txt":       "|||",
	"f4.txt":           "I|B|I|B",
	"maxqda.txt":       "Zara|Jonas|Zara|Jonas",
	"plain.txt":        "||",
	"prose-colons.txt": "||",
	"hebrew.txt":       "מראיין|מרואיינת|מראיין|מרואיינת",
	"arabic.txt":       "المحاور|الضيفة|المحاور|الضيفة",
	"one-sided.txt":    "||MODERATOR||MODERATOR||",
	"cp1252.txt":       "Interviewer|Søren|Interviewer|Søren",
	"zoom.vtt":         "Ines Moreau|Karl Berg|Ines Moreau",
	"teams.vtt":        "Lucía Pérez|Andrés Gil|Lucía Pérez",
	"meet.vtt":         "HK|RJ",
	"youtube.vtt":      "|",
	"whisper.vtt":      "||",
	"dashes.vtt":       "||",
	"sticky.srt":       "Hana|Omar|Hana",
	"bom-crlf.srt":     "|",
	"utf16le.srt":      "Élodie|Matthieu|Élodie",
}

// TestSamples parses every sample under testdata/samples (and the DOCX/ODT
// samples built by makeDOCX/makeODT), checks the invariants and the
// expected speakers, and compares the full result with its golden file
// under testdata/golden (rewrite with: go test ./coding/transcript -update).
func TestSamples(t *testing.T) {
	type sample struct {
		name string
		data []byte
		want string
	}
	var samples []sample
	entries, err := os.ReadDir("testdata/samples")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if ext == ".docx" || ext == ".odt" {
			continue // generated below
		}
		data, err := os.ReadFile(filepath.Join("testdata/samples", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		want, ok := sampleSpeakers[e.Name()]
		if !ok {
			t.Errorf("sample %s has no entry in sampleSpeakers", e.Name())
		}
		samples = append(samples, sample{e.Name(), data, want})
	}
	for name, ps := range officeSamples {
		for _, ext := range []string{".docx", ".odt"} {
			var data []byte
			if ext == ".docx" {
				data = makeDOCX(t, ps)
			} else {
				data = makeODT(t, ps)
			}
			if *update {
				if err := os.WriteFile(filepath.Join("testdata/samples", name+ext), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			samples = append(samples, sample{name + ext, data, officeExpect[name]})
		}
	}
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			r, err := Parse(s.name, s.data, sampleOptions[s.name])
			if err != nil {
				t.Fatal(err)
			}
			if err := checkResult(r); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tn := range spoken(r) {
				got = append(got, tn.Speaker)
			}
			if g := strings.Join(got, "|"); g != s.want {
				t.Errorf("speakers\n got %q\nwant %q", g, s.want)
			}
			golden := filepath.Join("testdata/golden", s.name+".golden")
			out := renderResult(r)
			if *update {
				if err := os.MkdirAll("testdata/golden", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if out != string(want) {
				t.Errorf("result differs from %s (run with -update after checking):\n%s", golden, out)
			}
		})
	}
}

// renderResult prints a result in the golden-file layout.
func renderResult(r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format: %s\nencoding: %s\n", r.Format, r.Encoding)
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	o := coding.NewOffsets(r.Text)
	for _, t := range r.Turns {
		fmt.Fprintf(&b, "turn %d [%d,%d) speaker=%q", t.Index, t.Start, t.End, t.Speaker)
		if t.HasTime {
			fmt.Fprintf(&b, " time=%s-%s", fmtDur(t.TimeStart), fmtDur(t.TimeEnd))
		}
		if t.Header {
			b.WriteString(" header")
		}
		fmt.Fprintf(&b, "\n  %q\n", o.Slice(t.Start, t.End))
	}
	if r.Format == FormatVTT || r.Format == FormatSRT || r.Format == FormatDOCX || r.Format == FormatODT {
		fmt.Fprintf(&b, "text:\n%s", r.Text)
	}
	return b.String()
}

func fmtDur(d time.Duration) string {
	h := d / time.Hour
	m := (d % time.Hour) / time.Minute
	s := (d % time.Minute) / time.Second
	ms := (d % time.Second) / time.Millisecond
	return fmt.Sprintf("%d:%02d:%02d.%03d", h, m, s, ms)
}

// TestCaptionTextReimport: the Text built from captions reads back, as
// plain text, into the same turns (same spans and speakers) whenever the
// labels are recognisable in text (a file of two one-off labels is not).
func TestCaptionTextReimport(t *testing.T) {
	for _, name := range []string{"zoom.vtt", "teams.vtt", "sticky.srt", "utf16le.srt", "whisper.vtt", "dashes.vtt"} {
		data, err := os.ReadFile(filepath.Join("testdata/samples", name))
		if err != nil {
			t.Fatal(err)
		}
		r, err := Parse(name, data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(name+".txt", []byte(r.Text), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if back.Text != r.Text {
			t.Errorf("%s: text changed on re-import", name)
		}
		if len(back.Turns) != len(r.Turns) {
			t.Errorf("%s: %d turns after re-import, want %d", name, len(back.Turns), len(r.Turns))
			continue
		}
		for i := range r.Turns {
			a, b := r.Turns[i], back.Turns[i]
			if a.Start != b.Start || a.End != b.End || a.Speaker != b.Speaker {
				t.Errorf("%s turn %d: re-imported as %+v, want %+v", name, i, b, a)
			}
		}
	}
}
