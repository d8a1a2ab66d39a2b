package project

import (
	"os"
	"path/filepath"

	"github.com/tacit-qda/tacit/coding"
)

// CheckOutputPath refuses an output file (a report, an export, a codebook)
// that would land inside a project's .tacit folder, directly or through a
// symbolic link: writing there replaces the project's database or search
// index ('tacit export project -o .tacit/tacit.db' used to overwrite the
// database with JSON).
func CheckOutputPath(path string) error {
	if path == "" {
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil
	}
	candidates := []string{abs}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		candidates = append(candidates, real)
	} else if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		candidates = append(candidates, filepath.Join(dir, filepath.Base(abs)))
	}
	for _, p := range candidates {
		for d := filepath.Dir(p); ; d = filepath.Dir(d) {
			if filepath.Base(d) == Dir {
				return coding.Errorf(coding.EInvalid, "cannot write %s: it is inside a project's %s folder, which holds its database and search index; write the file somewhere else", path, Dir)
			}
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	if st, err := os.Stat(abs); err == nil && st.IsDir() {
		return coding.Errorf(coding.EInvalid, "cannot write %s: it is a folder; give a file name", path)
	}
	return nil
}
