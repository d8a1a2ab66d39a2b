package coding

import (
	"bytes"
	"encoding/json"
	"strings"

	"gopkg.in/yaml.v3"
)

// CodebookFile is the exchange form of a codebook (JSON or YAML): a tree of
// codes, children nested under their parent. Entries may give a path
// instead of a name, so a flat list of {"path": "A/B"} entries is accepted.
type CodebookFile struct {
	Tool  string      `json:"tool,omitempty" yaml:"tool,omitempty"`
	Codes []*FileCode `json:"codes" yaml:"codes"`
}

// FileCode is one code of a CodebookFile.
type FileCode struct {
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// Path may stand instead of Name: "Parent/Child", relative to the
	// enclosing code, so a flat list of paths is a codebook too.
	Path        string      `json:"path,omitempty" yaml:"path,omitempty"`
	GUID        string      `json:"guid,omitempty" yaml:"guid,omitempty"`
	Description string      `json:"description,omitempty" yaml:"description,omitempty"`
	Color       string      `json:"color,omitempty" yaml:"color,omitempty"`
	Children    []*FileCode `json:"children,omitempty" yaml:"children,omitempty"`
}

// ExportCodebook returns the codebook as a CodebookFile, in tree order.
func ExportCodebook(cb *Codebook) *CodebookFile {
	var rec func(parent uint64) []*FileCode
	rec = func(parent uint64) []*FileCode {
		var out []*FileCode
		for _, id := range cb.Children(parent) {
			c := cb.Code(id)
			out = append(out, &FileCode{Name: c.Name, GUID: c.GUID, Description: c.Description,
				Color: c.Color, Children: rec(id)})
		}
		return out
	}
	f := &CodebookFile{Tool: "tacit", Codes: rec(0)}
	if f.Codes == nil {
		f.Codes = []*FileCode{}
	}
	return f
}

// Marshal encodes the file as "json" or "yaml".
func (f *CodebookFile) Marshal(format string) ([]byte, error) {
	switch format {
	case "json":
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(f); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	case "yaml":
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(f); err != nil {
			return nil, err
		}
		return buf.Bytes(), enc.Close()
	}
	return nil, Errorf(EInvalid, "unknown codebook format %q; use json or yaml", format)
}

// FlatCode is one code of a parsed file with its full path.
type FlatCode struct {
	Path        string
	Parts       []string
	GUID        string
	Description string
	Color       string
}

// ParseCodebook decodes a codebook file, JSON or YAML ("" format: JSON
// when the first character is '{' or '[', else YAML), and returns its codes
// parents first, with names cleaned and colours normalised. A bare list of
// codes is accepted as well as {"codes": [...]}. Every problem is an
// EInvalid error naming the code.
func ParseCodebook(data []byte, format string) ([]FlatCode, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if format == "" {
		t := bytes.TrimSpace(data)
		if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			format = "json"
		} else {
			format = "yaml"
		}
	}
	var f CodebookFile
	switch format {
	case "json":
		t := bytes.TrimSpace(data)
		if len(t) > 0 && t[0] == '[' {
			if err := json.Unmarshal(t, &f.Codes); err != nil {
				return nil, Errorf(EInvalid, "the codebook is not valid JSON: %v", err)
			}
		} else if err := json.Unmarshal(t, &f); err != nil {
			return nil, Errorf(EInvalid, "the codebook is not valid JSON: %v", err)
		}
	case "yaml":
		var node yaml.Node
		if err := yaml.Unmarshal(data, &node); err != nil {
			return nil, Errorf(EInvalid, "the codebook is not valid YAML: %v", err)
		}
		if len(node.Content) > 0 && node.Content[0].Kind == yaml.SequenceNode {
			if err := node.Content[0].Decode(&f.Codes); err != nil {
				return nil, Errorf(EInvalid, "the codebook does not have the expected shape: %v", err)
			}
		} else if len(node.Content) > 0 {
			if err := node.Content[0].Decode(&f); err != nil {
				return nil, Errorf(EInvalid, "the codebook does not have the expected shape (codes: a list of name, description, color, children): %v", err)
			}
		}
	default:
		return nil, Errorf(EInvalid, "unknown codebook format %q; use json or yaml", format)
	}
	var out []FlatCode
	seen := map[string]bool{}
	guids := map[string]bool{}
	var rec func(list []*FileCode, parent []string, depth int) error
	rec = func(list []*FileCode, parent []string, depth int) error {
		if depth > 100 {
			return Errorf(EInvalid, "the codebook nests deeper than 100 levels")
		}
		for _, fc := range list {
			if fc == nil {
				return Errorf(EInvalid, "the codebook has an empty entry under %q", strings.Join(parent, "/"))
			}
			parts := append([]string{}, parent...)
			if fc.Name == "" && strings.TrimSpace(fc.Path) != "" {
				ps, err := SplitPath(fc.Path)
				if err != nil {
					return err
				}
				parts = append(parts, ps...)
			} else {
				name, err := CleanName(fc.Name)
				if err != nil {
					return Errorf(EInvalid, "codebook entry under %q: %s", strings.Join(parent, "/"), err.Error())
				}
				parts = append(parts, name)
			}
			path := strings.Join(parts, "/")
			key := strings.ToLower(path)
			if seen[key] {
				return Errorf(EInvalid, "code %q appears twice in the codebook", path)
			}
			seen[key] = true
			color, err := NormColor(fc.Color)
			if err != nil {
				return Errorf(EInvalid, "code %q: %s", path, err.Error())
			}
			guid := strings.TrimSpace(fc.GUID)
			if guid != "" {
				if guids[strings.ToLower(guid)] {
					return Errorf(EInvalid, "GUID %s appears twice in the codebook", guid)
				}
				guids[strings.ToLower(guid)] = true
			}
			out = append(out, FlatCode{Path: path, Parts: parts, GUID: guid,
				Description: strings.TrimSpace(fc.Description), Color: color})
			if err := rec(fc.Children, parts, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := rec(f.Codes, nil, 0); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, Errorf(EInvalid, "the codebook holds no codes")
	}
	return out, nil
}

// FormatFromName returns "json" or "yaml" from a file name's extension, or
// "" when it says neither.
func FormatFromName(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".json"):
		return "json"
	case strings.HasSuffix(n, ".yaml"), strings.HasSuffix(n, ".yml"):
		return "yaml"
	case strings.HasSuffix(n, ".qdc"):
		return "qdc" // REFI-QDA, read by coding/refiqda
	}
	return ""
}
