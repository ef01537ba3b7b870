//go:build unix

package document

import (
	"os"
	"syscall"
)

// unblockOpen releases an os.Open of a FIFO that waits for a writer, by
// opening it for writing for a moment (without blocking: that fails at
// once when no reader waits).
func unblockOpen(path string) {
	if info, err := os.Stat(path); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		return
	}
	if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		w.Close()
	}
}
