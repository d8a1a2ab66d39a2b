// Package transcript turns the transcript files researchers actually have
// (plain text, Markdown, WebVTT, SubRip, DOCX and ODT) into tacit's
// normalised document text plus speaker turns.
//
// # Normalised text
//
// Result.Text is UTF-8, NFC, with "\n" line ends and no byte-order mark.
// CRLF, CR, vertical tab, form feed, NEL and the Unicode line/paragraph
// separators all become "\n"; U+FEFF and C0 control characters other than
// TAB and LF are removed (with a warning when any were present).
//
//   - text, markdown: Text is the decoded file, so offsets match what the file
//     shows; labels, Markdown emphasis and timestamps stay in Text and are
//     excluded from the turn spans.
//   - docx, odt: Text is the document's non-empty paragraphs joined by a blank
//     line ("\n\n"); a soft line break is "\n" and a tab is "\t".
//   - vtt, srt: Text is rebuilt from the cues as the plain text one would
//     export: one paragraph per turn, "Speaker: speech" (or just "speech" when
//     the speaker is unknown), paragraphs separated by "\n\n", a final "\n".
//     Cue lines are joined with one space; tags are removed; WebVTT entities
//     are decoded. Cue times become the turns' TimeStart/TimeEnd.
//
// # Turns
//
// Turns are sorted, do not overlap, and Start/End are code-point offsets of
// the spoken text only (the label, and a timestamp right before or after it,
// are excluded). Speaker labels in prose formats are found with the
// document-level algorithm of ../shared/notes/transcript-formats.md §7: a
// label must be short and name-like, must not be a well-known key such as
// "Note" or "Step 1", and must recur (or be a known role such as
// "Interviewer", "Q", "A"); one label family is chosen per file. See
// labels.go for the details and the turn-assembly policy.
package transcript

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/tacit-qda/tacit/coding"
)

// Options for Parse.
type Options struct {
	// Format is "" to detect by extension and content, else one of Formats().
	Format string
	// Encoding is "" for UTF-8 (with or without BOM) or UTF-16/UTF-32 with a
	// BOM; else a golang.org/x/text encoding name such as "windows-1252".
	Encoding string
	// Speakers forces the speaker-label layout of a text, Markdown, DOCX or
	// ODT file: "colon" ("Name: text"), "bold", "heading", "header" (Otter,
	// Rev, Zoom), "bracket", "bare" (a name alone on its line), or "none"
	// for paragraphs without speakers. "" detects it.
	Speakers string
}

// Result of parsing one file.
type Result struct {
	Text     string        // normalised: UTF-8, NFC, "\n" line ends, no BOM
	Turns    []coding.Turn // sorted, non-overlapping, Index = position
	Format   string        // one of Formats()
	Encoding string        // "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "utf-32le", "utf-32be", or the Options.Encoding name
	Warnings []string

	headerEnd int // prose: byte offset where the first turn's label line starts (-1 unknown)
}

// Format names.
const (
	FormatText     = "text"
	FormatMarkdown = "markdown"
	FormatVTT      = "vtt"
	FormatSRT      = "srt"
	FormatDOCX     = "docx"
	FormatODT      = "odt"
)

var formats = []string{FormatText, FormatMarkdown, FormatVTT, FormatSRT, FormatDOCX, FormatODT, FormatHTML}

// Formats returns the format names Parse accepts in Options.Format.
func Formats() []string { return append([]string(nil), formats...) }

var transcriptExts = map[string]string{
	".txt":      FormatText,
	".text":     FormatText,
	".md":       FormatMarkdown,
	".markdown": FormatMarkdown,
	".vtt":      FormatVTT,
	".srt":      FormatSRT,
	".docx":     FormatDOCX,
	".odt":      FormatODT,
	".html":     FormatHTML,
	".htm":      FormatHTML,
}

// IsTranscriptFile reports whether name has an extension that tacit imports
// when given a folder: .txt .md .markdown .vtt .srt .docx .odt (any case).
// Hidden files and Office lock files ("~$x.docx") are excluded.
func IsTranscriptFile(name string) bool {
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "~$") {
		return false
	}
	ext := strings.ToLower(filepath.Ext(base))
	return ext != ".text" && transcriptExts[ext] != ""
}

func invalid(format string, args ...any) *coding.Error {
	return coding.Errorf(coding.EInvalid, format, args...)
}

// withNext names what to do next about e (a coding.Next* kind and its
// subject); the CLI says it in its own words.
func withNext(e *coding.Error, next, arg string) *coding.Error {
	e.Next, e.Arg = next, arg
	return e
}

