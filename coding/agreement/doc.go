// Package agreement measures how well coders who coded the same transcripts
// independently agree, with the standard coefficients computed exactly at a
// unit the researcher chooses, and lists the passages where they differ.
//
// # Using it
//
// A caller (the CLI) gathers plain values from the store and calls Compute:
//
//	r, err := agreement.Compute(agreement.Input{
//		Unit:    agreement.UnitTurn,          // turn, sentence, paragraph, doc, case, char
//		Coders:  []string{"dana", "yossi"},
//		Docs:    docs,                        // []agreement.Doc: id, name, case name, text, turns
//		Codings: codings,                     // []agreement.Coding: doc, code path, coder, [start,end)
//		Codes:   []string{"Principles/Crisis as lever"}, // empty: every code applied
//		IncludeChildren: true,                // codings of sub-codes count for the parent
//		Disagreements:   true,
//	})
//	agreement.Write(os.Stdout, r, "table") // or json, csv, md, html
//
// For an exclusive group (--exclusive "Tone") pass Exclusive, Group "Tone"
// and as Codes the paths of Tone's children (coding.Codebook Children and
// Path), with IncludeChildren so that grandchildren count for their child.
// Errors are *coding.Error of kind EInvalid with a message that says what
// to change; the CLI prints them as they are.
//
// # Units
//
// Only documents that every compared coder has coded (at least one coding of
// any code) are compared, unless Input.DocFilter names them; the report
// lists the documents used. Units are built per document (see UnitSpans):
// turns, sentences or lines inside turns, whole documents, whole cases, or
// single characters. A coder applied a code to a unit when one of their
// codings of it shares at least one character with the unit. Character
// units are counted with interval sweeps over the codings (runs of
// identical coder state), never character by character.
//
// # Modes
//
// Binary mode (default): for each code, each unit is coded or not by each
// coder; there are no missing values. With Uncoded "exclude", units that no
// coder coded with that code are left out (NVivo counts them as agreement;
// "include" does too, and says so). The pooled row treats every (code, unit)
// pair as one unit.
//
// Exclusive mode: the codes are the values of one nominal variable. A coder's
// value for a unit is the one code applied, missing when none; two or more
// codes of the group on one unit by one coder is a conflict, reported, and
// counted as missing.
//
// # Coefficients
//
// All are pure functions of contingency tables, subject-by-category counts
// and coincidence matrices (stats.go), with the formulas in their doc
// comments:
//
//   - percent agreement: 100 × the share of units, among those every coder
//     gave a value, on which all coders agree (0–100, not a proportion);
//   - Cohen's kappa (two coders only): (po − pe)/(1 − pe) with each coder's
//     own marginals, over units both coded; with more coders each pair is
//     reported under "pairs";
//   - Fleiss' kappa: chance agreement from the marginals pooled over coders,
//     over units every coder coded;
//   - Krippendorff's alpha (nominal): 1 − Do/De from the coincidence matrix,
//     over every unit with at least two values (missing values allowed).
//
// A coefficient that cannot be computed (no units, or no variation, where the
// formula is 0/0) is a Coef with OK false and a Reason, written as null in
// JSON with the reason under "undefined"; it is never NaN.
//
// The tests check the functions against published worked examples:
// Krippendorff (2011), Fleiss (1971), Wikipedia's Fleiss' and Cohen's kappa
// examples and a SAS printout, and check Compute against a naive per-unit
// computation on random projects.
package agreement
