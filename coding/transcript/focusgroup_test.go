package transcript

import (
	"archive/zip"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// focusGroup writes a meeting of a moderator and n numbered speakers whose
// labels are prefix+number; each speaks once or twice, in a seeded order,
// so that most labels occur only once, and labels open about half of the
// paragraphs.
func focusGroup(prefix string, n int) string {
	r := rand.New(rand.NewSource(int64(n)))
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "Moderator: Thank you. Who would like to go next?\n\n")
		fmt.Fprintf(&b, "%s%d: I have lived in the district for %d years and the buses changed everything.\n\n", prefix, i, 1+r.Intn(30))
		// a second paragraph of the same turn, so that labels open only
		// about half of the paragraphs
		fmt.Fprintf(&b, "The evening ones most of all.\n\nAnd the weekend.\n\n")
		if r.Intn(3) == 0 {
			fmt.Fprintf(&b, "%s%d: And one more thing, about the evenings.\n\n", prefix, 1+r.Intn(i))
		}
	}
	return b.String()
}

func speakerSet(res *Result) map[string]int {
	m := map[string]int{}
	for _, t := range spoken(res) {
		m[t.Speaker]++
	}
	return m
}

func TestFocusGroupNumberedLabels(t *testing.T) {
	for _, prefix := range []string{"Speaker ", "Participant ", "P", "Respondent ", "SPEAKER_"} {
		t.Run(strings.TrimSpace(prefix), func(t *testing.T) {
			res, err := Parse("group.txt", []byte(focusGroup(prefix, 60)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := speakerSet(res)
			if len(got) != 61 {
				t.Fatalf("%d speakers, want 61 (Moderator and 60 numbered); warnings: %v", len(got), res.Warnings)
			}
			for i := 1; i <= 60; i++ {
				if got[fmt.Sprintf("%s%d", prefix, i)] == 0 {
					t.Errorf("no turn of %s%d", prefix, i)
				}
			}
			if got[""] != 0 {
				t.Errorf("%d turns without speaker", got[""])
			}
		})
	}
}

// TestSpeakersForced: --speakers colon takes every colon label although the
// statistics would not, and the warning of a failed detection says why and
// how to force it.
func TestSpeakersForced(t *testing.T) {
	// Forty-five different names, each twice, in a file where they open only
	// a minority of the paragraphs: too many for the detector.
	var b strings.Builder
	for i := 0; i < 45; i++ {
		name := fmt.Sprintf("Name%c%c", 'A'+i%26, 'a'+i/26)
		fmt.Fprintf(&b, "%s: We spoke about the plan.\n\nThe plan was long.\n\nIt had many parts.\n\n%s: Then we agreed.\n\nNobody objected.\n\nIt was late.\n\n", name, name)
	}
	data := []byte(b.String())
	res, err := Parse("meeting.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := speakerSet(res); len(got) != 1 || got[""] == 0 {
		t.Fatalf("auto-detection took speakers %v; this file was meant to fail detection", got)
	}
	w := strings.Join(res.Warnings, "\n")
	for _, want := range []string{"were not taken because", "45 distinct labels", "--speakers colon"} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q does not say %q", w, want)
		}
	}
	res, err = Parse("meeting.txt", data, Options{Speakers: "colon"})
	if err != nil {
		t.Fatal(err)
	}
	if got := speakerSet(res); len(got) != 45 {
		t.Errorf("--speakers colon: %d speakers, want 45; warnings %v", len(got), res.Warnings)
	}
	res, err = Parse("meeting.txt", []byte(focusGroup("Speaker ", 5)), Options{Speakers: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if got := speakerSet(res); len(got) != 1 || got[""] == 0 {
		t.Errorf("--speakers none: speakers %v", got)
	}
	if _, err := Parse("meeting.txt", data, Options{Speakers: "colons"}); err == nil || !strings.Contains(err.Error(), "colon, bold") {
		t.Errorf("unknown layout: err = %v", err)
	}
}

// TestBoard2017 imports the focus-group transcript of qc's demo project
// (Moderator and Speaker 1 ... Speaker 40, most once): every label is a
// speaker. Skips when the shared corpora are absent.
func TestBoard2017(t *testing.T) {
	path := sharedCorpus(filepath.Join("refi", "samples", "qc-1.3.2_demo.qdpx"))
	zr, err := zip.OpenReader(path)
	if err != nil {
		if os.IsNotExist(err) {
			t.Skip("shared corpora absent: ", path)
		}
		t.Fatal(err)
	}
	defer zr.Close()
	var data []byte
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "board_2017.txt") {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, err = io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if data == nil {
		t.Skip("no board_2017.txt in ", path)
	}
	res, err := Parse("board_2017.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := speakerSet(res)
	if got[""] != 0 || got["Moderator"] == 0 {
		t.Fatalf("speakers %v, warnings %v", got, res.Warnings)
	}
	numbered := 0
	for s := range got {
		if strings.HasPrefix(s, "Speaker ") {
			numbered++
		}
	}
	if numbered < 20 || len(got) < 40 {
		t.Errorf("%d speakers, %d of them numbered; want every label of the file: %v", len(got), numbered, got)
	}
}

// sharedCorpus finds rel under shared/corpora beside the repository (a
// folder up from the checkout, or two from a worktree under wt/).
func sharedCorpus(rel string) string {
	dir, _ := filepath.Abs(".")
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "shared", "corpora", rel)
		if _, err := os.Stat(p); err == nil || filepath.Dir(d) == d {
			return p
		}
	}
}
