package refiqda

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Unit says how a producer counts text positions: code points (the spec)
// or UTF-16 code units (NVivo), and whether a CRLF in the file counts as
// two positions (as stored) or one (reported of ATLAS.ti).
type Unit struct {
	UTF16   bool
	CRLFOne bool
}

// Units lists the candidate units in the order ties are broken: the spec's
// reading first.
var Units = []Unit{{false, false}, {true, false}, {false, true}, {true, true}}

func (u Unit) String() string {
	s := "chars"
	if u.UTF16 {
		s = "utf16"
	}
	if u.CRLFOne {
		s += "-crlf1"
	}
	return s
}

// ParseUnit reads a --positions value: chars (code points; also
// "codepoints"), utf16, and either with "-crlf1" when a CRLF counts as one.
func ParseUnit(s string) (Unit, error) {
	for _, u := range Units {
		if strings.EqualFold(s, u.String()) {
			return u, nil
		}
	}
	switch strings.ToLower(s) {
	case "codepoints", "code-points", "characters":
		return Unit{}, nil
	case "utf-16":
		return Unit{UTF16: true}, nil
	}
	return Unit{}, invalid("unknown position unit %q; use chars, utf16, chars-crlf1 or utf16-crlf1", s)
}

// Text is one source text as stored in an exchange file, with the map from
// its positions to tacit's normalised text.
type Text struct {
	Norm   string // tacit's normalised text (NFC, \n, no BOM, no C0 controls)
	BOM    bool
	CRLF   int
	NonBMP int
	raw    []rune // the text as stored, one rune each; nil when ascii
	// ascii says the text is ASCII without CR or control characters other
	// than TAB and LF: then Norm is the text as stored, a position is a
	// byte offset of Norm in every unit, and raw is not built (4 bytes a
	// character, and 12 more while normalising: for 1,000 interviews of
	// 45 MB, 700 MB allocated for nothing).
	ascii  bool
	normAt []int // raw rune index -> code-point offset in Norm; len(raw)+1; nil: the same index
	units  map[Unit][]int
}

// plainASCII reports whether data is ASCII without CR or control
// characters other than TAB and LF (which normalising leaves as it is).
func plainASCII(data []byte) bool {
	for _, c := range data {
		if c >= 0x7f || (c < 0x20 && c != '\n' && c != '\t') {
			return false
		}
	}
	return true
}

// rawLen is the number of characters of the text as stored.
func (t *Text) rawLen() int {
	if t.ascii {
		return len(t.Norm)
	}
	return len(t.raw)
}

// rawAt is character i of the text as stored.
func (t *Text) rawAt(i int) rune {
	if t.ascii {
		return rune(t.Norm[i])
	}
	return t.raw[i]
}

// NewText decodes a source file (UTF-8, with or without a BOM) and builds
// its normalised form.
func NewText(data []byte) (*Text, error) { return newText(data, true) }

// newText is NewText; fast false builds raw even for plain ASCII (tests
// compare the two).
func newText(data []byte, fast bool) (*Text, error) {
	t := &Text{}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		t.BOM = true
		data = data[3:]
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return nil, invalid("the text is not UTF-8 (bad byte at offset %d), as REFI-QDA requires", i)
	}
	if fast && plainASCII(data) {
		t.ascii, t.Norm, t.units = true, string(data), map[Unit][]int{}
		return t, nil
	}
	t.raw = []rune(string(data))
	for i, r := range t.raw {
		if r > 0xFFFF {
			t.NonBMP++
		}
		if r == '\r' && i+1 < len(t.raw) && t.raw[i+1] == '\n' {
			t.CRLF++
		}
	}
	t.Norm, t.normAt = normalize(t.raw)
	t.units = map[Unit][]int{}
	return t, nil
}

// TextFromNorm is NewText for a text that is normalised already (tacit's
// own), without copying rules: positions map one to one.
func TextFromNorm(s string) *Text {
	t, _ := NewText([]byte(s))
	return t
}

