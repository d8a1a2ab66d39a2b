package transcript

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const corpusDir = "../../../shared/corpora/transcripts"

// TestCorpus parses every transcript-looking file of the shared corpus
// (real files written by others; skipped when absent) and checks the
// invariants plus what each kind of file must yield.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	var files []string
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && IsTranscriptFile(p) && filepath.Base(p) != "SOURCES.md" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("found only %d transcript files in %s", len(files), corpusDir)
	}
	var report []string
	for _, p := range files {
		rel, _ := filepath.Rel(corpusDir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Parse(p, data, Options{})
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		if err := checkResult(r); err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		sc := speakerCounts(r)
		var names []string
		for k := range sc {
			if k != "" {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		var parts []string
		for _, k := range names {
			parts = append(parts, fmt.Sprintf("%s×%d", k, sc[k]))
		}
		if sc[""] > 0 {
			parts = append(parts, fmt.Sprintf("(none)×%d", sc[""]))
		}
		report = append(report, fmt.Sprintf("%-75s %-8s %-9s turns=%-4d speakers=%d  %s", rel, r.Format, r.Encoding, len(r.Turns), len(names), strings.Join(parts, ", ")))
		if len(r.Turns) == 0 {
			t.Errorf("%s: no turns", rel)
		}
		for _, exp := range corpusExpect {
			if !strings.Contains(rel, exp.file) {
				continue
			}
			for _, sp := range exp.speakers {
				if sc[sp] == 0 {
					t.Errorf("%s: speaker %q missing; got %v", rel, sp, parts)
				}
			}
			if exp.nSpeakers > 0 && len(names) != exp.nSpeakers {
				t.Errorf("%s: %d speakers %v, want %d", rel, len(names), names, exp.nSpeakers)
			}
			if exp.maxUnlabelled >= 0 && sc[""] > exp.maxUnlabelled {
				t.Errorf("%s: %d turns without speaker, want at most %d", rel, sc[""], exp.maxUnlabelled)
			}
			if exp.timed && !r.Turns[0].HasTime {
				t.Errorf("%s: first turn has no time", rel)
			}
			if exp.cuesAreTurns {
				if n := strings.Count(string(data), "-->"); n != len(r.Turns) {
					t.Errorf("%s: %d turns for %d cues (no speakers: one turn per cue)", rel, len(r.Turns), n)
				}
			}
			if exp.encoding != "" && r.Encoding != exp.encoding {
				t.Errorf("%s: encoding %q, want %q", rel, r.Encoding, exp.encoding)
			}
		}
		for _, tn := range r.Turns {
			if strings.Contains(strings.ToLower(tn.Speaker), "transcribed by") {
				t.Errorf("%s: boilerplate became a speaker: %q", rel, tn.Speaker)
			}
		}
	}
	t.Logf("corpus results:\n%s", strings.Join(report, "\n"))
}

type corpusCase struct {
	file          string
	speakers      []string
	nSpeakers     int // 0 = any
	maxUnlabelled int // -1 = any
	timed         bool
	encoding      string
	cuesAreTurns  bool
}

var corpusExpect = []corpusCase{
	{file: "62-security.md", speakers: []string{"Emma", "Kelly", "Unknown Speaker", "Tailor"}, maxUnlabelled: 0, timed: true},
	{file: "53-accessibility.md", speakers: []string{"Emma", "Unknown Speaker"}, maxUnlabelled: 0, timed: true},
	{file: "Interview 10.txt", speakers: []string{"interviewer", "interviewee"}, nSpeakers: 2, maxUnlabelled: 0},
	{file: "Interview 2.txt", speakers: []string{"Interviewer1", "Interviewee1"}, maxUnlabelled: 0},
	{file: "Interview 4.txt", speakers: []string{"Interviewer 1", "Interviewee"}, maxUnlabelled: 0},
	{file: "Interview 17.txt", speakers: []string{"Interviewer 1", "Interviewee"}, maxUnlabelled: 0},
	{file: "Interview 23.txt", speakers: []string{"Interviewer 1", "Interviewee"}, maxUnlabelled: 0},
	{file: "Interview 30.txt", speakers: []string{"Interviewer 1", "Interviewee"}, maxUnlabelled: 0},
	{file: "Interview 32 - PO.txt", speakers: []string{"Interviewer 1", "Interviewee"}, maxUnlabelled: 0},
	{file: "Interview 40.txt", speakers: []string{"Interviewer 1", "Interviewee"}, maxUnlabelled: 0},
	{file: "the-changelog-300.md", speakers: []string{"Jerod Santo", "Zed Shaw", "Adam Stacoviak"}, maxUnlabelled: 0},
	{file: "the-changelog-672.md", speakers: []string{"Adam Stacoviak", "Sid Sijbrandij"}, maxUnlabelled: 0},
	{file: "brain-science-10.md", speakers: []string{"Mireille B. Reece, Psy.D"}, maxUnlabelled: 0},
	{file: "founders-talk-60.md", maxUnlabelled: 0},
	{file: "Evaluation INT 1", speakers: []string{"Interviewer", "Business Process Manager"}, nSpeakers: 2, maxUnlabelled: 0},
	{file: "Validation Interview", speakers: []string{"Interviewer", "Business Application Manager"}, nSpeakers: 2, maxUnlabelled: 0},
	{file: "derived-text/P1.txt", speakers: []string{"Dan", "Participant"}, maxUnlabelled: 0},
	{file: "derived-text/P4.txt", speakers: []string{"Dan"}, maxUnlabelled: 0},
	{file: "transcript.txt", speakers: []string{"id1", "id2", "id3"}, maxUnlabelled: 0},
	{file: "100-guido-van-rossum.txt", nSpeakers: 0, maxUnlabelled: -1, timed: true},
	{file: "100-guido-van-rossum.vtt", maxUnlabelled: -1, timed: true, cuesAreTurns: true},
	{file: ".English.srt", maxUnlabelled: -1, timed: true, cuesAreTurns: true},
	{file: ".YugtunEnglish.srt", maxUnlabelled: -1, timed: true, cuesAreTurns: true},
	{file: "0644j37r.English.srt", maxUnlabelled: -1, timed: true, encoding: "utf-8"},
	{file: "0644j37r.Yupik.srt", maxUnlabelled: -1, timed: true, encoding: "utf-8-bom"},
	{file: "P1_GMT20211118.odt", maxUnlabelled: -1},
	{file: "ID2.odt", maxUnlabelled: -1},
	{file: "ID1.docx", maxUnlabelled: -1},
}
