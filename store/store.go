// Package store keeps a tacit project's data in a bbolt file, the project's
// source of truth. Every logical change runs in one read-write transaction
// (Store.Update) and appends its audit event in that same transaction.
//
// Bucket layout (schema version 2). Ids are 8-byte big-endian uint64 from
// the bucket's NextSequence, so cursor order is numeric order.
//
//	meta/
//	    schema_version  u64be
//	    revision        u64be   bumped by every committed change
//	    index_revision  u64be   bumped by changes the search index reflects
//	                            (documents with their attributes and case,
//	                            roles)
//	    created_at      RFC 3339
//	    lang            project language ("en", "he", ...)
//	    roles           JSON coding.RoleMap (speaker -> role)
//	docs/            <docID>            binary coding.Document without its
//	                                    Turns (see encodeDoc)
//	turns/           <docID>            binary turn list (see encodeTurns)
//	texts/           <docID>            normalised UTF-8 text
//	doc_names/       <name>             docID
//	doc_hashes/      <sha256 hex>       docID
//	cases/           <caseID>           JSON coding.Case
//	case_names/      <folded name>      caseID
//	codes/           <codeID>           binary coding.Code (see encodeCode)
//	code_counts/     <codeID>           u64be codings, u64be documents: how
//	                                    many entries of codings_by_code the
//	                                    code has, in how many documents (no
//	                                    key when none)
//	code_docs/       <codeID docID>     u64be codings of the code in the
//	                                    document (no key when none)
//	codings/         <codingID>         binary coding.Coding (see encodeCoding)
//	codings_by_doc/  <docID codingID>   the same bytes as codings/<codingID>
//	codings_by_code/ <codeID codingID>  the same bytes as codings/<codingID>
//	memos/           <memoID>           JSON coding.Memo
//	doc_versions/    <docID n>          the n-th earlier text of a document
//	                                    replaced by 'tacit replace' (see
//	                                    corrections.go): its metadata, turns
//	                                    and text, when and by whom
//	orphans/         <codingID>         JSON Orphan: a coding whose words a
//	                                    replace deleted, kept aside
//	changed/         <codingID>         JSON ChangedMark: a coding a replace
//	                                    stretched or shrank
//	events/          <eventID>          JSON coding.Event; its Undo holds the
//	                                    journal of the change (see journal.go:
//	                                    bucket, key, before and after image of
//	                                    every key written, varint-encoded)
//
// All writes go through Tx.put and Tx.del, which journal them for undo
// (journal.go says which buckets); the meta keys revision, index_revision
// and schema_version, and created_at and lang (written once, by Open with
// Create), are written directly and never journalled, and code_counts and
// code_docs are kept in step with codings_by_code by put and del
// themselves (see Tx.count), also without a journal. Schema 1 differed in
// docs and codes (JSON records), the two coding indexes (empty values) and
// had no code_counts and code_docs; see migrate.go.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/tacit-qda/tacit/coding"
)

// SchemaVersion is the version of the bucket layout this code writes.
const SchemaVersion = 2

var (
	bMeta          = []byte("meta")
	bDocs          = []byte("docs")
	bTurns         = []byte("turns")
	bTexts         = []byte("texts")
	bDocNames      = []byte("doc_names")
	bDocHashes     = []byte("doc_hashes")
	bCases         = []byte("cases")
	bCaseNames     = []byte("case_names")
	bCodes         = []byte("codes")
	bCodeCounts    = []byte("code_counts")
	bCodeDocs      = []byte("code_docs")
	bCodings       = []byte("codings")
	bCodingsByDoc  = []byte("codings_by_doc")
	bCodingsByCode = []byte("codings_by_code")
	bMemos         = []byte("memos")
	bEvents        = []byte("events")
	bDocVersions   = []byte("doc_versions")
	bOrphans       = []byte("orphans")
	bChanged       = []byte("changed")

	allBuckets = [][]byte{bMeta, bDocs, bTurns, bTexts, bDocNames, bDocHashes, bCases,
		bCaseNames, bCodes, bCodeCounts, bCodeDocs, bCodings, bCodingsByDoc, bCodingsByCode, bMemos, bEvents,
		bDocVersions, bOrphans, bChanged}

	kSchema    = []byte("schema_version")
	kRevision  = []byte("revision")
	kIndexRev  = []byte("index_revision")
	kCreatedAt = []byte("created_at")
	kLang      = []byte("lang")
	kRoles     = []byte("roles")
)

