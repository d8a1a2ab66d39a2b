package coding

import (
	"crypto/rand"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Codebook is the tree of codes, indexed for lookup by id, path and name.
type Codebook struct {
	codes    map[uint64]*Code
	children map[uint64][]uint64 // parent id (0 = root) -> child ids sorted by name
}

// NewCodebook builds the tree from a flat list of codes.
func NewCodebook(list []Code) *Codebook {
	cb := &Codebook{codes: map[uint64]*Code{}, children: map[uint64][]uint64{}}
	for i := range list {
		c := list[i]
		cb.codes[c.ID] = &c
	}
	for id, c := range cb.codes {
		cb.children[c.ParentID] = append(cb.children[c.ParentID], id)
	}
	for p := range cb.children {
		cb.sortChildren(p)
	}
	return cb
}

func (cb *Codebook) sortChildren(p uint64) {
	ids := cb.children[p]
	sort.Slice(ids, func(i, j int) bool {
		a, b := cb.codes[ids[i]], cb.codes[ids[j]]
		if la, lb := strings.ToLower(a.Name), strings.ToLower(b.Name); la != lb {
			return la < lb
		}
		return a.ID < b.ID
	})
}

// Len returns the number of codes.
func (cb *Codebook) Len() int { return len(cb.codes) }

// Code returns the code with this id, or nil.
func (cb *Codebook) Code(id uint64) *Code { return cb.codes[id] }

// Children returns the ids of the direct children of parent (0: the roots).
func (cb *Codebook) Children(parent uint64) []uint64 { return cb.children[parent] }

// Path returns the full path of a code, names joined by "/".
func (cb *Codebook) Path(id uint64) string {
	var parts []string
	for seen := 0; id != 0 && seen < 1000; seen++ {
		c := cb.codes[id]
		if c == nil {
			break
		}
		parts = append(parts, c.Name)
		id = c.ParentID
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "/")
}

// Walk visits the codes depth-first in tree order (children sorted by name),
// with their depth.
// IDsByGUID maps each code's GUID, lower-cased, to its ID; codes without a
// GUID are left out. Importers use it to match incoming codes by GUID.
func (cb *Codebook) IDsByGUID() map[string]uint64 {
	m := map[string]uint64{}
	cb.Walk(func(c *Code, _ int) {
		if c.GUID != "" {
			m[strings.ToLower(c.GUID)] = c.ID
		}
	})
	return m
}

// A code with id 0 (possible only in a damaged or hostile file, which
// Problems reports) is its own child of the root and is not visited, so the
// walk always ends: a cycle among other codes cannot be reached from the
// root.
func (cb *Codebook) Walk(fn func(c *Code, depth int)) {
	var rec func(p uint64, d int)
	rec = func(p uint64, d int) {
		for _, id := range cb.children[p] {
			if id == 0 {
				continue
			}
			fn(cb.codes[id], d)
			rec(id, d+1)
		}
	}
	rec(0, 0)
}

// Descendants returns id and the ids of all codes below it.
//
// On a damaged tree with a cycle it stops once it has listed as many ids as
// the codebook holds, instead of growing without end.
func (cb *Codebook) Descendants(id uint64) []uint64 {
	out := []uint64{id}
	for i := 0; i < len(out) && len(out) <= len(cb.codes)+1; i++ {
		for _, k := range cb.children[out[i]] {
			if k != 0 {
				out = append(out, k)
			}
		}
	}
	return out
}

// IsAncestor reports whether a is b or an ancestor of b.
func (cb *Codebook) IsAncestor(a, b uint64) bool {
	for seen := 0; b != 0 && seen < 1000; seen++ {
		if a == b {
			return true
		}
		c := cb.codes[b]
		if c == nil {
			return false
		}
		b = c.ParentID
	}
	return false
}

// controlToSpace maps control characters (a NUL, an escape sequence) to a
// space, so that names fold them away with the white space.
func controlToSpace(r rune) rune {
	if unicode.IsControl(r) {
		return ' '
	}
	return r
}

// SplitPath splits a code path into its names, folding white space, and
// rejects empty parts.
func SplitPath(path string) ([]string, error) {
	raw := strings.Split(path, "/")
	parts := make([]string, 0, len(raw))
	for _, p := range raw {
		p = strings.Join(strings.Fields(strings.Map(controlToSpace, p)), " ")
		if p == "" {
			return nil, Errorf(EInvalid, "code path %q has an empty part; write it as Parent/Child", path)
		}
		parts = append(parts, p)
	}
	return parts, nil
}

// ChildNamed returns the child of parent with this name (case-insensitive).
func (cb *Codebook) ChildNamed(parent uint64, name string) *Code {
	for _, id := range cb.children[parent] {
		if strings.EqualFold(cb.codes[id].Name, name) {
			return cb.codes[id]
		}
	}
	return nil
}

// ByPath returns the code at this exact path (case-insensitive), or nil.
func (cb *Codebook) ByPath(path string) *Code {
	parts, err := SplitPath(path)
	if err != nil {
		return nil
	}
	var cur *Code
	var parent uint64
	for _, p := range parts {
		cur = cb.ChildNamed(parent, p)
		if cur == nil {
			return nil
		}
		parent = cur.ID
	}
	return cur
}

// Resolve finds a code by full path, or by a name or path suffix that is
// unique in the tree (case-insensitive). The error suggests close names.
func (cb *Codebook) Resolve(ref string) (*Code, error) {
	if _, err := SplitPath(ref); err != nil {
		return nil, err
	}
	if c := cb.ByPath(ref); c != nil {
		return c, nil
	}
	norm := strings.ToLower(strings.Join(strings.Fields(ref), " "))
	var matches []*Code
	for id, c := range cb.codes {
		p := strings.ToLower(cb.Path(id))
		if p == norm || strings.HasSuffix(p, "/"+norm) {
			matches = append(matches, c)
		}
	}
	if len(matches) == 1 {
		return matches[0], nil
	}
	if len(matches) > 1 {
		var paths []string
		for _, m := range matches {
			paths = append(paths, cb.Path(m.ID))
		}
		sort.Strings(paths)
		return nil, Errorf(EInvalid, "code %q is ambiguous: %s; give the full path", ref, QuoteList(paths))
	}
	var all []string
	for id := range cb.codes {
		all = append(all, cb.Path(id))
	}
	sort.Strings(all)
	return nil, NotFound("code", ref, all, NextListCodes)
}

var colorRe = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

var namedColors = map[string]string{
	"red": "#e63946", "green": "#2a9d8f", "blue": "#457b9d", "yellow": "#e9c46a",
	"orange": "#f4a261", "purple": "#7b2cbf", "pink": "#ff70a6", "grey": "#8d99ae",
	"gray": "#8d99ae", "teal": "#2a9d8f", "brown": "#8d5524", "black": "#222222",
}

// NormColor validates a colour (#rgb, #rrggbb or a few names) and returns it
// as lower-case #rrggbb; "" stays "".
func NormColor(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if c, ok := namedColors[strings.ToLower(s)]; ok {
		return c, nil
	}
	if !colorRe.MatchString(s) {
		return "", Errorf(EInvalid, "%q is not a colour; use #rrggbb (for example #2a9d8f) or a name such as red, green, blue", s)
	}
	s = strings.ToLower(s)
	if len(s) == 4 {
		s = fmt.Sprintf("#%c%c%c%c%c%c", s[1], s[1], s[2], s[2], s[3], s[3])
	}
	return s, nil
}

// NewGUID returns a random RFC 4122 version-4 UUID, the stable identity of
// a code across renames, moves and exchange with other tools.
func NewGUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// CleanName folds the white space of a code name and checks it: a name is
// not empty and holds no "/", which separates the parts of a path.
func CleanName(name string) (string, error) {
	name = strings.Map(controlToSpace, name)
	n := strings.Join(strings.Fields(name), " ")
	if n == "" {
		return "", Errorf(EInvalid, "a code name cannot be empty")
	}
	if strings.Contains(n, "/") {
		return "", Errorf(EInvalid, "code name %q holds a \"/\", which separates the parts of a path; give the name alone", n)
	}
	return n, nil
}

// Put adds c to the tree or replaces the code with c's id, keeping the
// indexes in step. It does not validate the tree.
func (cb *Codebook) Put(c Code) {
	if old := cb.codes[c.ID]; old != nil {
		cb.unlink(old.ParentID, c.ID)
	}
	cp := c
	cb.codes[c.ID] = &cp
	cb.children[c.ParentID] = append(cb.children[c.ParentID], c.ID)
	cb.sortChildren(c.ParentID)
}

// Remove takes the code with this id out of the tree (its children, if
// any, are left pointing to it: remove them first).
func (cb *Codebook) Remove(id uint64) {
	if old := cb.codes[id]; old != nil {
		cb.unlink(old.ParentID, id)
		delete(cb.codes, id)
	}
}

func (cb *Codebook) unlink(parent, id uint64) {
	ids := cb.children[parent]
	for i, x := range ids {
		if x == id {
			cb.children[parent] = append(ids[:i:i], ids[i+1:]...)
			break
		}
	}
	if len(cb.children[parent]) == 0 {
		delete(cb.children, parent)
	}
}

// CheckPlace reports a conflict when a code named name would sit under
// parent next to a sibling of the same name (case-insensitive); self is the
// code being placed (0 for a new one) and does not clash with itself.
func (cb *Codebook) CheckPlace(parent uint64, name string, self uint64) error {
	if parent != 0 && cb.codes[parent] == nil {
		return Errorf(ENotFound, "parent code %d does not exist", parent)
	}
	if c := cb.ChildNamed(parent, name); c != nil && c.ID != self {
		return Errorf(EConflict, "code %q already exists", cb.Path(c.ID))
	}
	return nil
}

// Missing returns, for a path, the deepest existing code on it (nil when
// none) and the names below it that do not exist yet, in order.
func (cb *Codebook) Missing(path string) (*Code, []string, error) {
	parts, err := SplitPath(path)
	if err != nil {
		return nil, nil, err
	}
	var cur *Code
	var parent uint64
	for i, p := range parts {
		c := cb.ChildNamed(parent, p)
		if c == nil {
			return cur, parts[i:], nil
		}
		cur, parent = c, c.ID
	}
	return cur, nil, nil
}

// Problems checks the tree: every parent exists, there is no cycle, no two
// siblings share a name, and GUIDs are unique. It returns one line per
// problem.
func (cb *Codebook) Problems() []string {
	var probs []string
	guids := map[string]uint64{}
	ids := make([]uint64, 0, len(cb.codes))
	for id := range cb.codes {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		c := cb.codes[id]
		if id == 0 {
			probs = append(probs, fmt.Sprintf("code %q has no id (0)", c.Name))
			continue
		}
		if c.ParentID != 0 && cb.codes[c.ParentID] == nil {
			probs = append(probs, fmt.Sprintf("code %d %q has missing parent %d", id, c.Name, c.ParentID))
		}
		steps, p := 0, c.ParentID
		for p != 0 && steps <= len(cb.codes) {
			if p == id {
				probs = append(probs, fmt.Sprintf("code %d %q is its own ancestor", id, c.Name))
				break
			}
			pc := cb.codes[p]
			if pc == nil {
				break
			}
			p = pc.ParentID
			steps++
		}
		if c.GUID != "" {
			if other, ok := guids[c.GUID]; ok {
				probs = append(probs, fmt.Sprintf("codes %d and %d share the GUID %s", other, id, c.GUID))
			}
			guids[c.GUID] = id
		}
	}
	for parent, kids := range cb.children {
		seen := map[string]uint64{}
		for _, k := range kids {
			n := strings.ToLower(cb.codes[k].Name)
			if other, ok := seen[n]; ok {
				probs = append(probs, fmt.Sprintf("codes %d and %d under parent %d share the name %q", other, k, parent, cb.codes[k].Name))
			}
			seen[n] = k
		}
	}
	sort.Strings(probs)
	return probs
}
