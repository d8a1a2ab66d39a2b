package refiqda

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

func invalid(format string, args ...any) *coding.Error {
	return coding.Errorf(coding.EInvalid, format, args...)
}

// ParseTime reads an xsd:dateTime leniently (with or without zone and
// fraction); a bad or empty value gives the zero time.
func ParseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// parseColor reads a colour leniently: #rgb, #rrggbb, #aarrggbb or
// #rrggbbaa (the alpha dropped), rgb(r,g,b); anything else is "".
func parseColor(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if c, err := coding.NormColor(s); err == nil {
		return c
	}
	ls := strings.ToLower(s)
	if strings.HasPrefix(ls, "#") && len(ls) == 9 {
		if _, err := strconv.ParseUint(ls[1:], 16, 32); err == nil {
			return "#" + ls[3:] // #aarrggbb, the .NET order
		}
	}
	if strings.HasPrefix(ls, "rgb(") && strings.HasSuffix(ls, ")") {
		parts := strings.Split(ls[4:len(ls)-1], ",")
		if len(parts) == 3 {
			var v [3]int
			for i, p := range parts {
				n, err := strconv.Atoi(strings.TrimSpace(p))
				if err != nil || n < 0 || n > 255 {
					return ""
				}
				v[i] = n
			}
			return fmt.Sprintf("#%02x%02x%02x", v[0], v[1], v[2])
		}
	}
	return ""
}

func parseBool(s string, def bool) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		return true
	case "false", "0":
		return false
	}
	return def
}

func refs(n *node, name string) []string {
	var out []string
	for _, c := range n.all(name) {
		if g := c.attr("targetGUID"); g != "" {
			out = append(out, CanonGUID(g))
		} else if g := c.attr("guid"); g != "" {
			out = append(out, CanonGUID(g))
		}
	}
	return out
}

// ReadProject parses a project.qde. It accepts any namespace (the
// variants real tools write) and checks only what tacit needs: a Project
// root and integer selection positions.
func ReadProject(data []byte) (*Project, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, invalid("the project file is not readable XML: %v", err)
	}
	if !strings.EqualFold(root.name, "Project") {
		return nil, invalid("the project file's root element is <%s>, not <Project>", root.name)
	}
	p := &Project{
		Name: root.attr("name"), Origin: root.attr("origin"),
		CreatingUser: CanonGUID(root.attr("creatingUserGUID")), Created: ParseTime(root.attr("creationDateTime")),
		Description: root.childText("Description"), NoteRefs: refs(root, "NoteRef"),
	}
	if us := root.first("Users"); us != nil {
		for _, u := range us.all("User") {
			p.Users = append(p.Users, User{GUID: CanonGUID(u.attr("guid")), Name: strings.TrimSpace(u.attr("name"))})
		}
	}
	if cb := root.first("CodeBook"); cb != nil {
		if cs := cb.first("Codes"); cs != nil {
			p.Codes = readCodes(cs)
		}
	}
	if vs := root.first("Variables"); vs != nil {
		for _, v := range vs.all("Variable") {
			p.Variables = append(p.Variables, Variable{GUID: CanonGUID(v.attr("guid")), Name: v.attr("name"),
				Type: v.attr("typeOfVariable"), Description: v.childText("Description")})
		}
	}
	if cs := root.first("Cases"); cs != nil {
		for _, c := range cs.all("Case") {
			p.Cases = append(p.Cases, Case{GUID: CanonGUID(c.attr("guid")), Name: c.attr("name"),
				Description: c.childText("Description"), CodeRefs: refs(c, "CodeRef"), Values: readValues(c),
				SourceRefs: refs(c, "SourceRef"), Selections: refs(c, "SelectionRef")})
		}
	}
	if ss := root.first("Sources"); ss != nil {
		for _, s := range ss.children {
			src, err := readSource(s)
			if err != nil {
				return nil, err
			}
			if src != nil {
				p.Sources = append(p.Sources, src)
			}
		}
	}
	if ns := root.first("Notes"); ns != nil {
		for _, n := range ns.all("Note") {
			note := Note{GUID: CanonGUID(n.attr("guid")), Name: n.attr("name"), PlainTextPath: n.attr("plainTextPath"),
				CreatingUser: CanonGUID(n.attr("creatingUser")), Created: ParseTime(n.attr("creationDateTime"))}
			if c := n.first("PlainTextContent"); c != nil {
				note.Text, note.HasContent = c.text.String(), true
			} else if d := n.first("Description"); d != nil && note.PlainTextPath == "" {
				note.Text, note.HasContent = d.text.String(), true
			}
			p.Notes = append(p.Notes, note)
		}
	}
	if ls := root.first("Links"); ls != nil {
		for _, l := range ls.all("Link") {
			p.Links = append(p.Links, Link{GUID: CanonGUID(l.attr("guid")), Name: l.attr("name"), Direction: l.attr("direction"),
				Origin: CanonGUID(l.attr("originGUID")), Target: CanonGUID(l.attr("targetGUID")), NoteRefs: refs(l, "NoteRef")})
		}
	}
	if ss := root.first("Sets"); ss != nil {
		for _, s := range ss.all("Set") {
			p.Sets = append(p.Sets, Set{GUID: CanonGUID(s.attr("guid")), Name: s.attr("name"), Description: s.childText("Description"),
				Codes: refs(s, "MemberCode"), Sources: refs(s, "MemberSource"), Notes: refs(s, "MemberNote")})
		}
	}
	return p, nil
}