// Detect returns the format of a file from its extension and content.
// Container and caption extensions (.docx, .odt, .vtt, .srt) are taken at
// their word, so that a broken file gets a clear error from Parse; for other
// names the content decides: a first line "WEBVTT" is vtt, a numbered cue
// with a "-->" timing line is srt, .md/.markdown is markdown, anything else
// is text. Binary content is an error, except that a ZIP holding
// word/document.xml (content.xml) under a name without a known extension is
// docx (odt).
func Detect(filename string, data []byte) (string, error) {
	base := filepath.Base(filename)
	ext := strings.ToLower(filepath.Ext(base))
	switch ext {
	case ".docx", ".odt", ".vtt", ".srt":
		return transcriptExts[ext], nil
	}
	if kind := binaryKind(data); kind != "" {
		// A Word/ODF document under a name without a text extension is
		// taken for what it is; under .txt/.md it is a mistake worth
		// reporting.
		if kind == "zip" && transcriptExts[ext] == "" {
			if f := zipDocFormat(data); f != "" {
				return f, nil
			}
		}
		return "", binaryError(base, data, kind)
	}
	head := sniffText(data)
	if isVTTHead(head) {
		return FormatVTT, nil
	}
	if looksSRT(head) {
		return FormatSRT, nil
	}
	if f := transcriptExts[ext]; f == FormatMarkdown || f == FormatHTML {
		return f, nil
	}
	if h := strings.ToLower(strings.TrimSpace(head)); ext != ".txt" && (strings.HasPrefix(h, "<!doctype html") || strings.HasPrefix(h, "<html")) {
		return FormatHTML, nil
	}
	return FormatText, nil
}

// Parse decodes one transcript file and returns its normalised text and
// speaker turns. filename is used for format detection and in error
// messages. Errors are *coding.Error of kind coding.EInvalid.
func Parse(filename string, data []byte, opt Options) (*Result, error) {
	name := filepath.Base(filename)
	if name == "." || name == "/" || name == "" {
		name = "input"
	}
	format := strings.ToLower(strings.TrimSpace(opt.Format))
	if format != "" {
		known := false
		for _, f := range formats {
			if f == format {
				known = true
			}
		}
		if !known {
			return nil, invalid("%s: unknown format %q; use one of: %s", name, opt.Format, strings.Join(formats, ", "))
		}
	}
	speakers := strings.ToLower(strings.TrimSpace(opt.Speakers))
	if speakers != "" && !slices.Contains(SpeakerLayouts(), speakers) {
		return nil, invalid("%s: unknown speaker layout %q; use one of: %s", name, opt.Speakers, strings.Join(SpeakerLayouts(), ", "))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if len(data) == 0 {
			return nil, invalid("%s: the file is empty; export the transcript again or leave this file out", name)
		}
		return nil, invalid("%s: the file contains only white space; export the transcript again or leave this file out", name)
	}
	if format == "" && opt.Encoding != "" {
		// A legacy or BOM-less UTF-16 file: sniff the decoded text.
		format = transcriptExts[strings.ToLower(filepath.Ext(name))]
		if format != FormatDOCX && format != FormatODT && binaryKind(data) != "nul" {
			if kind := binaryKind(data); kind != "" {
				return nil, binaryError(name, data, kind)
			}
		}
		if format == "" || format == FormatText || format == FormatMarkdown {
			text, _, _, err := decode(name, data, opt.Encoding)
			if err != nil {
				return nil, err
			}
			switch {
			case isVTTHead(text):
				format = FormatVTT
			case looksSRT(text):
				format = FormatSRT
			case format == "":
				format = FormatText
			}
		}
	}
	if format == "" {
		f, err := Detect(filename, data)
		if err != nil {
			return nil, err
		}
		format = f
	}
	var (
		res *Result
		err error
	)
	switch format {
	case FormatDOCX, FormatODT:
		res, err = parseOffice(name, format, data, speakers)
	default:
		if kind := binaryKind(data); kind != "" && !(kind == "nul" && opt.Encoding != "") {
			return nil, binaryError(name, data, kind)
		}
		text, enc, warns, derr := decode(name, data, opt.Encoding)
		if derr != nil {
			return nil, derr
		}
		switch format {
		case FormatVTT:
			res, err = parseVTT(name, text)
		case FormatSRT:
			res, err = parseSRT(name, text)
		case FormatHTML:
			t, _ := cleanText(htmlText(text))
			res = parseProse(t, nil, speakers)
		default:
			res = parseProse(text, nil, speakers)
		}
		if res != nil {
			res.Encoding = enc
			res.Warnings = append(warns, res.Warnings...)
		}
	}
	if err != nil {
		return nil, err
	}
	res.Format = format
	switch format {
	case FormatText, FormatMarkdown, FormatDOCX, FormatODT, FormatHTML:
		res.Turns = addHeader(res.Text, res.headerEnd, res.Turns)
	}
	if len(res.Turns) == 1 && res.Turns[0].Header {
		res.Warnings = append(res.Warnings, "no speech was found, so the whole text is one header unit without speaker")
	} else if len(res.Turns) == 0 {
		res.Warnings = append(res.Warnings, "no speech was found, so the document has no turns")
	}
	return res, nil
}

