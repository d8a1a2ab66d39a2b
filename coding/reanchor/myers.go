package reanchor

import "sort"

// maxD bounds the edit distance the greedy Myers search explores (its
// trace takes D² ints); beyond it the texts are split at words unique to
// both (patience diff) and each gap is diffed on its own.
const maxD = 2000

// Myers matches two token sequences with Myers' O(ND) diff, after
// trimming their common prefix and suffix. Very different sequences fall
// back to patience anchors (see maxD).
func Myers(a, b []int) [][2]int {
	var out [][2]int
	diffInto(a, b, 0, 0, &out, 0)
	return out
}

func diffInto(a, b []int, ao, bo int, out *[][2]int, depth int) {
	// Common prefix.
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		*out = append(*out, [2]int{ao + p, bo + p})
		p++
	}
	a, b = a[p:], b[p:]
	ao, bo = ao+p, bo+p
	// Common suffix (appended after the middle).
	s := 0
	for s < len(a) && s < len(b) && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	ma, mb := a[:len(a)-s], b[:len(b)-s]
	if len(ma) > 0 && len(mb) > 0 {
		if pairs, ok := myersCore(ma, mb); ok {
			for _, q := range pairs {
				*out = append(*out, [2]int{ao + q[0], bo + q[1]})
			}
		} else if depth < 8 {
			patience(ma, mb, ao, bo, out, depth+1)
		}
	}
	for k := 0; k < s; k++ {
		*out = append(*out, [2]int{ao + len(ma) + k, bo + len(mb) + k})
	}
}

// myersCore is the greedy forward Myers search with its trace, then the
// walk back. It gives up (false) beyond maxD edits.
func myersCore(a, b []int) ([][2]int, bool) {
	n, m := len(a), len(b)
	max := n + m
	off := max + 1
	v := make([]int32, 2*max+3)
	var trace [][]int32
	found := -1
	for d := 0; d <= max && d <= maxD; d++ {
		// Keep the part of v that this step reads: diagonals [-d-1, d+1].
		snap := make([]int32, 2*d+3)
		copy(snap, v[off-d-1:off+d+2])
		trace = append(trace, snap)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = int(v[off+k+1])
			} else {
				x = int(v[off+k-1]) + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = int32(x)
			if x >= n && y >= m {
				found = d
				break
			}
		}
		if found >= 0 {
			break
		}
	}
	if found < 0 {
		return nil, false
	}
	// Walk back.
	var pairs [][2]int
	x, y := n, m
	for d := found; d > 0; d-- {
		vd := trace[d] // v before step d: diagonal k at index k+d+1
		get := func(k int) int { return int(vd[k+d+1]) }
		k := x - y
		var pk int
		if k == -d || (k != d && get(k-1) < get(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := get(pk)
		py := px - pk
		for x > px && y > py {
			x--
			y--
			pairs = append(pairs, [2]int{x, y})
		}
		x, y = px, py
	}
	for x > 0 && y > 0 {
		x--
		y--
		pairs = append(pairs, [2]int{x, y})
	}
	for i, j := 0, len(pairs)-1; i < j; i, j = i+1, j-1 {
		pairs[i], pairs[j] = pairs[j], pairs[i]
	}
	return pairs, true
}

// patience anchors on tokens that occur once in each sequence, keeps the
// longest increasing run of them, and diffs the gaps between anchors.
func patience(a, b []int, ao, bo int, out *[][2]int, depth int) {
	ca, cb := map[int]int{}, map[int]int{}
	pb := map[int]int{}
	for _, t := range a {
		ca[t]++
	}
	for j, t := range b {
		cb[t]++
		pb[t] = j
	}
	type pair struct{ i, j int }
	var cand []pair
	for i, t := range a {
		if ca[t] == 1 && cb[t] == 1 {
			cand = append(cand, pair{i, pb[t]})
		}
	}
	// Longest increasing subsequence of j over cand (ordered by i).
	tails := []int{}
	prev := make([]int, len(cand))
	for c := range cand {
		j := cand[c].j
		pos := sort.Search(len(tails), func(x int) bool { return cand[tails[x]].j >= j })
		if pos > 0 {
			prev[c] = tails[pos-1]
		} else {
			prev[c] = -1
		}
		if pos == len(tails) {
			tails = append(tails, c)
		} else {
			tails[pos] = c
		}
	}
	var anchors []pair
	if len(tails) > 0 {
		for c := tails[len(tails)-1]; c >= 0; c = prev[c] {
			anchors = append(anchors, cand[c])
		}
		for i, j := 0, len(anchors)-1; i < j; i, j = i+1, j-1 {
			anchors[i], anchors[j] = anchors[j], anchors[i]
		}
	}
	if len(anchors) == 0 {
		return // nothing in common worth trusting: all replaced
	}
	li, lj := 0, 0
	for _, an := range anchors {
		diffInto(a[li:an.i], b[lj:an.j], ao+li, bo+lj, out, depth)
		*out = append(*out, [2]int{ao + an.i, bo + an.j})
		li, lj = an.i+1, an.j+1
	}
	diffInto(a[li:], b[lj:], ao+li, bo+lj, out, depth)
}
