// Package docx writes simple Word documents (Office Open XML,
// WordprocessingML): headings in Word's heading styles, paragraphs, block
// quotes in a quote style, tables, page breaks and a table of contents
// field, with right-to-left paragraphs (w:bidi) for Hebrew and Arabic. It
// writes the few parts a .docx needs with archive/zip and no other
// dependency; Word, LibreOffice and pandoc open the result.
package docx

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"strings"
	"time"
)

// Styles a paragraph can have (defined in styles.xml).
const (
	StyleNormal   = "Normal"
	StyleTitle    = "Title"
	StyleSubtitle = "Subtitle"
	StyleQuote    = "Quote"
	StyleCaption  = "QuoteCaption"
	StyleNote     = "Note"
	StyleTOCHead  = "TOCHeading"
	StyleTOC1     = "TOC1"
	StyleTOC2     = "TOC2"
	StyleSmall    = "Small"
)

// Run is a piece of text with one formatting.
type Run struct {
	Text   string
	Bold   bool
	Italic bool
}

// Para is a paragraph: a style, a direction and runs.
type Para struct {
	Style string // "" is Normal
	RTL   bool
	Runs  []Run
	// PageBreak starts the paragraph on a new page.
	PageBreak bool
}

// Cell is a table cell: its paragraphs.
type Cell struct {
	Paras []Para
	Shade string // hex fill, "" for none
}

// Document is a Word document being written: its parts are streamed into
// the archive as they are added, so a long book never sits in memory.
// Close finishes it.
type Document struct {
	rtl      bool
	z        *zip.Writer
	body     *bufio.Writer
	bookmark int // the last bookmark id
	chapters int // level-1 headings so far
	err      error
}

