package store

import (
	"fmt"
	"strings"

	"github.com/tacit-qda/tacit/coding"
)

// The operations in this file are the logical changes of the codebook.
// Each validates its input against the store, writes its records and logs
// its audit event in the caller's transaction, so a failure leaves nothing
// behind (Store.Update rolls the transaction back).

func codeTarget(id uint64) string { return fmt.Sprintf("code:%d", id) }

// codebookWith reads the codebook and code id in it, or gives a not-found
// error when there is no such code.
func (tx *Tx) codebookWith(id uint64) (*coding.Codebook, *coding.Code, error) {
	cb, err := tx.Codes()
	if err != nil {
		return nil, nil, err
	}
	c := cb.Code(id)
	if c == nil {
		return nil, nil, coding.Errorf(coding.ENotFound, "code %d does not exist", id)
	}
	return cb, c, nil
}

// AddCode creates the code at path with its description and colour,
// creating missing parents like mkdir -p. It returns the new code and
// every code created (parents first). An existing path is a conflict.
func (tx *Tx) AddCode(actor, path, description, color string) (*coding.Code, []*coding.Code, error) {
	color, err := coding.NormColor(color)
	if err != nil {
		return nil, nil, err
	}
	cb, err := tx.Codes()
	if err != nil {
		return nil, nil, err
	}
	deepest, missing, err := cb.Missing(path)
	if err != nil {
		return nil, nil, err
	}
	if len(missing) == 0 {
		return nil, nil, &coding.Error{Kind: coding.EConflict, Message: fmt.Sprintf("code %q already exists", cb.Path(deepest.ID)), Next: coding.NextEditCode}
	}
	var parent uint64
	if deepest != nil {
		parent = deepest.ID
	}
	var created []*coding.Code
	for i, name := range missing {
		c := &coding.Code{GUID: coding.NewGUID(), Name: name, ParentID: parent, CreatedAt: tx.Now()}
		if i == len(missing)-1 {
			c.Description = strings.TrimSpace(description)
			c.Color = color
		}
		if err := tx.PutCode(c); err != nil {
			return nil, nil, err
		}
		cb.Put(*c)
		created = append(created, c)
		parent = c.ID
	}
	last := created[len(created)-1]
	summary := fmt.Sprintf("added code %q", cb.Path(last.ID))
	if len(created) > 1 {
		var ps []string
		for _, c := range created[:len(created)-1] {
			ps = append(ps, cb.Path(c.ID))
		}
		summary += " with its parents " + coding.QuoteList(ps)
	}
	err = tx.Log(&coding.Event{Actor: actor, Action: ActionCodeAdd, Target: codeTarget(last.ID), Summary: summary})
	return last, created, err
}

