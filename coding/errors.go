package coding

import (
	"errors"
	"fmt"
)

// Error kinds, mapped by the CLI to exit codes and by a server to statuses.
const (
	EInvalid  = "invalid"   // bad input from the user: exit 1
	ENotFound = "not_found" // a named thing does not exist: exit 4
	EConflict = "conflict"  // the change would lose or duplicate data: exit 1
	EInUse    = "in_use"    // another process holds the project: exit 3
	EDamaged  = "damaged"   // the project database is damaged: exit 5
	EInternal = "internal"
)

// Error is a domain error with a kind and a one-sentence message that says
// what happened and what to do.
type Error struct {
	Kind    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Message == "" && e.Err != nil {
		return e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind.
func Errorf(kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// ErrorKind returns the kind of the first *Error in err's chain, or
// EInternal when there is none.
func ErrorKind(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return EInternal
}
