package coding

import (
	"errors"
	"fmt"
)

// Error kinds, mapped by the CLI to exit codes and by a server to statuses.
const (
	EInvalid  = "invalid"   // bad input from the user: exit 1
	ENotFound = "not_found" // a named thing does not exist: exit 4
	EConflict = "conflict"  // the change would lose or duplicate data: exit 1
	EInUse    = "in_use"    // another process holds the project: exit 3
	EDamaged  = "damaged"   // the project database is damaged: exit 5
	EInternal = "internal"
)

// Error is a domain error with a kind and a one-sentence message that says
// what happened. What to do next is not in the message: the library names
// it in Next (one of the Next* kinds, with Arg its subject, a name or an
// id), and the CLI and the server each say it in their own words.
type Error struct {
	Kind    string
	Message string
	Err     error
	// Next is what the user can do next (a Next* constant; "" for none),
	// Arg the name or id it is about.
	Next string
	Arg  string
}

// What to do next about an Error, for its Next field. The CLI turns each
// into a command to run, the server into words of its own.
const (
	NextListDocs      = "list_docs"      // see the documents
	NextListCases     = "list_cases"     // see the cases
	NextListCodes     = "list_codes"     // see the codebook
	NextListCodings   = "list_codings"   // see the codings and their ids
	NextListMemos     = "list_memos"     // see the memos
	NextListOrphans   = "list_orphans"   // see the orphaned codings
	NextListSpeakers  = "list_speakers"  // see the speaker labels
	NextSpeakerForce  = "speaker_force"  // see the speakers, or map the label anyway
	NextSetRole       = "set_role"       // give a speaker a role
	NextNoCodings     = "no_codings"     // see who coded what
	NextInit          = "init"           // create a project (Arg: its folder)
	NextFindProject   = "find_project"   // create a project or name one
	NextReindex       = "reindex"        // rebuild the search index
	NextDamaged       = "damaged"        // check, restore a backup or salvage
	NextRestore       = "restore"        // restore a backup or salvage (after a check)
	NextRepair        = "repair"         // rebuild the derived data from the records
	NextMergeCases    = "merge_cases"    // join two cases
	NextCaseHoldsDocs = "case_docs"      // move the documents, merge the case, or force
	NextEditCode      = "edit_code"      // change a code's description or colour
	NextAddCode       = "add_code"       // create the code first
	NextCodeInUse     = "code_in_use"    // force the deletion, or merge the code
	NextDocHasCodings = "doc_codings"    // force the deletion (undo brings it back)
	NextAddUser       = "add_user"       // create the user (Arg: the name)
	NextLogActor      = "log_actor"      // see a coder's changes (Arg: the coder)
	NextLog           = "log"            // see the later changes
	NextDeleteMemo    = "delete_memo"    // delete the memo instead (Arg: its id)
	NextShowDoc       = "show_doc"       // see a document's numbered turns (Arg: the document)
	NextNameStory     = "name_story"     // name the story to write
	NextRenameSpeaker = "rename_speaker" // how to rename a speaker
	NextUpgrade       = "upgrade"        // upgrade the database (it backs it up first)
	NextNameCoder     = "name_coder"     // say who is coding
	NextMoveDocTo     = "move_doc_to"    // name the case to move a document to, or none
	NextForceImport   = "force_import"   // import identical bytes again anyway
	NextForceMap      = "force_map"      // map a speaker label no document has anyway
	NextForceOthers   = "force_others"   // remove another coder's codings anyway
	NextUpdateUser    = "update_user"    // change an existing user's password instead (Arg: the name)
	NextNameCoders    = "name_coders"    // name the coders to compare
	NextCheckCoders   = "check_coders"   // check the names of the coders to compare
	NextCheckDocs     = "check_docs"     // check the documents named for comparison
	NextCommonDocs    = "common_docs"    // have the coders code the same documents, or name them
	NextOtherDocs     = "other_docs"     // compare other documents or other coders
	NextQuoteMore     = "quote_more"     // a quote occurs more than once: quote more, or give the range
	NextQuoteExact    = "quote_exact"    // a quote is not in the text: copy it exactly, or give the range
	NextGiveQuery     = "give_query"     // a search needs words or a regular expression
	NextFormat        = "format"         // rename the file, or name its format (Arg: the format)
	NextNotVTT        = "not_vtt"        // a .vtt that is not WebVTT: rename it if SubRip, else read it as text
	NextFormatText    = "format_text"    // check the file, or read it as plain text
	NextUTF16         = "utf16"          // a UTF-16 file without a byte-order mark: name its encoding
	NextCheckEncoding = "check_encoding" // the encoding name is wrong
	NextLegacyText    = "legacy_text"    // invalid UTF-8: name the file's legacy encoding
	NextNotText       = "not_text"       // decoded text with NUL: check the encoding or export again
)

func (e *Error) Error() string {
	if e.Message == "" && e.Err != nil {
		return e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind.
func Errorf(kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// ErrorKind returns the kind of the first *Error in err's chain, or
// EInternal when there is none.
func ErrorKind(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return EInternal
}
