package agreement

import (
	"math"
	"strings"
	"testing"
)

// near reports whether got, rounded to three decimals as the sources print
// their values, equals want.
func near3(got, want float64) bool {
	return math.Abs(math.Round(got*1000)/1000-want) < 1e-9
}

func TestCohenKappaPublished(t *testing.T) {
	tests := []struct {
		name   string
		source string
		table  [][]float64
		want   float64
	}{
		{
			name:   "50 grant proposals",
			source: "Wikipedia, \"Cohen's kappa\", worked example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no; po=0.7, pe=0.5, kappa=0.4",
			table:  [][]float64{{20, 5}, {10, 15}},
			want:   0.400,
		},
		{
			name:   "same percentages, different numbers (1)",
			source: "Wikipedia, \"Cohen's kappa\", 'Same percentages but different numbers': 45/15/25/15, kappa=0.1304",
			table:  [][]float64{{45, 15}, {25, 15}},
			want:   0.130,
		},
		{
			name:   "same percentages, different numbers (2)",
			source: "Wikipedia, \"Cohen's kappa\", same section: 25/35/5/35, kappa=0.2593",
			table:  [][]float64{{25, 35}, {5, 35}},
			want:   0.259,
		},
		{
			name:   "SAS 3x3 simple kappa",
			source: "SAS PROC FREQ simple kappa printout, reproduced in statsmodels stats/tests/test_inter_rater.py (table10): Kappa 0.4842",
			table:  [][]float64{{0, 4, 1}, {0, 8, 0}, {0, 1, 5}},
			want:   0.484,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CohenKappa(tt.table)
			if !got.OK || !near3(got.Value, tt.want) {
				t.Fatalf("CohenKappa = %+v, want %.3f (%s)", got, tt.want, tt.source)
			}
		})
	}
}

// wikipediaFleiss is the example of Wikipedia's "Fleiss' kappa" article:
// 10 subjects, 14 raters, 5 categories; P̄ = 0.378, P̄e = 0.213, kappa = 0.210.
var wikipediaFleiss = [][]int{
	{0, 0, 0, 0, 14},
	{0, 2, 6, 4, 2},
	{0, 0, 3, 5, 6},
	{0, 3, 9, 2, 0},
	{2, 2, 8, 1, 1},
	{7, 7, 0, 0, 0},
	{3, 2, 6, 3, 0},
	{2, 5, 3, 2, 2},
	{6, 5, 2, 1, 0},
	{0, 2, 2, 3, 7},
}

// fleissDiagnoses is the data of Fleiss (1971), "Measuring nominal scale
// agreement among many raters", Psychological Bulletin 76(5): 30 patients,
// each diagnosed by 6 psychiatrists into 5 categories (1 depression,
// 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other), as
// distributed in R's irr package (data "diagnoses", 30x6) and statsmodels'
// tests. Fleiss prints kappa = .430 (irr: 0.4302445).
var fleissDiagnoses = [][]int{
	{4, 4, 4, 4, 4, 4}, {2, 2, 2, 5, 5, 5}, {2, 3, 3, 3, 3, 5}, {5, 5, 5, 5, 5, 5},
	{2, 2, 2, 4, 4, 4}, {1, 1, 3, 3, 3, 3}, {3, 3, 3, 3, 5, 5}, {1, 1, 3, 3, 3, 4},
	{1, 1, 4, 4, 4, 4}, {5, 5, 5, 5, 5, 5}, {1, 4, 4, 4, 4, 4}, {1, 2, 4, 4, 4, 4},
	{2, 2, 2, 3, 3, 3}, {1, 4, 4, 4, 4, 4}, {2, 2, 4, 4, 4, 5}, {3, 3, 3, 3, 3, 5},
	{1, 1, 1, 4, 5, 5}, {1, 1, 1, 1, 1, 2}, {2, 2, 4, 4, 4, 4}, {1, 3, 3, 5, 5, 5},
	{5, 5, 5, 5, 5, 5}, {2, 4, 4, 4, 4, 4}, {2, 2, 4, 5, 5, 5}, {1, 1, 4, 4, 4, 4},
	{1, 4, 4, 4, 4, 5}, {2, 2, 2, 2, 2, 4}, {1, 1, 1, 1, 5, 5}, {2, 2, 4, 4, 4, 4},
	{1, 3, 3, 3, 3, 3}, {5, 5, 5, 5, 5, 5},
}

// aggregate turns subject-by-rater data with values 1..k into the
// subject-by-category counts Fleiss' kappa takes.
func aggregate(data [][]int, k int) [][]int {
	out := make([][]int, len(data))
	for i, r := range data {
		out[i] = make([]int, k)
		for _, v := range r {
			out[i][v-1]++
		}
	}
	return out
}

