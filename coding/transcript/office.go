package transcript

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/tacit-qda/tacit/coding"
)

// maxXML caps the inflated size of one XML part (zip-bomb guard).
const maxXML = 64 << 20

// zipDocFormat returns "docx" or "odt" when data is a ZIP holding a Word or
// OpenDocument text body, else "".
func zipDocFormat(data []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			return FormatDOCX
		case "content.xml":
			return FormatODT
		}
	}
	return ""
}

// para is one extracted paragraph and the byte length of its bold prefix.
type para struct {
	text string
	bold int
}

func parseOffice(name, format string, data []byte, speakers string) (*Result, error) {
	what, part := "Word .docx", "word/document.xml"
	if format == FormatODT {
		what, part = "OpenDocument .odt", "content.xml"
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, invalid("%s: not a valid %s file, because its ZIP container is broken (%v); open it in its editor and save it again, or export it as .txt", name, what, err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	main := files[part]
	if main == nil {
		other := ""
		if format == FormatDOCX && files["content.xml"] != nil {
			other = " (it looks like an OpenDocument .odt; rename it)"
		} else if format == FormatODT && files["word/document.xml"] != nil {
			other = " (it looks like a Word .docx; rename it)"
		}
		return nil, invalid("%s: not a %s file, because the ZIP archive has no %s%s; save the transcript again as %s", name, what, part, other, what)
	}
	readPart := func(f *zip.File) ([]byte, error) {
		if f.UncompressedSize64 > maxXML {
			return nil, invalid("%s: %s is larger than %d MB when unpacked, which is too large for a transcript; split the document", name, f.Name, maxXML>>20)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, invalid("%s: cannot open %s inside the %s file (%v); save it again", name, f.Name, what, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxXML+1))
		if err != nil {
			return nil, invalid("%s: cannot read %s inside the %s file (%v); the file is damaged, save it again", name, f.Name, what, err)
		}
		if len(b) > maxXML {
			return nil, invalid("%s: %s is larger than %d MB when unpacked, which is too large for a transcript; split the document", name, f.Name, maxXML>>20)
		}
		return b, nil
	}
	body, err := readPart(main)
	if err != nil {
		return nil, err
	}
	var paras []para
	if format == FormatDOCX {
		paras, err = docxParagraphs(body)
	} else {
		bold := map[string]bool{}
		if sf := files["styles.xml"]; sf != nil {
			if sb, err := readPart(sf); err == nil {
				_ = odtStyles(sb, bold)
			}
		}
		paras, err = odtParagraphs(body, bold)
	}
	if err != nil {
		var de doctypeError
		if errors.As(err, &de) {
			return nil, invalid("%s: %s contains a DOCTYPE declaration, which tacit refuses for safety; save the document again from its editor", name, part)
		}
		return nil, invalid("%s: %s inside the %s file is not well-formed XML (%v); open it in its editor and save it again", name, part, what, err)
	}
	var b strings.Builder
	bold := map[int]int{}
	line := 0
	removed := 0
	for _, p := range paras {
		t, n := cleanText(p.text)
		removed += n
		if strings.TrimSpace(t) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
			line += 2
		}
		if p.bold > 0 && p.bold <= len(p.text) {
			pre, _ := cleanText(p.text[:p.bold])
			if strings.TrimSpace(pre) != "" && strings.HasPrefix(t, pre) && !strings.Contains(pre, "\n") {
				bold[line] = len(pre)
			}
		}
		b.WriteString(t)
		line += strings.Count(t, "\n")
	}
	if b.Len() == 0 {
		return nil, invalid("%s: the %s document contains no text; check that it is the transcript and not an empty template", name, what)
	}
	res := parseProse(b.String(), bold, speakers)
	res.Encoding = "utf-8"
	if removed > 0 {
		res.Warnings = append([]string{"removed " + coding.Plural(removed, "control character", "control characters")}, res.Warnings...)
	}
	return res, nil
}

type doctypeError struct{}

func (doctypeError) Error() string { return "DOCTYPE not allowed" }

func newDecoder(b []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	return d
}

func isWordNS(space string) bool {
	return strings.HasSuffix(space, "wordprocessingml/2006/main") || strings.HasSuffix(space, "wordprocessingml/main")
}

func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// docxParagraphs extracts paragraphs from word/document.xml: w:t text,
// w:tab as TAB, w:br/w:cr as "\n"; deleted text, field codes, paragraph
// properties and mc:Fallback duplicates are skipped.
func docxParagraphs(b []byte) ([]para, error) {
	d := newDecoder(b)
	var (
		out      []para
		buf      strings.Builder
		depth    int  // w:p nesting
		inT      bool // inside w:t
		skip     int  // inside w:pPr, w:delText, w:instrText, mc:Fallback, ...
		inRPr    bool
		runBold  bool
		boldLen  int
		boldDone bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
				return nil, doctypeError{}
			}
		case xml.StartElement:
			if t.Name.Local == "Fallback" && !isWordNS(t.Name.Space) {
				skip++
				continue
			}
			if !isWordNS(t.Name.Space) {
				if skip > 0 {
					skip++
				}
				continue
			}
			if skip > 0 {
				skip++
				continue
			}
			switch t.Name.Local {
			case "p":
				if depth == 0 {
					buf.Reset()
					boldLen, boldDone = 0, false
				}
				depth++
			case "pPr", "delText", "instrText", "del", "footnoteReference", "endnoteReference":
				skip++
			case "r":
				runBold = false
			case "rPr":
				inRPr = true
			case "b":
				if inRPr {
					v, ok := attr(t, "val")
					runBold = !ok || !(v == "0" || v == "false" || v == "off" || v == "none")
				}
			case "t":
				inT = true
			case "tab", "ptab":
				if depth > 0 {
					buf.WriteByte('\t')
				}
			case "br", "cr":
				if depth > 0 {
					buf.WriteByte('\n')
					if !runBold {
						boldDone = true
					}
				}
			case "noBreakHyphen":
				if depth > 0 {
					buf.WriteByte('-')
				}
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if !isWordNS(t.Name.Space) {
				continue
			}
			switch t.Name.Local {
			case "p":
				depth--
				if depth <= 0 {
					depth = 0
					bl := 0
					if boldLen > 0 {
						bl = boldLen
					}
					out = append(out, para{text: buf.String(), bold: bl})
				}
			case "rPr":
				inRPr = false
			case "t":
				inT = false
			}
		case xml.CharData:
			if !inT || skip > 0 || depth == 0 {
				continue
			}
			s := string(t)
			buf.WriteString(s)
			if boldDone {
				continue
			}
			if runBold {
				boldLen = buf.Len()
			} else if strings.TrimSpace(s) != "" {
				boldDone = true
			}
		}
	}
	return out, nil
}

