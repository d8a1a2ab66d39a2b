package project

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sort"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/report"
)

// This file carries Operations over a wire (HTTP JSON, say): Call runs an
// operation named by a string on a JSON request, and Remote is an
// Operations whose methods send their request through a Transport. The
// names are the ones listed in opTable; the server can route
// POST /api/op/{name} to Call, and a client can wrap its HTTP round trip
// in a Transport.

type opDef struct {
	// write is true for operations that change the project.
	write bool
	call  func(ctx context.Context, ops Operations, body []byte) (any, error)
}

func def[Req, Res any](write bool, f func(Operations, context.Context, Req) (*Res, error)) opDef {
	return opDef{write: write, call: func(ctx context.Context, ops Operations, body []byte) (any, error) {
		var req Req
		if len(bytes.TrimSpace(body)) > 0 {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&req); err != nil {
				return nil, coding.Errorf(coding.EInvalid, "the request is not valid JSON for this operation: %v", err)
			}
		}
		return f(ops, ctx, req)
	}}
}

// opTable names every operation of Operations (TestOpTableCoversOperations
// keeps it complete).
var opTable = map[string]opDef{
	"docs":                def(false, Operations.Docs),
	"show":                def(false, Operations.Show),
	"cases":               def(false, Operations.Cases),
	"attr":                def(true, Operations.ChangeAttrs),
	"doc.delete":          def(true, Operations.DeleteDocument),
	"doc.move":            def(true, Operations.MoveDocument),
	"doc.rename":          def(true, Operations.RenameDocument),
	"case.rename":         def(true, Operations.RenameCase),
	"case.merge":          def(true, Operations.MergeCases),
	"case.delete":         def(true, Operations.DeleteCase),
	"speaker.list":        def(false, Operations.Speakers),
	"speaker.role":        def(true, Operations.SetRole),
	"speaker.rename":      def(true, Operations.RenameSpeaker),
	"replace":             def(true, Operations.Replace),
	"orphans":             def(false, Operations.Orphans),
	"orphan.drop":         def(true, Operations.DropOrphan),
	"show.version":        def(false, Operations.ShowVersion),
	"code.add":            def(true, Operations.AddCode),
	"code.list":           def(false, Operations.ListCodes),
	"code.show":           def(false, Operations.ShowCode),
	"code.edit":           def(true, Operations.EditCode),
	"code.rename":         def(true, Operations.RenameCode),
	"code.move":           def(true, Operations.MoveCode),
	"code.merge":          def(true, Operations.MergeCode),
	"code.delete":         def(true, Operations.DeleteCode),
	"codebook.export":     def(false, Operations.ExportCodebook),
	"codebook.import":     def(true, Operations.ImportCodebook),
	"tag":                 def(true, Operations.Tag),
	"untag":               def(true, Operations.Untag),
	"codings":             def(false, Operations.Codings),
	"memo.add":            def(true, Operations.AddMemo),
	"memo.list":           def(false, Operations.ListMemos),
	"memo.show":           def(false, Operations.ShowMemo),
	"memo.edit":           def(true, Operations.EditMemo),
	"memo.delete":         def(true, Operations.DeleteMemo),
	"log":                 def(false, Operations.Log),
	"undo":                def(true, Operations.Undo),
	"search":              def(false, Operations.Search),
	"words":               def(false, Operations.Words),
	"autocode":            def(true, Operations.Autocode),
	"report.recurrence":   def(false, Operations.Recurrence),
	"report.matrix":       def(false, Operations.Matrix),
	"report.cooccurrence": def(false, Operations.Cooccurrence),
	"report.codebook":     def(false, Operations.CodebookReport),
	"report.story":        def(false, Operations.Story),
	"report.book":         def(false, Operations.Book),
	"agreement":           def(false, Operations.Agreement),
	"import":              def(true, Operations.ImportFiles),
	"reindex":             def(true, Operations.RebuildIndex),
	"check":               def(false, Operations.CheckProject),
	"backup":              def(false, Operations.Backup),
	"export":              def(false, Operations.Export),
	"user.add":            def(true, Operations.UserAdd),
	"user.list":           def(false, Operations.UserList),
	"user.remove":         def(true, Operations.UserRemove),
	"compact":             def(true, Operations.CompactStore),
	"upgrade":             def(true, Operations.Upgrade),
}

