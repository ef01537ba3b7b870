package report

import (
	"container/heap"
	"sort"

	"github.com/lockcheck/lockcheck/engine/scan"
)

// docKey is a document's place in the triage order that the human formats
// (text, markdown, html) share: the highest severity failing first (an
// invalid document above critical), then the most failing findings, then
// input order.
type docKey struct {
	rank, failing, seq int
}

// triageKey is the key of a document that arrived seq-th. With inputOrder
// (--show all) only the arrival counts.
func triageKey(r *scan.DocResult, seq int, inputOrder bool) docKey {
	if inputOrder {
		return docKey{seq: seq}
	}
	rank, n := failingKey(r)
	return docKey{rank: rank, failing: n, seq: seq}
}

// before reports whether a comes before b in the triage order.
func (a docKey) before(b docKey) bool {
	if a.rank != b.rank {
		return a.rank > b.rank
	}
	if a.failing != b.failing {
		return a.failing > b.failing
	}
	return a.seq < b.seq
}

// sortDocKeys orders items by their key, worst first.
func sortDocKeys[T any](items []T, key func(*T) docKey) {
	sort.SliceStable(items, func(i, j int) bool { return key(&items[i]).before(key(&items[j])) })
}

// worstDocs keeps, with memory bounded by its limit, the limit documents
// that come first in the triage order, whatever order they arrive in; Left
// counts the ones it dropped.
type worstDocs[T any] struct {
	limit int
	h     docHeap[T]
	Left  int
}

type keyedDoc[T any] struct {
	key docKey
	v   T
}

// docHeap is a heap whose root is the kept document that comes last in the
// triage order: the one to drop when a worse one arrives.
type docHeap[T any] []keyedDoc[T]

func (h docHeap[T]) Len() int           { return len(h) }
func (h docHeap[T]) Less(i, j int) bool { return h[j].key.before(h[i].key) }
func (h docHeap[T]) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *docHeap[T]) Push(x any)        { *h = append(*h, x.(keyedDoc[T])) }
func (h *docHeap[T]) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// wants reports whether a document with this key would be kept, so callers
// can skip building what would be dropped at once.
func (w *worstDocs[T]) wants(k docKey) bool {
	return len(w.h) < w.limit || k.before(w.h[0].key)
}

// add offers a document; it is kept if it is among the limit worst so far.
func (w *worstDocs[T]) add(k docKey, v T) {
	if len(w.h) < w.limit {
		heap.Push(&w.h, keyedDoc[T]{k, v})
		return
	}
	w.Left++
	if !k.before(w.h[0].key) {
		return
	}
	w.h[0] = keyedDoc[T]{k, v}
	heap.Fix(&w.h, 0)
}

// sorted returns the kept documents, worst first.
func (w *worstDocs[T]) sorted() []T {
	items := append(docHeap[T](nil), w.h...)
	sortDocKeys(items, func(d *keyedDoc[T]) docKey { return d.key })
	out := make([]T, len(items))
	for i := range items {
		out[i] = items[i].v
	}
	return out
}

// len is how many documents are kept.
func (w *worstDocs[T]) len() int { return len(w.h) }
