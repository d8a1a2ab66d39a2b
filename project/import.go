package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"syscall"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/transcript"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/index/lang"
	"github.com/tacit-qda/tacit/store"
)

// ImportOptions apply to every file of one import call.
type ImportOptions struct {
	Case     string            `json:"case,omitempty"`     // place the documents in this case (created if new)
	Attrs    map[string]string `json:"attrs,omitempty"`    // document attributes
	Format   string            `json:"format,omitempty"`   // "" = detect
	Encoding string            `json:"encoding,omitempty"` // "" = UTF-8/UTF-16 with BOM
	Lang     string            `json:"lang,omitempty"`     // "" = detect from the script, else the project language
	Force    bool              `json:"force,omitempty"`    // import even when identical bytes were imported before
	Name     string            `json:"name,omitempty"`     // document name (only for a single file)
	Speakers string            `json:"speakers,omitempty"` // "" = detect the speaker-label layout; else one of transcript.SpeakerLayouts()
	// OnConflict says what to do with a file whose document name or source
	// path is an existing document's with other text: "" (skip it with a
	// warning that suggests 'tacit replace'), "skip", "new" (import a
	// second document) or "replace" (replace that document's text, its
	// codings carried over). See import_conflict.go.
	OnConflict string `json:"on_conflict,omitempty"`
}

// ImportResult says what happened to one file.
type ImportResult struct {
	File     string   `json:"file"`
	ID       uint64   `json:"id"`
	Name     string   `json:"name"`
	Case     string   `json:"case"`
	Format   string   `json:"format"`
	Encoding string   `json:"encoding"`
	Lang     string   `json:"lang"`
	Turns    int      `json:"turns"`
	Speakers []string `json:"speakers"`
	Chars    int      `json:"chars"`
	Skipped  bool     `json:"skipped"`
	Warnings []string `json:"warnings"`
	Error    string   `json:"error,omitempty"`
	// Conflict names the existing document the file matched by name or
	// source path, when its text differed; Replaced says its text was
	// replaced (--on-conflict replace).
	Conflict string `json:"conflict,omitempty"`
	Replaced bool   `json:"replaced,omitempty"`
	// Next and Arg are what to do next about the file (a coding.Next*
	// kind and its subject), for the caller to say in its own words after
	// Error, or after the first warning of a skipped file.
	Next string `json:"next,omitempty"`
	Arg  string `json:"arg,omitempty"`
}

// ExpandPaths turns the arguments of an import into the list of files:
// files as given (whatever their extension), folders walked recursively for
// transcript files. A missing path or a folder without transcripts is an
// error.
func ExpandPaths(args []string) ([]string, error) {
	files, _, err := ExpandImportPaths(args)
	return files, err
}

// ExpandImportPaths is ExpandPaths that also returns, as skipped results
// with the reason, the files inside the folders that are not transcripts
// (no extension, .pdf, ...), so that an import can say what it left out.
// Hidden files and folders are passed over silently.
func ExpandImportPaths(args []string) ([]string, []ImportResult, error) {
	files, skipped, err := expandPaths(args)
	return files, skipped, err
}

func expandPaths(args []string) (files []string, skipped []ImportResult, _ error) {
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, nil, coding.Errorf(coding.ENotFound, "%s does not exist; check the path", a)
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != a && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case strings.HasPrefix(d.Name(), "."):
			case transcript.IsTranscriptFile(d.Name()):
				found = append(found, p)
			default:
				why := "not a transcript file (no extension)"
				if ext := filepath.Ext(d.Name()); ext != "" {
					why = fmt.Sprintf("not a transcript file (%s)", ext)
				}
				skipped = append(skipped, ImportResult{File: p, Skipped: true, Speakers: []string{},
					Warnings: []string{why + "; tacit imports .txt, .md, .vtt, .srt, .docx, .odt and .html"}})
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("read folder %s: %w", a, err)
		}
		if len(found) == 0 {
			return nil, nil, coding.Errorf(coding.EInvalid, "%s holds no transcripts (.txt, .md, .vtt, .srt, .docx, .odt, .html)", a)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, skipped, nil
}