// migration upgrades the schema from version to version+1 inside one
// transaction. migrations[i] takes version i+1 to i+2.
type migration func(tx *bolt.Tx) error

var migrations = []migration{migrate1to2}

// Store is an open project database.
type Store struct {
	db       *bolt.DB
	path     string
	readOnly bool
	// Now returns the time stamped on records; tests may replace it.
	Now func() time.Time
	// upgrade describes the schema upgrade this open made, if any.
	upgrade *Upgrade
	// batch queues Batch calls for a shared commit.
	batch batcher
	// turns caches decoded turns (see CacheTurns), codes the codebook.
	turns turnCache
	codes codesCache
}

// Upgrade describes a schema upgrade made when the store was opened.
type Upgrade struct {
	From uint64 `json:"from"`
	To   uint64 `json:"to"`
	// Backup is the copy of the database made before the upgrade ("" when
	// none was asked for).
	Backup string `json:"backup,omitempty"`
}

// Upgraded returns the schema upgrade this open made, or nil.
func (s *Store) Upgraded() *Upgrade { return s.upgrade }

// ErrNeedsUpgrade marks the error of a read-only open of a database whose
// schema is older than this tacit's: a writable open upgrades it.
var ErrNeedsUpgrade = errors.New("the project needs a schema upgrade")

// Options for Open.
type Options struct {
	ReadOnly bool
	// Timeout is how long to wait for another process's lock; default 1s.
	Timeout time.Duration
	// Create makes a new database; Open fails when the file exists.
	Create bool
	// Lang is the project language written on Create.
	Lang string
	// Damaged opens a database that fails the checks of a normal open
	// (truncated, no schema), read-only, for 'tacit check' to list what it
	// can; every read may then fail with a damaged-database error.
	Damaged bool
	// BackupDir, when set, is where a writable open puts a copy of the
	// database before it upgrades its schema.
	BackupDir string
}

// ErrInUse is returned (wrapped in a *coding.Error of kind EInUse) when
// another process holds the project.
var ErrInUse = errors.New("project in use")

// Open opens (or with opt.Create, creates) the database at path. A lock held
// by another process gives a *coding.Error of kind EInUse after opt.Timeout.
// Pending migrations run in one transaction; a database from a newer schema
// is refused.
func Open(path string, opt Options) (s *Store, err error) {
	defer guard(&err)()
	if opt.Timeout == 0 {
		opt.Timeout = time.Second
	}
	if opt.Create {
		if _, err := os.Stat(path); err == nil {
			return nil, coding.Errorf(coding.EConflict, "a project already exists at %s", path)
		}
	} else if st, err := os.Stat(path); err != nil {
		return nil, &coding.Error{Kind: coding.ENotFound, Message: fmt.Sprintf("no project database at %s", path), Err: err, Next: coding.NextInit}
	} else if st.Size() == 0 {
		// bbolt would silently initialise an empty file: a project whose
		// data was lost must not become an empty project.
		return nil, damaged(fmt.Sprintf("%s is empty", path))
	}
	if opt.Damaged {
		opt.ReadOnly, opt.Create = true, false
	}
	db, err := openLocked(path, opt)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			db.Close()
			panic(r) // to guard, as a damaged-database error
		}
	}()
	if opt.Damaged {
		return &Store{db: db, path: path, readOnly: true, Now: time.Now}, nil
	}
	if !opt.Create {
		if err := checkOpened(db, path, !opt.ReadOnly); err != nil {
			db.Close()
			return nil, err
		}
	}
	s = &Store{db: db, path: path, readOnly: opt.ReadOnly && !opt.Create, Now: time.Now}
	if opt.Create {
		err = db.Update(func(tx *bolt.Tx) error {
			for _, b := range allBuckets {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			m := tx.Bucket(bMeta)
			lang := opt.Lang
			if lang == "" {
				lang = "en"
			}
			if err := m.Put(kSchema, u64(SchemaVersion)); err != nil {
				return err
			}
			if err := m.Put(kCreatedAt, []byte(s.Now().UTC().Format(time.RFC3339))); err != nil {
				return err
			}
			return m.Put(kLang, []byte(lang))
		})
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("create project database: %w", err)
		}
		return s, nil
	}
	if err := s.checkSchema(opt.BackupDir); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.addBuckets(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// maxReopen bounds how often Open retries when the file it locked was
// replaced meanwhile (each replacement is a whole compact by another
// process, so more than a few in a row means something is wrong).
const maxReopen = 20

// openLocked opens the bbolt file at path and takes its lock, then makes
// sure the file it holds is still the one at path. Another process may have
// replaced the file (tacit compact renames a new file over it) while this
// one waited for the lock on the old one; committing there would write into
// a deleted file and lose the change. So: compare the locked file with the
// path and reopen until they are the same.
func openLocked(path string, opt Options) (_ *bolt.DB, err error) {
	var opened *os.File
	defer func() {
		// bbolt panics on some damaged files half-way through Open, with
		// the file open and locked: release it.
		if r := recover(); r != nil {
			if opened != nil {
				unlock(opened)
				opened.Close()
			}
			err = damaged(r)
		}
	}()
	bopt := &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly && !opt.Create,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, perm)
			opened = f
			return f, err
		}}
	if !bopt.ReadOnly && strconv.IntSize == 64 {
		// Map 1 GB of address space from the start (only the file's pages
		// are ever touched, so this costs no memory): bbolt doubles its map
		// as the file grows and, on each remap during a commit, copies
		// every page the transaction changed onto the heap; a large import
		// into an empty project remapped a dozen times (500 MB of copies).
		bopt.InitialMmapSize = 1 << 30
	}
	for attempt := 0; ; attempt++ {
		opened = nil
		db, err := bolt.Open(path, 0o600, bopt)
		if err != nil {
			if errors.Is(err, berrors.ErrTimeout) {
				return nil, &coding.Error{Kind: coding.EInUse, Message: "project in use by another tacit process (a running server, an import or a compact?); wait for it to finish and try again", Err: ErrInUse}
			}
			if errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrVersionMismatch) ||
				errors.Is(err, berrors.ErrChecksum) || strings.HasPrefix(err.Error(), "file size too small") {
				// Not a bbolt file at all (overwritten, or cut to a page).
				return nil, damaged(fmt.Sprintf("%s is not a database file: %v", filepath.Base(path), err))
			}
			return nil, fmt.Errorf("open project database %s: %w", path, err)
		}
		same, err := sameFile(opened, path)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("open project database %s: %w", path, err)
		}
		if same {
			return db, nil
		}
		db.Close()
		if attempt >= maxReopen {
			return nil, &coding.Error{Kind: coding.EInUse, Message: "the project database keeps being replaced by another tacit process (compact?); wait for it to finish and try again", Err: ErrInUse}
		}
	}
}

