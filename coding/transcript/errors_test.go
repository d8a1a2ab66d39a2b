package transcript

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/tacit-qda/tacit/coding"
)

func TestBadInput(t *testing.T) {
	junkZip := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("photo.txt")
		w.Write([]byte("not a document"))
		zw.Close()
		return buf.Bytes()
	}()
	docx := makeDOCX(t, []officePara{{"", "Hello there."}})
	cases := []struct {
		name string
		file string
		data []byte
		opt  Options
		want []string // substrings of the message; "next=KIND:ARG" is the next step it names
	}{
		{"empty", "a.txt", nil, Options{}, []string{"empty"}},
		{"whitespace", "a.txt", []byte(" \n\t\r\n "), Options{}, []string{"only white space"}},
		{"whitespace utf16", "a.txt", []byte{0xFF, 0xFE, ' ', 0, '\n', 0}, Options{}, []string{"only white space"}},
		{"pdf", "a.txt", []byte("%PDF-1.7\n%\xe2\xe3"), Options{}, []string{"PDF"}},
		{"png", "a.md", []byte("\x89PNG\r\n\x1a\n...."), Options{}, []string{"PNG image"}},
		{"jpeg", "a.txt", []byte("\xff\xd8\xff\xe0..JFIF"), Options{}, []string{"JPEG image"}},
		{"zip as text", "a.txt", junkZip, Options{}, []string{"ZIP archive"}},
		{"docx as text", "a.txt", docx, Options{}, []string{"not plain text", "next=format:docx"}},
		{"docx forced text", "a.docx", docx, Options{Format: "text"}, []string{".docx document"}},
		{"nul bytes", "a.txt", []byte("hello\x00world"), Options{}, []string{"NUL byte at byte 5", "next=" + coding.NextUTF16 + ":"}},
		{"utf16 without bom", "a.txt", []byte("h\x00i\x00"), Options{}, []string{"NUL"}},
		{"invalid utf8", "interview.txt", []byte("Caf\xe9 au lait"), Options{}, []string{"interview.txt: invalid UTF-8 at byte 3", "next=" + coding.NextLegacyText + ":"}},
		{"invalid utf8 after bom", "x.txt", []byte("\xef\xbb\xbfab\xff"), Options{}, []string{"byte 5"}},
		{"odd utf16", "x.txt", []byte{0xFF, 0xFE, 'a', 0, 'b'}, Options{}, []string{"odd number of bytes"}},
		{"unknown format", "x.txt", []byte("hi"), Options{Format: "pdf"}, []string{`unknown format "pdf"`, "text, markdown, vtt, srt, docx, odt"}},
		{"unknown encoding", "x.txt", []byte("hi"), Options{Encoding: "klingon-8"}, []string{`unknown encoding "klingon-8"`}},
		{"broken docx", "x.docx", []byte("PK\x03\x04 this is not really a zip"), Options{}, []string{"x.docx: not a valid Word .docx file", "ZIP"}},
		{"docx not zip", "x.docx", []byte("Interviewer: hello"), Options{}, []string{"not a valid Word .docx"}},
		{"broken odt", "x.odt", []byte("garbage"), Options{}, []string{"OpenDocument"}},
		{"zip without document", "x.docx", junkZip, Options{}, []string{"no word/document.xml"}},
		{"odt that is docx", "x.odt", docx, Options{}, []string{"looks like a Word .docx"}},
		{"bad xml", "x.docx", makeZip(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p>"}), Options{}, []string{"not well-formed XML"}},
		{"doctype", "x.docx", makeZip(t, map[string]string{"word/document.xml": `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><w:document/>`}), Options{}, []string{"DOCTYPE"}},
		{"empty docx", "x.docx", makeZip(t, map[string]string{"word/document.xml": `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>`}), Options{}, []string{"contains no text"}},
		{"vtt without header", "x.vtt", []byte("00:00:01.000 --> 00:00:02.000\nhello\n"), Options{}, []string{`x.vtt: not a WebVTT file`, "WEBVTT", "next=" + coding.NextNotVTT + ":"}},
		{"srt without cues", "x.srt", []byte("just some text\n"), Options{}, []string{"no SubRip cues", "next=" + coding.NextFormatText + ":"}},
		{"vtt without cues", "x.vtt", []byte("WEBVTT\n\nNOTE nothing here\n"), Options{}, []string{"no WebVTT cues"}},
		{"rtf", "x.txt", []byte(`{\rtf1\ansi hello}`), Options{}, []string{"RTF"}},
		{"legacy doc", "x.txt", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), Options{}, []string{".doc"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Parse(c.file, c.data, c.opt)
			if err == nil {
				t.Fatalf("no error; got %d turns", len(r.Turns))
			}
			if e := checkError(err, c.file); e != nil {
				t.Fatal(e)
			}
			if coding.ErrorKind(err) != coding.EInvalid {
				t.Fatalf("kind %q", coding.ErrorKind(err))
			}
			for _, w := range c.want {
				if next, ok := strings.CutPrefix(w, "next="); ok {
					var e *coding.Error
					if !errors.As(err, &e) || e.Next+":"+e.Arg != next {
						t.Errorf("error %q names no next step %q", err, next)
					}
					continue
				}
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func utf16Bytes(s string, bigEndian bool) []byte {
	u := utf16.Encode([]rune(s))
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, c := range u {
		if bigEndian {
			out = append(out, byte(c>>8), byte(c))
		} else {
			out = append(out, byte(c), byte(c>>8))
		}
	}
	return out
}

func TestEncodings(t *testing.T) {
	const want = "Interviewer: Shalom, שלום, مرحبا, café.\nGuest: Hi.\n"
	cases := []struct {
		name    string
		data    []byte
		opt     Options
		enc     string
		text    string
		warning string
	}{
		{"utf8", []byte(want), Options{}, "utf-8", want, ""},
		{"utf8 bom", append([]byte("\xef\xbb\xbf"), want...), Options{}, "utf-8-bom", want, ""},
		{"utf16le", utf16Bytes(want, false), Options{}, "utf-16le", want, ""},
		{"utf16be", utf16Bytes(want, true), Options{}, "utf-16be", want, ""},
		{"utf32le", append([]byte{0xFF, 0xFE, 0, 0}, 'h', 0, 0, 0, 'i', 0, 0, 0), Options{}, "utf-32le", "hi", ""},
		{"crlf", []byte("A: one\r\nB: two\r\n"), Options{}, "utf-8", "A: one\nB: two\n", ""},
		{"cr only", []byte("A: one\rB: two\r"), Options{}, "utf-8", "A: one\nB: two\n", ""},
		{"nfd to nfc", []byte("Cafe\u0301 Zo\u0308e"), Options{}, "utf-8", "Café Zöe", ""},
		{"bom mid file", []byte("one\ufefftwo"), Options{}, "utf-8", "onetwo", ""},
		{"controls removed", []byte("one\x01two\x1b"), Options{}, "utf-8", "onetwo", "removed 2 control characters"},
		{"form feed", []byte("page one\fpage two"), Options{}, "utf-8", "page one\npage two", ""},
		{"windows-1252", []byte("Caf\xe9 \x93quoted\x94 \x80"), Options{Encoding: "windows-1252"}, "windows-1252", "Café “quoted” €", ""},
		{"latin1 iana", []byte("Gr\xfc\xdfe"), Options{Encoding: "ISO-8859-1"}, "iso-8859-1", "Grüße", ""},
		{"macintosh", []byte("caf\x8e"), Options{Encoding: "macintosh"}, "macintosh", "café", ""},
		{"explicit utf-16le", []byte("h\x00i\x00"), Options{Encoding: "utf-16le"}, "utf-16le", "hi", ""},
		{"explicit utf-8", []byte("hi"), Options{Encoding: "UTF-8"}, "utf-8", "hi", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Parse("x.txt", c.data, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkResult(r); err != nil {
				t.Fatal(err)
			}
			if r.Text != c.text {
				t.Errorf("text %q, want %q", r.Text, c.text)
			}
			if r.Encoding != c.enc {
				t.Errorf("encoding %q, want %q", r.Encoding, c.enc)
			}
			if c.warning != "" && !strings.Contains(strings.Join(r.Warnings, "\n"), c.warning) {
				t.Errorf("warnings %q lack %q", r.Warnings, c.warning)
			}
		})
	}
	// explicit utf-8 still refuses invalid bytes
	if _, err := Parse("x.txt", []byte("a\xffb"), Options{Encoding: "utf-8"}); err == nil || !strings.Contains(err.Error(), "byte 1") {
		t.Errorf("explicit utf-8 with invalid bytes: %v", err)
	}
}

// TestRightToLeftRoundTrip checks that Hebrew and Arabic text (with points,
// bidi marks and Arabic-Indic digits) is kept byte for byte.
func TestRightToLeftRoundTrip(t *testing.T) {
	in := "מראיין\u200f: שָׁלוֹם, מה שלומך?\nמרואיינת: טוב, תודה.\nמראיין: ועכשיו?\nמרואיינת: עדיין.\n\nالمحاور: كيف حالك؟ ٢٠١٠\nالضيفة: بخير، شكراً.\n"
	r, err := Parse("he.txt", []byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != in {
		t.Fatalf("text changed:\n%q\n%q", r.Text, in)
	}
	if err := checkResult(r); err != nil {
		t.Fatal(err)
	}
	o := coding.NewOffsets(r.Text)
	if got := o.Slice(r.Turns[0].Start, r.Turns[0].End); got != "שָׁלוֹם, מה שלומך?" {
		t.Errorf("first speech %q", got)
	}
	if r.Turns[0].Speaker != "מראיין" {
		t.Errorf("speaker %q", r.Turns[0].Speaker)
	}
}

func TestDetect(t *testing.T) {
	docx := makeDOCX(t, []officePara{{"", "Hello."}})
	odt := makeODT(t, []officePara{{"", "Hello."}})
	cases := []struct {
		file string
		data []byte
		want string
	}{
		{"a.txt", []byte("Hello"), "text"},
		{"a.TXT", []byte("Hello"), "text"},
		{"a.md", []byte("# Hello"), "markdown"},
		{"a.markdown", []byte("Hello"), "markdown"},
		{"a.vtt", []byte("not vtt at all"), "vtt"},
		{"a.srt", []byte("hello"), "srt"},
		{"a.docx", []byte("hello"), "docx"},
		{"a.odt", []byte("hello"), "odt"},
		{"captions.txt", []byte("\xef\xbb\xbfWEBVTT\n\n00:01.000 --> 00:02.000\nhi\n"), "vtt"},
		{"captions.txt", []byte("webvtt - title\n"), "vtt"},
		{"subs.txt", []byte("1\r\n00:00:01,000 --> 00:00:02,000\r\nhi\r\n"), "srt"},
		{"subs.md", utf16Bytes("1\n00:00:01,000 --> 00:00:02,000\nhi\n", false), "srt"},
		{"noidx", []byte("00:00:06,500 --> 00:00:09,000\nAbout\n"), "srt"},
		{"report", docx, "docx"},
		{"report", odt, "odt"},
		{"WEBVTT.txt", []byte("WEBVTTX is not a header"), "text"},
	}
	for _, c := range cases {
		got, err := Detect(c.file, c.data)
		if err != nil {
			t.Errorf("Detect(%q): %v", c.file, err)
			continue
		}
		if got != c.want {
			t.Errorf("Detect(%q, %.20q) = %q, want %q", c.file, c.data, got, c.want)
		}
	}
	if _, err := Detect("a.txt", []byte("%PDF-1.4")); err == nil {
		t.Error("Detect of a PDF did not fail")
	}
}

func TestIsTranscriptFile(t *testing.T) {
	for name, want := range map[string]bool{
		"a.txt": true, "dir/B.MD": true, "c.markdown": true, "d.vtt": true, "e.srt": true,
		"f.docx": true, "g.odt": true, "h.pdf": false, "i.doc": false, "j": false, ".hidden.txt": false,
		"~$lock.docx": false, "k.txt.bak": false, "l.json": false, "m.html": true, "n.HTM": true,
	} {
		if got := IsTranscriptFile(name); got != want {
			t.Errorf("IsTranscriptFile(%q) = %v, want %v", name, got, want)
		}
	}
	if fs := Formats(); strings.Join(fs, ",") != "text,markdown,vtt,srt,docx,odt,html" {
		t.Errorf("Formats() = %v", fs)
	}
}

// TestForcedFormat: Options.Format overrides detection.
func TestForcedFormat(t *testing.T) {
	vtt := []byte("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Hello</v>\n")
	r, err := Parse("x.txt", vtt, Options{Format: "text"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "text" || !strings.HasPrefix(r.Text, "WEBVTT") {
		t.Errorf("forced text: format %q text %q", r.Format, r.Text)
	}
	r, err = Parse("x.txt", vtt, Options{Format: "VTT"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "vtt" || r.Text != "Ann: Hello\n" || r.Turns[0].Speaker != "Ann" {
		t.Errorf("forced vtt: %+v", r)
	}
}

// TestLabelRules covers the label detector's false-positive guards and
// layouts not in the samples.
func TestLabelRules(t *testing.T) {
	cases := []struct {
		name, in, want string // want: speakers "|"-separated
	}{
		{"single pair of roles", "Interviewer: hello\nRespondent: hi\n", "Interviewer|Respondent"},
		{"name once is not a label", "Mary: hello there.\n\nThe rest is prose.\n", "|"},
		{"makefile lines", "b: build\nc: clean\nd: deploy\n", ""},
		{"reported speech", "Ann: I told him.\n\nHe said: go home.\n\nAnn: He did.\n\nBob: Good.\n\nBob: Yes.\n", "Ann|Ann|Bob|Bob"},
		{"url line", "Ann: see\nhttps://example.org\nAnn: yes\nBob: ok\nBob: fine\n", "Ann|Ann|Bob|Bob"},
		{"speaker n", "Speaker 1: hi\nSpeaker 2: hello\nSpeaker 1: bye\n", "Speaker 1|Speaker 2|Speaker 1"},
		{"at labels", "@Tom: hi\n@Lena: hey\n@Tom: bye\n@Lena: bye\n", "Tom|Lena|Tom|Lena"},
		{"label on own line", "Alex:\n\nI don't know.\n\nTom:\n\nSo is that how?\n\nAlex:\nMaybe.\n\nTom:\nWell.\n", "Alex|Tom|Alex|Tom"},
		{"whisperx", "[SPEAKER_00]: So tell me.\n[SPEAKER_01]: Well, it started.\n[SPEAKER_00]: Go on.\n", "SPEAKER_00|SPEAKER_01|SPEAKER_00"},
		{"noscribe", "interview_03\nS00: [00:00:00] So tell me.\nS01: [00:00:04] Well.\nS00: [00:00:09] Right.\n", "S00|S01|S00"},
		{"annotation bracket", "[laughs] Yeah.\n\n[laughs] Totally.\n\n[laughs] Sure.\n", "||"},
		{"bare name lines", "Anna\nHello, how are you?\n\nBen\nFine, thanks.\n\nAnna\nGood.\n\nBen\nBye.\n", "Anna|Ben|Anna|Ben"},
		{"full-width colon", "记者：你好。\n受访者：你好。\n记者：开始吧。\n受访者：好。\n", "记者|受访者|记者|受访者"},
		{"lowercase recurring", "interviewer: a\ninterviewee: b\ninterviewer: c\n", "interviewer|interviewee|interviewer"},
		{"otter collapsed spaces", "Ann Lee 0:01\nHello.\n\nBo Chen 0:05\nHi.\n\nAnn Lee 0:09\nBye.\n\nBo Chen 0:12\nBye.\n", "Ann Lee|Bo Chen|Ann Lee|Bo Chen"},
		{"pdf margin numbers", "1\n     Interview\n2    Dan: Okay.\n\n3    Pat: Sure.\n     More.\n\n4    Dan: Good.\n\n5    Pat: Yes.\n", "Dan|Pat|Dan|Pat"},
		{"question numbers", "Question 1: How long?\nThree years.\n\nQuestion 2: Where?\nLeeds.\n", "|"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Parse("x.txt", []byte(c.in), Options{})
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
			if g := strings.Join(got, "|"); g != c.want {
				o := coding.NewOffsets(r.Text)
				var sp []string
				for _, tn := range r.Turns {
					sp = append(sp, fmt.Sprintf("%q", o.Slice(tn.Start, tn.End)))
				}
				t.Errorf("speakers %q, want %q (turns %v)", g, c.want, sp)
			}
		})
	}
}
