package agreement

import (
	"cmp"
	"slices"
)

// Character-level agreement without a value per character: the codings of
// one document are swept as interval events, and each stretch between two
// consecutive event positions, where every coder's state is constant, is
// counted once with its length as weight. The cost is O(c log c) for c
// codings, whatever the length of the text.

// ival is one clipped coding: coder, value (exclusive group index, 0 in
// binary mode) and [s,e) in compared document doc.
type ival struct {
	doc   int32
	coder int32
	val   int32
	s, e  int
}

type event struct {
	pos   int
	coder int32
	val   int32
	delta int32
}

// sweeper holds the buffers reused across documents.
type sweeper struct {
	m, k   int
	cnt    []int32  // [coder*k+val] open codings
	sets   []uint64 // per coder: values with an open coding
	events []event
}

func newSweeper(m, k int) *sweeper {
	return &sweeper{m: m, k: k, cnt: make([]int32, m*k), sets: make([]uint64, m)}
}

// sweep calls f for every maximal stretch [s,e) of one document's intervals
// during which the per-coder value sets are constant and not all empty.
// sets is only valid during the call.
func (w *sweeper) sweep(ivs []ival, f func(s, e int, sets []uint64)) {
	w.events = w.events[:0]
	for _, iv := range ivs {
		w.events = append(w.events,
			event{iv.s, iv.coder, iv.val, +1},
			event{iv.e, iv.coder, iv.val, -1})
	}
	slices.SortFunc(w.events, func(a, b event) int { return cmp.Compare(a.pos, b.pos) })
	clear(w.cnt)
	clear(w.sets)
	open := 0
	prev := 0
	for i := 0; i < len(w.events); {
		pos := w.events[i].pos
		if open > 0 && pos > prev {
			f(prev, pos, w.sets)
		}
		for ; i < len(w.events) && w.events[i].pos == pos; i++ {
			ev := w.events[i]
			j := int(ev.coder)*w.k + int(ev.val)
			w.cnt[j] += ev.delta
			open += int(ev.delta)
			if w.cnt[j] > 0 {
				w.sets[ev.coder] |= 1 << ev.val
			} else {
				w.sets[ev.coder] &^= 1 << ev.val
			}
		}
		prev = pos
	}
}

// byDoc groups intervals by document (sorting them) and calls f per group.
func byDoc(ivs []ival, f func(doc int, group []ival)) {
	slices.SortFunc(ivs, func(a, b ival) int { return cmp.Or(cmp.Compare(a.doc, b.doc), cmp.Compare(a.s, b.s)) })
	for i := 0; i < len(ivs); {
		j := i
		for j < len(ivs) && ivs[j].doc == ivs[i].doc {
			j++
		}
		f(int(ivs[i].doc), ivs[i:j])
		i = j
	}
}

func (c *comp) totalChars() int64 {
	var t int64
	for _, n := range c.runeLen {
		t += int64(n)
	}
	return t
}

func (c *comp) charBinary() {
	m := len(c.coders)
	perCode := make([][]ival, len(c.codes))
	for _, cd := range c.codings {
		for _, ci := range c.matchCode(cd.code) {
			perCode[ci] = append(perCode[ci], ival{cd.doc, cd.coder, 0, cd.start, cd.end})
		}
	}
	total := c.totalChars()
	hists := make([]map[uint64]int64, len(c.codes))
	if c.in.Disagreements {
		c.dis = []Disagreement{}
	}
	w := newSweeper(m, 1)
	for ci, ivs := range perCode {
		h := map[uint64]int64{}
		var covered int64
		byDoc(ivs, func(di int, group []ival) {
			last := -1 // index in c.dis of this document's last run
			var lastMask uint64
			w.sweep(group, func(s, e int, sets []uint64) {
				var mask uint64
				for i, set := range sets {
					if set != 0 {
						mask |= 1 << i
					}
				}
				h[mask] += int64(e - s)
				covered += int64(e - s)
				if !c.in.Disagreements || mask == c.full {
					return
				}
				if last >= 0 && lastMask == mask && c.dis[last].End == s {
					c.dis[last].End = e
					return
				}
				d := c.charDisagreement(c.codes[ci], di, s, e)
				for i, name := range c.coders {
					if mask&(1<<i) != 0 {
						d.ByCoder[name] = []string{c.codes[ci]}
					}
				}
				last, lastMask = len(c.dis), mask
				c.dis = append(c.dis, d)
			})
		})
		h[0] += total - covered
		hists[ci] = h
	}
	c.binaryStats(hists)
	c.fillCharText()
}