// normalize applies tacit's text rules (those of coding/transcript: CRLF,
// CR, VT, FF, NEL, LS, PS become \n; U+FEFF and C0 controls other than TAB
// and LF are removed; NFC) and returns the text with, for each raw rune
// index (and the end), the code-point offset it maps to.
func normalize(raw []rune) (string, []int) {
	if !slices.ContainsFunc(raw, changedByNormalize) {
		// Nothing to replace or remove: only NFC may change the text.
		s := string(raw)
		if norm.NFC.IsNormalString(s) {
			return s, nil
		}
	}
	pre := make([]rune, 0, len(raw))
	preAt := make([]int, len(raw)+1)
	for i, r := range raw {
		preAt[i] = len(pre)
		switch {
		case r == '\r':
			if i+1 < len(raw) && raw[i+1] == '\n' {
				continue
			}
			pre = append(pre, '\n')
		case r == '\v' || r == '\f' || r == '\u0085' || r == '\u2028' || r == '\u2029':
			pre = append(pre, '\n')
		case r == '\ufeff':
		case (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f:
		default:
			pre = append(pre, r)
		}
	}
	preAt[len(raw)] = len(pre)
	s := string(pre)
	if norm.NFC.IsNormalString(s) {
		if len(pre) == len(raw) {
			// Nothing removed or joined, nothing composed: every index
			// maps to itself (the usual case; saves 8 bytes a character).
			return s, nil
		}
		return s, preAt
	}
	// Map each pre rune to the output offset of the NFC segment holding it.
	var out strings.Builder
	outAt := make([]int, len(pre)+1) // pre rune index -> output cp offset
	var it norm.Iter
	it.InitString(norm.NFC, s)
	preRune, outRunes := 0, 0
	bytePos := 0
	for !it.Done() {
		seg := it.Next()
		end := it.Pos()
		// pre runes whose bytes lie in [bytePos, end) belong to this segment
		for bytePos < end {
			_, n := utf8.DecodeRuneInString(s[bytePos:])
			outAt[preRune] = outRunes
			preRune++
			bytePos += n
		}
		out.Write(seg)
		outRunes += utf8.RuneCount(seg)
	}
	for ; preRune <= len(pre); preRune++ {
		outAt[preRune] = outRunes
	}
	for i, p := range preAt {
		preAt[i] = outAt[p]
	}
	return out.String(), preAt
}

// changedByNormalize reports whether normalize replaces or removes r
// (before NFC).
func changedByNormalize(r rune) bool {
	switch {
	case r == '\r', r == '\v', r == '\f', r == '\u0085', r == '\u2028', r == '\u2029', r == '\ufeff':
		return true
	case (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f:
		return true
	}
	return false
}

// unitsBefore returns, for each raw rune index (and the end), the position
// in unit u.
func (t *Text) unitsBefore(u Unit) []int {
	if a, ok := t.units[u]; ok {
		return a
	}
	a := make([]int, len(t.raw)+1)
	n := 0
	for i, r := range t.raw {
		a[i] = n
		switch {
		case u.CRLFOne && r == '\r' && i+1 < len(t.raw) && t.raw[i+1] == '\n':
		case u.UTF16 && r > 0xFFFF:
			n += 2
		default:
			n++
		}
	}
	a[len(t.raw)] = n
	t.units[u] = a
	return a
}

// identity reports whether positions in unit u are raw rune indexes: no
// character of the text counts differently in u.
func (t *Text) identity(u Unit) bool {
	return (!u.UTF16 || t.NonBMP == 0) && (!u.CRLFOne || t.CRLF == 0)
}

// rawIndex returns the raw rune index at position pos in unit u, or -1
// when pos is outside the text or inside a character (half a surrogate
// pair).
func (t *Text) rawIndex(u Unit, pos int) int {
	if t.identity(u) {
		if pos < 0 || pos > t.rawLen() {
			return -1
		}
		return pos
	}
	a := t.unitsBefore(u)
	if pos < 0 || pos > a[len(a)-1] {
		return -1
	}
	i := sort.SearchInts(a, pos)
	if i > len(t.raw) || a[i] != pos {
		return -1
	}
	return i
}

// Len returns the length of the text in unit u.
func (t *Text) Len(u Unit) int {
	if t.identity(u) {
		return t.rawLen()
	}
	a := t.unitsBefore(u)
	return a[len(a)-1]
}

// norm returns the code-point offset in Norm of raw rune index i.
func (t *Text) norm(i int) int {
	if t.normAt == nil {
		return i
	}
	return t.normAt[i]
}

// Map converts a selection [start, end) in unit u to code-point offsets
// in Norm. ok is false when a position is outside the text, splits a
// character, or end < start.
func (t *Text) Map(u Unit, start, end int) (s, e int, ok bool) {
	rs, re := t.rawIndex(u, start), t.rawIndex(u, end)
	if rs < 0 || re < 0 || re < rs {
		return 0, 0, false
	}
	return t.norm(rs), t.norm(re), true
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// UnitScore is how well a unit fits a source's selections.
type UnitScore struct {
	Unit       string `json:"unit"`
	Names      int    `json:"names"`      // selections whose name is the text they select
	Boundaries int    `json:"boundaries"` // selection ends on a word boundary
	Total      int    `json:"total"`      // 2 per selection
	Outside    int    `json:"outside"`    // selections that do not map
}

// Sel is a selection as DetectUnit weighs it: its positions and its name,
// which ATLAS.ti, QualCoder and tacit fill with the quoted text (cut, with
// "…", when long).
type Sel struct {
	Start, End int
	Name       string
}

func foldSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// nameMatches reports whether a selection's name is the selected text (or,
// when it ends in "…", the text's beginning), white space folded.
func nameMatches(name string, slice []rune) bool {
	if eq, sure := sameFolded(name, slice); sure {
		return eq
	}
	return foldedNameMatches(name, slice)
}

// foldedNameMatches is nameMatches without its allocation-free fast path:
// the name and the text's NFC, white space folded, compared.
func foldedNameMatches(name string, slice []rune) bool {
	n := foldSpace(name)
	if n == "" {
		return false
	}
	t := foldSpace(norm.NFC.String(string(slice)))
	if strings.HasSuffix(n, "…") {
		return strings.HasPrefix(t, strings.TrimSuffix(n, "…"))
	}
	return n == t
}

// sameFolded answers nameMatches without allocating when every character
// of slice is below U+0300 (NFC leaves such a text as it is); sure is
// false otherwise.
func sameFolded(name string, slice []rune) (eq, sure bool) {
	for _, r := range slice {
		if r >= 0x300 {
			return false, false
		}
	}
	return foldedEqual(name, folder{r: slice})
}

// foldedEqual is sameFolded's comparison of name with the text fs yields
// (every character of which is below U+0300); sure is always true.
func foldedEqual(name string, fs folder) (eq, sure bool) {
	n, last := 0, rune(0)
	for f := (folder{s: name}); ; n++ {
		r, ok := f.next()
		if !ok {
			break
		}
		last = r
	}
	if n == 0 {
		return false, true
	}
	cut := last == '…'
	if cut {
		n--
	}
	fn := folder{s: name}
	for k := 0; k < n; k++ {
		a, _ := fn.next()
		b, ok := fs.next()
		if !ok || a != b {
			return false, true
		}
	}
	if cut {
		return true, true
	}
	_, more := fs.next()
	return !more, true
}

// folder yields the characters of foldSpace(s) (or of r): runs of white
// space as one space, none at the ends.
type folder struct {
	s       string
	r       []rune
	ascii   bool // s is ASCII: read it byte by byte (r is nil)
	i       int
	started bool
	pend    rune
}

func (f *folder) next() (rune, bool) {
	if f.pend != 0 {
		r := f.pend
		f.pend = 0
		return r, true
	}
	space := false
	for {
		var r rune
		if f.r != nil {
			if f.i >= len(f.r) {
				return 0, false
			}
			r = f.r[f.i]
			f.i++
		} else if f.ascii {
			if f.i >= len(f.s) {
				return 0, false
			}
			r = rune(f.s[f.i])
			f.i++
		} else {
			if f.i >= len(f.s) {
				return 0, false
			}
			var w int
			r, w = utf8.DecodeRuneInString(f.s[f.i:])
			f.i += w
		}
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && f.started {
			f.pend = r
			return ' ', true
		}
		f.started = true
		return r, true
	}
}

// Score counts the selection ends that fall on word boundaries under unit
// u: the character before a start and the character at an end are not
// letters or digits (or are outside the text).
func (t *Text) Score(u Unit, sels []Sel) UnitScore {
	sc := UnitScore{Unit: u.String(), Total: 2 * len(sels)}
	n := t.rawLen()
	isb := func(i int) bool { return i < 0 || i >= n || !wordRune(t.rawAt(i)) }
	for _, s := range sels {
		rs, re := t.rawIndex(u, s.Start), t.rawIndex(u, s.End)
		if rs < 0 || re < 0 || re < rs {
			sc.Outside++
			continue
		}
		if t.ascii {
			if eq, _ := foldedEqual(s.Name, folder{s: t.Norm[rs:re], ascii: true}); eq {
				sc.Names++
			}
		} else if nameMatches(s.Name, t.raw[rs:re]) {
			sc.Names++
		}
		if isb(rs - 1) {
			sc.Boundaries++
		}
		if isb(re) {
			sc.Boundaries++
		}
	}
	return sc
}

// DetectUnit picks the unit under which the selections fit best: fewest
// that do not map, then most whose name is the text they select, then most
// ends on word boundaries; ties go to the earlier unit of Units. Units that
// read the text the same way (no non-BMP characters, no CRLF) are not
// tried twice.
func (t *Text) DetectUnit(sels []Sel) (Unit, []UnitScore) {
	best, bestScore := Unit{}, UnitScore{Outside: -1}
	var scores []UnitScore
	for _, u := range Units {
		if (u.UTF16 && t.NonBMP == 0) || (u.CRLFOne && t.CRLF == 0) {
			continue
		}
		sc := t.Score(u, sels)
		scores = append(scores, sc)
		if bestScore.Outside < 0 || sc.Outside < bestScore.Outside ||
			(sc.Outside == bestScore.Outside && sc.Names > bestScore.Names) ||
			(sc.Outside == bestScore.Outside && sc.Names == bestScore.Names && sc.Boundaries > bestScore.Boundaries) {
			best, bestScore = u, sc
		}
	}
	return best, scores
}

// UTF16Positions converts ascending code-point offsets of text into UTF-16
// unit offsets.
func UTF16Positions(text string) func(cp int) int {
	nonBMP := false
	for _, r := range text {
		if r > 0xFFFF {
			nonBMP = true
			break
		}
	}
	if !nonBMP {
		return func(cp int) int { return cp }
	}
	a := make([]int, 0, len(text)+1)
	n := 0
	for _, r := range text {
		a = append(a, n)
		n++
		if r > 0xFFFF {
			n++
		}
	}
	a = append(a, n)
	return func(cp int) int {
		if cp < 0 {
			return 0
		}
		if cp >= len(a) {
			return a[len(a)-1]
		}
		return a[cp]
	}
}

// Describe says what is odd about a text (for import reports).
func (t *Text) Describe() string {
	var parts []string
	if t.BOM {
		parts = append(parts, "BOM")
	}
	if t.CRLF > 0 {
		parts = append(parts, fmt.Sprintf("%d CRLF", t.CRLF))
	}
	if t.NonBMP > 0 {
		parts = append(parts, fmt.Sprintf("%d characters outside the BMP", t.NonBMP))
	}
	return strings.Join(parts, ", ")
}
