package refiqda

import (
	"os"
	"path/filepath"
	"testing"
)

// samplesDir finds ../shared/corpora/refi/samples above the working
// directory (or $TACIT_CORPORA/refi/samples); tests skip without it.
func samplesDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("TACIT_CORPORA"); d != "" {
		return filepath.Join(d, "refi", "samples")
	}
	wd, _ := os.Getwd()
	for d := wd; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "shared", "corpora", "refi", "samples")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	t.Skip("shared corpora (refi samples) not present")
	return ""
}

func openSample(t *testing.T, name string) (*Archive, *Project) {
	t.Helper()
	path := filepath.Join(samplesDir(t), name)
	a, err := Open(path)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	p, err := ReadProject(a.QDE)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return a, p
}

// TestSamplesCounts reads every project sample and checks the numbers
// SOURCES.md states.
func TestSamplesCounts(t *testing.T) {
	for _, tc := range []struct {
		file string
		want Counts
	}{
		{"nvivo-win-12.6_oltas0517.qdpx", Counts{Codes: 152, Users: 2, Sources: 2, TextSources: 2, Selections: 303, Codings: 303}},
		{"nvivo-mac-12.7_OltasSzkepticizmus_17June.qdpx", Counts{Codes: -1, Users: -1, Sources: 2, TextSources: 2, Selections: 297, Codings: 297}},
		{"nvivo-mac-15.0_nvivo_project.qdpx", Counts{Codes: 262, Users: 2, Sources: 2, TextSources: 2}},
		{"maxqda-24.7_ICLS_Conf_Themes_ALL_just10.qdpx", Counts{Codes: 307, Users: -1, Sources: 10, TextSources: 10, Sets: 2}},
		{"atlasti-win-23.2.3_blank-atlas-project.qdpx", Counts{Users: -1}},
		{"atlasti-win-23.2.3_target-atlas-project.qdpx", Counts{Codes: -1, Users: -1}},
		{"qc-1.3.2_demo.qdpx", Counts{Codes: 262, Users: 1, Sources: 2, TextSources: 2, Selections: 158, Codings: -1}},
		{"atlasti-mac-8.4_spec-example2_Project.qde", Counts{Codes: -1, Users: -1, Sources: -1, TextSources: -1, Selections: -1, Codings: -1, Cases: -1, Variables: -1, Notes: -1, Sets: -1, Links: 1, OtherSelection: -1}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, p := openSample(t, tc.file)
			got := p.Count()
			t.Logf("%s (%s): %+v", tc.file, p.Origin, got)
			check := func(what string, g, w int) {
				if w >= 0 && g != w {
					t.Errorf("%s: %d, want %d", what, g, w)
				}
			}
			w := tc.want
			check("codes", got.Codes, w.Codes)
			check("users", got.Users, w.Users)
			check("sources", got.Sources, w.Sources)
			check("text sources", got.TextSources, w.TextSources)
			check("selections", got.Selections, w.Selections)
			check("codings", got.Codings, w.Codings)
			check("sets", got.Sets, w.Sets)
			check("links", got.Links, w.Links)
		})
	}
}

// TestNVivoPositionsOnWordBoundaries checks the unit detection on the two
// NVivo exports with emoji: UTF-16 must win, and at least 98% of the
// selection ends must then fall on word boundaries.
func TestNVivoPositionsOnWordBoundaries(t *testing.T) {
	for _, file := range []string{"nvivo-win-12.6_oltas0517.qdpx", "nvivo-mac-12.7_OltasSzkepticizmus_17June.qdpx"} {
		t.Run(file, func(t *testing.T) {
			a, p := openSample(t, file)
			hits, total := 0, 0
			for _, s := range p.Sources {
				data, err := a.Source(s.PlainTextPath)
				if err != nil {
					t.Fatal(err)
				}
				txt, err := NewText(data)
				if err != nil {
					t.Fatal(err)
				}
				if len(s.Selections) == 0 {
					continue
				}
				var sels []Sel
				for _, sel := range s.Selections {
					sels = append(sels, Sel{sel.Start, sel.End, sel.Name})
				}
				u, scores := txt.DetectUnit(sels)
				t.Logf("%s: %s; unit %s; scores %+v", s.Name, txt.Describe(), u, scores)
				if !u.UTF16 || u.CRLFOne {
					t.Errorf("%s: detected %s, want utf16 with CRLF as stored", s.Name, u)
				}
				sc := txt.Score(u, sels)
				hits += sc.Boundaries
				total += sc.Total
			}
			if float64(hits) < 0.98*float64(total) {
				t.Errorf("%d of %d selection ends on word boundaries, want >= 98%%", hits, total)
			}
			t.Logf("%d of %d selection ends on word boundaries", hits, total)
		})
	}
}

func TestCodebookSamples(t *testing.T) {
	dir := samplesDir(t)
	for _, tc := range []struct {
		file  string
		codes int
	}{
		{"atlasti-win-23.4.0_requal-test.qdc", -1},
		{"taguette-1.5.2_tests-expected.qdc", -1},
		{"spec-1.5_annexA-example1.qdc", -1},
	} {
		data, err := os.ReadFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		cb, err := ReadCodebook(data)
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		n := 0
		Walk(cb.Codes, func(*Code, []string) { n++ })
		t.Logf("%s: %d codes, %d sets", tc.file, n, len(cb.Sets))
		if n == 0 {
			t.Errorf("%s: no codes", tc.file)
		}
	}
}
