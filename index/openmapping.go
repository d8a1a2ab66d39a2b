package index

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/util"
)

// Opening an index, bleve decodes the index mapping from the JSON it stored
// at creation, through util.UnmarshalJSON: a mapping with a document type per
// language, decoded field by field, was a fifth of a whole search's CPU.
// When the stored JSON is exactly what NewMapping encodes to (its SHA-256 is
// mappingSum), the mapping is built in code instead, which gives the same
// mapping. Any other JSON (an old mapping version, say) is decoded as before.

// mappingSum is the SHA-256 of the JSON encoding of NewMapping();
// TestMappingSum says what it must be when the mapping changes.
const mappingSum = "d675ed615e7614737e63b816b158e0830503e9bf3290dcd9c49ce00d05d00dc9"

var decodeJSON = util.UnmarshalJSON

// mappingsBuilt counts the mappings built instead of decoded (for tests).
var mappingsBuilt atomic.Int64

func init() {
	util.UnmarshalJSON = unmarshalJSON
}

func unmarshalJSON(data []byte, v any) error {
	if p, ok := v.(**mapping.IndexMappingImpl); ok && isOurMapping(data) {
		if m, err := NewMapping(); err == nil {
			*p = m
			mappingsBuilt.Add(1)
			return nil
		}
	}
	return decodeJSON(data, v)
}

// isOurMapping reports whether data is the JSON encoding of NewMapping().
func isOurMapping(data []byte) bool {
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return false
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]) == mappingSum
}

// mappingJSON is the JSON bleve stores for NewMapping().
func mappingJSON() ([]byte, error) {
	m, err := NewMapping()
	if err != nil {
		return nil, err
	}
	return json.Marshal(m)
}
