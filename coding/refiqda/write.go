package refiqda

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
	"time"
)

// Namespaces written (the only ones Project-mrt2019.xsd and Codebook.xsd
// accept).
const (
	ProjectNS  = "urn:QDA-XML:project:1.0"
	CodebookNS = "urn:QDA-XML:codebook:1.0"
)

type xw struct {
	w   *bufio.Writer
	err error
}

func (x *xw) s(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *xw) esc(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(s))
	}
}

// attr writes ` name="value"`, nothing when value is empty and !always.
func (x *xw) attr(name, value string, always bool) {
	if value == "" && !always {
		return
	}
	x.s(" " + name + `="`)
	x.esc(value)
	x.s(`"`)
}

func (x *xw) timeAttr(name string, t time.Time) {
	if !t.IsZero() {
		x.attr(name, FormatTime(t), true)
	}
}

// elem writes <name>text</name> when text is not empty.
func (x *xw) elem(indent, name, text string) {
	if text == "" {
		return
	}
	x.s(indent + "<" + name + ">")
	x.esc(text)
	x.s("</" + name + ">\n")
}

// open ends a start tag whose attributes are written: as an empty
// element when empty (and returns false: nothing more to write), else with
// ">" (and returns true: the caller writes the children and the end tag).
func (x *xw) open(empty bool) bool {
	if empty {
		x.s("/>\n")
		return false
	}
	x.s(">\n")
	return true
}

func (x *xw) refs(indent, name string, guids []string) {
	for _, g := range guids {
		x.s(indent + "<" + name)
		x.attr("targetGUID", g, true)
		x.s("/>\n")
	}
}

