package project

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

// While 'tacit serve' runs it owns the project: it writes its address to
// .tacit/serve.json (readable by all, it holds no secret) and a token that
// authenticates the owner's other tacit commands to .tacit/serve.token
// (mode 0600, readable only by the owner), and removes both when it stops.

// ServerInfo is what a running server records about itself.
type ServerInfo struct {
	URL     string    `json:"url"`
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	// Token is read from serve.token, when this user may read it.
	Token string `json:"-"`
}

func serverInfoPath(root string) string  { return filepath.Join(root, Dir, "serve.json") }
func serverTokenPath(root string) string { return filepath.Join(root, Dir, "serve.token") }

// WriteServerInfo records a running server's address and local token.
func WriteServerInfo(root string, info ServerInfo) error {
	tp := serverTokenPath(root)
	_ = os.Remove(tp)
	f, err := os.OpenFile(tp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(info.Token + "\n"); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	tmp := serverInfoPath(root) + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, serverInfoPath(root))
}

// RemoveServerInfo deletes what WriteServerInfo wrote.
func RemoveServerInfo(root string) {
	_ = os.Remove(serverInfoPath(root))
	_ = os.Remove(serverTokenPath(root))
}

// ReadServerInfo returns the running server's record, with its token when
// this user may read it; a not-found error when no server is recorded.
func ReadServerInfo(root string) (*ServerInfo, error) {
	b, err := os.ReadFile(serverInfoPath(root))
	if errors.Is(err, os.ErrNotExist) {
		return nil, coding.Errorf(coding.ENotFound, "no tacit server is running on this project")
	}
	if err != nil {
		return nil, err
	}
	info := &ServerInfo{}
	if err := json.Unmarshal(b, info); err != nil {
		return nil, coding.Errorf(coding.EInvalid, "%s is damaged; remove it if no tacit server runs", serverInfoPath(root))
	}
	if t, err := os.ReadFile(serverTokenPath(root)); err == nil {
		info.Token = string(trimNL(t))
	}
	return info, nil
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
