package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/tacit-qda/tacit/project"
)

// hub follows the project's audit log and fans its new events out to the
// open event streams. It reads events from the store after they are
// committed, so every change is published whoever made it (a handler, a
// command forwarded by the CLI), and only once it is durable. Handlers poke
// it after a change, so streams hear of it at once; it also polls the
// store revision, as a safety net.
type hub struct {
	p    *project.Project
	logf func(string, ...any)

	mu     sync.Mutex
	subs   map[chan project.EventView]struct{}
	last   uint64 // newest event id published
	rev    uint64
	recent []project.EventView // the newest events, for resuming streams
	pokec  chan struct{}
	done   chan struct{}
	closed bool
}

const hubRecent = 500

func newHub(p *project.Project, every time.Duration, logf func(string, ...any)) (*hub, error) {
	h := &hub{p: p, logf: logf, subs: map[chan project.EventView]struct{}{}, pokec: make(chan struct{}, 1), done: make(chan struct{})}
	evs, err := p.RecentEvents(hubRecent, "")
	if err != nil {
		return nil, err
	}
	for i := len(evs) - 1; i >= 0; i-- {
		h.recent = append(h.recent, evs[i])
	}
	if len(evs) > 0 {
		h.last = evs[0].ID
	}
	if h.rev, err = p.StoreRevision(); err != nil {
		return nil, err
	}
	go h.run(every)
	return h, nil
}

func (h *hub) poke() {
	select {
	case h.pokec <- struct{}{}:
	default:
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	close(h.done)
	for c := range h.subs {
		close(c)
		delete(h.subs, c)
	}
}

func (h *hub) run(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-h.done:
			return
		case <-t.C:
		case <-h.pokec:
		}
		h.check()
	}
}

// check publishes the events committed since the last check.
func (h *hub) check() {
	rev, err := h.p.StoreRevision()
	if err != nil {
		h.logf("live updates: %v", err)
		return
	}
	h.mu.Lock()
	same, last := rev == h.rev, h.last
	h.mu.Unlock()
	if same {
		return
	}
	evs, _, err := h.p.EventsAfter(last, hubRecent)
	if err != nil {
		h.logf("live updates: %v", err)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.rev = rev
	for _, e := range evs {
		if e.ID <= h.last {
			continue
		}
		h.last = e.ID
		h.recent = append(h.recent, e)
		for c := range h.subs {
			select {
			case c <- e:
			default: // a stream that does not keep up misses events; it reloads on "lagged"
			}
		}
	}
	if len(h.recent) > hubRecent {
		h.recent = append([]project.EventView(nil), h.recent[len(h.recent)-hubRecent:]...)
	}
}

// subscribe returns a channel of new events and the events after since
// (when since is known to the hub; ok is false when some were dropped).
func (h *hub) subscribe(since uint64) (chan project.EventView, []project.EventView, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := make(chan project.EventView, 256)
	if h.closed {
		close(c)
		return c, nil, true
	}
	h.subs[c] = struct{}{}
	var back []project.EventView
	ok := true
	if since > 0 && since < h.last {
		if len(h.recent) == 0 || h.recent[0].ID > since+1 {
			ok = false
		}
		for _, e := range h.recent {
			if e.ID > since {
				back = append(back, e)
			}
		}
	}
	return c, back, ok
}

func (h *hub) unsubscribe(c chan project.EventView) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[c]; ok {
		delete(h.subs, c)
		close(c)
	}
}

// events streams the audit log's new events as server-sent events:
// "id: N" and "data: {event JSON}". A reconnecting browser sends
// Last-Event-ID and gets what it missed.
func (s *Server) events(w http.ResponseWriter, r *http.Request, u user) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	var since uint64
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		since, _ = strconv.ParseUint(v, 10, 64)
	}
	c, back, ok := s.hub.subscribe(since)
	defer s.hub.unsubscribe(c)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "retry: 1000\n\n")
	if !ok {
		fmt.Fprintf(w, "event: lagged\ndata: {}\n\n")
	}
	send := func(e project.EventView) error {
		b, _ := json.Marshal(e)
		_, err := fmt.Fprintf(w, "id: %d\ndata: %s\n\n", e.ID, b)
		return err
	}
	for _, e := range back {
		if send(e) != nil {
			return
		}
	}
	if rc.Flush() != nil {
		return
	}
	keep := time.NewTicker(20 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e, open := <-c:
			if !open {
				return
			}
			if send(e) != nil {
				return
			}
		case <-keep.C:
			if _, err := fmt.Fprintf(w, ": keep-alive\n\n"); err != nil {
				return
			}
		}
		if rc.Flush() != nil {
			return
		}
	}
}
