package project

import (
	"context"
	"errors"
)

// ImportRequest imports transcript files (paths on the machine that runs
// the operation) as documents.
type ImportRequest struct {
	Files   []string      `json:"files"`
	Options ImportOptions `json:"options"`
}

// ImportFilesResult has one entry per file; Failed counts the files that
// could not be imported (the others are imported all the same).
type ImportFilesResult struct {
	Results []ImportResult `json:"results"`
	Failed  int            `json:"failed"`
	// Message says how many failed, when some did.
	Message string `json:"message,omitempty"`
}

type progressKey struct{}

// WithImportProgress returns a context in which ImportFiles calls fn after
// each file.
func WithImportProgress(ctx context.Context, fn func(ImportResult)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// ImportFiles imports files, one transaction per document.
func (p *Project) ImportFiles(ctx context.Context, req ImportRequest) (*ImportFilesResult, error) {
	progress, _ := ctx.Value(progressKey{}).(func(ImportResult))
	if progress == nil {
		progress = func(ImportResult) {}
	}
	results, err := p.Import(ctx, req.Files, req.Options, progress)
	res := &ImportFilesResult{Results: nonNil(results)}
	if err != nil && !errors.Is(err, ErrSomeFailed) {
		return nil, err
	}
	for i := range res.Results {
		res.Results[i].Speakers = nonNil(res.Results[i].Speakers)
		res.Results[i].Warnings = nonNil(res.Results[i].Warnings)
		if res.Results[i].Error != "" {
			res.Failed++
		}
	}
	if err != nil {
		res.Message = err.Error()
	}
	return res, nil
}

// ReindexRequest rebuilds the search index from the store.
type ReindexRequest struct{}

// ReindexResult counts the turns indexed.
type ReindexResult struct {
	Turns uint64 `json:"turns"`
}

// RebuildIndex rebuilds the search index from the store.
func (p *Project) RebuildIndex(ctx context.Context, req ReindexRequest) (*ReindexResult, error) {
	if err := p.Reindex(ctx); err != nil {
		return nil, err
	}
	x, err := p.Index(ctx)
	if err != nil {
		return nil, err
	}
	n, _ := x.DocCount()
	return &ReindexResult{Turns: n}, nil
}

// CheckRequest checks the store and the index against each other.
type CheckRequest struct{}

// CheckProject checks the project; problems are in the report, not the
// error.
func (p *Project) CheckProject(ctx context.Context, req CheckRequest) (*CheckReport, error) {
	return p.Check(ctx)
}

// BackupRequest writes a consistent copy of the store to File (a path on
// the machine that runs the operation), which must not exist.
type BackupRequest struct {
	File string `json:"file"`
}

// BackupResult names the copy and its size.
type BackupResult struct {
	Bytes int64  `json:"bytes"`
	File  string `json:"file"`
}

// Backup copies the store.
func (p *Project) Backup(ctx context.Context, req BackupRequest) (*BackupResult, error) {
	size, err := p.Store.Backup(req.File)
	if err != nil {
		return nil, err
	}
	return &BackupResult{File: req.File, Bytes: size}, nil
}

// CompactRequest rewrites the store without its free space.
type CompactRequest struct{}

// CompactResult gives the sizes before and after.
type CompactResult struct {
	BytesAfter  int64 `json:"bytes_after"`
	BytesBefore int64 `json:"bytes_before"`
}

// CompactStore rewrites the store without its free space.
func (p *Project) CompactStore(ctx context.Context, req CompactRequest) (*CompactResult, error) {
	before, after, err := p.Compact()
	if err != nil {
		return nil, err
	}
	return &CompactResult{BytesBefore: before, BytesAfter: after}, nil
}
