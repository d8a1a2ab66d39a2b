package project

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// The values of ImportOptions.OnConflict.
const (
	ConflictWarn    = ""
	ConflictSkip    = "skip"
	ConflictNew     = "new"
	ConflictReplace = "replace"
)

func checkOnConflict(v string) error {
	switch v {
	case ConflictWarn, ConflictSkip, ConflictNew, ConflictReplace:
		return nil
	}
	return coding.Errorf(coding.EInvalid, "unknown choice %q for a file that conflicts with a document; use replace, new or skip", v)
}

// knownSources maps the source path of every document to its id, so that
// an import finds a file imported before from the same place.
func (p *Project) knownSources() (map[string]uint64, error) {
	known := map[string]uint64{}
	err := p.Store.View(func(tx *store.Tx) error {
		docs, err := tx.Documents(false)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if d.SourcePath != "" {
				known[d.SourcePath] = d.ID
			}
		}
		return nil
	})
	return known, err
}

// importConflict handles a parsed file whose document name, or source
// path, is an existing document's: the same text is skipped; other text is
// skipped with a warning that suggests 'tacit replace' (the default and
// "skip"), imported as a new document ("new", or --force without
// --on-conflict), or replaces the document's text ("replace"). It reports
// whether it dealt with the file (the import goes on when not).
func (p *Project) importConflict(ctx context.Context, pf *parsedFile, name string, opt ImportOptions, known map[string]uint64, res *ImportResult) (bool, error) {
	if opt.OnConflict == ConflictNew || (opt.Force && opt.OnConflict == ConflictWarn) {
		return false, nil
	}
	var existing *coding.Document
	var oldText string
	err := p.Store.View(func(tx *store.Tx) error {
		id := tx.DocIDByName(name)
		if id == 0 {
			id = known[pf.abs]
		}
		if id == 0 {
			return nil
		}
		d, err := tx.DocumentMeta(id)
		if err != nil {
			return nil // removed since: no conflict
		}
		existing = d
		oldText, err = tx.Text(id)
		return err
	})
	if err != nil || existing == nil {
		return false, err
	}
	res.ID, res.Name, res.Format, res.Encoding, res.Lang = existing.ID, existing.Name, existing.Format, existing.Encoding, existing.Lang
	res.Chars = existing.Chars
	if strings.TrimSpace(oldText) == strings.TrimSpace(pf.parsed.Text) {
		res.Skipped = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("document %s has this text already; nothing to import", existing.Name))
		return true, nil
	}
	res.Conflict = existing.Name
	switch opt.OnConflict {
	case ConflictReplace:
		rr, err := p.replaceText(ctx, strconv.FormatUint(existing.ID, 10), pf, false, store.ActionReplace, "")
		if err != nil {
			return true, err
		}
		res.Replaced = true
		res.Format, res.Encoding = pf.parsed.Format, pf.parsed.Encoding
		res.Turns, res.Chars = rr.NewTurns, rr.NewChars
		res.Speakers = nonNil(speakersOf(pf))
		res.Warnings = append(res.Warnings, fmt.Sprintf("replaced the text of %s (old text kept as version %d): %d codings kept, %d moved, %d changed, %d orphaned",
			existing.Name, rr.Version, rr.Kept, rr.Moved, rr.Changed, rr.Orphaned))
		return true, nil
	case ConflictSkip:
		res.Skipped = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("document %s has other text; skipped", existing.Name))
		return true, nil
	}
	res.Skipped = true
	res.Warnings = append(res.Warnings, fmt.Sprintf("document %s (from %s) has other text; not imported", existing.Name, existing.SourcePath))
	return true, nil
}

func speakersOf(pf *parsedFile) []string {
	d := coding.Document{Turns: pf.parsed.Turns}
	return d.Speakers()
}
