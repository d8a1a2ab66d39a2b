package refiqda

import (
	"regexp"
	"strings"
	"time"
)

// Project is the content of a project.qde that tacit uses. GUIDs are
// canonical (lower case, no braces; see CanonGUID).
type Project struct {
	Name         string
	Origin       string
	CreatingUser string
	Created      time.Time
	Users        []User
	Codes        []*Code // the code tree
	Variables    []Variable
	Cases        []Case
	Sources      []*Source
	Notes        []Note
	Links        []Link
	Sets         []Set
	Description  string
	NoteRefs     []string
}

// User is a person who coded.
type User struct {
	GUID string
	Name string
}

// Code is one code of the tree.
type Code struct {
	GUID        string
	Name        string
	Codable     bool
	Color       string // "#rrggbb" or ""
	Description string
	NoteRefs    []string
	Children    []*Code
}

// Variable is an attribute declared for cases or sources.
type Variable struct {
	GUID        string
	Name        string
	Type        string // Text, Boolean, Integer, Float, Date, DateTime
	Description string
}

// VariableValue is the value of a variable on a case or source, as text.
type VariableValue struct {
	Variable string // GUID
	Value    string
}

// Case groups sources.
type Case struct {
	GUID        string
	Name        string
	Description string
	CodeRefs    []string
	Values      []VariableValue
	SourceRefs  []string
	Selections  []string
}

// Source kinds.
const (
	KindText    = "text"
	KindPDF     = "pdf"
	KindPicture = "picture"
	KindAudio   = "audio"
	KindVideo   = "video"
)

// Source is one source of the project. Only text sources carry text
// selections; other kinds are read far enough to be listed as skipped.
type Source struct {
	Kind          string
	GUID          string
	Name          string
	PlainTextPath string
	RichTextPath  string
	Path          string // media sources
	Content       string // PlainTextContent, when given inline
	HasContent    bool
	Description   string
	Selections    []Selection
	Codings       []Coding // codings of the whole source
	NoteRefs      []string
	Values        []VariableValue
	CreatingUser  string
	Created       time.Time
	// OtherSelections counts selections of non-text kinds (picture areas,
	// media spans, PDF areas).
	OtherSelections int
	Line            int
}

// Selection is a PlainTextSelection: [Start, End) in the source's text, in
// the unit of its producer.
type Selection struct {
	GUID         string
	Name         string
	Start, End   int
	Description  string
	Codings      []Coding
	NoteRefs     []string
	CreatingUser string
	Created      time.Time
	Line         int
}

// Coding applies a code to a selection or source.
type Coding struct {
	GUID         string
	Code         string // target GUID
	CreatingUser string
	Created      time.Time
	NoteRefs     []string
}

// Note is a memo object.
type Note struct {
	GUID          string
	Name          string
	Text          string
	PlainTextPath string
	HasContent    bool
	CreatingUser  string
	Created       time.Time
}

// Link relates two objects of the project (a code, source, selection,
// note or case; the spec does not restrict them). NVivo attaches its
// annotations to selections with a Link from a Note.
type Link struct {
	GUID      string
	Name      string
	Direction string // Associative, OneWay or Bidirectional
	Origin    string
	Target    string
	NoteRefs  []string
}

// Set groups codes, sources or notes.
type Set struct {
	GUID        string
	Name        string
	Description string
	Codes       []string
	Sources     []string
	Notes       []string
}

var guidRE = regexp.MustCompile(`^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$`)

// CanonGUID returns a GUID in lower case without braces; a value that is
// not a GUID is returned trimmed and lower-cased, so that references still
// compare equal to their targets.
func CanonGUID(s string) string {
	// A GUID's braces are at most one on each side, so trimming them is
	// what taking the GUID out of them would do (without a regular
	// expression: an import reads 300,000 GUIDs of a large project).
	return strings.ToLower(strings.Trim(strings.TrimSpace(s), "{}"))
}

// ValidGUID reports whether s is a GUID (braced or not).
func ValidGUID(s string) bool { return guidRE.MatchString(strings.TrimSpace(s)) }

// Walk calls fn for every code of the tree, parents first, with its path
// of names.
func Walk(codes []*Code, fn func(c *Code, path []string)) {
	var rec func(list []*Code, prefix []string)
	rec = func(list []*Code, prefix []string) {
		for _, c := range list {
			p := append(append([]string(nil), prefix...), c.Name)
			fn(c, p)
			rec(c.Children, p)
		}
	}
	rec(codes, nil)
}

// Counts summarises a project (for reports and tests).
type Counts struct {
	Codes          int `json:"codes"`
	Users          int `json:"users"`
	Sources        int `json:"sources"`
	TextSources    int `json:"text_sources"`
	Selections     int `json:"selections"`
	Codings        int `json:"codings"`
	Cases          int `json:"cases"`
	Variables      int `json:"variables"`
	Notes          int `json:"notes"`
	Sets           int `json:"sets"`
	Links          int `json:"links"`
	OtherSelection int `json:"other_selections"`
}

// Count returns the numbers of things in p.
func (p *Project) Count() Counts {
	var c Counts
	Walk(p.Codes, func(*Code, []string) { c.Codes++ })
	c.Users, c.Cases, c.Variables, c.Notes, c.Sets = len(p.Users), len(p.Cases), len(p.Variables), len(p.Notes), len(p.Sets)
	c.Links = len(p.Links)
	for _, s := range p.Sources {
		c.Sources++
		if s.Kind == KindText {
			c.TextSources++
		}
		c.Selections += len(s.Selections)
		c.Codings += len(s.Codings)
		for _, sel := range s.Selections {
			c.Codings += len(sel.Codings)
		}
		c.OtherSelection += s.OtherSelections
	}
	return c
}
