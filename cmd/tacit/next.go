package main

import (
	"errors"
	"strings"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
)

// nextStep says what to do about err in the CLI's words ("" when the
// error says it already). Lower layers report kinds and facts, and name
// the next step as a coding.Next* kind; the advice is the CLI's (and the
// server's, in its own words).
func nextStep(err error) string {
	if errors.Is(err, project.ErrNeedsUpgrade) {
		return nextWords(coding.NextUpgrade, "")
	}
	var e *coding.Error
	if !errors.As(err, &e) || e.Next == "" {
		return ""
	}
	return nextWords(e.Next, e.Arg)
}

// withNext is msg followed by next, the next step in the CLI's words: after
// "; ", or after a space when the step is an aside in parentheses.
func withNext(msg, next string) string {
	switch {
	case next == "":
		return msg
	case strings.HasPrefix(next, "("):
		return msg + " " + next
	}
	return msg + "; " + next
}

// nextWords is a coding.Next* kind in the CLI's words; arg is the name or
// id the step is about ("" when the error gave none).
func nextWords(next, arg string) string {
	or := func(placeholder string) string {
		if arg == "" {
			return placeholder
		}
		if strings.ContainsAny(arg, " \t'\"") {
			return `"` + strings.ReplaceAll(arg, `"`, `\"`) + `"`
		}
		return arg
	}
	switch next {
	case coding.NextNameCoder:
		return "pass --as NAME or set TACIT_CODER"
	case coding.NextUpgrade:
		return "run 'tacit upgrade' (it backs the database up first), or any command that changes the project"
	case coding.NextListDocs:
		return "'tacit docs' lists the documents"
	case coding.NextListCases:
		return "'tacit cases' lists the cases"
	case coding.NextListCodes:
		return "'tacit code list' shows the codebook"
	case coding.NextListCodings:
		return "'tacit codings' lists them with their ids"
	case coding.NextListMemos:
		return "'tacit memo list' lists them"
	case coding.NextListOrphans:
		return "'tacit orphans' lists them"
	case coding.NextListSpeakers:
		return "'tacit speaker list' lists them"
	case coding.NextSpeakerForce:
		return "'tacit speaker list' lists them (add --force to map it anyway)"
	case coding.NextSetRole:
		return "no speaker has a role yet; set one with 'tacit speaker role SPEAKER ROLE'"
	case coding.NextNoCodings:
		return "nobody has coded anything yet; 'tacit log' shows who changed what"
	case coding.NextInit:
		return "run 'tacit init " + or("DIR") + "' to create one"
	case coding.NextFindProject:
		return "run 'tacit init DIR' to create one, or pass --project DIR"
	case coding.NextReindex:
		return "run 'tacit reindex' to rebuild it from the store"
	case coding.NextDamaged:
		return "'tacit check' lists the problems; restore a backup ('tacit backup') or copy what survives with 'tacit salvage DIR'"
	case coding.NextRestore:
		return "the project database is damaged: restore a backup of .tacit/tacit.db (see 'tacit backup'), or copy what survives into a new project with 'tacit salvage DIR'"
	case coding.NextRepair:
		return "run 'tacit check --repair' to rebuild the indexes, counts and search index from the records"
	case coding.NextMergeCases:
		return "'tacit cases merge' joins two cases"
	case coding.NextCaseHoldsDocs:
		return "move them with 'tacit docs mv', merge the case with 'tacit cases merge', or add --force to leave them in no case"
	case coding.NextEditCode:
		return "'tacit code edit' changes its description or colour"
	case coding.NextAddCode:
		return "create it first with 'tacit code add'"
	case coding.NextCodeInUse:
		return "use --force to delete them too, or 'tacit code merge' to keep the codings under another code"
	case coding.NextDocHasCodings:
		return "add --force to delete them too ('tacit undo' brings all back)"
	case coding.NextAddUser:
		return "'tacit user add " + or("NAME") + " --password-stdin' creates one"
	case coding.NextLogActor:
		return "'tacit log --actor " + or("NAME") + "' lists their changes"
	case coding.NextLog:
		return "'tacit log' shows the later changes"
	case coding.NextDeleteMemo:
		return "'tacit memo delete " + or("ID") + "' removes the memo"
	case coding.NextShowDoc:
		return "'tacit show " + or("DOC") + "' prints its numbered turns"
	case coding.NextNameStory:
		return `as in tacit report story "S1 Step by step"`
	case coding.NextRenameSpeaker:
		return `as in: tacit speaker rename "Moshe Levi" "Client A"`
	case coding.NextMoveDocTo:
		return "pass --case NAME, or --no-case to take it out of its case"
	case coding.NextForceImport:
		return "use --force to import it again"
	case coding.NextForceMap:
		return "(add --force to map it anyway)"
	case coding.NextForceOthers:
		return "to remove another coder's coding, add --force"
	case coding.NextUpdateUser:
		return "pass --update to change the password"
	case coding.NextNameCoders:
		return "name them with --coders dana,yossi"
	case coding.NextCheckCoders:
		return "check the name in --coders"
	case coding.NextCheckDocs:
		return "check --docs"
	case coding.NextCommonDocs:
		return "have each coder code the same documents, or name documents with --docs"
	case coding.NextOtherDocs:
		return "choose other documents with --docs or other coders"
	case coding.NextQuoteMore:
		return "quote more words or give --range"
	case coding.NextQuoteExact:
		return "copy the text exactly or give --range"
	case coding.NextGiveQuery:
		return "give words to search for, or --regex"
	case coding.NextFormat:
		return "rename it to ." + or("FORMAT") + " or pass --format " + or("FORMAT")
	case coding.NextNotVTT:
		return "if it is SubRip, rename it to .srt, else pass --format text"
	case coding.NextFormatText:
		return "check the file or pass --format text"
	case coding.NextUTF16:
		return "if it is a text file in UTF-16 without a byte-order mark, pass --encoding utf-16le"
	case coding.NextCheckEncoding:
		return "check the --encoding name"
	case coding.NextLegacyText:
		return "if the file is in a legacy encoding, pass --encoding windows-1252"
	case coding.NextNotText:
		return "check the --encoding or export the transcript again"
	}
	return ""
}
