package project

import (
	"strconv"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/refiqda"
)

// tacit has neither sets of codes nor links between objects: an import
// writes a file's sets of codes or notes into a project memo "set NAME"
// each, and its links (other than those that attach a note) into the
// project memo "links" (see readREFI). An export reads those memos back
// and writes what they name as <Sets> and <Links>, so that a round trip
// (qdpx -> tacit -> qdpx) keeps them; a memo, or a line of the links
// memo, that names something the export does not hold (or that was
// edited out of that form) stays a note.

const (
	setMemoPrefix  = "set "
	linksMemoTitle = "links"
)

// linkArrows maps the arrows of the links memo to REFI-QDA directions.
var linkArrows = []struct{ arrow, direction string }{
	{"→", "OneWay"}, {"↔", "Bidirectional"}, {"—", "Associative"},
}

// structuralMemo reports whether m is a project memo an import made of
// sets or links.
func structuralMemo(m *coding.Memo) bool {
	return m.Target == coding.MemoProject && (m.Title == linksMemoTitle || strings.HasPrefix(m.Title, setMemoPrefix))
}

// exportRefs resolves what the import's memos name ("code PATH", "source
// NAME", `note "TITLE"`, "case NAME", `the passage "QUOTE" of NAME`) to
// the GUIDs an export writes.
type exportRefs struct {
	s          *snapshot
	g          func(kind string, id uint64) string
	docByName  map[string]*coding.Document
	caseByName map[string]uint64
	// noteByTitle is the memo written as a note with that title (0 when
	// two have it).
	noteByTitle map[string]uint64
	codingsOf   map[uint64][]coding.Coding
	// passages is, per document, the first coding (by position, then id,
	// as the export orders them) of each quoted text, made the first
	// time a link names a passage of that document.
	passages map[uint64]map[string]*coding.Coding
}

func newExportRefs(s *snapshot, g func(string, uint64) string, codingsOf map[uint64][]coding.Coding) *exportRefs {
	r := &exportRefs{s: s, g: g, docByName: map[string]*coding.Document{}, caseByName: map[string]uint64{},
		noteByTitle: map[string]uint64{}, codingsOf: codingsOf, passages: map[uint64]map[string]*coding.Coding{}}
	for _, d := range s.docs {
		r.docByName[d.Name] = d
	}
	for _, c := range s.cases {
		r.caseByName[c.Name] = c.ID
	}
	for _, m := range s.memos {
		if m.Target == coding.MemoCase || m.Title == "" || structuralMemo(m) {
			continue // not a note, or one that may become a set or links
		}
		if _, ok := r.noteByTitle[m.Title]; ok {
			r.noteByTitle[m.Title] = 0
		} else {
			r.noteByTitle[m.Title] = m.ID
		}
	}
	return r
}

// resolve returns the GUID of what desc names and its kind (code, source,
// note, case, selection).
func (r *exportRefs) resolve(desc string) (guid, kind string, ok bool) {
	switch {
	case strings.HasPrefix(desc, "code "):
		if c := r.s.cb.ByPath(strings.TrimPrefix(desc, "code ")); c != nil {
			return codeGUID(r.s.ns, c), "code", true
		}
	case strings.HasPrefix(desc, "source "):
		if d := r.docByName[strings.TrimPrefix(desc, "source ")]; d != nil {
			return r.g("doc", d.ID), "source", true
		}
	case strings.HasPrefix(desc, "case "):
		if id := r.caseByName[strings.TrimPrefix(desc, "case ")]; id != 0 {
			return r.g("case", id), "case", true
		}
	case strings.HasPrefix(desc, "note "):
		title, err := strconv.Unquote(strings.TrimPrefix(desc, "note "))
		if id := r.noteByTitle[title]; err == nil && id != 0 {
			return r.g("memo", id), "note", true
		}
	case strings.HasPrefix(desc, "the passage "):
		rest := strings.TrimPrefix(desc, "the passage ")
		q, err := strconv.QuotedPrefix(rest)
		if err != nil || !strings.HasPrefix(rest[len(q):], " of ") {
			return "", "", false
		}
		quote, _ := strconv.Unquote(q)
		d := r.docByName[rest[len(q)+len(" of "):]]
		if d == nil {
			return "", "", false
		}
		if best := r.passage(d.ID, quote); best != nil && r.s.cb.Code(best.CodeID) != nil {
			return r.g("selection", best.ID), "selection", true
		}
	}
	return "", "", false
}

