package scan

import (
	"hash/fnv"
	"strconv"

	"github.com/lockcheck/lockcheck/engine/document"
)

// owns reports whether this shard evaluates a document. The partition hashes
// the lock's serial number when the document has one (so a lock stays on one
// shard whatever file it is exported to), else its kind and name, else its
// position in the run; every document lands on exactly one shard.
func (s Shard) owns(d *document.Document, _ *document.InputError, seq int) bool {
	h := fnv.New64a()
	switch {
	case d != nil && serialOf(d) != "":
		h.Write([]byte("serial\x00" + serialOf(d)))
	case d != nil && d.Name != "":
		h.Write([]byte(d.Kind + "\x00" + d.Name))
	default:
		h.Write([]byte("seq\x00" + strconv.Itoa(seq)))
	}
	return int(h.Sum64()%uint64(s.Of)) == s.Index
}

func serialOf(d *document.Document) string {
	dev, _ := d.Spec()["device"].(map[string]any)
	s, _ := dev["serial_number"].(string)
	return s
}