// FormatTime writes a time as the samples do: UTC, seconds, "Z".
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// WriteProject writes p as a project.qde with children in schema order.
// Only text sources are written; their selections' positions are written
// as they are (the caller converts them to the unit it wants).
func WriteProject(w io.Writer, p *Project) error {
	x := &xw{w: bufio.NewWriterSize(w, 1<<16)}
	x.s(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	x.s(`<Project xmlns="` + ProjectNS + `" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`)
	x.s(` xsi:schemaLocation="` + ProjectNS + ` http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"`)
	name := p.Name
	if name == "" {
		name = "tacit project"
	}
	x.attr("name", name, true)
	x.attr("origin", p.Origin, false)
	x.attr("creatingUserGUID", p.CreatingUser, false)
	x.timeAttr("creationDateTime", p.Created)
	x.s(">\n")
	section(x, "Users", p.Users, func(u User) {
		x.s("    <User")
		x.attr("guid", u.GUID, true)
		x.attr("name", u.Name, false)
		x.s("/>\n")
	})
	if len(p.Codes) > 0 {
		x.s("  <CodeBook>\n    <Codes>\n")
		writeCodes(x, "      ", p.Codes, true)
		x.s("    </Codes>\n  </CodeBook>\n")
	}
	section(x, "Variables", p.Variables, func(v Variable) {
		x.s("    <Variable")
		x.attr("guid", v.GUID, true)
		x.attr("name", v.Name, true)
		typ := v.Type
		if typ == "" {
			typ = "Text"
		}
		x.attr("typeOfVariable", typ, true)
		if x.open(v.Description == "") {
			x.elem("      ", "Description", v.Description)
			x.s("    </Variable>\n")
		}
	})
	section(x, "Cases", p.Cases, func(c Case) {
		x.s("    <Case")
		x.attr("guid", c.GUID, true)
		x.attr("name", c.Name, false)
		x.s(">\n")
		x.elem("      ", "Description", c.Description)
		x.refs("      ", "CodeRef", c.CodeRefs)
		writeValues(x, "      ", c.Values)
		x.refs("      ", "SourceRef", c.SourceRefs)
		x.refs("      ", "SelectionRef", c.Selections)
		x.s("    </Case>\n")
	})
	section(x, "Sources", p.Sources, func(s *Source) {
		if s.Kind != KindText && s.Kind != "" {
			return
		}
		x.s("    <TextSource")
		x.attr("guid", s.GUID, true)
		x.attr("name", s.Name, false)
		x.attr("richTextPath", s.RichTextPath, false)
		if !s.HasContent {
			x.attr("plainTextPath", s.PlainTextPath, false)
		}
		x.attr("creatingUser", s.CreatingUser, false)
		x.timeAttr("creationDateTime", s.Created)
		x.s(">\n")
		x.elem("      ", "Description", s.Description)
		if s.HasContent {
			x.s("      <PlainTextContent>")
			x.esc(s.Content)
			x.s("</PlainTextContent>\n")
		}
		for _, sel := range s.Selections {
			x.s("      <PlainTextSelection")
			x.attr("guid", sel.GUID, true)
			x.attr("name", sel.Name, false)
			x.attr("startPosition", strconv.Itoa(sel.Start), true)
			x.attr("endPosition", strconv.Itoa(sel.End), true)
			x.attr("creatingUser", sel.CreatingUser, false)
			x.timeAttr("creationDateTime", sel.Created)
			x.s(">\n")
			x.elem("        ", "Description", sel.Description)
			writeCodings(x, "        ", sel.Codings)
			x.refs("        ", "NoteRef", sel.NoteRefs)
			x.s("      </PlainTextSelection>\n")
		}
		writeCodings(x, "      ", s.Codings)
		x.refs("      ", "NoteRef", s.NoteRefs)
		writeValues(x, "      ", s.Values)
		x.s("    </TextSource>\n")
	})
	section(x, "Notes", p.Notes, func(n Note) {
		x.s("    <Note")
		x.attr("guid", n.GUID, true)
		x.attr("name", n.Name, false)
		x.attr("creatingUser", n.CreatingUser, false)
		x.timeAttr("creationDateTime", n.Created)
		x.s(">\n      <PlainTextContent>")
		x.esc(n.Text)
		x.s("</PlainTextContent>\n    </Note>\n")
	})
	section(x, "Links", p.Links, func(l Link) {
		x.s("    <Link")
		x.attr("guid", l.GUID, true)
		x.attr("name", l.Name, false)
		x.attr("direction", l.Direction, false)
		x.attr("originGUID", l.Origin, false)
		x.attr("targetGUID", l.Target, false)
		if x.open(len(l.NoteRefs) == 0) {
			x.refs("      ", "NoteRef", l.NoteRefs)
			x.s("    </Link>\n")
		}
	})
	section(x, "Sets", p.Sets, func(st Set) {
		x.s("    <Set")
		x.attr("guid", st.GUID, true)
		x.attr("name", st.Name, true)
		x.s(">\n")
		x.elem("      ", "Description", st.Description)
		x.refs("      ", "MemberCode", st.Codes)
		x.refs("      ", "MemberSource", st.Sources)
		x.refs("      ", "MemberNote", st.Notes)
		x.s("    </Set>\n")
	})
	x.elem("  ", "Description", p.Description)
	x.refs("  ", "NoteRef", p.NoteRefs)
	x.s("</Project>\n")
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}

// section writes <name>, then each item, then </name>, when there are
// items (an empty section is left out, as the schema allows).
func section[T any](x *xw, name string, items []T, each func(T)) {
	if len(items) == 0 {
		return
	}
	x.s("  <" + name + ">\n")
	for _, it := range items {
		each(it)
	}
	x.s("  </" + name + ">\n")
}

func writeCodes(x *xw, indent string, codes []*Code, noteRefs bool) {
	for _, c := range codes {
		x.s(indent + "<Code")
		x.attr("guid", c.GUID, true)
		x.attr("name", c.Name, true)
		x.attr("isCodable", boolStr(c.Codable), true)
		x.attr("color", c.Color, false)
		if !x.open(c.Description == "" && len(c.Children) == 0 && (!noteRefs || len(c.NoteRefs) == 0)) {
			continue
		}
		x.elem(indent+"  ", "Description", c.Description)
		if noteRefs {
			x.refs(indent+"  ", "NoteRef", c.NoteRefs)
		}
		writeCodes(x, indent+"  ", c.Children, noteRefs)
		x.s(indent + "</Code>\n")
	}
}

func writeCodings(x *xw, indent string, list []Coding) {
	for _, c := range list {
		x.s(indent + "<Coding")
		x.attr("guid", c.GUID, true)
		x.attr("creatingUser", c.CreatingUser, false)
		x.timeAttr("creationDateTime", c.Created)
		x.s(">\n" + indent + "  <CodeRef")
		x.attr("targetGUID", c.Code, true)
		x.s("/>\n")
		x.refs(indent+"  ", "NoteRef", c.NoteRefs)
		x.s(indent + "</Coding>\n")
	}
}

func writeValues(x *xw, indent string, vals []VariableValue) {
	for _, v := range vals {
		x.s(indent + "<VariableValue>\n" + indent + "  <VariableRef")
		x.attr("targetGUID", v.Variable, true)
		x.s("/>\n" + indent + "  <TextValue>")
		x.esc(v.Value)
		x.s("</TextValue>\n" + indent + "</VariableValue>\n")
	}
}

// WriteCodebook writes a .qdc. Sets are written only when there is at
// least one (an empty <Sets/> is invalid).
func WriteCodebook(w io.Writer, cb *Codebook) error {
	x := &xw{w: bufio.NewWriter(w)}
	x.s(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	x.s(`<CodeBook xmlns="` + CodebookNS + `" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`)
	x.s(` xsi:schemaLocation="` + CodebookNS + ` http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"`)
	x.attr("origin", cb.Origin, false)
	x.s(">\n  <Codes>\n")
	writeCodes(x, "    ", cb.Codes, false)
	x.s("  </Codes>\n")
	if len(cb.Sets) > 0 {
		x.s("  <Sets>\n")
		for _, st := range cb.Sets {
			x.s("    <Set")
			x.attr("guid", st.GUID, true)
			x.attr("name", st.Name, true)
			x.s(">\n")
			x.elem("      ", "Description", st.Description)
			for _, g := range st.Codes {
				x.s("      <MemberCode")
				x.attr("guid", g, true)
				x.s("/>\n")
			}
			x.s("    </Set>\n")
		}
		x.s("  </Sets>\n")
	}
	x.s("</CodeBook>\n")
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}