// EditCode changes a code's description and/or colour (nil: unchanged).
func (tx *Tx) EditCode(actor string, id uint64, description, color *string) (*coding.Code, error) {
	cb, old, err := tx.codebookWith(id)
	if err != nil {
		return nil, err
	}
	c := *old
	var changes []string
	if description != nil && strings.TrimSpace(*description) != c.Description {
		c.Description = strings.TrimSpace(*description)
		changes = append(changes, "description")
	}
	if color != nil {
		col, err := coding.NormColor(*color)
		if err != nil {
			return nil, err
		}
		if col != c.Color {
			c.Color = col
			changes = append(changes, fmt.Sprintf("colour %s", dashIfEmpty(col)))
		}
	}
	if len(changes) == 0 {
		return &c, nil
	}
	if err := tx.PutCode(&c); err != nil {
		return nil, err
	}
	return &c, tx.Log(&coding.Event{Actor: actor, Action: ActionCodeEdit, Target: codeTarget(id),
		Summary: fmt.Sprintf("changed the %s of code %q", strings.Join(changes, " and "), cb.Path(id))})
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// RenameCode gives a code a new name, or with a "/" in newRef a new full
// path (whose parent must exist): a rename and a move at once.
func (tx *Tx) RenameCode(actor string, id uint64, newRef string) (*coding.Code, error) {
	cb, old, err := tx.codebookWith(id)
	if err != nil {
		return nil, err
	}
	c := *old
	parts, err := coding.SplitPath(newRef)
	if err != nil {
		return nil, err
	}
	name := parts[len(parts)-1]
	parent := c.ParentID
	if len(parts) > 1 {
		pp := strings.Join(parts[:len(parts)-1], "/")
		p := cb.ByPath(pp)
		if p == nil {
			return nil, &coding.Error{Kind: coding.ENotFound, Message: fmt.Sprintf("no code %q to hold %q", pp, name), Next: coding.NextAddCode}
		}
		parent = p.ID
	}
	return tx.placeCode(actor, cb, c, parent, name)
}

// MoveCode places a code (with its sub-codes and codings) under another
// parent; parent 0 makes it a top-level code.
func (tx *Tx) MoveCode(actor string, id, parent uint64) (*coding.Code, error) {
	cb, old, err := tx.codebookWith(id)
	if err != nil {
		return nil, err
	}
	return tx.placeCode(actor, cb, *old, parent, old.Name)
}

func (tx *Tx) placeCode(actor string, cb *coding.Codebook, c coding.Code, parent uint64, name string) (*coding.Code, error) {
	oldPath := cb.Path(c.ID)
	if parent != 0 && cb.IsAncestor(c.ID, parent) {
		return nil, coding.Errorf(coding.EInvalid, "cannot move %q into itself or its own sub-code %q", oldPath, cb.Path(parent))
	}
	if parent == c.ParentID && name == c.Name {
		return nil, coding.Errorf(coding.EInvalid, "code %q is already there under that name", oldPath)
	}
	if err := cb.CheckPlace(parent, name, c.ID); err != nil {
		return nil, err
	}
	action := ActionCodeRename
	if parent != c.ParentID && strings.EqualFold(name, c.Name) {
		action = ActionCodeMove
	}
	c.ParentID, c.Name = parent, name
	if err := tx.PutCode(&c); err != nil {
		return nil, err
	}
	cb.Put(c)
	verb := "renamed"
	if action == ActionCodeMove {
		verb = "moved"
	}
	return &c, tx.Log(&coding.Event{Actor: actor, Action: action, Target: codeTarget(c.ID),
		Summary: fmt.Sprintf("%s code %q to %q", verb, oldPath, cb.Path(c.ID))})
}

// MergeResult says what a merge did.
type MergeResult struct {
	From       string `json:"from"`
	Into       string `json:"into"`
	Moved      int    `json:"moved"`       // codings re-pointed
	Collapsed  int    `json:"collapsed"`   // duplicates removed (same document, span and coder)
	SubCodes   int    `json:"sub_codes"`   // sub-codes moved under the target
	Merged     int    `json:"merged"`      // codes merged (the source and same-named sub-codes)
	MemosMoved int    `json:"memos_moved"` // memos re-targeted
}

// MergeCode merges code src into dst: src's codings are re-pointed to dst
// (a coding identical to one of dst's, with the same document, span and
// coder, collapses into it, its memo kept), its memos follow, its
// sub-codes move under dst (merging into a same-named sub-code of dst),
// and src is deleted. Merging a code into itself or into its own sub-code
// is refused.
func (tx *Tx) MergeCode(actor string, src, dst uint64) (*MergeResult, error) {
	cb, err := tx.Codes()
	if err != nil {
		return nil, err
	}
	if cb.Code(src) == nil || cb.Code(dst) == nil {
		return nil, coding.Errorf(coding.ENotFound, "code %d or %d does not exist", src, dst)
	}
	res := &MergeResult{From: cb.Path(src), Into: cb.Path(dst)}
	if src == dst {
		return nil, coding.Errorf(coding.EInvalid, "cannot merge %q into itself", res.From)
	}
	if cb.IsAncestor(src, dst) {
		return nil, coding.Errorf(coding.EInvalid, "cannot merge %q into its own sub-code %q; move the sub-code out first", res.From, res.Into)
	}
	if err := tx.mergeInto(cb, src, dst, res); err != nil {
		return nil, err
	}
	summary := fmt.Sprintf("merged code %q into %q: %s moved, %s collapsed", res.From, res.Into, plural(res.Moved, "coding"), plural(res.Collapsed, "duplicate"))
	if res.SubCodes > 0 {
		summary += ", " + plural(res.SubCodes, "sub-code") + " moved"
	}
	return res, tx.Log(&coding.Event{Actor: actor, Action: ActionCodeMerge, Target: codeTarget(dst), Summary: summary})
}

type spanKey struct {
	doc        uint64
	start, end int
	coder      string
}

func (tx *Tx) mergeInto(cb *coding.Codebook, src, dst uint64, res *MergeResult) error {
	res.Merged++
	have, err := tx.CodingsByCode(dst)
	if err != nil {
		return err
	}
	byKey := make(map[spanKey]*coding.Coding, len(have))
	for i := range have {
		c := &have[i]
		byKey[spanKey{c.DocID, c.Start, c.End, c.Coder}] = c
	}
	moving, err := tx.CodingsByCode(src)
	if err != nil {
		return err
	}
	for i := range moving {
		c := moving[i]
		k := spanKey{c.DocID, c.Start, c.End, c.Coder}
		if kept := byKey[k]; kept != nil {
			changed := false
			if c.Memo != "" && c.Memo != kept.Memo {
				if kept.Memo == "" {
					kept.Memo = c.Memo
				} else {
					kept.Memo += "\n\n" + c.Memo
				}
				changed = true
			}
			if c.Key && !kept.Key {
				kept.Key, changed = true, true
			}
			if changed {
				if err := tx.UpdateCoding(kept); err != nil {
					return err
				}
			}
			n, err := tx.retargetMemos(coding.MemoCoding, c.ID, kept.ID)
			if err != nil {
				return err
			}
			res.MemosMoved += n
			if err := tx.DeleteCoding(c.ID); err != nil {
				return err
			}
			res.Collapsed++
			continue
		}
		c.CodeID = dst
		if err := tx.UpdateCoding(&c); err != nil {
			return err
		}
		byKey[k] = &c
		res.Moved++
	}
	n, err := tx.retargetMemos(coding.MemoCode, src, dst)
	if err != nil {
		return err
	}
	res.MemosMoved += n
	for _, kid := range append([]uint64(nil), cb.Children(src)...) {
		k := *cb.Code(kid)
		if same := cb.ChildNamed(dst, k.Name); same != nil {
			if err := tx.mergeInto(cb, kid, same.ID, res); err != nil {
				return err
			}
			continue
		}
		k.ParentID = dst
		if err := tx.PutCode(&k); err != nil {
			return err
		}
		cb.Put(k)
		res.SubCodes++
	}
	sc, dc := cb.Code(src), *cb.Code(dst)
	if dc.Description == "" && sc.Description != "" {
		dc.Description = sc.Description
		if err := tx.PutCode(&dc); err != nil {
			return err
		}
		cb.Put(dc)
	}
	if err := tx.DeleteCode(src); err != nil {
		return err
	}
	cb.Remove(src)
	return nil
}

func (tx *Tx) retargetMemos(target string, from, to uint64) (int, error) {
	memos, err := tx.Memos(target, from)
	if err != nil {
		return 0, err
	}
	for _, m := range memos {
		m.TargetID = to
		if err := tx.PutMemo(m); err != nil {
			return 0, err
		}
	}
	return len(memos), nil
}

// DeleteResult says what a code deletion removed.
type DeleteResult struct {
	Path      string `json:"path"`
	Codes     int    `json:"codes"`
	Codings   int    `json:"codings"`
	Documents int    `json:"documents"`
	Memos     int    `json:"memos"`
}

// DeleteCodeTree removes a code. A code with sub-codes or codings is refused
// unless force, which removes the sub-codes, every coding of them all and
// the memos on them; the result says how many went.
func (tx *Tx) DeleteCodeTree(actor string, id uint64, force bool) (*DeleteResult, error) {
	cb, _, err := tx.codebookWith(id)
	if err != nil {
		return nil, err
	}
	ids := cb.Descendants(id)
	res := &DeleteResult{Path: cb.Path(id), Codes: len(ids)}
	docs := map[uint64]bool{}
	var all []coding.Coding
	for _, c := range ids {
		cs, err := tx.CodingsByCode(c)
		if err != nil {
			return nil, err
		}
		for _, x := range cs {
			docs[x.DocID] = true
		}
		all = append(all, cs...)
	}
	res.Codings, res.Documents = len(all), len(docs)
	if !force && (len(all) > 0 || len(ids) > 1) {
		var what []string
		if len(ids) > 1 {
			what = append(what, plural(len(ids)-1, "sub-code"))
		}
		if len(all) > 0 {
			what = append(what, plural(len(all), "coding")+" in "+plural(len(docs), "document"))
		}
		return nil, &coding.Error{Kind: coding.EConflict, Message: fmt.Sprintf("code %q has %s", res.Path, strings.Join(what, " and ")), Next: coding.NextCodeInUse}
	}
	for _, c := range all {
		memos, err := tx.Memos(coding.MemoCoding, c.ID)
		if err != nil {
			return nil, err
		}
		res.Memos += len(memos)
		if err := tx.DeleteCoding(c.ID); err != nil {
			return nil, err
		}
	}
	for i := len(ids) - 1; i >= 0; i-- {
		memos, err := tx.Memos(coding.MemoCode, ids[i])
		if err != nil {
			return nil, err
		}
		for _, m := range memos {
			if err := tx.DeleteMemo(m.ID); err != nil {
				return nil, err
			}
		}
		res.Memos += len(memos)
		if err := tx.DeleteCode(ids[i]); err != nil {
			return nil, err
		}
	}
	summary := fmt.Sprintf("deleted code %q", res.Path)
	if res.Codes > 1 {
		summary += " with " + plural(res.Codes-1, "sub-code")
	}
	if res.Codings > 0 {
		summary += " and " + plural(res.Codings, "coding") + " in " + plural(res.Documents, "document")
	}
	return res, tx.Log(&coding.Event{Actor: actor, Action: ActionCodeDelete, Target: codeTarget(id), Summary: summary})
}

// ImportResult says what a codebook import changed.
type ImportResult struct {
	Created   int      `json:"created"`
	Updated   int      `json:"updated"`
	Unchanged int      `json:"unchanged"`
	Paths     []string `json:"created_paths"`
}

// ImportCodebook merges a parsed codebook into the project's: a code is
// matched by GUID, else by path (case-insensitive); missing codes are
// created with their parents; a matched code takes the file's description
// and colour where the file gives them. Nothing is deleted or moved.
func (tx *Tx) ImportCodebook(actor string, flat []coding.FlatCode) (*ImportResult, error) {
	cb, err := tx.Codes()
	if err != nil {
		return nil, err
	}
	byGUID := cb.IDsByGUID()
	res := &ImportResult{Paths: []string{}}
	for _, f := range flat {
		var cur *coding.Code
		if f.GUID != "" {
			if id, ok := byGUID[strings.ToLower(f.GUID)]; ok {
				cur = cb.Code(id)
			}
		}
		if cur == nil {
			deepest, missing, err := cb.Missing(f.Path)
			if err != nil {
				return nil, err
			}
			if len(missing) > 0 {
				var parent uint64
				if deepest != nil {
					parent = deepest.ID
				}
				for i, name := range missing {
					c := &coding.Code{GUID: coding.NewGUID(), Name: name, ParentID: parent, CreatedAt: tx.Now()}
					if i == len(missing)-1 {
						if f.GUID != "" {
							c.GUID = f.GUID
						}
						c.Description, c.Color = f.Description, f.Color
					}
					if err := tx.PutCode(c); err != nil {
						return nil, err
					}
					cb.Put(*c)
					byGUID[strings.ToLower(c.GUID)] = c.ID
					res.Created++
					res.Paths = append(res.Paths, cb.Path(c.ID))
					parent = c.ID
				}
				continue
			}
			cur = deepest
		}
		c := *cur
		if f.Description != "" {
			c.Description = f.Description
		}
		if f.Color != "" {
			c.Color = f.Color
		}
		if c != *cur {
			if err := tx.PutCode(&c); err != nil {
				return nil, err
			}
			cb.Put(c)
			res.Updated++
		} else {
			res.Unchanged++
		}
	}
	if res.Created+res.Updated == 0 {
		return res, nil
	}
	return res, tx.Log(&coding.Event{Actor: actor, Action: ActionCodebookImport, Target: "codebook",
		Summary: fmt.Sprintf("imported a codebook: %d codes created, %d updated, %d unchanged", res.Created, res.Updated, res.Unchanged)})
}

// plural writes "1 coding", "2 codings".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
