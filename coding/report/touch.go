package report

// A report reads some of its tables at random: the row of the best quotes
// of a document's case, the turns of each document, the texts of the
// quotes in the order of the report. At 1,000 documents these tables stay
// in the processor's caches; at 10,000 they do not, and a random read
// waits for memory. The functions here read one word of every cache line
// of a small table just before it is used, in a loop with no branches to
// mispredict, so that the processor fetches all its lines at once rather
// than one after the other as the code that uses them asks. They change no
// result.

// lineBytes is the size of a cache line.
const lineBytes = 64

// touchSink keeps the touched values, so that the reads are not dropped.
var touchSink int32

// touchInt32s reads every cache line of v.
func touchInt32s(v []int32) {
	var x int32
	for i := 0; i < len(v); i += lineBytes / 4 {
		x += v[i]
	}
	touchSink += x
}

// touchCands reads every cache line of the slots v.
func touchCands(v []cand) {
	var x int32
	for i := range v {
		x += v[i].seq
	}
	touchSink += x
}

// touchAhead is how many quotes ahead of the one being written touchTexts
// reads.
const touchAhead = 8

// touchTexts reads every cache line of the texts of qs.
func touchTexts(qs []Quote) {
	var x int32
	for i := range qs {
		t := qs[i].Text
		for o := 0; o < len(t); o += lineBytes {
			x += int32(t[o])
		}
	}
	touchSink += x
}
