package project

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/tacit-qda/tacit/coding"
)

// HTTPTransport sends operations to a running 'tacit serve' at baseURL
// (POST /api/op/{name}), authenticated with the server's local token and
// acting as the coder in the context (ActorFrom).
func HTTPTransport(baseURL, token string) Transport {
	client := &http.Client{Timeout: 10 * time.Minute}
	base := strings.TrimRight(baseURL, "/")
	return func(ctx context.Context, op string, req, res any) error {
		req = absPaths(req)
		body, err := json.Marshal(req)
		if err != nil {
			return err
		}
		hr, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/op/"+op, bytes.NewReader(body))
		if err != nil {
			return err
		}
		hr.Header.Set("Content-Type", "application/json")
		hr.Header.Set("Authorization", "Bearer "+token)
		if a := ActorFrom(ctx); a != "" {
			hr.Header.Set("X-Tacit-Coder", a)
		}
		resp, err := client.Do(hr)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			return &coding.Error{Kind: coding.EInUse, Message: fmt.Sprintf("the project is served by a tacit server at %s, which does not answer (%v); stop it or wait", base, err), Err: err}
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<30))
		if err != nil {
			return err
		}
		if resp.StatusCode >= 300 {
			var w WireError
			if json.Unmarshal(b, &w) != nil || w.Message == "" {
				return coding.Errorf(coding.EInternal, "the tacit server at %s answered %s", base, resp.Status)
			}
			return w.Err()
		}
		if err := json.Unmarshal(b, res); err != nil {
			return fmt.Errorf("the reply of the tacit server at %s: %w", base, err)
		}
		return nil
	}
}

// absPaths makes the file paths of a request absolute: the server runs in
// another working directory.
func absPaths(req any) any {
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil && p != "" {
			return a
		}
		return p
	}
	switch r := req.(type) {
	case ImportRequest:
		files := make([]string, len(r.Files))
		for i, f := range r.Files {
			files[i] = abs(f)
		}
		r.Files = files
		return r
	case BackupRequest:
		r.File = abs(r.File)
		return r
	}
	return req
}