// DocName is the default name of a document imported from path: the base
// name without its last extension.
func DocName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// Import imports files, one store transaction (with its audit event) per
// document, then adds their turns to the search index. A bad file is
// reported in its result and does not stop the others; the returned error
// says how many failed. progress, if not nil, is called after each file.
func (p *Project) Import(ctx context.Context, files []string, opt ImportOptions, progress func(ImportResult)) ([]ImportResult, error) {
	if opt.Format != "" {
		if err := checkFormat(opt.Format); err != nil {
			return nil, err
		}
	}
	opt.Lang = lang.Canonical(opt.Lang) // "he-IL", "iw" -> "he"
	if opt.Lang != "" && !slices.Contains(lang.Supported(), opt.Lang) {
		return nil, coding.Errorf(coding.EInvalid, "unknown language %q; use one of %s", opt.Lang, strings.Join(lang.Supported(), ", "))
	}
	if err := checkOnConflict(opt.OnConflict); err != nil {
		return nil, err
	}
	// A failure of the index (derived data) does not stop the import: the
	// documents still go into the store, and the index, whose revision then
	// lags, is rebuilt on the next search. Only another process holding
	// the index stops it.
	var indexErr error
	x, err := p.Index(ctx)
	if err != nil {
		var ce *coding.Error
		if errors.As(err, &ce) && ce.Kind == coding.EInUse || ctx.Err() != nil {
			return nil, err
		}
		indexErr = err
	}
	known, err := p.knownSources()
	if err != nil {
		return nil, err
	}
	// Indexing allocates a lot of short-lived garbage while the live heap
	// stays small, so with the default GOGC the collector runs very often.
	// Measured on 1,000 interviews (45 MB): GOGC 200 cut the import from
	// ~24 s to ~20 s; the soft memory limit keeps the peak under 300 MB.
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(256 << 20))
	var w *index.Writer
	if x != nil {
		w = x.NewWriter()
	}
	var results []ImportResult
	failed, full := 0, false
	indexed := false
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		res, src, err := p.importOne(ctx, f, opt, len(files) == 1, known)
		if err != nil {
			failed++
			res.Error = err.Error()
			var ce *coding.Error
			if errors.As(err, &ce) {
				res.Next, res.Arg = ce.Next, ce.Arg
			}
			if errors.Is(err, syscall.ENOSPC) {
				full = true
				res.Error = fmt.Sprintf("%s was not imported: the disk is full", f)
				res.Next, res.Arg = "", ""
			}
		} else if src != nil && indexErr == nil {
			if err := w.Add(*src); err != nil {
				indexErr = err
			} else {
				indexed = true
			}
		}
		results = append(results, res)
		if progress != nil {
			progress(res)
		}
	}
	if indexed && indexErr == nil {
		// This process holds the project, so the store's index revision now
		// is the one every document just added belongs to.
		var rev uint64
		if err := p.Store.View(func(tx *store.Tx) error { rev = tx.IndexRevision(); return nil }); err != nil {
			return results, err
		}
		indexErr = w.Commit(rev)
	}
	if errors.Is(indexErr, syscall.ENOSPC) {
		full = true
	}
	if failed > 0 || indexErr != nil {
		msg := fmt.Sprintf("%d of %d files could not be imported", failed, len(files))
		switch {
		case failed == 0 && full:
			msg = "the documents were imported, but the search index could not be updated: the disk is full; free space, and the next search rebuilds the index"
		case failed == 0:
			msg = fmt.Sprintf("the documents were imported, but the search index could not be updated (%v); it is rebuilt on the next search", indexErr)
		case full:
			msg += "; the disk is full: free space, then run the same import again (files already imported are skipped, and the search index is rebuilt)"
		}
		return results, &coding.Error{Kind: coding.EInvalid, Message: msg, Err: ErrSomeFailed}
	}
	return results, nil
}

// importFault, set by tests, fails the store write of a file: a full disk
// where the machine does not allow mounting a small tmpfs.
var importFault func(path string) error

// ErrSomeFailed marks an import in which some files failed.
var ErrSomeFailed = errors.New("some files failed")

// checkFormat refuses an unknown --format before any file is read, so the
// import fails once instead of once per file.
func checkFormat(f string) error {
	if slices.Contains(transcript.Formats(), f) {
		return nil
	}
	return coding.Errorf(coding.EInvalid, "unknown format %q; use one of %s", f, strings.Join(transcript.Formats(), ", "))
}

