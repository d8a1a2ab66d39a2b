package transcript

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fuzz targets, one per parser. Each checks that Parse either returns a
// result that keeps every invariant (checkResult) or a one-sentence
// *coding.Error of kind EInvalid naming the file. Seeds: the samples under
// testdata/samples plus the committed corpus under testdata/fuzz/<Target>.

func addSamples(f *testing.F, exts ...string) {
	entries, err := os.ReadDir("testdata/samples")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		for _, ext := range exts {
			if strings.HasSuffix(e.Name(), ext) {
				data, err := os.ReadFile(filepath.Join("testdata/samples", e.Name()))
				if err != nil {
					f.Fatal(err)
				}
				f.Add(data)
			}
		}
	}
}

func fuzzParse(t *testing.T, file string, data []byte, opt Options) {
	r, err := Parse(file, data, opt)
	if err != nil {
		if e := checkError(err, file); e != nil {
			t.Fatal(e)
		}
		return
	}
	if err := checkResult(r); err != nil {
		t.Fatalf("%v\ninput %q", err, data)
	}
}

func FuzzParseText(f *testing.F) {
	addSamples(f, ".txt")
	f.Add([]byte("Q: a\nA: b\nQ: c\n"))
	f.Add([]byte("Ann  0:01\n\nBob  1:00:02\nhi\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.txt", data, Options{}) })
}

func FuzzParseMarkdown(f *testing.F) {
	addSamples(f, ".md")
	f.Add([]byte("---\na: b\n---\n### Ann\nhi\n### Bob\nyo\n### Ann\nok\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.md", data, Options{}) })
}

func FuzzParseVTT(f *testing.F) {
	addSamples(f, ".vtt")
	f.Add([]byte("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>hi</v>\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.vtt", data, Options{}) })
}

func FuzzParseSRT(f *testing.F) {
	addSamples(f, ".srt")
	f.Add([]byte("1\n00:00:01,000 --> 00:00:02,000\nAnn: hi\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "f.srt", data, Options{}) })
}

// FuzzParseDOCX fuzzes the paragraph extractor through document.xml
// wrapped in a valid ZIP, and the raw bytes as a .docx.
func FuzzParseDOCX(f *testing.F) {
	f.Add([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Ann</w:t></w:r><w:r><w:t xml:space="preserve"> hi</w:t></w:r></w:p></w:body></w:document>`))
	f.Add([]byte("PK\x03\x04junk"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "f.docx", makeZip(t, map[string]string{"word/document.xml": string(data)}), Options{})
		fuzzParse(t, "g.docx", data, Options{})
	})
}

// FuzzParseODT fuzzes the ODT extractor through content.xml.
func FuzzParseODT(f *testing.F) {
	f.Add([]byte(`<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>Ann: hi<text:s text:c="3"/>there</text:p></office:text></office:body></office:document-content>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "f.odt", makeZip(t, map[string]string{"content.xml": string(data)}), Options{})
	})
}

// FuzzDecode fuzzes byte decoding with and without a legacy encoding.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("\xff\xfeh\x00i\x00"), "")
	f.Add([]byte("Caf\xe9"), "windows-1252")
	f.Add([]byte("a\r\nb\rc"), "")
	f.Fuzz(func(t *testing.T, data []byte, enc string) {
		fuzzParse(t, "f.txt", data, Options{Encoding: enc})
	})
}

// TestWriteFuzzSeeds rewrites the committed seed corpus under
// testdata/fuzz (go test -run TestWriteFuzzSeeds -update).
func TestWriteFuzzSeeds(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite testdata/fuzz")
	}
	seeds := map[string][]string{
		"FuzzParseText": {"Interviewer: a\n\nRespondent: b\n\nInterviewer: c\n", "Kelly  0:34  \nWelcome.\n\nEmma  1:00:02  \nHi.\n\nTranscribed by https://otter.ai\n",
			"[00:00:01] a\n\n00:00:05 b\n", "I: x #00:00:07-3#\nB: y #00:00:09-0#\n", "Note: x\nStep 1: y\nhttps://z\n", "\ufeffA: \u200f\u202bb\u202c\nA: c\n"},
		"FuzzParseMarkdown": {"**Ann:** \\[04:10\\] hi\n\n**Bob:** yo\n\n**Ann:** ok\n", "### Ann\n\nhi\n\n### Bob\nyo\n", "Ann (00:00:01):\nhi\n\n(00:00:05):\nmore\n\nBob (00:00:09):\nyo\n"},
		"FuzzParseVTT":      {"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAnn: a: b\n\n2\n00:00:02.000 --> 00:00:03.000\nc\n", "WEBVTT\n\n00:01.000 --> 00:01.010\nx<00:01.005><c> y</c>\n", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n(AB)\nx\n-\n \n(CD)\ny\n"},
		"FuzzParseSRT":      {"\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\n<i>a</i>\r\n", "0\n00:00:00,000 --> 00:00:00,000\nx\n\n1\n00:00:01,000 --> bad\ny\n"},
	}
	for target, list := range seeds {
		dir := filepath.Join("testdata/fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, s := range list {
			content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed%02d", i)), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, s := range []struct{ data, enc string }{{"\xfe\xff\x00h\x00i", ""}, {"\x81\x8d", "windows-1252"}, {"h\x00", "utf-16le"}, {"x", "bogus"}} {
		dir := "testdata/fuzz/FuzzDecode"
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nstring(%q)\n", s.data, s.enc)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed%02d", i)), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRandomMutations is a cheap always-on stand-in for the fuzzers: it
// mutates every sample a few hundred times and checks the invariants.
func TestRandomMutations(t *testing.T) {
	entries, err := os.ReadDir("testdata/samples")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	pieces := []string{"\n", "\n\n", ":", "  0:05  ", "**", "[00:01:02]", "-->", "<v X>", "\r", "\x00", "\xff", "#", "- ", "(00:00:01):", "Q: ", "\u0301", "\u200f", "WEBVTT\n"}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata/samples", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 150; i++ {
			m := append([]byte(nil), data...)
			for k := rng.Intn(4) + 1; k > 0 && len(m) > 0; k-- {
				pos := rng.Intn(len(m) + 1)
				switch rng.Intn(3) {
				case 0:
					m = append(m[:pos], append([]byte(pieces[rng.Intn(len(pieces))]), m[pos:]...)...)
				case 1:
					end := pos + rng.Intn(20)
					if end > len(m) {
						end = len(m)
					}
					m = append(m[:pos], m[end:]...)
				default:
					if pos < len(m) {
						m[pos] = byte(rng.Intn(256))
					}
				}
			}
			fuzzParse(t, e.Name(), m, sampleOptions[e.Name()])
		}
	}
}
