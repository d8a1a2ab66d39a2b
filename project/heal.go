package project

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/index"
)

// The search index is derived data: any error or panic while reading it
// that is not about the request itself (a damaged segment, say) means
// "rebuild it from the store". SearchIndex does that once, telling
// OnIndexDamaged (for a one-line notice), and then retries.

// errIndexDamaged is wrapped by the error a read-only project gives when
// its index turned out damaged (IndexStale is true for it too, so that the
// caller reopens the project writable and searches again).
var errIndexDamaged = errors.New("the search index is damaged")

// IndexDamaged reports whether err says the search index was found
// damaged while reading it.
func IndexDamaged(err error) bool { return errors.Is(err, errIndexDamaged) }

type indexPanic struct{ v any }

func (e *indexPanic) Error() string { return fmt.Sprintf("panic: %v", e.v) }

// readIndex runs fn, turning a panic (or a fault on a damaged memory-mapped
// segment, in this goroutine) into an error.
func readIndex(fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = &indexPanic{r}
		}
	}()
	return fn()
}

// isIndexDamage tells a damaged index from a bad request: tacit's own
// errors (coding.Error) and a cancelled context are the request's.
func isIndexDamage(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pe *indexPanic
	if errors.As(err, &pe) {
		return true
	}
	var ce *coding.Error
	return !errors.As(err, &ce)
}

// withIndex runs fn on the search index; when reading it fails because the
// index is damaged, it rebuilds the index (a writable project) and runs fn
// once more, or gives an error that IndexStale and IndexDamaged recognise
// (a read-only project).
func (p *Project) withIndex(ctx context.Context, fn func(x *index.Index) error) error {
	x, err := p.Index(ctx)
	if err != nil {
		return err
	}
	err = readIndex(func() error { return fn(x) })
	if !isIndexDamage(err) {
		return err
	}
	if p.readOnly {
		return &coding.Error{Kind: coding.EInvalid, Message: fmt.Sprintf("the search index is damaged (%v)", err), Next: coding.NextReindex,
			Err: errors.Join(errIndexDamaged, errStaleIndex)}
	}
	if p.OnIndexDamaged != nil {
		p.OnIndexDamaged(err)
	}
	if err := p.Reindex(ctx); err != nil {
		return err
	}
	if x, err = p.Index(ctx); err != nil {
		return err
	}
	return readIndex(func() error { return fn(x) })
}

// SearchIndex runs an index search, rebuilding a damaged index (see
// withIndex).
func (p *Project) SearchIndex(ctx context.Context, req index.Request) (*index.Result, error) {
	var res *index.Result
	err := p.withIndex(ctx, func(x *index.Index) error {
		var err error
		res, err = x.Search(ctx, req)
		return err
	})
	return res, err
}
