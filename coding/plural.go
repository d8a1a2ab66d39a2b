package coding

import "strconv"

// Plural returns "1 turn" or "n turns": the count with the singular or the
// plural form of a noun, for messages that must not say "1 hits".
func Plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}