func readCodes(n *node) []*Code {
	var out []*Code
	for _, c := range n.all("Code") {
		out = append(out, &Code{GUID: CanonGUID(c.attr("guid")), Name: c.attr("name"),
			Codable: parseBool(c.attr("isCodable"), true), Color: parseColor(c.attr("color")),
			Description: c.childText("Description"), NoteRefs: refs(c, "NoteRef"), Children: readCodes(c)})
	}
	return out
}

func readValues(n *node) []VariableValue {
	var out []VariableValue
	for _, vv := range n.all("VariableValue") {
		ref := vv.first("VariableRef")
		if ref == nil {
			continue
		}
		v := VariableValue{Variable: CanonGUID(ref.attr("targetGUID"))}
		for _, k := range []string{"TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"} {
			if c := vv.first(k); c != nil {
				v.Value = strings.TrimSpace(c.text.String())
				break
			}
		}
		out = append(out, v)
	}
	return out
}

func readCodings(n *node) []Coding {
	var out []Coding
	for _, c := range n.all("Coding") {
		cd := Coding{GUID: CanonGUID(c.attr("guid")), CreatingUser: CanonGUID(c.attr("creatingUser")),
			Created: ParseTime(c.attr("creationDateTime")), NoteRefs: refs(c, "NoteRef")}
		if r := c.first("CodeRef"); r != nil {
			cd.Code = CanonGUID(r.attr("targetGUID"))
		}
		out = append(out, cd)
	}
	return out
}

func readSource(s *node) (*Source, error) {
	kinds := map[string]string{"textsource": KindText, "pdfsource": KindPDF, "picturesource": KindPicture,
		"audiosource": KindAudio, "videosource": KindVideo}
	kind, ok := kinds[strings.ToLower(s.name)]
	if !ok {
		return nil, nil
	}
	src := &Source{Kind: kind, GUID: CanonGUID(s.attr("guid")), Name: s.attr("name"),
		PlainTextPath: s.attr("plainTextPath"), RichTextPath: s.attr("richTextPath"), Path: s.attr("path"),
		Description: s.childText("Description"), Codings: readCodings(s), NoteRefs: refs(s, "NoteRef"),
		Values: readValues(s), CreatingUser: CanonGUID(s.attr("creatingUser")), Created: ParseTime(s.attr("creationDateTime")),
		Line: s.line}
	if c := s.first("PlainTextContent"); c != nil {
		src.Content, src.HasContent = c.text.String(), true
	}
	if kind == KindPDF {
		// A PDF's text selections refer to its plain-text Representation.
		if r := s.first("Representation"); r != nil {
			src.PlainTextPath = r.attr("plainTextPath")
			if c := r.first("PlainTextContent"); c != nil {
				src.Content, src.HasContent = c.text.String(), true
			}
		}
	}
	for _, c := range s.children {
		switch strings.ToLower(c.name) {
		case "plaintextselection":
			sel := Selection{GUID: CanonGUID(c.attr("guid")), Name: c.attr("name"), Description: c.childText("Description"),
				Codings: readCodings(c), NoteRefs: refs(c, "NoteRef"), CreatingUser: CanonGUID(c.attr("creatingUser")),
				Created: ParseTime(c.attr("creationDateTime")), Line: c.line}
			var err error
			if sel.Start, err = strconv.Atoi(c.attr("startPosition")); err != nil {
				return nil, invalid("line %d: selection %s has startPosition %q, not a whole number", c.line, sel.GUID, c.attr("startPosition"))
			}
			if sel.End, err = strconv.Atoi(c.attr("endPosition")); err != nil {
				return nil, invalid("line %d: selection %s has endPosition %q, not a whole number", c.line, sel.GUID, c.attr("endPosition"))
			}
			src.Selections = append(src.Selections, sel)
		case "pictureselection", "pdfselection", "audioselection", "videoselection", "transcriptselection":
			src.OtherSelections++
		case "transcript":
			src.OtherSelections += len(c.all("TranscriptSelection"))
		}
	}
	return src, nil
}

// Codebook is the content of a .qdc file.
type Codebook struct {
	Origin string
	Codes  []*Code
	Sets   []Set
}

// ReadCodebook parses a .qdc codebook (any namespace variant; an empty
// <Sets/> as Taguette writes it is accepted).
func ReadCodebook(data []byte) (*Codebook, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, invalid("the codebook is not readable XML: %v", err)
	}
	switch strings.ToLower(root.name) {
	case "codebook":
	case "project":
		// A project file holds a codebook too.
		cb := &Codebook{Origin: root.attr("origin")}
		if c := root.first("CodeBook"); c != nil {
			if cs := c.first("Codes"); cs != nil {
				cb.Codes = readCodes(cs)
			}
		}
		return cb, nil
	default:
		return nil, invalid("the codebook's root element is <%s>, not <CodeBook>", root.name)
	}
	cb := &Codebook{Origin: root.attr("origin")}
	if cs := root.first("Codes"); cs != nil {
		cb.Codes = readCodes(cs)
	}
	if ss := root.first("Sets"); ss != nil {
		for _, s := range ss.all("Set") {
			cb.Sets = append(cb.Sets, Set{GUID: CanonGUID(s.attr("guid")), Name: s.attr("name"),
				Description: s.childText("Description"), Codes: refs(s, "MemberCode")})
		}
	}
	return cb, nil
}
