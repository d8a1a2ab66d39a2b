package agreement

import (
	"encoding/json"
	"fmt"
)

// Stats are the agreement coefficients of one variable (one code in binary
// mode, the pooled codes, or an exclusive code group) with the counts behind
// them. Unit counts are weights: in char mode a unit is one character.
type Stats struct {
	// Units is the number of units compared.
	Units int64 `json:"units"`
	// PairableUnits have values from at least two coders: alpha's base.
	PairableUnits int64 `json:"pairable_units"`
	// CompleteUnits have a value from every coder: the base of percent
	// agreement and Fleiss' kappa. In binary mode every unit is complete.
	CompleteUnits int64 `json:"complete_units"`
	// AgreedUnits are complete units on which all coders gave the same value.
	AgreedUnits int64 `json:"agreed_units"`
	// PercentAgreement is 100·AgreedUnits/CompleteUnits.
	PercentAgreement  Coef `json:"percent_agreement"`
	CohenKappa        Coef `json:"cohen_kappa"`
	FleissKappa       Coef `json:"fleiss_kappa"`
	KrippendorffAlpha Coef `json:"krippendorff_alpha"`
	// Undefined says, per coefficient name, why it is null.
	Undefined map[string]string `json:"undefined,omitempty"`
	// NCoded is, per coder, the number of units the coder applied the code
	// to (binary) or gave a value (exclusive).
	NCoded map[string]int64 `json:"n_coded"`
	// UnitsByCoders[i] (binary mode) is the number of units that exactly i
	// coders coded: with no missing data it determines Fleiss' kappa and alpha.
	UnitsByCoders []int64 `json:"units_by_coders,omitempty"`
	// Table is the contingency table of two coders (units both coded).
	Table *Table `json:"table,omitempty"`
	// Coincidences is Krippendorff's coincidence matrix (exclusive mode).
	Coincidences *Matrix `json:"coincidences,omitempty"`
	// Pairs holds percent agreement and Cohen's kappa of every pair of
	// coders when there are more than two.
	Pairs []Pair `json:"pairs,omitempty"`
}

// Table is a contingency table: Counts[i][j] units that coder Rows put in
// category Labels[i] and coder Columns in Labels[j].
type Table struct {
	Rows    string    `json:"rows"`
	Columns string    `json:"columns"`
	Labels  []string  `json:"labels"`
	Counts  [][]int64 `json:"counts"`
}

// Matrix is a square matrix of (possibly fractional) counts over Labels.
type Matrix struct {
	Labels []string    `json:"labels"`
	Counts [][]float64 `json:"counts"`
}

// MarshalJSON rounds the counts to six decimals.
func (m Matrix) MarshalJSON() ([]byte, error) {
	c := make([][]float64, len(m.Counts))
	for i, r := range m.Counts {
		c[i] = make([]float64, len(r))
		for j, v := range r {
			c[i][j] = round6(v)
		}
	}
	type plain struct {
		Labels []string    `json:"labels"`
		Counts [][]float64 `json:"counts"`
	}
	return json.Marshal(plain{m.Labels, c})
}

// Pair is the agreement of two coders over the units both gave a value.
type Pair struct {
	Coders           [2]string `json:"coders"`
	Units            int64     `json:"units"`
	PercentAgreement Coef      `json:"percent_agreement"`
	CohenKappa       Coef      `json:"cohen_kappa"`
}

// acc accumulates reliability data: weighted units with one value in [0,k)
// or Missing per coder.
type acc struct {
	m, k                              int
	units, pairable, complete, agreed int64
	coinc                             [][]float64
	fleiss                            fleissAcc
	perCoder                          [][]int64 // [coder][value]
	pairs                             [][]int64 // [pair][a*k+b], pairs i<j in order
	byCount0                          []int64   // units by number of coders giving value 0
	cnt                               []int64
}

// maxPairCells bounds the memory spent on pairwise tables.
const maxPairCells = 1 << 20

func newAcc(m, k int) *acc {
	a := &acc{m: m, k: k, coinc: newMatrix(k), cnt: make([]int64, k), byCount0: make([]int64, m+1)}
	a.perCoder = make([][]int64, m)
	for i := range a.perCoder {
		a.perCoder[i] = make([]int64, k)
	}
	np := m * (m - 1) / 2
	if np*k*k <= maxPairCells {
		a.pairs = make([][]int64, np)
		for i := range a.pairs {
			a.pairs[i] = make([]int64, k*k)
		}
	}
	return a
}