// binaryKind names the binary signature at the start of data ("pdf", "png",
// "jpeg", "gif", "zip", "rtf", "doc", "nul"), or "" for text. A UTF-16/32
// BOM makes NUL bytes legitimate.
func binaryKind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF")):
		return "pdf"
	case bytes.HasPrefix(data, []byte("\x89PNG")):
		return "png"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "gif"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return "zip"
	case bytes.HasPrefix(data, []byte("{\\rtf")):
		return "rtf"
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")):
		return "doc"
	}
	if bomEncoding(data) != "" && !strings.HasPrefix(bomEncoding(data), "utf-8") {
		return ""
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "nul"
	}
	return ""
}

func binaryError(name string, data []byte, kind string) *coding.Error {
	switch kind {
	case "pdf":
		return invalid("%s: this is a PDF file, not a transcript tacit can read; export the transcript as .txt, .docx or .odt and import that", name)
	case "png", "jpeg", "gif":
		return invalid("%s: this is a %s image, not a transcript; leave it out of the import", name, strings.ToUpper(kind))
	case "zip":
		if f := zipDocFormat(data); f != "" {
			return withNext(invalid("%s: this is a .%s document (a ZIP archive), not plain text", name, f), coding.NextFormat, f)
		}
		return invalid("%s: this is a ZIP archive, not a transcript; unpack it and import the files inside", name)
	case "rtf":
		return invalid("%s: this is an RTF document, which tacit does not read; save it as .docx or .txt and import that", name)
	case "doc":
		return invalid("%s: this is a legacy Word .doc (or other OLE) file; save it as .docx and import that", name)
	}
	off := bytes.IndexByte(data, 0)
	return withNext(invalid("%s: the file contains a NUL byte at byte %d, so it looks binary, not text", name, off), coding.NextUTF16, "")
}

// sniffText returns the first few KB of data as text for content sniffing
// (BOM removed; UTF-16 decoded roughly).
func sniffText(data []byte) string {
	if len(data) > 4096 {
		data = data[:4096]
	}
	switch bomEncoding(data) {
	case "utf-8-bom":
		return string(data[3:])
	case "utf-16le", "utf-16be", "utf-32le", "utf-32be":
		s, _, _, err := decode("", data, "")
		if err != nil {
			return ""
		}
		return s
	}
	return string(data)
}

func firstLines(s string, n int) []string {
	var out []string
	for len(out) < n && s != "" {
		i := strings.IndexAny(s, "\r\n")
		var ln string
		if i < 0 {
			ln, s = s, ""
		} else {
			ln = s[:i]
			if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			s = s[i+1:]
		}
		if strings.TrimSpace(ln) == "" {
			continue
		}
		out = append(out, strings.TrimSpace(strings.TrimPrefix(ln, "\ufeff")))
	}
	return out
}

func isVTTHead(head string) bool {
	l := firstLines(head, 1)
	if len(l) == 0 {
		return false
	}
	return isVTTHeaderLine(l[0])
}

func isVTTHeaderLine(s string) bool {
	if len(s) < 6 || !strings.EqualFold(s[:6], "WEBVTT") {
		return false
	}
	return len(s) == 6 || s[6] == ' ' || s[6] == '\t' || s[6] == '-'
}

func looksSRT(head string) bool {
	l := firstLines(head, 2)
	if len(l) == 0 {
		return false
	}
	if isAllDigits(l[0]) && len(l) > 1 && strings.Contains(l[1], "-->") {
		_, _, ok := parseTiming(l[1])
		return ok
	}
	if strings.Contains(l[0], "-->") && strings.Contains(l[0], ",") {
		_, _, ok := parseTiming(l[0])
		return ok
	}
	return false
}

func isAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// addHeader makes the text before the first turn's line (a title, front
// matter, a paragraph that is not speech) a header turn 0 without speaker,
// so that every word of the document can be searched and coded by turn. The
// first turn's own label ("Interviewer:") is not header. A text without turns
// is one header.
func addHeader(text string, headerEnd int, turns []coding.Turn) []coding.Turn {
	if headerEnd < 0 || headerEnd > len(text) {
		return turns
	}
	runes := []rune(text[:headerEnd])
	end := len(runes)
	if len(turns) > 0 && turns[0].Start < end {
		end = turns[0].Start
	}
	start := 0
	for start < end && unicode.IsSpace(runes[start]) {
		start++
	}
	for end > start && unicode.IsSpace(runes[end-1]) {
		end--
	}
	if start >= end {
		return turns
	}
	out := make([]coding.Turn, 0, len(turns)+1)
	out = append(out, coding.Turn{Header: true, Start: start, End: end})
	for _, t := range turns {
		t.Index = len(out)
		out = append(out, t)
	}
	return out
}
