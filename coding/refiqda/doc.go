// Package refiqda reads and writes the REFI-QDA exchange formats that NVivo,
// ATLAS.ti, MAXQDA, QualCoder and Taguette use: projects (.qdpx, a ZIP with
// project.qde and a sources/ folder; or a bare .qde) and codebooks (.qdc).
//
// Reading is lenient, as real exports demand (see
// ../shared/notes/refi-qda.md): elements and attributes are matched by local
// name whatever their namespace (urn:QDA-XML:project:1.0, :0:4, :1:0 ...);
// GUIDs are compared case-insensitively without braces; the .qde and the
// sources folder are found case-insensitively; internal://, relative://,
// absolute:// and plain source paths are accepted; a BOM and CRLF in a
// source text are handled. Writing is strict: the default namespaces, child
// elements in schema order, lower-case GUIDs, #rrggbb colours and UTC times
// without fractions, so that the output validates against
// Project-mrt2019.xsd and Codebook.xsd.
//
// Positions: the spec counts code points, NVivo counts UTF-16 units over the
// text as stored (CRLF as two, BOM not counted), ATLAS.ti reportedly counts
// CRLF as one. Positions maps one text's positions under a Unit to tacit's
// normalised text, and DetectUnit picks the unit under which the selections
// of a source start and end on word boundaries.
//
// Safety: a .qdpx is untrusted. Entry names that escape the archive (zip
// slip), oversized entries and archives (zip bombs) are refused. Go's
// encoding/xml never resolves external entities or fetches DTDs, so XXE is
// not possible; a DOCTYPE is refused outright anyway.
//
// The package is pure: it imports neither the store, the index nor the CLI.
package refiqda
