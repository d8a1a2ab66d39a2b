package samples_test

import (
	"path"
	"testing"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/transcript"
	"github.com/tacit-qda/tacit/samples"
)

// TestImportWithTranscriptParser runs the study through the real transcript
// parser, as `tacit demo` does: every file parses in the format its
// extension promises, without warnings, into turns of an interviewer and an
// interviewee whose role matches the manifest, and every quote of
// codings.json is found exactly once, inside one turn.
func TestImportWithTranscriptParser(t *testing.T) {
	m, err := samples.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	roles, err := samples.Roles()
	if err != nil {
		t.Fatal(err)
	}
	rm := coding.RoleMap{Project: map[string]string{}}
	for k, v := range roles {
		rm.Project[coding.NormSpeaker(k)] = v
	}
	wantFormat := map[string]string{
		".txt": transcript.FormatText, ".md": transcript.FormatMarkdown,
		".vtt": transcript.FormatVTT, ".srt": transcript.FormatSRT, ".docx": transcript.FormatDOCX,
	}
	docs := map[string]*coding.Document{}
	texts := map[string]string{}
	for i, e := range m {
		b, err := samples.ReadFile(e.File)
		if err != nil {
			t.Fatal(err)
		}
		res, err := transcript.Parse(e.File, b, transcript.Options{})
		if err != nil {
			t.Errorf("%s: %v", e.File, err)
			continue
		}
		if want := wantFormat[path.Ext(e.File)]; res.Format != want {
			t.Errorf("%s: parsed as %s, want %s", e.File, res.Format, want)
		}
		if len(res.Warnings) > 0 {
			t.Errorf("%s: warnings %q", e.File, res.Warnings)
		}
		doc := &coding.Document{ID: uint64(i + 1), Name: e.File, Turns: res.Turns, Attrs: e.Attributes}
		docs[e.File], texts[e.File] = doc, res.Text
		byRole := map[string]int{}
		for _, tr := range res.Turns {
			if tr.Header {
				continue // the title above the first turn
			}
			if tr.Speaker == "" {
				t.Errorf("%s: turn %d has no speaker", e.File, tr.Index)
			}
			byRole[rm.Role(doc, tr.Speaker)]++
		}
		if byRole["interviewer"] < 5 || byRole[e.Attributes["role"]] < 5 || len(byRole) != 2 {
			t.Errorf("%s: turns by role %v, want interviewer and %s only", e.File, byRole, e.Attributes["role"])
		}
	}
	codings, err := samples.Codings()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codings {
		doc := docs[c.File]
		if doc == nil {
			continue // reported above or by TestCodings
		}
		s, err := coding.FindQuote(doc, texts[c.File], c.Quote)
		if err != nil {
			t.Errorf("%s (%s): %v", c.File, c.Coder, err)
			continue
		}
		if ti := doc.TurnAt(s.Start); ti < 0 || doc.TurnAt(s.End-1) != ti {
			t.Errorf("%s: quote %.40q is not inside one turn", c.File, c.Quote)
		}
	}
}
