package refiqda

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/tacit-qda/tacit/coding"
)

// Limits on a .qdpx archive. The spec caps an internal file at 2^31-1
// bytes; tacit keeps text in memory, so it is stricter.
var (
	MaxEntrySize   int64 = 512 << 20 // one uncompressed entry
	MaxArchiveSize int64 = 2 << 30   // all uncompressed entries together
	MaxEntries           = 200_000
)

// Archive is an opened project: its .qde and the files beside it.
type Archive struct {
	QDEName string
	QDE     []byte
	files   map[string]*zip.File // lower-case cleaned name -> entry
	names   []string
	dir     string // for a bare .qde: the folder it is in
	mu      sync.Mutex
	read    int64 // bytes read or reserved of the archive's allowance
}

func notFound(format string, args ...any) *coding.Error {
	return coding.Errorf(coding.ENotFound, format, args...)
}

// OpenQDPX reads the directory of a .qdpx (a ZIP) and its .qde. It refuses
// entry names that escape the archive, more than MaxEntries entries and
// entries or totals over the size limits, and a missing or ambiguous .qde.
func OpenQDPX(r io.ReaderAt, size int64) (*Archive, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, invalid("it is not a .qdpx (ZIP) archive (%v); export the project from its tool again", err)
	}
	if len(zr.File) > MaxEntries {
		return nil, invalid("the archive holds %d entries, more than the %d tacit accepts", len(zr.File), MaxEntries)
	}
	a := &Archive{files: map[string]*zip.File{}}
	var total uint64
	var qdes []*zip.File
	for _, f := range zr.File {
		name := strings.ReplaceAll(f.Name, `\`, "/")
		clean := path.Clean(name)
		if strings.HasPrefix(name, "/") || clean == ".." || strings.HasPrefix(clean, "../") || filepath.IsAbs(name) || strings.Contains(name, ":") {
			return nil, invalid("the archive entry %q points outside the archive; refusing the file", f.Name)
		}
		if f.FileInfo().IsDir() {
			continue
		}
		if f.UncompressedSize64 > uint64(MaxEntrySize) {
			return nil, invalid("the archive entry %q is %d bytes uncompressed, more than the %d tacit accepts", f.Name, f.UncompressedSize64, MaxEntrySize)
		}
		total += f.UncompressedSize64
		if total > uint64(MaxArchiveSize) {
			return nil, invalid("the archive holds more than %d bytes uncompressed; refusing it", MaxArchiveSize)
		}
		a.files[strings.ToLower(clean)] = f
		a.names = append(a.names, clean)
		if !strings.Contains(clean, "/") && strings.EqualFold(path.Ext(clean), ".qde") {
			qdes = append(qdes, f)
		}
	}
	if len(qdes) == 0 {
		// Some tools nest everything in one folder.
		for _, f := range zr.File {
			if strings.EqualFold(path.Ext(f.Name), ".qde") {
				qdes = append(qdes, f)
			}
		}
	}
	switch {
	case len(qdes) == 0:
		return nil, invalid("the archive holds no project.qde, so it is not a REFI-QDA project; export it again from the other tool")
	case len(qdes) > 1:
		for _, q := range qdes {
			if strings.EqualFold(path.Base(q.Name), "project.qde") {
				qdes = []*zip.File{q}
				break
			}
		}
		if len(qdes) > 1 {
			return nil, invalid("the archive holds %d .qde files; a .qdpx holds exactly one", len(qdes))
		}
	}
	a.QDEName = qdes[0].Name
	if a.QDE, err = a.readEntry(qdes[0]); err != nil {
		return nil, err
	}
	sort.Strings(a.names)
	return a, nil
}

// OpenQDE opens a bare .qde file; its sources are looked up in the folder
// it is in (sources/ beside it, as an unzipped .qdpx has them).
func OpenQDE(file string) (*Archive, error) {
	st, err := os.Stat(file)
	if err != nil {
		return nil, notFound("%s cannot be read: %v", file, osCause(err))
	}
	if st.Size() > MaxEntrySize {
		return nil, invalid("%s is %d bytes, more than the %d tacit accepts", file, st.Size(), MaxEntrySize)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, notFound("%s cannot be read: %v", file, osCause(err))
	}
	return &Archive{QDEName: filepath.Base(file), QDE: data, dir: filepath.Dir(file)}, nil
}

func (a *Archive) readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, invalid("the archive entry %q cannot be read: %v", f.Name, err)
	}
	defer rc.Close()
	// Do not trust the declared size: read one byte more than allowed.
	// Entries may be read concurrently: each reserves what it may read
	// of the archive's allowance and gives back what it did not use.
	// An entry larger than it declares is refused anyway, so the
	// declared size bounds the reservation.
	a.mu.Lock()
	limit := min(MaxEntrySize, MaxArchiveSize-a.read)
	if f.UncompressedSize64 < uint64(max(limit, 0)) {
		limit = int64(f.UncompressedSize64)
	}
	a.read += limit
	a.mu.Unlock()
	data, err := readAll(io.LimitReader(rc, limit+1), make([]byte, 0, entryBuffer(f, limit)+1))
	a.mu.Lock()
	a.read -= limit - int64(len(data))
	a.mu.Unlock()
	if err != nil {
		return nil, invalid("the archive entry %q is damaged (%v); export the project from its tool again", f.Name, err)
	}
	if int64(len(data)) > limit {
		return nil, invalid("the archive entry %q expands beyond its declared or allowed size; refusing the file", f.Name)
	}
	return data, nil
}

// entryBuffer is the size of the buffer an entry is read into: its
// declared size, within limit, when a deflate stream of its compressed
// size could expand to it (never more than 1,032 times), else 16 MB to
// grow from. Growing a 58 MB project.qde from 16 MB copied and faulted in
// 112 MB more, half a second of a 1,000-interview import before anything
// could be indexed.
func entryBuffer(f *zip.File, limit int64) int64 {
	size := max(limit, 0)
	bound := int64(16 << 20)
	if c := f.CompressedSize64; c < 1<<40 {
		bound = max(bound, int64(c)*1032)
	}
	return min(size, bound)
}

// readAll is io.ReadAll into b (sized from the entry's declared size, so
// that a text is read without growing the buffer again and again).
func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// SourcePath strips a source reference's scheme (internal://,
// relative://, absolute://, file://) and leading slashes.
func SourcePath(ref string) (scheme, rest string) {
	ref = strings.TrimSpace(strings.ReplaceAll(ref, `\`, "/"))
	if i := strings.Index(ref, ":/"); i > 1 {
		scheme, ref = strings.ToLower(ref[:i]), ref[i+2:]
	}
	return scheme, strings.TrimLeft(ref, "/")
}

// Names lists the files of the archive (for error messages and tests).
func (a *Archive) Names() []string { return a.names }

// Source returns the bytes of the file a source path refers to: an
// internal:// file in sources/ (any case), or, for a plain or relative
// path, the file of that name in sources/ or at the archive root. A
// missing file is a not-found error.
func (a *Archive) Source(ref string) ([]byte, error) {
	scheme, rest := SourcePath(ref)
	if rest == "" {
		return nil, notFound("a source has an empty path")
	}
	if scheme != "" && scheme != "internal" && scheme != "relative" && scheme != "absolute" && scheme != "file" {
		return nil, invalid("source path %q has an unknown scheme %q", ref, scheme)
	}
	if a.dir != "" {
		for _, cand := range []string{filepath.Join(a.dir, "sources", rest), filepath.Join(a.dir, "Sources", rest), filepath.Join(a.dir, rest)} {
			// Inside the folder: a prefix of the path with a separator after
			// it (a sibling folder /x/proj2 starts with /x/proj too).
			if cl := filepath.Clean(cand); strings.HasPrefix(cl, filepath.Clean(a.dir)+string(filepath.Separator)) {
				if st, err := os.Stat(cl); err == nil && !st.IsDir() {
					if st.Size() > MaxEntrySize {
						return nil, invalid("%s is larger than the %d bytes tacit accepts", cl, MaxEntrySize)
					}
					return os.ReadFile(cl)
				}
			}
		}
		return nil, notFound("source file %s is not in %s or its sources folder", ref, a.dir)
	}
	clean := strings.ToLower(path.Clean(rest))
	if strings.HasPrefix(clean, "../") || clean == ".." {
		return nil, invalid("source path %q points outside the archive", ref)
	}
	for _, cand := range []string{"sources/" + clean, clean} {
		if f, ok := a.files[cand]; ok {
			return a.readEntry(f)
		}
	}
	if scheme == "relative" || scheme == "absolute" || scheme == "file" {
		base := strings.ToLower(path.Base(clean))
		if f, ok := a.files["sources/"+base]; ok {
			return a.readEntry(f)
		}
	}
	return nil, notFound("source file %s is not in the archive", ref)
}

// WriteQDPX writes a .qdpx: project.qde, then sources/<name> for each
// file, in the order given.
func WriteQDPX(w io.Writer, qde func(io.Writer) error, files []string, content func(name string, w io.Writer) error) error {
	zw := zip.NewWriter(w)
	f, err := zw.Create("project.qde")
	if err != nil {
		return err
	}
	if err := qde(f); err != nil {
		return err
	}
	for _, name := range files {
		if strings.ContainsAny(name, `/\`) || name == ".." {
			return fmt.Errorf("internal error: source file name %q", name)
		}
		f, err := zw.Create("sources/" + name)
		if err != nil {
			return err
		}
		if err := content(name, f); err != nil {
			return err
		}
	}
	return zw.Close()
}

// IsZip reports whether data starts like a ZIP archive.
func IsZip(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// Open opens a .qdpx or a bare .qde file (by content: a ZIP is a .qdpx).
func Open(file string) (*Archive, error) {
	st, err := os.Stat(file)
	if err != nil {
		return nil, notFound("%s cannot be read: %v", file, osCause(err))
	}
	if st.IsDir() {
		return nil, invalid("%s is a folder, not a .qdpx or .qde file", file)
	}
	if st.Size() > MaxArchiveSize {
		return nil, invalid("%s is %d bytes, more than the %d tacit accepts", file, st.Size(), MaxArchiveSize)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, notFound("%s cannot be read: %v", file, osCause(err))
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	f.Close()
	if !IsZip(head[:n]) {
		if strings.EqualFold(filepath.Ext(file), ".qdpx") {
			return nil, invalid("%s is not a ZIP archive, so not a .qdpx; export the project again", file)
		}
		return OpenQDE(file)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, notFound("%s cannot be read: %v", file, osCause(err))
	}
	a, err := OpenQDPX(bytes.NewReader(data), int64(len(data)))
	if ce, ok := err.(*coding.Error); ok {
		ce.Message = file + ": " + ce.Message // say which file
	}
	return a, err
}

// osCause drops the "stat FILE:" / "open FILE:" prefix of an *fs.PathError,
// whose path the message already names, leaving "no such file or directory".
func osCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
