package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
)

// globals holds the persistent flags and the output streams of one run.
type globals struct {
	projectDir string
	json       bool
	coder      string // the old spelling of --as (codings reads it as a filter)
	as         string
	stdout     io.Writer
	stderr     io.Writer
}

// open finds and opens the project. Read-only opens let several readers
// run at once.
func (g *globals) open(readOnly bool) (*project.Project, error) {
	root, err := project.Find(g.projectDir)
	if err != nil {
		return nil, err
	}
	p, err := project.Open(root, project.Options{ReadOnly: readOnly, Actor: g.actor()})
	if err != nil {
		if info := servedBy(root, err); info != nil {
			return nil, inUseByServer(info, err)
		}
		return nil, err
	}
	p.OnIndexDamaged = func(error) {
		fmt.Fprintln(g.stderr, "tacit: the search index is damaged; rebuilding it from the store")
	}
	if !g.json && g.stderrTerminal() {
		var bar *progressbar.ProgressBar
		p.RebuildProgress = func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(g.stderr),
					progressbar.OptionSetDescription("rebuilding the search index"), progressbar.OptionShowCount(),
					progressbar.OptionClearOnFinish())
			}
			bar.Set(done)
			if done == total {
				bar.Finish()
			}
		}
	}
	return p, nil
}

// How do opens the project for an operation.
type openMode int

const (
	readOnly openMode = iota // several readers can run at once
	writable
	// searching opens read-only, but writable when the search index must
	// be rebuilt first (saying so on stderr).
	searching
)

// do runs fn with the operations of the project, opened as mode says, in a
// context that names the acting coder. Commands call project operations
// only through do, so that where they run (in this process, or in a
// running server) is decided here.
func (g *globals) do(cmd *cobra.Command, mode openMode, fn func(ctx context.Context, ops project.Operations) error) error {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	ctx = project.WithActor(ctx, g.actor())
	p, err := g.open(mode == readOnly || mode == searching)
	if err != nil {
		// While 'tacit serve' owns the project, send the operation to it.
		if root, ferr := project.Find(g.projectDir); ferr == nil {
			if info := servedBy(root, err); info != nil && info.Token != "" {
				return fn(ctx, &project.Remote{Transport: project.HTTPTransport(info.URL, info.Token)})
			}
		}
		return err
	}
	if u := p.Store.Upgraded(); u != nil && cmd.Name() != "upgrade" {
		// The first change upgrades an older project: say so, and where the
		// old database is, as 'tacit upgrade' does.
		fmt.Fprintf(g.stderr, "tacit: upgraded the project database from schema %d to %d first; the old database is kept in %s\n", u.From, u.To, u.Backup)
	}
	if mode == searching && !p.IndexFresh() {
		fmt.Fprintln(g.stderr, "tacit: the search index is out of date; rebuilding it from the store")
		p.Close()
		if p, err = g.open(false); err != nil {
			return err
		}
	}
	err = fn(ctx, p)
	p.Close()
	if mode == searching && project.IndexDamaged(err) {
		// Found damaged while reading: rebuild it and try once more.
		fmt.Fprintln(g.stderr, "tacit: the search index is damaged; rebuilding it from the store")
		if p, err = g.open(false); err != nil {
			return err
		}
		defer p.Close()
		if err := p.Reindex(ctx); err != nil {
			return err
		}
		return fn(ctx, p)
	}
	return err
}

// inUseByServer is the error of a command that cannot run while the
// server named by info owns the project.
func inUseByServer(info *project.ServerInfo, err error) error {
	return &coding.Error{Kind: coding.EInUse, Err: err, Message: fmt.Sprintf(
		"the project is open in 'tacit serve' at %s; use it there, or stop the server first", info.URL)}
}

// servedOps returns the operations of the running server that owns the
// project when err says it is in use: nil when no server holds it, or an
// error naming the server when its local token cannot be read.
func servedOps(root string, err error) (project.Operations, error) {
	info := servedBy(root, err)
	if info == nil {
		return nil, nil
	}
	if info.Token == "" {
		return nil, inUseByServer(info, err)
	}
	return &project.Remote{Transport: project.HTTPTransport(info.URL, info.Token)}, nil
}

// servedBy returns the running server that holds the project, when err
// says the project is in use and a server recorded itself there.
func servedBy(root string, err error) *project.ServerInfo {
	if coding.ErrorKind(err) != coding.EInUse {
		return nil
	}
	info, ierr := project.ReadServerInfo(root)
	if ierr != nil {
		return nil
	}
	return info
}

func (g *globals) actor() string {
	if g.as != "" {
		return g.as
	}
	if g.coder != "" {
		return g.coder
	}
	return project.DefaultActor()
}

// isTerminal reports whether stdout is a terminal.
func (g *globals) isTerminal() bool {
	f, ok := g.stdout.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// stderrTerminal reports whether stderr is a terminal (for progress bars).
func (g *globals) stderrTerminal() bool {
	f, ok := g.stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// printJSON writes v as indented JSON.
func (g *globals) printJSON(v any) error {
	enc := json.NewEncoder(g.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// table starts a tab-aligned table on stdout.
func (g *globals) table(header ...string) *tabwriter.Writer {
	return newTable(g.stdout, header...)
}

// row writes one table row.
func row(tw *tabwriter.Writer, cells ...any) {
	parts := make([]string, len(cells))
	for i, c := range cells {
		parts[i] = strings.ReplaceAll(fmt.Sprint(c), "\t", " ")
	}
	fmt.Fprintln(tw, strings.Join(parts, "\t"))
}

// writeCSV writes rows as CSV.
func writeCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// parseAttrs parses repeated k=v flags.
func parseAttrs(list []string) (map[string]string, error) {
	m := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, usagef("attribute %q is not key=value", kv)
		}
		m[k] = strings.TrimSpace(v)
	}
	return m, nil
}

// truncate shortens s to n code points with an ellipsis, on one line.
func truncate(s string, n int) string {
	// White space folded to single spaces, reading no further than n+1
	// code points: a coding may quote a whole 50 MB turn.
	var b strings.Builder
	count, space := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = count > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			count++
			space = false
		}
		if count >= n {
			count++
			break
		}
		b.WriteRune(r)
		count++
	}
	if count <= n {
		return b.String()
	}
	r := []rune(b.String())
	return string(r[:n-1]) + "…"
}

// nonNil returns an empty slice for nil, so JSON prints [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// writeOut sends what write produces to stdout, or with a path to that
// file: written whole to a temporary file in the same folder first, then
// renamed, so a failed report never leaves half a file behind.
func (g *globals) writeOut(path string, write func(w io.Writer) error) error {
	if path == "" {
		w := bufio.NewWriter(g.stdout)
		if err := write(w); err != nil {
			return err
		}
		return w.Flush()
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return coding.Errorf(coding.EInvalid, "cannot write %s: the folder %s does not exist", path, dir)
	}
	if err := project.CheckOutputPath(path); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tacit-out-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file 0600; a report is meant to be read by the
	// team, so it gets the mode a plain create would give (or keeps the mode
	// of the file it replaces).
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	w := bufio.NewWriter(tmp)
	if err := write(w); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// call runs one operation through do and returns its result:
//
//	res, err := call(g, cmd, writable, project.Operations.RenameCase, req)
func call[Req, Res any](g *globals, cmd *cobra.Command, mode openMode, op func(project.Operations, context.Context, Req) (*Res, error), req Req) (*Res, error) {
	var res *Res
	err := g.do(cmd, mode, func(ctx context.Context, ops project.Operations) (err error) {
		res, err = op(ops, ctx, req)
		return err
	})
	return res, err
}
