package agreement

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Missing marks a missing value in the unit-by-coder data given to
// Coincidences: the coder did not give the unit a value.
const Missing = -1

// Coef is a coefficient that may be undefined. When OK is false, Value is
// meaningless and Reason says why the coefficient cannot be computed (no
// units, no variation, ...). A Coef never holds NaN or an infinity.
//
// In JSON a Coef is a number rounded to six decimals, or null when undefined.
type Coef struct {
	Value  float64
	OK     bool
	Reason string
}

func defined(v float64) Coef             { return Coef{Value: v, OK: true} }
func undefined(r string) Coef            { return Coef{Reason: r} }
func undefinedf(f string, a ...any) Coef { return Coef{Reason: fmt.Sprintf(f, a...)} }

// MarshalJSON writes the value rounded to six decimals, or null.
func (c Coef) MarshalJSON() ([]byte, error) {
	if !c.OK {
		return []byte("null"), nil
	}
	return json.Marshal(round6(c.Value))
}

// UnmarshalJSON reads what MarshalJSON writes (a report sent by 'tacit
// serve' to the CLI): a number, or null for an undefined value (whose
// reason the JSON does not carry).
func (c *Coef) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*c = Coef{Reason: "undefined"}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Coef{Value: v, OK: true}
	return nil
}

// String formats the value with three decimals, or "n/a".
func (c Coef) String() string {
	if !c.OK {
		return "n/a"
	}
	return fmt3(c.Value)
}

func round6(v float64) float64 {
	r := math.Round(v*1e6) / 1e6
	if r == 0 {
		return 0 // no "-0"
	}
	return r
}

func fmt3(v float64) string {
	s := strconv.FormatFloat(v, 'f', 3, 64)
	if s == "-0.000" {
		s = "0.000"
	}
	return s
}

// CohenKappa returns Cohen's (1960) kappa of a k-by-k contingency table of
// two coders: table[i][j] counts the units coder A put in category i and
// coder B in category j. With N the total, po the observed share on the
// diagonal and pe = Σ_i (row_i/N)(col_i/N) the chance agreement computed from
// each coder's own marginals,
//
//	kappa = (po - pe) / (1 - pe) = (N·Σ_i t_ii - Σ_i row_i·col_i) / (N² - Σ_i row_i·col_i).
//
// Kappa is undefined when the table is empty or not square, and when pe = 1
// (both coders used one and the same category for every unit: 0/0).
func CohenKappa(table [][]float64) Coef {
	k := len(table)
	for _, r := range table {
		if len(r) != k {
			return undefined("the contingency table is not square")
		}
	}
	rows := make([]float64, k)
	cols := make([]float64, k)
	var n, diag float64
	for i, r := range table {
		for j, v := range r {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return undefined("the contingency table has a negative or non-finite count")
			}
			rows[i] += v
			cols[j] += v
			n += v
			if i == j {
				diag += v
			}
		}
	}
	if n == 0 {
		return undefined("there are no units that both coders coded")
	}
	var chance float64
	for i := range rows {
		chance += rows[i] * cols[i]
	}
	den := n*n - chance
	if den <= 0 {
		return undefined("both coders gave every unit the same single category, so chance agreement is 1 and kappa is 0/0")
	}
	return defined((n*diag - chance) / den)
}

// FleissKappa returns Fleiss' (1971) kappa of a subjects-by-categories table:
// counts[i][j] is the number of raters who put subject i in category j, and
// every subject has the same number n ≥ 2 of ratings. With N subjects,
// p_j = Σ_i n_ij / (N·n), P_i = (Σ_j n_ij² - n) / (n(n-1)),
// P̄ = Σ_i P_i / N and P̄e = Σ_j p_j²,
//
//	kappa = (P̄ - P̄e) / (1 - P̄e).
//
// It is undefined with no subjects, fewer than two ratings per subject,
// subjects with different numbers of ratings, or when every rating falls in
// one category (P̄e = 1).
func FleissKappa(counts [][]int) Coef {
	var f fleissAcc
	for _, row := range counts {
		r := make([]int64, len(row))
		for j, v := range row {
			if v < 0 {
				return undefined("a count is negative")
			}
			r[j] = int64(v)
		}
		f.add(r, 1)
	}
	return f.kappa()
}

// fleissAcc accumulates Fleiss' kappa over weighted subjects: a weight w
// counts the subject w times (w characters with the same ratings, say).
type fleissAcc struct {
	n       int64 // ratings per subject, 0 until the first subject
	ragged  bool
	subj    int64
	sumP    float64 // Σ w·P_i
	catTot  []int64 // Σ w·n_ij per category
	badRows int64
}

