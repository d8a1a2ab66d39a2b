package project

import (
	"context"

	"github.com/tacit-qda/tacit/store"
)

// ErrNeedsUpgrade is in the chain of the error of a read-only open of a
// project whose database has an older schema: a writable open (the first
// change, or Upgrade) upgrades it, backing it up first.
var ErrNeedsUpgrade = store.ErrNeedsUpgrade

// SchemaVersion is the schema of the database this tacit writes.
const SchemaVersion = store.SchemaVersion

// UpgradeRequest upgrades the project's database to this tacit's schema.
type UpgradeRequest struct{}

// UpgradeResult says what the upgrade did: From and To schemas and where
// the backup made before it is; Upgraded is false when the database was
// already current.
type UpgradeResult struct {
	Upgraded bool   `json:"upgraded"`
	From     uint64 `json:"from"`
	To       uint64 `json:"to"`
	Backup   string `json:"backup,omitempty"`
}

// Upgrade reports the schema upgrade that opening the project for writing
// made (a project is upgraded, after a backup into .tacit, when it is
// opened for writing).
func (p *Project) Upgrade(ctx context.Context, req UpgradeRequest) (*UpgradeResult, error) {
	u := p.Store.Upgraded()
	if u == nil {
		return &UpgradeResult{From: store.SchemaVersion, To: store.SchemaVersion}, nil
	}
	return &UpgradeResult{Upgraded: true, From: u.From, To: u.To, Backup: u.Backup}, nil
}
