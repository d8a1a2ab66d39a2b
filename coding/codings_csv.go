package coding

import (
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// CodingsTable is a table of codings read from CSV (Taguette, Delve,
// Dedoose, a spreadsheet, tacit's own export): which document, which code
// and either offsets or the quoted text, optionally coder and memo.
type CodingsTable struct {
	Header  []string
	Columns map[string]int // document, code, start, end, text, coder, memo -> index
	Rows    []CodingsRow
}

// CodingsRow is one data row. Line is its line in the file (the header is
// line 1), for reports.
type CodingsRow struct {
	Line   int
	Doc    string
	Codes  []string
	Start  int
	End    int
	HasPos bool
	Text   string
	Coder  string
	Memo   string
	Err    string // a problem with this row alone (bad offsets)
	// ID is the row's highlight/segment id when the table has one: rows
	// with the same ID are one passage with several codes.
	ID string
}

var codingsColumns = map[string][]string{
	"document": {"document", "doc", "doc_name", "document_name", "file", "filename", "source", "text_file", "transcript"},
	"code":     {"code", "code_path", "tag", "tags", "codes", "code_name", "category"},
	"start":    {"start", "start_offset", "begin", "start_char", "from"},
	"end":      {"end", "end_offset", "end_char", "to"},
	"text":     {"text", "content", "quote", "segment", "segment_text", "highlight", "excerpt", "selection", "coded_text"},
	"coder":    {"coder", "user", "author", "creator", "coded_by"},
	"memo":     {"memo", "comment", "note", "notes"},
	"id":       {"id", "highlight_id", "segment_id", "coding_id", "excerpt_id"},
}

// ReadCodingsCSV parses a codings table. The delimiter (comma, semicolon or
// tab) is taken from the header line; a UTF-8 BOM is skipped; column names
// are matched case-insensitively against common names (document/doc/file,
// code/tag/tags, start/end, text/content/quote/segment, coder/user,
// memo/comment). A "tags" or "codes" column may hold several codes
// separated by ";". The document and code columns are required, and either
// start and end or text.
func ReadCodingsCSV(data []byte) (*CodingsTable, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	first := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		first = data[:i]
	}
	comma := ','
	if c, s, t := bytes.Count(first, []byte(",")), bytes.Count(first, []byte(";")), bytes.Count(first, []byte("\t")); t > c && t >= s {
		comma = '\t'
	} else if s > c {
		comma = ';'
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, Errorf(EInvalid, "the CSV file is empty")
	}
	if err != nil {
		return nil, Errorf(EInvalid, "the CSV header cannot be read: %v", err)
	}
	t := &CodingsTable{Header: header, Columns: map[string]int{}}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		h = strings.ReplaceAll(h, " ", "_")
		for col, names := range codingsColumns {
			if _, done := t.Columns[col]; done {
				continue
			}
			for _, n := range names {
				if h == n {
					t.Columns[col] = i
				}
			}
		}
	}
	_, hasDoc := t.Columns["document"]
	_, hasCode := t.Columns["code"]
	_, hasStart := t.Columns["start"]
	_, hasEnd := t.Columns["end"]
	_, hasText := t.Columns["text"]
	switch {
	case !hasDoc || !hasCode:
		return nil, Errorf(EInvalid, "the CSV needs a document column (document, doc, file ...) and a code column (code, tag ...); its header is %s", strings.Join(header, ", "))
	case !(hasStart && hasEnd) && !hasText:
		return nil, Errorf(EInvalid, "the CSV needs start and end columns or a text column (text, content, quote ...); its header is %s", strings.Join(header, ", "))
	}
	multi := strings.EqualFold(strings.TrimSpace(header[t.Columns["code"]]), "tags") || strings.EqualFold(strings.TrimSpace(header[t.Columns["code"]]), "codes")
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, Errorf(EInvalid, "the CSV cannot be read: %v", err)
		}
		get := func(col string) string {
			if i, ok := t.Columns[col]; ok && i < len(rec) {
				return unguardCell(rec[i])
			}
			return ""
		}
		line, _ := r.FieldPos(0)
		row := CodingsRow{Line: line, Doc: strings.TrimSpace(get("document")), Text: get("text"),
			Coder: strings.TrimSpace(get("coder")), Memo: strings.TrimSpace(get("memo")), ID: strings.TrimSpace(get("id"))}
		code := strings.TrimSpace(get("code"))
		if multi {
			for _, c := range strings.Split(code, ";") {
				if c = strings.TrimSpace(c); c != "" {
					row.Codes = append(row.Codes, c)
				}
			}
		} else if code != "" {
			row.Codes = []string{code}
		}
		s, e := strings.TrimSpace(get("start")), strings.TrimSpace(get("end"))
		if s != "" || e != "" {
			a, err1 := strconv.Atoi(s)
			b, err2 := strconv.Atoi(e)
			if err1 != nil || err2 != nil {
				row.Err = "start and end must be whole numbers, not " + strconv.Quote(s) + " and " + strconv.Quote(e)
			} else {
				row.Start, row.End, row.HasPos = a, b, true
			}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// unguardCell undoes the formula guard of tacit's CSV listings ('tacit
// codings --csv' writes a cell that starts with = + - @ as '=...), so that
// such a table imports with its text as it was.
func unguardCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}
