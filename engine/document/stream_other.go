//go:build !unix

package document

// unblockOpen cannot release a blocked open here; the goroutine that opens
// is left to finish on its own.
func unblockOpen(string) {}