func TestFleissKappaPublished(t *testing.T) {
	counts := aggregate(fleissDiagnoses, 5)
	colsum := make([]int, 5)
	for _, r := range counts {
		for j, v := range r {
			colsum[j] += v
		}
	}
	// Column totals as statsmodels checks them: a guard against a typo in the data.
	if want := []int{26, 26, 30, 55, 43}; !equalInts(colsum, want) {
		t.Fatalf("diagnoses column totals %v, want %v", colsum, want)
	}
	if got := FleissKappa(counts); !got.OK || !near3(got.Value, 0.430) || math.Abs(got.Value-0.4302445) > 1e-7 {
		t.Errorf("Fleiss (1971) diagnoses: kappa = %+v, want 0.430 (irr 0.4302445)", got)
	}
	if got := FleissKappa(wikipediaFleiss); !got.OK || !near3(got.Value, 0.210) {
		t.Errorf("Wikipedia Fleiss example: kappa = %+v, want 0.210", got)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// transpose turns observer-by-unit rows (as Krippendorff prints them) into
// unit-by-coder data; values are shifted by -shift, and 0 in the source
// means missing ('.' in the paper).
func transpose(obs [][]int, shift int) [][]int {
	units := make([][]int, len(obs[0]))
	for u := range units {
		units[u] = make([]int, len(obs))
		for c := range obs {
			if obs[c][u] == 0 {
				units[u][c] = Missing
			} else {
				units[u][c] = obs[c][u] - shift
			}
		}
	}
	return units
}

// krippendorffFourObservers is the reliability data of Krippendorff (2011),
// section D: 4 observers (rows), 12 units, values 1..5, 0 for missing.
var krippendorffFourObservers = [][]int{
	{1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
	{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
	{0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
	{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0},
}

func TestKrippendorffPublished(t *testing.T) {
	tests := []struct {
		name   string
		source string
		obs    [][]int // observers x units, 0 = missing
		k      int
		shift  int
		want   float64
		wantN  float64
	}{
		{
			name: "binary, two observers, no missing data",
			source: "Krippendorff (2011), Computing Krippendorff's Alpha-Reliability, section B: " +
				"10 units, values 0/1, alpha = 0.095",
			obs: [][]int{
				{0, 1, 0, 0, 0, 0, 0, 0, 1, 0},
				{1, 1, 1, 0, 0, 1, 0, 0, 0, 0},
			},
			// values 0/1 shifted to 1/2 below so 0 can mean missing
			k: 2, shift: 1, want: 0.095, wantN: 20,
		},
		{
			name:   "nominal, two observers, no missing data",
			source: "Krippendorff (2011), section C: 12 units, values a..e, alpha = 0.692",
			obs: [][]int{
				{1, 1, 2, 2, 4, 3, 3, 3, 5, 4, 4, 1},
				{2, 1, 2, 2, 2, 3, 3, 3, 5, 4, 4, 4},
			},
			k: 5, shift: 1, want: 0.692, wantN: 24,
		},
		{
			name: "nominal, four observers, missing data",
			source: "Krippendorff (2011), section D: 4 observers, 12 units, values 1..5 with missing values; " +
				"alpha nominal = 0.743, n = 40 pairable values",
			obs: krippendorffFourObservers, k: 5, shift: 1, want: 0.743, wantN: 40,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := tt.obs
			if tt.name == "binary, two observers, no missing data" {
				obs = make([][]int, len(tt.obs))
				for c := range tt.obs {
					for _, v := range tt.obs[c] {
						obs[c] = append(obs[c], v+1)
					}
				}
			}
			o, err := Coincidences(transpose(obs, tt.shift), tt.k)
			if err != nil {
				t.Fatal(err)
			}
			var n float64
			for _, r := range o {
				for _, v := range r {
					n += v
				}
			}
			if math.Abs(n-tt.wantN) > 1e-9 {
				t.Errorf("n = %v pairable values, want %v", n, tt.wantN)
			}
			got := KrippendorffNominal(o)
			if !got.OK || !near3(got.Value, tt.want) {
				t.Fatalf("alpha = %+v, want %.3f (%s)", got, tt.want, tt.source)
			}
		})
	}
}

// TestKrippendorffCoincidencesPaper checks cells of the coincidence matrix
// that Krippendorff (2011, section D) prints for the four-observer data.
func TestKrippendorffCoincidencesPaper(t *testing.T) {
	obs := krippendorffFourObservers
	o, err := Coincidences(transpose(obs, 1), 5)
	if err != nil {
		t.Fatal(err)
	}
	// Printed: row 1 of the matrix is 7, 4/3, 1/3, 1/3, 0 and the value
	// totals n_c are 9, 13, 10, 5, 3 (n = 40).
	row1 := []float64{7, 4.0 / 3, 1.0 / 3, 1.0 / 3, 0}
	for j, w := range row1 {
		if math.Abs(o[0][j]-w) > 1e-9 {
			t.Errorf("o[1][%d] = %v, want %v", j+1, o[0][j], w)
		}
	}
	for c, w := range []float64{9, 13, 10, 5, 3} {
		var n float64
		for _, v := range o[c] {
			n += v
		}
		if math.Abs(n-w) > 1e-9 {
			t.Errorf("n_%d = %v, want %v", c+1, n, w)
		}
	}
}

func TestCoefEdgeCases(t *testing.T) {
	tests := []struct {
		name   string
		got    Coef
		ok     bool
		value  float64
		reason string
	}{
		{"cohen perfect", CohenKappa([][]float64{{3, 0}, {0, 7}}), true, 1, ""},
		{"cohen no variation", CohenKappa([][]float64{{10, 0}, {0, 0}}), false, 0, "chance agreement is 1"},
		{"cohen empty", CohenKappa([][]float64{{0, 0}, {0, 0}}), false, 0, "no units"},
		{"cohen not square", CohenKappa([][]float64{{1, 2}}), false, 0, "not square"},
		{"cohen worst", CohenKappa([][]float64{{0, 5}, {5, 0}}), true, -1, ""},
		{"fleiss perfect", FleissKappa([][]int{{3, 0}, {0, 3}}), true, 1, ""},
		{"fleiss no variation", FleissKappa([][]int{{3, 0}, {3, 0}}), false, 0, "same category"},
		{"fleiss empty", FleissKappa(nil), false, 0, "no units"},
		{"fleiss one rater", FleissKappa([][]int{{1, 0}, {0, 1}}), false, 0, "two ratings"},
		{"fleiss ragged", FleissKappa([][]int{{2, 0}, {0, 3}}), false, 0, "different numbers"},
		{"alpha empty", KrippendorffNominal(newMatrix(3)), false, 0, "no pairable"},
		{"alpha no variation", KrippendorffNominal([][]float64{{4, 0}, {0, 0}}), false, 0, "only one value"},
		{"alpha perfect", KrippendorffNominal([][]float64{{4, 0}, {0, 2}}), true, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.OK != tt.ok {
				t.Fatalf("OK = %v, want %v (%+v)", tt.got.OK, tt.ok, tt.got)
			}
			if math.IsNaN(tt.got.Value) || math.IsInf(tt.got.Value, 0) {
				t.Fatalf("value %v is not finite", tt.got.Value)
			}
			if tt.ok && math.Abs(tt.got.Value-tt.value) > 1e-12 {
				t.Errorf("value = %v, want %v", tt.got.Value, tt.value)
			}
			if !tt.ok && !strings.Contains(tt.got.Reason, tt.reason) {
				t.Errorf("reason %q does not mention %q", tt.got.Reason, tt.reason)
			}
			b, err := tt.got.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if !tt.ok && string(b) != "null" {
				t.Errorf("JSON %s, want null", b)
			}
		})
	}
}

func TestCoincidencesRejectsOutOfRange(t *testing.T) {
	if _, err := Coincidences([][]int{{0, 3}}, 2); err == nil {
		t.Fatal("value 3 with k=2 accepted")
	}
}

// TestAccMatchesPublicFunctions checks that the weighted accumulator used by
// Compute gives the same numbers as the public functions on the published
// four-observer data, and that a weight equals repeating the unit.
func TestAccMatchesPublicFunctions(t *testing.T) {
	obs := krippendorffFourObservers
	units := transpose(obs, 1)
	a := newAcc(4, 5)
	for _, u := range units {
		a.add(u, 1)
	}
	s := a.stats([]string{"A", "B", "C", "D"}, []string{"1", "2", "3", "4", "5"}, false)
	if !near3(s.KrippendorffAlpha.Value, 0.743) {
		t.Errorf("acc alpha = %v, want 0.743", s.KrippendorffAlpha)
	}
	if s.PairableUnits != 11 || s.Units != 12 {
		t.Errorf("pairable %d of %d units, want 11 of 12", s.PairableUnits, s.Units)
	}
	// Weighted: each unit three times.
	w := newAcc(4, 5)
	for _, u := range units {
		w.add(u, 3)
	}
	r := newAcc(4, 5)
	for i := 0; i < 3; i++ {
		for _, u := range units {
			r.add(u, 1)
		}
	}
	sw := w.stats([]string{"A", "B", "C", "D"}, nil, false)
	sr := r.stats([]string{"A", "B", "C", "D"}, nil, false)
	if math.Abs(sw.KrippendorffAlpha.Value-sr.KrippendorffAlpha.Value) > 1e-12 ||
		math.Abs(sw.FleissKappa.Value-sr.FleissKappa.Value) > 1e-12 || sw.AgreedUnits != sr.AgreedUnits {
		t.Errorf("weighted %v != repeated %v", sw, sr)
	}
	// Fleiss over the diagnoses through the accumulator.
	f := newAcc(6, 5)
	for _, row := range fleissDiagnoses {
		vals := make([]int, 6)
		for i, v := range row {
			vals[i] = v - 1
		}
		f.add(vals, 1)
	}
	if fs := f.stats(make([]string, 6), nil, false); math.Abs(fs.FleissKappa.Value-0.4302445) > 1e-7 {
		t.Errorf("acc Fleiss = %v, want 0.4302445", fs.FleissKappa)
	}
}
