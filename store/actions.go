package store

import (
	"slices"
	"strings"
)

// The actions of audit events: every event tacit writes names one of
// these (TestEveryActionIsListed keeps it so), and 'tacit log --action'
// accepts exactly these (or the prefix before a dot, "code" for every
// "code.*").
const (
	ActionImport         = "import"
	ActionAttr           = "attr"
	ActionRole           = "role"
	ActionCodeAdd        = "code.add"
	ActionCodeEdit       = "code.edit"
	ActionCodeRename     = "code.rename"
	ActionCodeMove       = "code.move"
	ActionCodeMerge      = "code.merge"
	ActionCodeDelete     = "code.delete"
	ActionCodebookImport = "codebook.import"
	ActionTag            = "tag"
	ActionUntag          = "untag"
	ActionAutocode       = "autocode"
	ActionMemoAdd        = "memo.add"
	ActionMemoEdit       = "memo.edit"
	ActionMemoDelete     = "memo.delete"
	// ActionUndo is the action of the event an undo writes.
	ActionUndo    = "undo"
	ActionCompact = "compact"
	// Corrections (see corrections.go).
	ActionDocRemove     = "doc.remove"
	ActionDocMove       = "doc.move"
	ActionDocRename     = "doc.rename"
	ActionCaseRename    = "case.rename"
	ActionCaseMerge     = "case.merge"
	ActionCaseRemove    = "case.remove"
	ActionReplace       = "replace"
	ActionSpeakerRename = "speaker.rename"
	ActionOrphanDrop    = "orphan.drop"
	// Exchange with other QDA software (REFI-QDA).
	ActionExchangeImport = "exchange.import"
	ActionCodingsImport  = "codings.import"

	ActionRepair  = "repair"  // Repair rebuilt derived data from the records
	ActionSalvage = "salvage" // Salvage copied what decodes into a new project
	ActionUser    = "user"    // an account was added or changed
)

// actions lists every action, in the order of the constants above.
var actions = []string{
	ActionImport, ActionAttr, ActionRole,
	ActionCodeAdd, ActionCodeEdit, ActionCodeRename, ActionCodeMove, ActionCodeMerge, ActionCodeDelete, ActionCodebookImport,
	ActionTag, ActionUntag, ActionAutocode,
	ActionMemoAdd, ActionMemoEdit, ActionMemoDelete,
	ActionUndo, ActionCompact,
	ActionDocRemove, ActionDocMove, ActionDocRename, ActionCaseRename, ActionCaseMerge, ActionCaseRemove,
	ActionReplace, ActionSpeakerRename, ActionOrphanDrop,
	ActionExchangeImport, ActionCodingsImport, ActionRepair, ActionSalvage, ActionUser,
}

// Actions returns every audit action name.
func Actions() []string { return slices.Clone(actions) }

// KnownAction reports whether a is an action name.
func KnownAction(a string) bool { return slices.Contains(actions, a) }

// KnownActionFilter reports whether a selects events in a filter: an
// action name, or the part of one before a dot ("code" for "code.add").
func KnownActionFilter(a string) bool {
	for _, x := range actions {
		if x == a || strings.HasPrefix(x, a+".") {
			return true
		}
	}
	return false
}
