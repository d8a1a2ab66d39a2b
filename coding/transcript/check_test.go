package transcript

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
	"golang.org/x/text/unicode/norm"
)

// checkResult verifies the invariants every parser must keep; it returns
// the first violation or nil.
func checkResult(r *Result) error {
	if r == nil {
		return errors.New("nil result")
	}
	if !utf8.ValidString(r.Text) {
		return errors.New("Text is not valid UTF-8")
	}
	if !norm.NFC.IsNormalString(r.Text) {
		return errors.New("Text is not NFC")
	}
	if strings.ContainsRune(r.Text, '\r') {
		return errors.New("Text contains \\r")
	}
	if strings.ContainsRune(r.Text, '\ufeff') {
		return errors.New("Text contains a BOM")
	}
	known := false
	for _, f := range Formats() {
		known = known || f == r.Format
	}
	if !known {
		return fmt.Errorf("unknown Format %q", r.Format)
	}
	if r.Encoding == "" {
		return errors.New("empty Encoding")
	}
	o := coding.NewOffsets(r.Text)
	n := o.Len()
	prevEnd := 0
	for i, t := range r.Turns {
		if t.Index != i {
			return fmt.Errorf("turn %d has Index %d", i, t.Index)
		}
		if t.Start < prevEnd {
			return fmt.Errorf("turn %d [%d,%d) overlaps or precedes the previous end %d", i, t.Start, t.End, prevEnd)
		}
		if t.Start < 0 || t.Start >= t.End || t.End > n {
			return fmt.Errorf("turn %d has bad span [%d,%d) for %d code points", i, t.Start, t.End, n)
		}
		s := o.Slice(t.Start, t.End)
		if strings.TrimSpace(s) != s || s == "" {
			return fmt.Errorf("turn %d speech %q is not trimmed and non-empty", i, s)
		}
		if t.HasTime && t.TimeEnd < t.TimeStart {
			return fmt.Errorf("turn %d ends (%v) before it starts (%v)", i, t.TimeEnd, t.TimeStart)
		}
		if !t.HasTime && (t.TimeStart != 0 || t.TimeEnd != 0) {
			return fmt.Errorf("turn %d has times without HasTime", i)
		}
		if strings.TrimSpace(t.Speaker) != t.Speaker || strings.ContainsAny(t.Speaker, "\n\r") {
			return fmt.Errorf("turn %d speaker %q is not clean", i, t.Speaker)
		}
		prevEnd = t.End
	}
	return nil
}

// checkError verifies that err is a one-sentence *coding.Error of kind
// EInvalid that names the file.
func checkError(err error, name string) error {
	var ce *coding.Error
	if !errors.As(err, &ce) {
		return fmt.Errorf("error %v (%T) is not a *coding.Error", err, err)
	}
	if ce.Kind != coding.EInvalid {
		return fmt.Errorf("error kind %q, want %q: %v", ce.Kind, coding.EInvalid, err)
	}
	if name != "" && !strings.HasPrefix(ce.Message, name+":") {
		return fmt.Errorf("error %q does not start with the file name %q", ce.Message, name)
	}
	if strings.Contains(ce.Message, "\n") {
		return fmt.Errorf("error %q spans lines", ce.Message)
	}
	return nil
}

// spoken returns the turns without the header unit (the text before the
// first turn), which has no speaker by design.
func spoken(r *Result) []coding.Turn {
	if len(r.Turns) > 0 && r.Turns[0].Header {
		return r.Turns[1:]
	}
	return r.Turns
}

func speakerCounts(r *Result) map[string]int {
	m := map[string]int{}
	for _, t := range spoken(r) {
		m[t.Speaker]++
	}
	return m
}
