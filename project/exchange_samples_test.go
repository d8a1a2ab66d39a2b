package project

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/store"
)

// TestImportREFISamples imports every real sample of
// ../shared/corpora/refi/samples into an empty project and checks the
// counts SOURCES.md states, that every source is either imported or listed
// with its reason, and that the project checks clean.
func TestImportREFISamples(t *testing.T) {
	dir := filepath.Join(corporaDir(t), "refi", "samples")
	for _, tc := range []struct {
		file                 string
		docs, codes, codings int
		skippedSources       int
		coded                string // a passage some coding must hold exactly
	}{
		{"nvivo-win-12.6_oltas0517.qdpx", 2, 152, 303, 0, "Picsába az erős immunrendszerrel!"},
		{"nvivo-mac-12.7_OltasSzkepticizmus_17June.qdpx", 2, 152, 297, 0, ""},
		{"nvivo-mac-15.0_nvivo_project.qdpx", 0, 262, 0, 2, ""},
		{"maxqda-24.7_ICLS_Conf_Themes_ALL_just10.qdpx", 10, 307, 0, 0, ""},
		{"atlasti-win-23.2.3_blank-atlas-project.qdpx", 0, 0, 0, 0, ""},
		{"atlasti-win-23.2.3_target-atlas-project.qdpx", 0, 3, 0, 0, ""},
		{"qc-1.3.2_demo.qdpx", 2, 262, 205, 0, ""},
		{"atlasti-mac-8.4_spec-example2_Project.qde", 0, 14, 0, 12, ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p := newProject(t)
			rep, err := p.ImportExchange(context.Background(), ImportExchangeRequest{File: filepath.Join(dir, tc.file)})
			if err != nil {
				t.Fatal(err)
			}
			i := rep.Imported
			if i.Documents != tc.docs || i.Codes != tc.codes || i.Codings != tc.codings {
				t.Errorf("imported %d documents, %d codes, %d codings; want %d, %d, %d", i.Documents, i.Codes, i.Codings, tc.docs, tc.codes, tc.codings)
			}
			skipped := 0
			for _, s := range rep.Sources {
				switch s.Status {
				case "imported":
				case "skipped":
					skipped++
					if s.Reason == "" {
						t.Errorf("source %s skipped without a reason", s.Name)
					}
				default:
					t.Errorf("source %s has status %q", s.Name, s.Status)
				}
			}
			if skipped != tc.skippedSources {
				t.Errorf("%d sources skipped, want %d", skipped, tc.skippedSources)
			}
			if probs := checkProblems(t, p); len(probs) > 0 {
				t.Errorf("check: %v", probs)
			}
			if tc.coded != "" {
				found := false
				v := viewOf(t, p)
				for _, c := range v.Codings {
					if strings.Contains(c, "|"+tc.coded+"|") {
						found = true
					}
				}
				if !found {
					t.Errorf("no coding holds exactly %q", tc.coded)
				}
			}
			// Word boundaries under the detected unit (the probe's measure).
			for _, s := range rep.Sources {
				if s.Selections > 0 {
					t.Logf("%s: %d selections, %s, boundaries %s", s.Name, s.Selections, s.Positions, s.Boundaries)
				}
			}
			var n int
			p.Store.View(func(tx *store.Tx) error { n = int(tx.Revision()); return nil })
			if n == 0 && tc.codes+tc.docs > 0 {
				t.Error("nothing was written")
			}
		})
	}
}
