package project

import (
	"bytes"
	"context"
	"io"

	"github.com/tacit-qda/tacit/coding"
)

// ExportRequest asks for one of the exports as bytes: Kind is qdpx, qdc,
// codings or project. It is the operation a running 'tacit serve' answers
// for 'tacit export' (an export only reads, so it works while the server
// owns the project); a local export streams to its file instead.
type ExportRequest struct {
	Kind string `json:"kind"`
	// Format is csv or json (codings).
	Format string `json:"format,omitempty"`
	// UTF16 writes qdpx positions in UTF-16 code units.
	UTF16 bool `json:"utf16,omitempty"`
}

// ExportResult is the exported file and what the export of its kind
// reports.
type ExportResult struct {
	Data    []byte               `json:"data"`
	QDPX    *ExportQDPXResult    `json:"qdpx,omitempty"`
	QDC     *ExportQDCResult     `json:"qdc,omitempty"`
	Codings *ExportCodingsResult `json:"codings,omitempty"`
	Project *ExportProjectResult `json:"project,omitempty"`
}

// The kinds of ExportRequest.
const (
	ExportKindQDPX    = "qdpx"
	ExportKindQDC     = "qdc"
	ExportKindCodings = "codings"
	ExportKindProject = "project"
)

// Export runs an export into memory and returns its bytes.
func (p *Project) Export(ctx context.Context, req ExportRequest) (*ExportResult, error) {
	var buf bytes.Buffer
	res, err := p.ExportTo(ctx, req, &buf)
	if err != nil {
		return nil, err
	}
	res.Data = buf.Bytes()
	return res, nil
}

// ExportTo runs an export into w (Data stays empty).
func (p *Project) ExportTo(ctx context.Context, req ExportRequest, w io.Writer) (*ExportResult, error) {
	res := &ExportResult{}
	var err error
	switch req.Kind {
	case ExportKindQDPX:
		res.QDPX, err = p.ExportQDPX(ctx, ExportQDPXRequest{UTF16: req.UTF16}, w)
	case ExportKindQDC:
		res.QDC, err = p.ExportQDC(ctx, w)
	case ExportKindCodings:
		res.Codings, err = p.ExportCodings(ctx, ExportCodingsRequest{Format: req.Format}, w)
	case ExportKindProject:
		res.Project, err = p.ExportProject(ctx, w)
	default:
		return nil, coding.Errorf(coding.EInvalid, "no export %q; the exports are qdpx, qdc, codings and project", req.Kind)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// UserListRequest lists the accounts of 'tacit serve'.
type UserListRequest struct{}

// UserListResult is the accounts, by name.
type UserListResult struct {
	Users []Account `json:"users"`
}

// UserRemoveRequest deletes an account (its codings stay).
type UserRemoveRequest struct {
	Name string `json:"name"`
}

// UserRemoveResult names the account removed.
type UserRemoveResult struct {
	Removed string `json:"removed"`
}

// UserAdd creates an account (or with Update changes its password and
// role), made by the acting coder.
func (p *Project) UserAdd(ctx context.Context, req AddUserRequest) (*Account, error) {
	if req.By == "" {
		req.By = p.actor(ctx)
	}
	return p.AddUser(req)
}

// UserList lists the accounts.
func (p *Project) UserList(ctx context.Context, req UserListRequest) (*UserListResult, error) {
	us, err := p.Users()
	if err != nil {
		return nil, err
	}
	return &UserListResult{Users: us}, nil
}

// UserRemove deletes an account, as the acting coder.
func (p *Project) UserRemove(ctx context.Context, req UserRemoveRequest) (*UserRemoveResult, error) {
	if err := p.removeUser(p.actor(ctx), req.Name); err != nil {
		return nil, err
	}
	return &UserRemoveResult{Removed: req.Name}, nil
}
