// Package coding holds tacit's domain: documents and their turns, cases,
// the codebook, codings, memos and audit events, with the pure logic that
// works on them (codebook paths, span location, offsets). It imports neither
// bbolt, bleve nor cobra: the store and index packages adapt those libraries
// to the types defined here, so the core can be tested with plain values.
//
// Offsets everywhere in this package are Unicode code points into a
// document's normalised text (UTF-8, NFC, "\n" line ends), half-open
// [Start, End).
package coding
