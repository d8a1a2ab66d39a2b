package report

import (
	"bytes"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// FormatDOCX is Word's format, which only the book and its chapters speak.
const FormatDOCX = "docx"

// BookFormats are the formats of the book and of a story chapter.
var BookFormats = []string{FormatMD, FormatHTML, FormatDOCX, FormatJSON}

// ParseBookFormat checks a book format name, or guesses it from an output
// path's extension when name is "" (Markdown when that says nothing).
func ParseBookFormat(name, path string) (string, error) {
	if name == "" {
		if strings.HasSuffix(strings.ToLower(path), ".docx") {
			return FormatDOCX, nil
		}
		name = FormatFromPath(path)
	}
	switch l := strings.ToLower(strings.TrimSpace(name)); l {
	case "", FormatMD, "markdown", FormatTable, "text":
		return FormatMD, nil
	case FormatHTML, "htm":
		return FormatHTML, nil
	case FormatDOCX, "word":
		return FormatDOCX, nil
	case FormatJSON:
		return FormatJSON, nil
	}
	return "", invalid("the book is written as md, html, docx or json, not %q.", name)
}

// WriteBook renders a *Book or a *Story in a book format.
func WriteBook(w io.Writer, v any, format string) error {
	f, err := ParseBookFormat(format, "")
	if err != nil {
		return err
	}
	switch x := v.(type) {
	case *Book:
		switch f {
		case FormatHTML:
			return x.WriteHTML(w)
		case FormatDOCX:
			return x.WriteDOCX(w)
		case FormatJSON:
			if err := x.Fill(); err != nil {
				return err
			}
			return writeJSON(w, x)
		}
		return x.WriteMarkdown(w)
	case *Story:
		switch f {
		case FormatHTML:
			return x.WriteHTML(w)
		case FormatDOCX:
			return x.WriteDOCX(w)
		case FormatJSON:
			return writeJSON(w, x)
		}
		return x.WriteMarkdown(w)
	}
	return invalid("cannot render a %T as a book.", v)
}

// ParseTemplate reads a story template (YAML; JSON is YAML too) and checks
// it.
func ParseTemplate(data []byte) (*Template, error) {
	var t Template
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		if err == io.EOF {
			return nil, invalid("the template is empty; give a list under sections:, each with a title and codes.")
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		return nil, invalid("the template is not valid YAML (%s).", strings.ReplaceAll(msg, "\n", " "))
	}
	if err := t.Check(); err != nil {
		return nil, err
	}
	return &t, nil
}
