package project

import "github.com/tacit-qda/tacit/index"

// KeepWarm readies a project that stays open to answer many requests
// (tacit serve): the store keeps the turns it decodes in memory, so that
// searches filtered by speaker, role or code stop decoding every
// document's turns on each request (see store.Store.CacheTurns; an entry
// is used only while the stored turns are byte for byte the same).
//
// It also keeps the selections its searches resolve (a search filtered by
// code reads ten thousand codings and the turns they are in) for as long as
// the store's revision, which every change moves, stays the same, and the
// turn spans they read (turnSpans).
func (p *Project) KeepWarm() {
	p.Store.CacheTurns()
	if p.sels == nil {
		p.sels = &revCache[string, *resolvedSel]{max: maxCachedSels}
	}
	if p.spans == nil {
		p.spans = &revCache[index.TurnRef, index.TurnInfo]{max: maxCachedSpans}
	}
}
