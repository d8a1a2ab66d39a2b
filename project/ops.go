package project

import (
	"context"

	"github.com/tacit-qda/tacit/coding/report"
)

// Operations is every operation tacit offers, one method each: a context
// and a request struct in, a result struct out, and errors of the
// coding.Error kinds (coding.ErrorKind maps them to exit codes and HTTP
// statuses). Requests and results are plain values with snake_case json
// tags, so that the same methods run in-process (*Project) or over HTTP
// JSON (*Remote, served by Call).
//
// The acting coder of a change is not part of a request: it travels in
// the context (WithActor), falling back to the Project's Actor.
//
// The CLI only parses flags, calls one of these methods and prints the
// result; the server only decodes a request, calls one and encodes the
// result.
type Operations interface {
	// Documents, cases, attributes and speakers.
	Docs(ctx context.Context, req DocsRequest) (*DocsResult, error)
	Show(ctx context.Context, req ShowRequest) (*ShowResult, error)
	Cases(ctx context.Context, req CasesRequest) (*CasesResult, error)
	ChangeAttrs(ctx context.Context, req AttrRequest) (*AttrResult, error)
	DeleteDocument(ctx context.Context, req DeleteDocumentRequest) (*DeleteDocumentResult, error)
	MoveDocument(ctx context.Context, req MoveDocumentRequest) (*MoveDocumentResult, error)
	RenameDocument(ctx context.Context, req RenameDocumentRequest) (*RenameResult, error)
	RenameCase(ctx context.Context, req RenameCaseRequest) (*RenameResult, error)
	MergeCases(ctx context.Context, req MergeCasesRequest) (*MergeCasesResult, error)
	DeleteCase(ctx context.Context, req DeleteCaseRequest) (*DeleteCaseResult, error)
	Speakers(ctx context.Context, req SpeakersRequest) (*SpeakersResult, error)
	SetRole(ctx context.Context, req SetRoleRequest) (*SetRoleResult, error)
	RenameSpeaker(ctx context.Context, req RenameSpeakerRequest) (*RenameSpeakerResult, error)

	// Corrected texts (replace.go): the file of a replace is a path the
	// project's process can read.
	Replace(ctx context.Context, req ReplaceRequest) (*ReplaceResult, error)
	Orphans(ctx context.Context, req OrphansRequest) (*OrphansResult, error)
	DropOrphan(ctx context.Context, req DropOrphanRequest) (*OrphanRow, error)
	ShowVersion(ctx context.Context, req VersionRequest) (*ShowResult, error)

	// Codebook.
	AddCode(ctx context.Context, req AddCodeRequest) (*AddCodeResult, error)
	ListCodes(ctx context.Context, req ListCodesRequest) (*ListCodesResult, error)
	ShowCode(ctx context.Context, req CodeRequest) (*CodeDetail, error)
	EditCode(ctx context.Context, req EditCodeRequest) (*CodeRow, error)
	RenameCode(ctx context.Context, req RenameCodeRequest) (*PlaceResult, error)
	MoveCode(ctx context.Context, req MoveCodeRequest) (*PlaceResult, error)
	MergeCode(ctx context.Context, req MergeCodeRequest) (*MergeCodeResult, error)
	DeleteCode(ctx context.Context, req DeleteCodeRequest) (*DeleteCodeResult, error)
	ExportCodebook(ctx context.Context, req ExportCodebookRequest) (*ExportCodebookResult, error)
	ImportCodebook(ctx context.Context, req ImportCodebookRequest) (*ImportCodebookResult, error)

	// Coding.
	Tag(ctx context.Context, req TagRequest) (*TagResult, error)
	Untag(ctx context.Context, req UntagRequest) (*UntagResult, error)
	Codings(ctx context.Context, req CodingsRequest) (*CodingsResult, error)

	// Memos.
	AddMemo(ctx context.Context, req AddMemoRequest) (*MemoRow, error)
	ListMemos(ctx context.Context, req ListMemosRequest) (*ListMemosResult, error)
	ShowMemo(ctx context.Context, req MemoRequest) (*MemoRow, error)
	EditMemo(ctx context.Context, req EditMemoRequest) (*MemoRow, error)
	DeleteMemo(ctx context.Context, req MemoRequest) (*DeleteMemoResult, error)

	// Audit log.
	Log(ctx context.Context, req LogRequest) (*LogResult, error)
	Undo(ctx context.Context, req UndoRequest) (*UndoResult, error)

	// Search.
	Search(ctx context.Context, req SearchRequest) (*SearchResult, error)
	Words(ctx context.Context, req WordsRequest) (*WordsResult, error)
	Autocode(ctx context.Context, req AutocodeRequest) (*AutocodeResult, error)

	// Reports.
	Recurrence(ctx context.Context, req RecurrenceRequest) (*RecurrenceReport, error)
	Matrix(ctx context.Context, req MatrixRequest) (*MatrixReport, error)
	Cooccurrence(ctx context.Context, req CooccurrenceRequest) (*CooccurrenceReport, error)
	CodebookReport(ctx context.Context, req CodebookReportRequest) (*CodebookReport, error)
	Story(ctx context.Context, req StoryRequest) (*report.Story, error)
	Book(ctx context.Context, req BookRequest) (*report.Book, error)
	Agreement(ctx context.Context, req AgreementRequest) (*AgreementReport, error)

	// Import and maintenance.
	ImportFiles(ctx context.Context, req ImportRequest) (*ImportFilesResult, error)
	RebuildIndex(ctx context.Context, req ReindexRequest) (*ReindexResult, error)
	CheckProject(ctx context.Context, req CheckRequest) (*CheckReport, error)
	Backup(ctx context.Context, req BackupRequest) (*BackupResult, error)
	CompactStore(ctx context.Context, req CompactRequest) (*CompactResult, error)
	Upgrade(ctx context.Context, req UpgradeRequest) (*UpgradeResult, error)

	// Exports (into memory; see op_export.go) and the accounts of
	// 'tacit serve'.
	Export(ctx context.Context, req ExportRequest) (*ExportResult, error)
	UserAdd(ctx context.Context, req AddUserRequest) (*Account, error)
	UserList(ctx context.Context, req UserListRequest) (*UserListResult, error)
	UserRemove(ctx context.Context, req UserRemoveRequest) (*UserRemoveResult, error)
}

var _ Operations = (*Project)(nil)

type actorKey struct{}

// WithActor returns a context in which changes are made by the coder name
// (the --as of the CLI, the logged-in user of the server).
func WithActor(ctx context.Context, name string) context.Context {
	if name == "" {
		return ctx
	}
	return context.WithValue(ctx, actorKey{}, name)
}

// ActorFrom returns the coder set by WithActor, or "".
func ActorFrom(ctx context.Context) string {
	s, _ := ctx.Value(actorKey{}).(string)
	return s
}

// actor is who makes a change in ctx: WithActor's name, else p.Actor.
func (p *Project) actor(ctx context.Context) string {
	if a := ActorFrom(ctx); a != "" {
		return a
	}
	if p.Actor != "" {
		return p.Actor
	}
	return DefaultActor()
}