func (c *comp) charDisagreement(code string, di, s, e int) Disagreement {
	doc := c.docs[di]
	return Disagreement{
		Code: code, Case: doc.Case, Doc: doc.ID, DocName: doc.Name,
		Start: s, End: e, ByCoder: c.emptyByCoder(),
	}
}

// fillCharText sets the text of merged character runs.
func (c *comp) fillCharText() {
	for i := range c.dis {
		d := &c.dis[i]
		d.Text = c.text(c.docIdx[d.Doc], d.Start, d.End)
	}
	for i := range c.conflicts {
		d := &c.conflicts[i]
		d.Text = c.text(c.docIdx[d.Doc], d.Start, d.End)
	}
}

func (c *comp) charExclusive() {
	m := len(c.coders)
	var ivs []ival
	for _, cd := range c.codings {
		for _, v := range c.matchCode(cd.code) {
			ivs = append(ivs, ival{cd.doc, cd.coder, int32(v), cd.start, cd.end})
		}
	}
	if c.in.Disagreements {
		c.dis = []Disagreement{}
	}
	h := map[string]int64{}
	key := make([]byte, m)
	var covered int64
	w := newSweeper(m, len(c.codes))
	lastConf := make([]int, m)
	lastConfSet := make([]uint64, m)
	byDoc(ivs, func(di int, group []ival) {
		last := -1
		var lastKey string
		for i := range lastConf {
			lastConf[i] = -1
		}
		w.sweep(group, func(s, e int, sets []uint64) {
			same := true
			for i, set := range sets {
				key[i] = cellByte(set)
				if set != sets[0] {
					same = false
				}
				if key[i] != conflictByte {
					continue
				}
				if j := lastConf[i]; j >= 0 && lastConfSet[i] == set && c.conflicts[j].End == s {
					c.conflicts[j].End = e
					continue
				}
				doc := c.docs[di]
				lastConf[i], lastConfSet[i] = len(c.conflicts), set
				c.conflicts = append(c.conflicts, Conflict{
					Coder: c.coders[i], Case: doc.Case, Doc: doc.ID, DocName: doc.Name,
					Start: s, End: e, Codes: c.valuesOf(set),
				})
			}
			k := string(key)
			h[k] += int64(e - s)
			covered += int64(e - s)
			if same || !c.in.Disagreements {
				return
			}
			if last >= 0 && lastKey == k && c.dis[last].End == s && sameSets(c.dis[last].ByCoder, c, sets) {
				c.dis[last].End = e
				return
			}
			d := c.charDisagreement(c.groupName(), di, s, e)
			for i, set := range sets {
				d.ByCoder[c.coders[i]] = c.valuesOf(set)
			}
			last, lastKey = len(c.dis), k
			c.dis = append(c.dis, d)
		})
	})
	h[string(make([]byte, m))] += c.totalChars() - covered
	c.exclusiveStats(h)
	c.fillCharText()
}

// sameSets reports whether a disagreement's codes per coder equal sets.
// Keys already match, so only coders in conflict need a closer look.
func sameSets(by map[string][]string, c *comp, sets []uint64) bool {
	for i, set := range sets {
		if cellByte(set) != conflictByte {
			continue
		}
		if !slices.Equal(by[c.coders[i]], c.valuesOf(set)) {
			return false
		}
	}
	return true
}