// add adds w units whose per-coder values are vals.
func (a *acc) add(vals []int, w int64) {
	if w <= 0 {
		return
	}
	a.units += w
	clear(a.cnt)
	nv := 0
	for c, v := range vals {
		if v >= 0 {
			a.cnt[v]++
			a.perCoder[c][v] += w
			nv++
		}
	}
	a.byCount0[a.cnt[0]] += w
	if nv >= 2 {
		a.pairable += w
		addCoincidences(a.coinc, a.cnt, w)
	}
	if nv == a.m {
		a.complete += w
		a.fleiss.add(a.cnt, w)
		for _, c := range a.cnt {
			if c == int64(a.m) {
				a.agreed += w
				break
			}
		}
	}
	if a.pairs != nil {
		p := 0
		for i := 0; i < a.m; i++ {
			for j := i + 1; j < a.m; j++ {
				if vals[i] >= 0 && vals[j] >= 0 {
					a.pairs[p][vals[i]*a.k+vals[j]] += w
				}
				p++
			}
		}
	}
}

// stats computes the coefficients. labels name the k values; binary says
// whether value 0 means "coded" (n_coded counts it) rather than any value.
func (a *acc) stats(coders, labels []string, binary bool) Stats {
	s := Stats{
		Units:         a.units,
		PairableUnits: a.pairable,
		CompleteUnits: a.complete,
		AgreedUnits:   a.agreed,
		NCoded:        map[string]int64{},
	}
	if a.complete > 0 {
		s.PercentAgreement = defined(100 * float64(a.agreed) / float64(a.complete))
	} else {
		s.PercentAgreement = undefined("there are no units that every coder coded")
	}
	for c, name := range coders {
		if binary {
			s.NCoded[name] = a.perCoder[c][0]
			continue
		}
		var t int64
		for _, v := range a.perCoder[c] {
			t += v
		}
		s.NCoded[name] = t
	}
	if binary {
		s.UnitsByCoders = append([]int64(nil), a.byCount0...)
		// byCount0 is indexed by the number of coders giving value 0 (coded).
	}
	s.FleissKappa = a.fleiss.kappa()
	s.KrippendorffAlpha = KrippendorffNominal(a.coinc)
	if !binary {
		s.Coincidences = &Matrix{Labels: labels, Counts: a.coinc}
	}
	switch {
	case a.m == 2 && a.pairs != nil:
		t := a.pairTable(0)
		s.Table = &Table{Rows: coders[0], Columns: coders[1], Labels: labels, Counts: t}
		s.CohenKappa = CohenKappa(toFloat(t))
	case a.m == 2:
		s.CohenKappa = undefined("the code group is too large for a contingency table")
	default:
		s.CohenKappa = undefinedf("Cohen's kappa compares two coders and there are %d; see pairs and fleiss_kappa", a.m)
		if a.pairs != nil {
			p := 0
			for i := 0; i < a.m; i++ {
				for j := i + 1; j < a.m; j++ {
					t := a.pairTable(p)
					var n, d int64
					for x := range t {
						for y := range t[x] {
							n += t[x][y]
						}
						d += t[x][x]
					}
					pr := Pair{Coders: [2]string{coders[i], coders[j]}, Units: n, CohenKappa: CohenKappa(toFloat(t))}
					if n > 0 {
						pr.PercentAgreement = defined(100 * float64(d) / float64(n))
					} else {
						pr.PercentAgreement = undefined("no units that both coders coded")
					}
					s.Pairs = append(s.Pairs, pr)
					p++
				}
			}
		}
	}
	for name, c := range map[string]Coef{
		"percent_agreement":  s.PercentAgreement,
		"cohen_kappa":        s.CohenKappa,
		"fleiss_kappa":       s.FleissKappa,
		"krippendorff_alpha": s.KrippendorffAlpha,
	} {
		if !c.OK {
			if s.Undefined == nil {
				s.Undefined = map[string]string{}
			}
			s.Undefined[name] = c.Reason
		}
	}
	return s
}

func (a *acc) pairTable(p int) [][]int64 {
	t := make([][]int64, a.k)
	for i := range t {
		t[i] = append([]int64(nil), a.pairs[p][i*a.k:(i+1)*a.k]...)
	}
	return t
}

func toFloat(t [][]int64) [][]float64 {
	f := make([][]float64, len(t))
	for i, r := range t {
		f[i] = make([]float64, len(r))
		for j, v := range r {
			f[i][j] = float64(v)
		}
	}
	return f
}

// String is a one-line summary, for logs and test failures.
func (s Stats) String() string {
	return fmt.Sprintf("units=%d agree=%s%% cohen=%s fleiss=%s alpha=%s",
		s.Units, s.PercentAgreement, s.CohenKappa, s.FleissKappa, s.KrippendorffAlpha)
}