// passage returns the first coding of document doc (by position, then
// id, as the export orders them) whose text is quote, reading the texts
// of the document's codings once for every link that names one.
func (r *exportRefs) passage(doc uint64, quote string) *coding.Coding {
	first, ok := r.passages[doc]
	if !ok {
		first = map[string]*coding.Coding{}
		off := coding.NewOffsets(r.s.texts[doc])
		for i := range r.codingsOf[doc] {
			c := &r.codingsOf[doc][i]
			q := clipName(off.Slice(c.Start, c.End), 60)
			if b := first[q]; b == nil || c.Start < b.Start || c.Start == b.Start && (c.End < b.End || c.End == b.End && c.ID < b.ID) {
				first[q] = c
			}
		}
		r.passages[doc] = first
	}
	return first[quote]
}

// setFromMemo reads a project memo "set NAME" (its description lines, then
// one "- MEMBER" line per member); ok is false when it is not in that form
// or names something the export does not hold.
func (r *exportRefs) setFromMemo(m *coding.Memo) (st refiqda.Set, ok bool) {
	st.Name = strings.TrimPrefix(m.Title, setMemoPrefix)
	if strings.TrimSpace(st.Name) == "" {
		return st, false
	}
	var desc []string
	members := false
	for _, line := range strings.Split(m.Text, "\n") {
		item, isItem := strings.CutPrefix(line, "- ")
		if !isItem {
			if members {
				return st, false // text after the members: edited, keep the memo
			}
			desc = append(desc, line)
			continue
		}
		members = true
		guid, kind, ok := r.resolve(item)
		switch {
		case !ok:
			return st, false
		case kind == "code":
			st.Codes = append(st.Codes, guid)
		case kind == "source":
			st.Sources = append(st.Sources, guid)
		case kind == "note" && guid != r.g("memo", m.ID):
			st.Notes = append(st.Notes, guid)
		default:
			return st, false
		}
	}
	if !members {
		return st, false
	}
	st.Description = strings.TrimSpace(strings.Join(desc, "\n"))
	return st, true
}

// linksFromMemo reads the project memo "links": a first line, then one
// "- NAME: ORIGIN ARROW TARGET" line per link. It returns the links it can
// write and the memo text still to write as a note ("" when every line
// became a link).
func (r *exportRefs) linksFromMemo(m *coding.Memo) ([]refiqda.Link, string) {
	lines := strings.Split(m.Text, "\n")
	var links []refiqda.Link
	var kept []string
	for i, line := range lines {
		if i == 0 {
			continue
		}
		if l, ok := r.parseLink(line); ok {
			l.GUID = stableGUID(r.s.ns, "link", strconv.FormatUint(m.ID, 10)+"\x00"+line)
			links = append(links, l)
			continue
		}
		kept = append(kept, line)
	}
	if len(links) == 0 {
		return nil, m.Text
	}
	if strings.TrimSpace(strings.Join(kept, "")) == "" {
		return links, ""
	}
	return links, strings.Join(append([]string{lines[0]}, kept...), "\n")
}

// parseLink reads "- NAME: ORIGIN ARROW TARGET", trying each ": " and each
// arrow until both ends resolve.
func (r *exportRefs) parseLink(line string) (refiqda.Link, bool) {
	body, ok := strings.CutPrefix(line, "- ")
	if !ok {
		return refiqda.Link{}, false
	}
	for i := strings.Index(body, ": "); i >= 0; {
		name, rest := body[:i], body[i+2:]
		for _, a := range linkArrows {
			sep := " " + a.arrow + " "
			for j := strings.Index(rest, sep); j >= 0; {
				from, fok := r.linkEnd(rest[:j])
				to, tok := r.linkEnd(rest[j+len(sep):])
				if fok && tok {
					return refiqda.Link{Name: name, Direction: a.direction, Origin: from, Target: to}, true
				}
				k := strings.Index(rest[j+1:], sep)
				if k < 0 {
					break
				}
				j += 1 + k
			}
		}
		k := strings.Index(body[i+1:], ": ")
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return refiqda.Link{}, false
}

func (r *exportRefs) linkEnd(desc string) (string, bool) {
	g, _, ok := r.resolve(desc)
	return g, ok
}
