package project

import (
	"context"
	"errors"
	"time"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// Actions lists the audit action names, the values LogRequest.Action
// accepts (besides the part of one before a dot: "code" for "code.add").
func Actions() []string { return store.Actions() }

// EventRow is one audit event as 'tacit log --json' prints it.
type EventRow struct {
	ID       uint64    `json:"id"`
	Time     time.Time `json:"time"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Target   string    `json:"target"`
	Summary  string    `json:"summary"`
	Undoable bool      `json:"undoable"`
	Undone   bool      `json:"undone"`
}

// LogRequest selects audit events, newest first.
type LogRequest struct {
	Actor string `json:"actor,omitempty"`
	// Action is an action name, or a prefix before a dot ("code" selects
	// "code.add").
	Action string    `json:"action,omitempty"`
	Since  time.Time `json:"since,omitempty"`
	// Limit is the most events returned (0: all).
	Limit int `json:"limit,omitempty"`
}

// LogResult lists events, newest first.
type LogResult struct {
	Events []EventRow `json:"events"`
}

// Log reads the audit log.
func (p *Project) Log(ctx context.Context, req LogRequest) (*LogResult, error) {
	if req.Limit < 0 {
		return nil, coding.Errorf(coding.EInvalid, "the limit cannot be negative")
	}
	if req.Action != "" && !store.KnownActionFilter(req.Action) {
		return nil, notFound("action", req.Action, store.Actions(), "")
	}
	res := &LogResult{Events: []EventRow{}}
	err := p.Store.View(func(tx *store.Tx) error {
		evs, err := tx.FilterEvents(store.EventFilter{Actor: req.Actor, Action: req.Action, Since: req.Since, Limit: req.Limit})
		for _, e := range evs {
			res.Events = append(res.Events, EventRow{ID: e.ID, Time: e.Time, Actor: e.Actor, Action: e.Action, Target: e.Target,
				Summary: e.Summary, Undoable: len(e.Undo) > 0 && !e.Undone && e.Action != store.ActionUndo, Undone: e.Undone})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// UndoRequest reverts the acting coder's last change that was not undone
// yet; DryRun only says what that is and checks that it can be undone.
type UndoRequest struct {
	DryRun bool `json:"dry_run,omitempty"`
}

// UndoResult names the event undone (or that would be).
type UndoResult struct {
	Event  EventRow `json:"event"`
	Undone bool     `json:"undone"`
}

var errDryRun = errors.New("dry run")

// Undo reverts the acting coder's last change, where that is safe.
func (p *Project) Undo(ctx context.Context, req UndoRequest) (*UndoResult, error) {
	var e *coding.Event
	actor := p.actor(ctx)
	change := func(tx *store.Tx) error {
		var err error
		if e, err = tx.Undo(actor); err != nil {
			return err
		}
		if req.DryRun {
			return errDryRun
		}
		return nil
	}
	var err error
	if req.DryRun {
		err = p.Store.Update(change)
	} else {
		// Undoing a role or attribute change changes what the search
		// index holds: rebuild it then.
		err = p.UpdateIndexed(ctx, func(tx *store.Tx) ([]uint64, bool, error) {
			err := change(tx)
			return nil, err == nil && tx.IndexChanged(), err
		})
	}
	if err != nil && !errors.Is(err, errDryRun) {
		return nil, err
	}
	return &UndoResult{Undone: !req.DryRun, Event: EventRow{ID: e.ID, Time: e.Time, Actor: e.Actor,
		Action: e.Action, Target: e.Target, Summary: e.Summary, Undoable: true, Undone: !req.DryRun}}, nil
}