// OpNames lists the names of the operations, sorted.
func OpNames() []string {
	names := make([]string, 0, len(opTable))
	for n := range opTable {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// IsWrite reports whether the named operation changes the project; ok is
// false for an unknown name.
func IsWrite(name string) (write, ok bool) {
	d, ok := opTable[name]
	return d.write, ok
}

// Call runs the named operation on ops with a JSON request body (empty
// means the zero request) and returns its result, ready to encode.
func Call(ctx context.Context, ops Operations, name string, body []byte) (any, error) {
	d, ok := opTable[name]
	if !ok {
		return nil, coding.Errorf(coding.ENotFound, "no operation %q", name)
	}
	return d.call(ctx, ops, body)
}

// WireError is an error as it travels: its kind (a coding.Error kind), its
// one-sentence message, and the next step it names (coding.Error's Next and
// Arg), which each side says in its own words.
type WireError struct {
	Kind    string `json:"kind"`
	Message string `json:"error"`
	Next    string `json:"next,omitempty"`
	Arg     string `json:"arg,omitempty"`
}

// ToWire describes err for the wire.
func ToWire(err error) WireError {
	w := WireError{Kind: coding.ErrorKind(err), Message: err.Error()}
	var e *coding.Error
	if errors.As(err, &e) {
		w.Next, w.Arg = e.Next, e.Arg
	}
	return w
}

// Err turns a WireError back into a *coding.Error.
func (w WireError) Err() error {
	kind := w.Kind
	if kind == "" {
		kind = coding.EInternal
	}
	return &coding.Error{Kind: kind, Message: w.Message, Next: w.Next, Arg: w.Arg}
}

// Transport sends one operation's request and decodes its reply into res;
// a failed operation comes back as an error (WireError.Err for one that the
// other side reported).
type Transport func(ctx context.Context, op string, req, res any) error

// Remote is an Operations that runs every operation elsewhere through a
// Transport.
type Remote struct {
	Transport Transport
}

var _ Operations = (*Remote)(nil)

func remote[Res any](ctx context.Context, r *Remote, op string, req any) (*Res, error) {
	if r.Transport == nil {
		return nil, errors.New("remote operations need a transport")
	}
	var res Res
	if err := r.Transport(ctx, op, req, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

func (r *Remote) Docs(ctx context.Context, req DocsRequest) (*DocsResult, error) {
	return remote[DocsResult](ctx, r, "docs", req)
}
func (r *Remote) Show(ctx context.Context, req ShowRequest) (*ShowResult, error) {
	return remote[ShowResult](ctx, r, "show", req)
}
func (r *Remote) Cases(ctx context.Context, req CasesRequest) (*CasesResult, error) {
	return remote[CasesResult](ctx, r, "cases", req)
}
func (r *Remote) ChangeAttrs(ctx context.Context, req AttrRequest) (*AttrResult, error) {
	return remote[AttrResult](ctx, r, "attr", req)
}
func (r *Remote) RenameSpeaker(ctx context.Context, req RenameSpeakerRequest) (*RenameSpeakerResult, error) {
	return remote[RenameSpeakerResult](ctx, r, "speaker.rename", req)
}
func (r *Remote) Replace(ctx context.Context, req ReplaceRequest) (*ReplaceResult, error) {
	return remote[ReplaceResult](ctx, r, "replace", req)
}
func (r *Remote) Orphans(ctx context.Context, req OrphansRequest) (*OrphansResult, error) {
	return remote[OrphansResult](ctx, r, "orphans", req)
}
func (r *Remote) DropOrphan(ctx context.Context, req DropOrphanRequest) (*OrphanRow, error) {
	return remote[OrphanRow](ctx, r, "orphan.drop", req)
}
func (r *Remote) ShowVersion(ctx context.Context, req VersionRequest) (*ShowResult, error) {
	return remote[ShowResult](ctx, r, "show.version", req)
}
func (r *Remote) DeleteDocument(ctx context.Context, req DeleteDocumentRequest) (*DeleteDocumentResult, error) {
	return remote[DeleteDocumentResult](ctx, r, "doc.delete", req)
}
func (r *Remote) MoveDocument(ctx context.Context, req MoveDocumentRequest) (*MoveDocumentResult, error) {
	return remote[MoveDocumentResult](ctx, r, "doc.move", req)
}
func (r *Remote) RenameDocument(ctx context.Context, req RenameDocumentRequest) (*RenameResult, error) {
	return remote[RenameResult](ctx, r, "doc.rename", req)
}
func (r *Remote) RenameCase(ctx context.Context, req RenameCaseRequest) (*RenameResult, error) {
	return remote[RenameResult](ctx, r, "case.rename", req)
}
func (r *Remote) MergeCases(ctx context.Context, req MergeCasesRequest) (*MergeCasesResult, error) {
	return remote[MergeCasesResult](ctx, r, "case.merge", req)
}
func (r *Remote) DeleteCase(ctx context.Context, req DeleteCaseRequest) (*DeleteCaseResult, error) {
	return remote[DeleteCaseResult](ctx, r, "case.delete", req)
}
func (r *Remote) Speakers(ctx context.Context, req SpeakersRequest) (*SpeakersResult, error) {
	return remote[SpeakersResult](ctx, r, "speaker.list", req)
}
func (r *Remote) SetRole(ctx context.Context, req SetRoleRequest) (*SetRoleResult, error) {
	return remote[SetRoleResult](ctx, r, "speaker.role", req)
}
func (r *Remote) AddCode(ctx context.Context, req AddCodeRequest) (*AddCodeResult, error) {
	return remote[AddCodeResult](ctx, r, "code.add", req)
}
func (r *Remote) ListCodes(ctx context.Context, req ListCodesRequest) (*ListCodesResult, error) {
	return remote[ListCodesResult](ctx, r, "code.list", req)
}
func (r *Remote) ShowCode(ctx context.Context, req CodeRequest) (*CodeDetail, error) {
	return remote[CodeDetail](ctx, r, "code.show", req)
}
func (r *Remote) EditCode(ctx context.Context, req EditCodeRequest) (*CodeRow, error) {
	return remote[CodeRow](ctx, r, "code.edit", req)
}
func (r *Remote) RenameCode(ctx context.Context, req RenameCodeRequest) (*PlaceResult, error) {
	return remote[PlaceResult](ctx, r, "code.rename", req)
}
func (r *Remote) MoveCode(ctx context.Context, req MoveCodeRequest) (*PlaceResult, error) {
	return remote[PlaceResult](ctx, r, "code.move", req)
}
func (r *Remote) MergeCode(ctx context.Context, req MergeCodeRequest) (*MergeCodeResult, error) {
	return remote[MergeCodeResult](ctx, r, "code.merge", req)
}
func (r *Remote) DeleteCode(ctx context.Context, req DeleteCodeRequest) (*DeleteCodeResult, error) {
	return remote[DeleteCodeResult](ctx, r, "code.delete", req)
}
func (r *Remote) ExportCodebook(ctx context.Context, req ExportCodebookRequest) (*ExportCodebookResult, error) {
	return remote[ExportCodebookResult](ctx, r, "codebook.export", req)
}
func (r *Remote) ImportCodebook(ctx context.Context, req ImportCodebookRequest) (*ImportCodebookResult, error) {
	return remote[ImportCodebookResult](ctx, r, "codebook.import", req)
}
func (r *Remote) Tag(ctx context.Context, req TagRequest) (*TagResult, error) {
	return remote[TagResult](ctx, r, "tag", req)
}
func (r *Remote) Untag(ctx context.Context, req UntagRequest) (*UntagResult, error) {
	return remote[UntagResult](ctx, r, "untag", req)
}
func (r *Remote) Codings(ctx context.Context, req CodingsRequest) (*CodingsResult, error) {
	return remote[CodingsResult](ctx, r, "codings", req)
}
func (r *Remote) AddMemo(ctx context.Context, req AddMemoRequest) (*MemoRow, error) {
	return remote[MemoRow](ctx, r, "memo.add", req)
}
func (r *Remote) ListMemos(ctx context.Context, req ListMemosRequest) (*ListMemosResult, error) {
	return remote[ListMemosResult](ctx, r, "memo.list", req)
}
func (r *Remote) ShowMemo(ctx context.Context, req MemoRequest) (*MemoRow, error) {
	return remote[MemoRow](ctx, r, "memo.show", req)
}
func (r *Remote) EditMemo(ctx context.Context, req EditMemoRequest) (*MemoRow, error) {
	return remote[MemoRow](ctx, r, "memo.edit", req)
}
func (r *Remote) DeleteMemo(ctx context.Context, req MemoRequest) (*DeleteMemoResult, error) {
	return remote[DeleteMemoResult](ctx, r, "memo.delete", req)
}
func (r *Remote) Log(ctx context.Context, req LogRequest) (*LogResult, error) {
	return remote[LogResult](ctx, r, "log", req)
}
func (r *Remote) Undo(ctx context.Context, req UndoRequest) (*UndoResult, error) {
	return remote[UndoResult](ctx, r, "undo", req)
}
func (r *Remote) Search(ctx context.Context, req SearchRequest) (*SearchResult, error) {
	return remote[SearchResult](ctx, r, "search", req)
}
func (r *Remote) Words(ctx context.Context, req WordsRequest) (*WordsResult, error) {
	return remote[WordsResult](ctx, r, "words", req)
}
func (r *Remote) Autocode(ctx context.Context, req AutocodeRequest) (*AutocodeResult, error) {
	return remote[AutocodeResult](ctx, r, "autocode", req)
}
func (r *Remote) Recurrence(ctx context.Context, req RecurrenceRequest) (*RecurrenceReport, error) {
	return remote[RecurrenceReport](ctx, r, "report.recurrence", req)
}
func (r *Remote) Matrix(ctx context.Context, req MatrixRequest) (*MatrixReport, error) {
	return remote[MatrixReport](ctx, r, "report.matrix", req)
}
func (r *Remote) Cooccurrence(ctx context.Context, req CooccurrenceRequest) (*CooccurrenceReport, error) {
	return remote[CooccurrenceReport](ctx, r, "report.cooccurrence", req)
}
func (r *Remote) CodebookReport(ctx context.Context, req CodebookReportRequest) (*CodebookReport, error) {
	return remote[CodebookReport](ctx, r, "report.codebook", req)
}
func (r *Remote) Story(ctx context.Context, req StoryRequest) (*report.Story, error) {
	return remote[report.Story](ctx, r, "report.story", req)
}
func (r *Remote) Book(ctx context.Context, req BookRequest) (*report.Book, error) {
	return remote[report.Book](ctx, r, "report.book", req)
}
func (r *Remote) Agreement(ctx context.Context, req AgreementRequest) (*AgreementReport, error) {
	return remote[AgreementReport](ctx, r, "agreement", req)
}
func (r *Remote) ImportFiles(ctx context.Context, req ImportRequest) (*ImportFilesResult, error) {
	return remote[ImportFilesResult](ctx, r, "import", req)
}
func (r *Remote) RebuildIndex(ctx context.Context, req ReindexRequest) (*ReindexResult, error) {
	return remote[ReindexResult](ctx, r, "reindex", req)
}
func (r *Remote) CheckProject(ctx context.Context, req CheckRequest) (*CheckReport, error) {
	return remote[CheckReport](ctx, r, "check", req)
}
func (r *Remote) Export(ctx context.Context, req ExportRequest) (*ExportResult, error) {
	return remote[ExportResult](ctx, r, "export", req)
}
func (r *Remote) UserAdd(ctx context.Context, req AddUserRequest) (*Account, error) {
	return remote[Account](ctx, r, "user.add", req)
}
func (r *Remote) UserList(ctx context.Context, req UserListRequest) (*UserListResult, error) {
	return remote[UserListResult](ctx, r, "user.list", req)
}
func (r *Remote) UserRemove(ctx context.Context, req UserRemoveRequest) (*UserRemoveResult, error) {
	return remote[UserRemoveResult](ctx, r, "user.remove", req)
}
func (r *Remote) Backup(ctx context.Context, req BackupRequest) (*BackupResult, error) {
	return remote[BackupResult](ctx, r, "backup", req)
}
func (r *Remote) CompactStore(ctx context.Context, req CompactRequest) (*CompactResult, error) {
	return remote[CompactResult](ctx, r, "compact", req)
}
func (r *Remote) Upgrade(ctx context.Context, req UpgradeRequest) (*UpgradeResult, error) {
	return remote[UpgradeResult](ctx, r, "upgrade", req)
}