// sameFile reports whether the open file f is the file now at path.
func sameFile(f *os.File, path string) (bool, error) {
	if f == nil {
		return false, fmt.Errorf("the database file was not opened")
	}
	held, err := f.Stat()
	if err != nil {
		return false, err
	}
	now, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, err
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(held, now), nil
}

func (s *Store) checkSchema(backupDir string) error {
	var v uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		m := tx.Bucket(bMeta)
		if m == nil {
			return coding.Errorf(coding.EInvalid, "the project database has no meta bucket; it is not a tacit project or it is damaged")
		}
		v = getU64(m.Get(kSchema))
		return nil
	})
	if err != nil {
		return err
	}
	if v > SchemaVersion {
		return coding.Errorf(coding.EInvalid, "the project was written by a newer tacit (schema %d, this one reads up to %d); upgrade tacit", v, SchemaVersion)
	}
	if v == 0 {
		return coding.Errorf(coding.EInvalid, "the project database has no schema version; it is damaged")
	}
	if v < SchemaVersion {
		if s.readOnly {
			return &coding.Error{Kind: coding.EInvalid, Err: ErrNeedsUpgrade, Next: coding.NextUpgrade,
				Message: fmt.Sprintf("the project needs an upgrade from schema %d to %d, which a read-only open cannot make", v, SchemaVersion)}
		}
		s.upgrade = &Upgrade{From: v, To: SchemaVersion}
		if backupDir != "" {
			name := fmt.Sprintf("tacit.schema%d.%s.db", v, s.Now().UTC().Format("20060102T150405Z"))
			s.upgrade.Backup = filepath.Join(backupDir, name)
			if err := s.db.View(func(tx *bolt.Tx) error { return copyTx(tx, s.upgrade.Backup) }); err != nil {
				return fmt.Errorf("back up the database before its upgrade to %s: %w", s.upgrade.Backup, err)
			}
		}
		return s.db.Update(func(tx *bolt.Tx) error {
			for ver := v; ver < SchemaVersion; ver++ {
				if err := migrations[ver-1](tx); err != nil {
					return fmt.Errorf("migrate schema %d to %d: %w", ver, ver+1, err)
				}
			}
			for _, b := range allBuckets {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			return tx.Bucket(bMeta).Put(kSchema, u64(SchemaVersion))
		})
	}
	return nil
}