func (f *fleissAcc) add(row []int64, w int64) {
	if w <= 0 {
		return
	}
	var n, sq int64
	for _, v := range row {
		n += v
		sq += v * v
	}
	if f.subj == 0 {
		f.n = n
	} else if n != f.n {
		f.ragged = true
	}
	if len(f.catTot) < len(row) {
		f.catTot = append(f.catTot, make([]int64, len(row)-len(f.catTot))...)
	}
	for j, v := range row {
		f.catTot[j] += w * v
	}
	f.subj += w
	if n >= 2 {
		f.sumP += float64(w) * float64(sq-n) / float64(n*(n-1))
	}
}

func (f *fleissAcc) kappa() Coef {
	if f.subj == 0 {
		return undefined("there are no units that every coder coded")
	}
	if f.ragged {
		return undefined("units have different numbers of ratings; Fleiss' kappa needs the same number for every unit")
	}
	if f.n < 2 {
		return undefined("Fleiss' kappa needs at least two ratings per unit")
	}
	used := 0
	total := float64(f.subj) * float64(f.n)
	var pe float64
	for _, t := range f.catTot {
		if t > 0 {
			used++
		}
		p := float64(t) / total
		pe += p * p
	}
	if used <= 1 {
		return undefined("every rating is the same category, so chance agreement is 1 and kappa is 0/0")
	}
	pbar := f.sumP / float64(f.subj)
	return defined((pbar - pe) / (1 - pe))
}

// Coincidences returns Krippendorff's coincidence matrix of reliability data:
// units[u][c] is the value coder c gave unit u, in [0,k), or Missing. A unit
// with m_u ≥ 2 values adds 1/(m_u-1) to o[a][b] for every ordered pair of
// its values a, b taken from different coders; units with fewer than two
// values are not pairable and add nothing. Σ o = n, the number of pairable
// values.
func Coincidences(units [][]int, k int) ([][]float64, error) {
	o := newMatrix(k)
	cnt := make([]int64, k)
	for u, vals := range units {
		clear(cnt)
		for _, v := range vals {
			if v == Missing {
				continue
			}
			if v < 0 || v >= k {
				return nil, fmt.Errorf("agreement: unit %d has value %d outside [0,%d)", u, v, k)
			}
			cnt[v]++
		}
		addCoincidences(o, cnt, 1)
	}
	return o, nil
}

func newMatrix(k int) [][]float64 {
	o := make([][]float64, k)
	for i := range o {
		o[i] = make([]float64, k)
	}
	return o
}

// addCoincidences adds w copies of a unit whose values are counted in cnt
// (cnt[c] coders gave value c) to the coincidence matrix o.
func addCoincidences(o [][]float64, cnt []int64, w int64) {
	var m int64
	for _, c := range cnt {
		m += c
	}
	if m < 2 || w <= 0 {
		return
	}
	d := float64(m - 1)
	for a, ca := range cnt {
		if ca == 0 {
			continue
		}
		for b, cb := range cnt {
			if cb == 0 {
				continue
			}
			pairs := ca * cb
			if a == b {
				pairs = ca * (ca - 1)
			}
			if pairs > 0 {
				o[a][b] += float64(w) * float64(pairs) / d
			}
		}
	}
}

// KrippendorffNominal returns Krippendorff's alpha for nominal data from a
// coincidence matrix o (see Coincidences). With n_c = Σ_k o_ck and
// n = Σ_c n_c, observed disagreement Do = Σ_{c≠k} o_ck / n and expected
// disagreement De = Σ_{c≠k} n_c·n_k / (n(n-1)), so
//
//	alpha = 1 - Do/De = 1 - (n-1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k.
//
// Alpha is undefined when there are no pairable values and when only one
// value occurs (no variation: De = 0).
func KrippendorffNominal(o [][]float64) Coef {
	k := len(o)
	nc := make([]float64, k)
	var n, off float64
	for c, row := range o {
		if len(row) != k {
			return undefined("the coincidence matrix is not square")
		}
		for j, v := range row {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return undefined("the coincidence matrix has a negative or non-finite entry")
			}
			nc[c] += v
			n += v
			if c != j {
				off += v
			}
		}
	}
	if n == 0 {
		return undefined("there are no pairable values (no unit has values from two coders)")
	}
	used := 0
	var exp float64
	for c := range nc {
		if nc[c] > 0 {
			used++
		}
		exp += nc[c] * (n - nc[c])
	}
	if used <= 1 || exp <= 0 {
		return undefined("only one value occurs, so there is no variation and alpha is 0/0")
	}
	return defined(1 - (n-1)*off/exp)
}
