package refiqda

import (
	"fmt"
	"strings"
)

// Lint checks what the XSD cannot: GUIDs are well formed and unique, every
// reference (CodeRef, SourceRef, NoteRef, VariableRef, set members, user
// GUIDs) points at something, selections are ordered and inside their text
// (given its length in the file's unit, when text is not nil), and each text
// source has exactly one of plainTextPath and PlainTextContent. It returns
// one line per problem.
func Lint(p *Project, textLen func(s *Source) (int, bool)) []string {
	var probs []string
	seen := map[string]string{}
	id := func(kind, g string) {
		if g == "" || !ValidGUID(g) {
			probs = append(probs, fmt.Sprintf("%s has GUID %q, which is not a GUID", kind, g))
			return
		}
		if other, ok := seen[g]; ok {
			probs = append(probs, fmt.Sprintf("%s and %s share the GUID %s", other, kind, g))
		}
		seen[g] = kind
	}
	users := map[string]bool{}
	for _, u := range p.Users {
		id("user "+u.Name, u.GUID)
		users[u.GUID] = true
	}
	codes := map[string]bool{}
	Walk(p.Codes, func(c *Code, path []string) {
		id("code "+strings.Join(path, "/"), c.GUID)
		codes[c.GUID] = true
		if c.Name == "" {
			probs = append(probs, fmt.Sprintf("code %s has no name", c.GUID))
		}
	})
	vars := map[string]bool{}
	for _, v := range p.Variables {
		id("variable "+v.Name, v.GUID)
		vars[v.GUID] = true
	}
	notes := map[string]bool{}
	for _, n := range p.Notes {
		id("note "+n.Name, n.GUID)
		notes[n.GUID] = true
	}
	sources := map[string]bool{}
	sels := map[string]bool{}
	for _, s := range p.Sources {
		id("source "+s.Name, s.GUID)
		sources[s.GUID] = true
		for _, sel := range s.Selections {
			id("selection "+sel.Name, sel.GUID)
			sels[sel.GUID] = true
		}
	}
	// ref reports each GUID in gs that set does not hold.
	ref := func(what string, set map[string]bool, gs ...string) {
		for _, g := range gs {
			if !set[g] {
				probs = append(probs, fmt.Sprintf("%s points to %s, which does not exist", what, g))
			}
		}
	}
	user := func(what, g string) {
		if g != "" && !users[g] {
			probs = append(probs, fmt.Sprintf("%s names creating user %s, who is not among the users", what, g))
		}
	}
	Walk(p.Codes, func(c *Code, path []string) {
		ref("code "+strings.Join(path, "/"), notes, c.NoteRefs...)
	})
	for _, c := range p.Cases {
		id("case "+c.Name, c.GUID)
		ref("case "+c.Name, sources, c.SourceRefs...)
		ref("case "+c.Name, sels, c.Selections...)
		for _, v := range c.Values {
			ref("a value of case "+c.Name, vars, v.Variable)
		}
	}
	ref("the project", notes, p.NoteRefs...)
	codings := func(what string, list []Coding) {
		for _, c := range list {
			id("coding in "+what, c.GUID)
			ref("a coding in "+what, codes, c.Code)
			user("a coding in "+what, c.CreatingUser)
			ref("a coding in "+what, notes, c.NoteRefs...)
		}
	}
	for _, s := range p.Sources {
		what := "source " + s.Name
		user(what, s.CreatingUser)
		if s.Kind == KindText {
			if s.HasContent == (s.PlainTextPath != "") {
				probs = append(probs, fmt.Sprintf("%s must have exactly one of plainTextPath and PlainTextContent", what))
			}
		}
		n, known := 0, false
		if textLen != nil {
			n, known = textLen(s)
		}
		for _, sel := range s.Selections {
			w := fmt.Sprintf("selection %d:%d of %s", sel.Start, sel.End, s.Name)
			if sel.Start < 0 || sel.End < sel.Start {
				probs = append(probs, w+" is not a range")
			} else if known && sel.End > n {
				probs = append(probs, fmt.Sprintf("%s ends after the text (%d long)", w, n))
			}
			user(w, sel.CreatingUser)
			codings(w, sel.Codings)
			ref(w, notes, sel.NoteRefs...)
		}
		codings(what, s.Codings)
		ref(what, notes, s.NoteRefs...)
		for _, v := range s.Values {
			ref("a value of "+what, vars, v.Variable)
		}
	}
	for _, st := range p.Sets {
		id("set "+st.Name, st.GUID)
		ref("set "+st.Name, codes, st.Codes...)
		ref("set "+st.Name, sources, st.Sources...)
		ref("set "+st.Name, notes, st.Notes...)
	}
	return probs
}