// addBuckets creates the buckets added to schema 2 after it was first
// written (doc_versions, orphans, changed) in a project that lacks them.
// A read-only store reads them as empty.
func (s *Store) addBuckets() error {
	missing := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil {
				missing = true
			}
		}
		return nil
	})
	if !missing || s.readOnly {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close closes the database and releases its lock.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(tx *Tx) error) (err error) {
	defer guard(&err)()
	return s.db.View(func(btx *bolt.Tx) error {
		return fn(&Tx{tx: btx, s: s})
	})
}

// Update runs fn in one read-write transaction. The change is committed only
// when fn returns nil and at least one audit event was written with
// tx.Log; the store revision is bumped on commit.
func (s *Store) Update(fn func(tx *Tx) error) (err error) {
	defer guard(&err)()
	if s.readOnly {
		return coding.Errorf(coding.EInternal, "the project was opened read-only")
	}
	return diskFull(s.db.Update(s.txFunc(fn)))
}

// writeFault, when set (by tests), makes every read-write transaction fail
// at its commit with this error, as a full disk does; bbolt then rolls the
// transaction back.
var writeFault error

// diskFull turns an error that comes from a full disk (ENOSPC) into a
// one-sentence error that says nothing was changed and to free space.
func diskFull(err error) error {
	if err != nil && errors.Is(err, syscall.ENOSPC) && coding.ErrorKind(err) == coding.EInternal {
		return &coding.Error{Kind: coding.EInternal, Err: err,
			Message: "the disk is full, so nothing was changed; free some space and run the command again"}
	}
	return err
}

// txFunc wraps fn as a bbolt read-write transaction function that bumps
// the revisions and refuses a change without an audit event (see Update).
func (s *Store) txFunc(fn func(tx *Tx) error) func(*bolt.Tx) error {
	return func(btx *bolt.Tx) error {
		tx := &Tx{tx: btx, s: s, writable: true}
		if err := fn(tx); err != nil {
			return err
		}
		if tx.changed {
			m := btx.Bucket(bMeta)
			if err := m.Put(kRevision, u64(getU64(m.Get(kRevision))+1)); err != nil {
				return err
			}
			if tx.indexChanged {
				if err := m.Put(kIndexRev, u64(getU64(m.Get(kIndexRev))+1)); err != nil {
					return err
				}
			}
			if tx.events == 0 {
				return fmt.Errorf("internal error: a change was made without an audit event")
			}
		}
		if writeFault != nil {
			return writeFault
		}
		return nil
	}
}

// Tx is a transaction on the store. Byte slices never escape it: every
// value returned is a decoded copy.
type Tx struct {
	tx           *bolt.Tx
	s            *Store
	writable     bool
	changed      bool
	indexChanged bool
	events       int
	j            journal
}

// IndexChanged reports whether this transaction changed what the search
// index reflects (documents with their attributes and case, roles).
func (tx *Tx) IndexChanged() bool { return tx.indexChanged }

// Now returns the store's clock.
func (tx *Tx) Now() time.Time { return tx.s.Now().UTC() }

func (tx *Tx) b(name []byte) *bolt.Bucket {
	b := tx.tx.Bucket(name)
	if b != nil && tx.tx.Writable() {
		b.FillPercent = fillPercent
	}
	return b
}

// fillPercent is how full bbolt fills a page when it splits one. Keys are
// added in increasing order (ids) or at the end of a range (a code's or a
// document's codings), so a split page never gets more keys on its left:
// bbolt's default of 0.5 left every bucket half empty, and a report that
// scans a million codings read twice the pages it needed.
const fillPercent = 0.9

// Revision returns the store revision (bumped by every committed change).
func (tx *Tx) Revision() uint64 { return getU64(tx.b(bMeta).Get(kRevision)) }

// IndexRevision returns the revision of the data the search index reflects.
func (tx *Tx) IndexRevision() uint64 { return getU64(tx.b(bMeta).Get(kIndexRev)) }

// Lang returns the project language.
func (tx *Tx) Lang() string { return string(tx.b(bMeta).Get(kLang)) }

// CreatedAt returns when the project was created.
func (tx *Tx) CreatedAt() string { return string(tx.b(bMeta).Get(kCreatedAt)) }

func (tx *Tx) touch(index bool) {
	tx.changed = true
	if index {
		tx.indexChanged = true
	}
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func getU64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func key2(a, b uint64) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, a)
	binary.BigEndian.PutUint64(k[8:], b)
	return k
}
