package coding

import "fmt"

// CheckTurns returns the problems of a turn list against its text: turns
// must be sorted, not overlap, lie inside the text and have Index equal to
// their position.
func CheckTurns(text string, turns []Turn) []string {
	n := RuneLen(text)
	var probs []string
	prevEnd := 0
	for i, t := range turns {
		switch {
		case t.Index != i:
			probs = append(probs, fmt.Sprintf("turn %d has index %d", i, t.Index))
		case t.Start < 0 || t.End > n || t.Start > t.End:
			probs = append(probs, fmt.Sprintf("turn %d spans %d:%d outside the text of %d characters", i, t.Start, t.End, n))
		case t.Start < prevEnd:
			probs = append(probs, fmt.Sprintf("turn %d starts at %d before the previous turn ends at %d", i, t.Start, prevEnd))
		}
		if t.End > prevEnd {
			prevEnd = t.End
		}
	}
	return probs
}
