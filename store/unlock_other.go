//go:build !unix

package store

import "os"

func unlock(f *os.File) {}
