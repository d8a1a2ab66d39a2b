package index

// SetQueryLimits raises the query limits of length (bytes) and terms for a
// test and returns the function that restores them.
func SetQueryLimits(length, clauses int) (restore func()) {
	l, c := maxQueryLen, maxQueryClauses
	maxQueryLen, maxQueryClauses = length, clauses
	return func() { maxQueryLen, maxQueryClauses = l, c }
}
