// Package samples embeds the bundled sample study: a city's social services
// "learning from success" study with seven success stories (cases), each told
// in two interviews, one by the client and one by the staff member.
//
// The study is used by tests, by the README quickstart and by `tacit demo`,
// which imports the transcripts into a temporary project, applies the
// codebook and the codings of two coders, and prints the recurrence report.
// It lives here and not under testdata/ because //go:embed cannot reach a
// testdata directory from another package.
//
// The transcripts deliberately come in many formats (plain "Name: text",
// Markdown "**Name:**", Otter-style speaker lines, WebVTT voice tags, SRT with
// upper-case labels, Q:/A:, inline "[hh:mm:ss] Name:" stamps and one .docx)
// and in three languages (English; S6 in Hebrew; S7 in Arabic), so that the
// demo exercises the importer. Layout of the embedded tree:
//
//	study/manifest.json  which file belongs to which case, with attributes
//	study/cases.json     attributes of each case
//	study/codebook.json  the code tree, parents before children
//	study/codings.json   codings by the coders "dana" and "yossi", by quote
//	study/roles.json     speaker label -> role (interviewer, client, staff)
//	study/sN-*/...       the transcripts
//
// A coding names its span by quote: the exact spoken text, which occurs once
// in its document after runs of white space are folded to one space and
// never spans a speaker label.
package samples

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
)

// FS holds the sample study under the directory "study".
//
//go:embed study
var FS embed.FS

// Root is the directory inside FS that holds the study.
const Root = "study"

// Study returns the study directory as a file system whose names are the
// manifest paths ("s1-step-by-step/client-moshe.txt").
func Study() fs.FS {
	sub, err := fs.Sub(FS, Root)
	if err != nil {
		// fs.Sub fails only for an invalid directory name, and Root is valid.
		panic(err)
	}
	return sub
}

// ManifestEntry is one transcript of the study: its path relative to the
// study directory, the case (story) it belongs to, document attributes such
// as role and department, and its language ("" for English, "he", "ar").
type ManifestEntry struct {
	File       string            `json:"file"`
	Case       string            `json:"case"`
	Attributes map[string]string `json:"attributes"`
	Lang       string            `json:"lang"`
}

// CaseAttrs is a case (story) and its attributes.
type CaseAttrs struct {
	Case       string            `json:"case"`
	Attributes map[string]string `json:"attributes"`
}

// CodeDef is one code of the codebook, named by its path ("Principles/
// Respectful attitude"). Parents are listed before their children.
type CodeDef struct {
	Path        string `json:"path"`
	Description string `json:"description"`
	Color       string `json:"color"`
}

// CodingDef is one coding: a code applied by a coder to the only occurrence
// of Quote in File (compared after folding runs of white space to one space).
// Key marks a quote the coder flagged as a key quote for the report.
type CodingDef struct {
	File  string `json:"file"`
	Code  string `json:"code"`
	Quote string `json:"quote"`
	Coder string `json:"coder"`
	Memo  string `json:"memo"`
	Key   bool   `json:"key"`
}

// Manifest returns the transcripts of the study in a stable order.
func Manifest() ([]ManifestEntry, error) {
	var m []ManifestEntry
	if err := load("manifest.json", &m); err != nil {
		return nil, err
	}
	return m, nil
}

// Cases returns the attributes of each case.
func Cases() ([]CaseAttrs, error) {
	var c []CaseAttrs
	if err := load("cases.json", &c); err != nil {
		return nil, err
	}
	return c, nil
}

// Codebook returns the codebook, parents before children.
func Codebook() ([]CodeDef, error) {
	var c []CodeDef
	if err := load("codebook.json", &c); err != nil {
		return nil, err
	}
	return c, nil
}

// Codings returns the codings of both coders.
func Codings() ([]CodingDef, error) {
	var c []CodingDef
	if err := load("codings.json", &c); err != nil {
		return nil, err
	}
	return c, nil
}

// Roles returns the speaker-to-role map of the study ("Interviewer" ->
// "interviewer", "Moshe" -> "client", ...). Labels that mean different people
// in different files (the "A" of a Q:/A: transcript) are left out; their role
// comes from the document's "role" attribute.
func Roles() (map[string]string, error) {
	var r map[string]string
	if err := load("roles.json", &r); err != nil {
		return nil, err
	}
	return r, nil
}

// ReadFile returns the bytes of a study file named by its manifest path.
func ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) || name == "." {
		return nil, fmt.Errorf("samples: invalid study file name %q", name)
	}
	b, err := FS.ReadFile(path.Join(Root, name))
	if err != nil {
		return nil, fmt.Errorf("samples: read %s: %w", name, err)
	}
	return b, nil
}

// load decodes a JSON file of the study into v, refusing unknown fields so
// that a misspelt key in the sample data fails loudly.
func load(name string, v any) error {
	b, err := ReadFile(name)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("samples: decode %s: %w", name, err)
	}
	return nil
}