type odtStyle struct {
	parent string
	bold   int // 1 bold, -1 explicitly normal, 0 unknown
}

// odtStyles records which text/paragraph styles are bold (following parent
// styles) into bold.
func odtStyles(b []byte, bold map[string]bool) error {
	d := newDecoder(b)
	styles := map[string]*odtStyle{}
	var cur *odtStyle
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
				return doctypeError{}
			}
		case xml.StartElement:
			switch t.Name.Local {
			case "style":
				n, _ := attr(t, "name")
				p, _ := attr(t, "parent-style-name")
				cur = &odtStyle{parent: p}
				styles[n] = cur
			case "text-properties":
				if cur != nil {
					if w, ok := attr(t, "font-weight"); ok {
						if w == "bold" || w == "600" || w == "700" || w == "800" || w == "900" {
							cur.bold = 1
						} else {
							cur.bold = -1
						}
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "style" {
				cur = nil
			}
		}
	}
	for n := range styles {
		s := styles[n]
		for hops := 0; s != nil && hops < 10; hops++ {
			if s.bold != 0 {
				if s.bold > 0 {
					bold[n] = true
				}
				break
			}
			s = styles[s.parent]
		}
	}
	return nil
}

// odtParagraphs extracts text:p and text:h paragraphs from content.xml;
// text:s is spaces, text:tab a TAB, text:line-break "\n"; notes,
// annotations and tracked deletions are skipped.
func odtParagraphs(b []byte, bold map[string]bool) ([]para, error) {
	if err := odtStyles(b, bold); err != nil {
		return nil, err
	}
	d := newDecoder(b)
	var (
		out      []para
		buf      strings.Builder
		depth    int
		skip     int
		inBody   bool
		spans    []bool
		boldLen  int
		boldDone bool
	)
	isBold := func() bool { return len(spans) > 0 && spans[len(spans)-1] }
	const textNS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "body" {
				inBody = true
			}
			if !inBody {
				continue
			}
			if skip > 0 {
				skip++
				continue
			}
			switch t.Name.Local {
			case "note", "annotation", "tracked-changes", "note-citation":
				skip++
				continue
			}
			if t.Name.Space != textNS {
				continue
			}
			switch t.Name.Local {
			case "p", "h":
				sn, _ := attr(t, "style-name")
				if depth == 0 {
					buf.Reset()
					boldLen, boldDone = 0, false
					spans = spans[:0]
				}
				spans = append(spans, bold[sn] || (len(spans) > 0 && spans[len(spans)-1]))
				depth++
			case "span", "a":
				sn, _ := attr(t, "style-name")
				spans = append(spans, bold[sn] || isBold())
			case "s":
				n := 1
				if c, ok := attr(t, "c"); ok {
					if v, err := strconv.Atoi(c); err == nil && v > 0 && v < 1000 {
						n = v
					}
				}
				if depth > 0 {
					buf.WriteString(strings.Repeat(" ", n))
					if isBold() && !boldDone {
						boldLen = buf.Len()
					}
				}
			case "tab":
				if depth > 0 {
					buf.WriteByte('\t')
				}
			case "line-break":
				if depth > 0 {
					buf.WriteByte('\n')
					if !isBold() {
						boldDone = true
					}
				}
			}
		case xml.EndElement:
			if !inBody {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			if t.Name.Space != textNS {
				continue
			}
			switch t.Name.Local {
			case "p", "h":
				depth--
				if len(spans) > 0 {
					spans = spans[:len(spans)-1]
				}
				if depth <= 0 {
					depth = 0
					out = append(out, para{text: buf.String(), bold: boldLen})
				}
			case "span", "a":
				if len(spans) > 0 {
					spans = spans[:len(spans)-1]
				}
			}
		case xml.CharData:
			if !inBody || skip > 0 || depth == 0 {
				continue
			}
			s := string(t)
			buf.WriteString(s)
			if boldDone {
				continue
			}
			if isBold() {
				boldLen = buf.Len()
			} else if strings.TrimSpace(s) != "" {
				boldDone = true
			}
		}
	}
	return out, nil
}
