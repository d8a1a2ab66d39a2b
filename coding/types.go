package coding

import (
	"time"
)

// Turn is one speaker's utterance inside a document. Start and End are the
// code-point offsets of the spoken text (the speaker label excluded) in the
// document's normalised text. TimeStart and TimeEnd are known only when
// HasTime is true (caption cues, timestamped transcripts). Header marks
// the unit made of the text before the first spoken turn (a title, a front
// matter, a first paragraph that is not speech): it has no speaker, and it
// is turn 0 so that it is searched, shown and coded like every turn.
type Turn struct {
	Index     int           `json:"index"`
	Speaker   string        `json:"speaker"`
	Start     int           `json:"start"`
	End       int           `json:"end"`
	HasTime   bool          `json:"has_time,omitempty"`
	TimeStart time.Duration `json:"time_start,omitempty"`
	TimeEnd   time.Duration `json:"time_end,omitempty"`
	Header    bool          `json:"header,omitempty"`
}

// Document is one imported transcript. Its Text never changes after import.
type Document struct {
	ID         uint64            `json:"id"`
	Name       string            `json:"name"`
	CaseID     uint64            `json:"case_id,omitempty"`
	Format     string            `json:"format"`
	Encoding   string            `json:"encoding"`
	Lang       string            `json:"lang,omitempty"`
	SourcePath string            `json:"source_path,omitempty"`
	SourceHash string            `json:"source_hash"`
	Chars      int               `json:"chars"`
	Attrs      map[string]string `json:"attributes,omitempty"`
	Turns      []Turn            `json:"turns"`
	Warnings   []string          `json:"warnings,omitempty"`
	ImportedAt time.Time         `json:"imported_at"`
	ImportedBy string            `json:"imported_by,omitempty"`
}

// Speakers returns the distinct speaker labels of the document's turns in
// order of first appearance; turns without a speaker are not listed.
func (d *Document) Speakers() []string {
	seen := map[string]bool{}
	out := []string{}
	for _, t := range d.Turns {
		if t.Speaker == "" || seen[t.Speaker] {
			continue
		}
		seen[t.Speaker] = true
		out = append(out, t.Speaker)
	}
	return out
}

// TurnAt returns the index of the turn whose span contains offset pos, or -1.
// Turns are sorted by Start and do not overlap.
func (d *Document) TurnAt(pos int) int {
	lo, hi := 0, len(d.Turns)
	for lo < hi {
		m := (lo + hi) / 2
		if d.Turns[m].End <= pos {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(d.Turns) && d.Turns[lo].Start <= pos && pos < d.Turns[lo].End {
		return lo
	}
	return -1
}

// Case is a story: a named group of documents with attributes.
type Case struct {
	ID        uint64            `json:"id"`
	Name      string            `json:"name"`
	Attrs     map[string]string `json:"attributes,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
}

// Code is one entry of the codebook tree. ParentID 0 means a top-level code.
type Code struct {
	ID          uint64    `json:"id"`
	GUID        string    `json:"guid"`
	Name        string    `json:"name"`
	ParentID    uint64    `json:"parent,omitempty"`
	Description string    `json:"description,omitempty"`
	Color       string    `json:"color,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Origins of a coding.
const (
	OriginManual = "manual"
	OriginAuto   = "auto"
	OriginImport = "import"
)

// Coding is a code applied to [Start,End) of one document by one coder.
// Group ties codings made by one operation (an autocode run) so that they can
// be undone together; Query records the search that produced an auto coding.
type Coding struct {
	ID        uint64    `json:"id"`
	DocID     uint64    `json:"doc"`
	CodeID    uint64    `json:"code"`
	Start     int       `json:"start"`
	End       int       `json:"end"`
	Coder     string    `json:"coder"`
	Origin    string    `json:"origin"`
	Group     uint64    `json:"group,omitempty"`
	Query     string    `json:"query,omitempty"`
	Memo      string    `json:"memo,omitempty"`
	Key       bool      `json:"key,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Memo targets.
const (
	MemoProject = "project"
	MemoCase    = "case"
	MemoDoc     = "doc"
	MemoCode    = "code"
	MemoCoding  = "coding"
)

// Memo is free text attached to the project, a case, a document, a code or a
// coding. TargetID is 0 for the project.
type Memo struct {
	ID        uint64    `json:"id"`
	Target    string    `json:"target"`
	TargetID  uint64    `json:"target_id,omitempty"`
	Title     string    `json:"title,omitempty"`
	Text      string    `json:"text"`
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Event is one entry of the append-only audit log. Undo holds what is needed
// to revert the change, when that is possible; it is opaque to readers.
type Event struct {
	ID      uint64    `json:"id"`
	Time    time.Time `json:"time"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Target  string    `json:"target,omitempty"`
	Summary string    `json:"summary"`
	Undo    []byte    `json:"undo,omitempty"`
	Undone  bool      `json:"undone,omitempty"`
}

// RoleMap maps speakers to roles: project-wide, and per document where a
// label means someone else in another interview.
type RoleMap struct {
	Project map[string]string            `json:"project"`
	PerDoc  map[uint64]map[string]string `json:"per_doc"`
}

// TurnRole returns the role of turn t of document doc: none for the header
// unit (the text before the first spoken turn), else Role of its speaker.
func (r RoleMap) TurnRole(doc *Document, t Turn) string {
	if t.Header {
		return ""
	}
	return r.Role(doc, t.Speaker)
}

// Role returns the role of speaker in document doc: the per-document mapping,
// else the project mapping (speaker labels compared case-insensitively), else
// interviewer for a label that names the interviewer (Interviewer, Q,
// Moderator, מראיינת, المحاور, ...) or the speaker the document's
// "interviewer" attribute names, else the document's "role" attribute,
// which describes the interviewee(s), else "".
func (r RoleMap) Role(doc *Document, speaker string) string {
	if speaker != "" {
		key := NormSpeaker(speaker)
		if m := r.PerDoc[doc.ID]; m != nil {
			if role, ok := m[key]; ok {
				return role
			}
		}
		if role, ok := r.Project[key]; ok {
			return role
		}
		if IsInterviewer(doc, speaker) {
			return RoleInterviewer
		}
	}
	return doc.Attrs["role"]
}