func (p *Project) importOne(ctx context.Context, path string, opt ImportOptions, single bool, known map[string]uint64) (ImportResult, *index.Source, error) {
	res := ImportResult{File: path, Speakers: []string{}, Warnings: []string{}, Case: opt.Case}
	data, err := os.ReadFile(path)
	if err != nil {
		return res, nil, coding.Errorf(coding.ENotFound, "%s cannot be read: %v", path, errors.Unwrap(err))
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	var existing *coding.Document
	if err := p.Store.View(func(tx *store.Tx) error {
		if id := tx.DocIDByHash(hash); id != 0 {
			existing, err = tx.Document(id)
			return err
		}
		return nil
	}); err != nil {
		return res, nil, err
	}
	if existing != nil && !opt.Force {
		res.Skipped = true
		res.ID = existing.ID
		res.Name = existing.Name
		res.Format = existing.Format
		res.Encoding = existing.Encoding
		res.Lang = existing.Lang
		res.Turns = len(existing.Turns)
		res.Speakers = existing.Speakers()
		res.Chars = existing.Chars
		res.Warnings = append(res.Warnings, "already imported as "+existing.Name)
		res.Next = coding.NextForceImport
		return res, nil, nil
	}
	parsed, err := transcript.Parse(filepath.Base(path), data, transcript.Options{Format: opt.Format, Encoding: opt.Encoding, Speakers: opt.Speakers})
	if err != nil {
		return res, nil, err
	}
	if len(parsed.Turns) == 0 {
		return res, nil, coding.Errorf(coding.EInvalid, "%s has no text to import", path)
	}
	name := DocName(path)
	if single && opt.Name != "" {
		name = opt.Name
	}
	abs, _ := filepath.Abs(path)
	if done, err := p.importConflict(ctx, &parsedFile{path: path, abs: abs, hash: hash, parsed: parsed}, name, opt, known, &res); done || err != nil {
		return res, nil, err
	}
	doc := &coding.Document{
		Name: name, Format: parsed.Format, Encoding: parsed.Encoding,
		SourcePath: abs, SourceHash: hash, Turns: parsed.Turns,
		Attrs: map[string]string{}, Warnings: parsed.Warnings, ImportedBy: p.Actor,
	}
	for k, v := range opt.Attrs {
		doc.Attrs[k] = v
	}
	// The document's role attribute describes the interviewee: when no label
	// names the interviewer, the speaker who asks the questions is recorded
	// as the interviewer (an attribute the user can see and change).
	if doc.Attrs["interviewer"] == "" {
		if iv := coding.GuessInterviewer(doc, parsed.Text); iv != "" {
			doc.Attrs["interviewer"] = iv
			parsed.Warnings = append(parsed.Warnings, fmt.Sprintf("%s asks the questions, so %s is the interviewer (attribute interviewer=%s of document %s); if not, unset that attribute", iv, iv, iv, name))
		}
	}
	if importFault != nil {
		if err := importFault(path); err != nil {
			return res, nil, err
		}
	}
	var src *index.Source
	err = p.Store.Update(func(tx *store.Tx) error {
		projLang := tx.Lang()
		doc.Lang = opt.Lang
		if doc.Lang == "" {
			doc.Lang = lang.Detect(parsed.Text, projLang)
		}
		doc.ImportedAt = tx.Now()
		caseName := ""
		if opt.Case != "" {
			c, _, err := tx.EnsureCase(opt.Case)
			if err != nil {
				return err
			}
			doc.CaseID = c.ID
			caseName = c.Name
		}
		if err := tx.AddDocument(doc, parsed.Text); err != nil {
			return err
		}
		if err := tx.Log(&coding.Event{Actor: p.Actor, Action: store.ActionImport, Target: fmt.Sprintf("doc:%d", doc.ID),
			Summary: fmt.Sprintf("imported %s as %s (%s, %d turns)", filepath.Base(path), doc.Name, doc.Format, len(doc.Turns))}); err != nil {
			return err
		}
		roles, err := tx.Roles()
		if err != nil {
			return err
		}
		s := sourceOf(doc, parsed.Text, map[uint64]string{doc.CaseID: caseName}, roles, projLang)
		src = &s
		res.Case = caseName
		return nil
	})
	if err != nil {
		return res, nil, err
	}
	known[abs] = doc.ID
	res.ID, res.Name, res.Format, res.Encoding, res.Lang = doc.ID, doc.Name, doc.Format, doc.Encoding, doc.Lang
	res.Turns, res.Speakers, res.Chars = len(doc.Turns), doc.Speakers(), doc.Chars
	res.Warnings = append(res.Warnings, parsed.Warnings...)
	return res, src, nil
}
