package testenv

import (
	"bytes"
	"net"
	"sync"
)

// FreeAddr returns a loopback address (127.0.0.1:port) nothing listens on
// at the moment it returns: for a server a test starts, or as an address
// that refuses connections.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String(), nil
}

// SyncBuffer is a bytes.Buffer safe for concurrent writers and readers:
// the output of a process or a logger a test reads while it runs.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