// New starts a document written to w. lang is a BCP 47 tag ("en", "he",
// "ar"); rtl makes right to left the default direction of the document.
func New(w io.Writer, title, lang string, rtl bool) *Document {
	d := &Document{rtl: rtl, z: zip.NewWriter(w)}
	d.z.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	parts := []struct{ name, data string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", fmt.Sprintf(coreXML, text(title), time.Now().UTC().Format(time.RFC3339))},
		{"docProps/app.xml", appXML},
		{"word/_rels/document.xml.rels", docRels},
		{"word/settings.xml", settingsXML},
		{"word/styles.xml", styles(lang)},
	}
	for _, p := range parts {
		f, err := d.create(p.name)
		if err != nil {
			d.err = err
			return d
		}
		if _, err := io.WriteString(f, p.data); err != nil {
			d.err = err
			return d
		}
	}
	f, err := d.create("word/document.xml")
	if err != nil {
		d.err = err
		return d
	}
	d.body = bufio.NewWriterSize(f, 64<<10)
	d.body.WriteString(xmlHead + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	return d
}

func (d *Document) create(name string) (io.Writer, error) {
	return d.z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
}

// P adds a paragraph.
func (d *Document) P(p Para) {
	if d.body != nil {
		d.para(d.body, p, "")
	}
}

// Text adds a paragraph of one run in a style.
func (d *Document) Text(style, text string, rtl bool) {
	d.P(Para{Style: style, RTL: rtl, Runs: []Run{{Text: text}}})
}

// Heading adds a heading of level 1-3 (Word's Heading 1-3); newPage starts
// it on a new page. The n-th heading of level 1 is the n-th entry of the
// table of contents.
func (d *Document) Heading(level int, text string, rtl, newPage bool) {
	if d.body == nil {
		return
	}
	level = min(max(level, 1), 3)
	mark := ""
	if level == 1 {
		d.chapters++
		mark = tocMark(d.chapters)
	}
	d.para(d.body, Para{Style: fmt.Sprintf("Heading%d", level), RTL: rtl, Runs: []Run{{Text: text}}, PageBreak: newPage}, mark)
}

func tocMark(n int) string { return fmt.Sprintf("_Toc%06d", n) }

// TOC adds the table of contents: a title, then a TOC field over the
// chapters (headings of level 1) whose result lists chapters, the titles of
// the level-1 headings that follow in order, linked to them, so that it
// reads before Word updates it (with page numbers), which it offers to do
// on opening.
func (d *Document) TOC(title string, chapters []string) {
	if d.body == nil {
		return
	}
	b := d.body
	d.para(b, Para{Style: StyleTOCHead, RTL: d.rtl, Runs: []Run{{Text: title}}}, "")
	const begin = `<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-1" \h \z \u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`
	if len(chapters) == 0 {
		b.WriteString(`<w:p>` + begin + `<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`)
		return
	}
	for i, c := range chapters {
		fmt.Fprintf(b, `<w:p><w:pPr><w:pStyle w:val="%s"/>`, StyleTOC1)
		if d.rtl {
			b.WriteString(`<w:bidi/>`)
		}
		b.WriteString(`</w:pPr>`)
		if i == 0 {
			b.WriteString(begin)
		}
		fmt.Fprintf(b, `<w:hyperlink w:anchor="%s" w:history="1">`, tocMark(i+1))
		writeRun(b, Run{Text: c}, d.rtl)
		b.WriteString(`</w:hyperlink></w:p>`)
	}
	b.WriteString(`<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`)
}

// PageBreak adds a page break.
func (d *Document) PageBreak() {
	if d.body != nil {
		d.body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
	}
}

// Table adds a table. widths are the columns' shares (any unit); rtl
// orders the columns right to left; header repeats the first row on each
// page and makes it bold.
func (d *Document) Table(rows [][]Cell, widths []int, rtl, header, borders bool) {
	if d.body == nil {
		return
	}
	b := d.body
	total := 0
	for _, w := range widths {
		total += w
	}
	const full = 9360 // twentieths of a point: 6.5 inches
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/>`)
	if rtl {
		b.WriteString(`<w:bidiVisual/>`)
	}
	if borders {
		b.WriteString(`<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="BBBBBB"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="BBBBBB"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="DDDDDD"/></w:tblBorders>`)
	}
	b.WriteString(`<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	tw := make([]int, len(widths))
	for i, w := range widths {
		tw[i] = full * w / max(total, 1)
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, tw[i])
	}
	b.WriteString(`</w:tblGrid>`)
	for r, row := range rows {
		b.WriteString(`<w:tr>`)
		if r == 0 && header {
			b.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		}
		for c, cell := range row {
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, tw[min(c, len(tw)-1)])
			if cell.Shade != "" {
				fmt.Fprintf(b, `<w:shd w:val="clear" w:color="auto" w:fill="%s"/>`, attr(cell.Shade))
			}
			b.WriteString(`</w:tcPr>`)
			if len(cell.Paras) == 0 {
				b.WriteString(`<w:p/>`)
			}
			for _, p := range cell.Paras {
				if r == 0 && header {
					for i := range p.Runs {
						p.Runs[i].Bold = true
					}
				}
				d.para(b, p, "")
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl><w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>`)
}

func (d *Document) para(b *bufio.Writer, p Para, mark string) {
	b.WriteString(`<w:p><w:pPr>`)
	if p.Style != "" && p.Style != StyleNormal {
		fmt.Fprintf(b, `<w:pStyle w:val="%s"/>`, attr(p.Style))
	}
	if p.PageBreak {
		b.WriteString(`<w:pageBreakBefore/>`)
	}
	if p.RTL {
		b.WriteString(`<w:bidi/>`)
	}
	b.WriteString(`</w:pPr>`)
	if mark != "" {
		d.bookmark++
		fmt.Fprintf(b, `<w:bookmarkStart w:id="%d" w:name="%s"/>`, d.bookmark, mark)
	}
	for _, r := range p.Runs {
		writeRun(b, r, p.RTL)
	}
	if mark != "" {
		fmt.Fprintf(b, `<w:bookmarkEnd w:id="%d"/>`, d.bookmark)
	}
	b.WriteString(`</w:p>`)
}

func writeRun(b *bufio.Writer, r Run, rtl bool) {
	b.WriteString(`<w:r>`)
	if r.Bold || r.Italic || rtl || hasRTL(r.Text) {
		b.WriteString(`<w:rPr>`)
		if r.Bold {
			b.WriteString(`<w:b/><w:bCs/>`)
		}
		if r.Italic {
			b.WriteString(`<w:i/><w:iCs/>`)
		}
		if rtl || hasRTL(r.Text) {
			b.WriteString(`<w:rtl/>`)
		}
		b.WriteString(`</w:rPr>`)
	}
	b.WriteString(`<w:t xml:space="preserve">`)
	b.WriteString(text(r.Text))
	b.WriteString(`</w:t></w:r>`)
}

// hasRTL reports whether s holds Hebrew or Arabic letters.
func hasRTL(s string) bool {
	for _, r := range s {
		if r >= 0x0590 && r <= 0x08FF || r >= 0xFB1D && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF {
			return true
		}
	}
	return false
}

// text escapes s for XML character data, dropping the characters XML 1.0
// cannot hold.
func text(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\t', '\n', '\r':
			b.WriteRune(' ')
		default:
			if r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF) {
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func attr(s string) string { return text(s) }

// Close ends the document and the archive (not the writer under it) and
// returns the first error met while writing.
func (d *Document) Close() error {
	if d.err != nil {
		return d.err
	}
	b := d.body
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1304" w:right="1247" w:bottom="1304" w:left="1247" w:header="708" w:footer="708" w:gutter="0"/>`)
	if d.rtl {
		b.WriteString(`<w:bidi/>`)
	}
	b.WriteString(`</w:sectPr></w:body></w:document>`)
	if err := b.Flush(); err != nil {
		return err
	}
	return d.z.Close()
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const contentTypes = xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>`

const rootRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>`

const docRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
</Relationships>`

const coreXML = xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>%s</dc:title><dc:creator>tacit</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created></cp:coreProperties>`

const appXML = xmlHead + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>tacit</Application></Properties>`

// settingsXML asks Word to update the fields (the table of contents) when
// the document is opened.
const settingsXML = xmlHead + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:updateFields w:val="true"/><w:defaultTabStop w:val="720"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`

func styles(lang string) string {
	if lang == "" {
		lang = "en"
	}
	bidi := "he-IL"
	if strings.HasPrefix(lang, "ar") {
		bidi = "ar-SA"
	}
	var b strings.Builder
	b.WriteString(xmlHead + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`)
	fmt.Fprintf(&b, `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia" w:eastAsia="Georgia" w:cs="Arial"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="%s" w:bidi="%s"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="140" w:line="288" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>`, attr(lang), bidi)
	style := func(id, name, based string, ppr, rpr string, extra string) {
		fmt.Fprintf(&b, `<w:style w:type="paragraph" w:styleId="%s"%s><w:name w:val="%s"/>`, id, extra, name)
		if based != "" {
			fmt.Fprintf(&b, `<w:basedOn w:val="%s"/>`, based)
		}
		fmt.Fprintf(&b, `<w:next w:val="Normal"/><w:qFormat/><w:pPr>%s</w:pPr><w:rPr>%s</w:rPr></w:style>`, ppr, rpr)
	}
	sans := `<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Arial"/>`
	style("Normal", "Normal", "", "", "", ` w:default="1"`)
	style("Title", "Title", "Normal", `<w:spacing w:before="2400" w:after="400"/><w:jc w:val="center"/>`, sans+`<w:sz w:val="56"/><w:szCs w:val="56"/><w:b/><w:bCs/>`, "")
	style("Subtitle", "Subtitle", "Normal", `<w:jc w:val="center"/>`, `<w:i/><w:iCs/><w:color w:val="5F6368"/>`, "")
	style("Heading1", "heading 1", "Normal", `<w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="240"/><w:outlineLvl w:val="0"/>`, sans+`<w:b/><w:bCs/><w:sz w:val="40"/><w:szCs w:val="40"/><w:color w:val="1D1D1F"/>`, "")
	style("Heading2", "heading 2", "Normal", `<w:keepNext/><w:keepLines/><w:spacing w:before="320" w:after="120"/><w:outlineLvl w:val="1"/>`, sans+`<w:b/><w:bCs/><w:sz w:val="30"/><w:szCs w:val="30"/><w:color w:val="2A6F97"/>`, "")
	style("Heading3", "heading 3", "Normal", `<w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="80"/><w:outlineLvl w:val="2"/>`, sans+`<w:b/><w:bCs/><w:caps/><w:sz w:val="19"/><w:szCs w:val="19"/><w:color w:val="5F6368"/>`, "")
	style("Quote", "Quote", "Normal", `<w:keepLines/><w:shd w:val="clear" w:color="auto" w:fill="F2F4F5"/><w:spacing w:before="120" w:after="40"/><w:ind w:left="240" w:right="240"/>`, `<w:sz w:val="22"/><w:szCs w:val="22"/>`, "")
	style("QuoteCaption", "Quote Caption", "Normal", `<w:spacing w:after="160"/><w:ind w:left="240"/>`, sans+`<w:sz w:val="17"/><w:szCs w:val="17"/><w:color w:val="5F6368"/>`, "")
	style("Note", "Note", "Normal", `<w:spacing w:after="100"/><w:ind w:left="240"/>`, `<w:i/><w:iCs/><w:sz w:val="19"/><w:szCs w:val="19"/><w:color w:val="444444"/>`, "")
	style("Small", "Small", "Normal", `<w:spacing w:after="60"/>`, sans+`<w:sz w:val="18"/><w:szCs w:val="18"/>`, "")
	style("TOCHeading", "TOC Heading", "Heading1", `<w:outlineLvl w:val="9"/>`, "", "")
	style("TOC1", "toc 1", "Normal", `<w:spacing w:after="60"/>`, sans, "")
	style("TOC2", "toc 2", "Normal", `<w:spacing w:after="40"/><w:ind w:left="360"/>`, sans+`<w:sz w:val="20"/><w:szCs w:val="20"/>`, "")
	b.WriteString(`</w:styles>`)
	return b.String()
}
