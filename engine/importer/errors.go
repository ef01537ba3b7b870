package importer

import "fmt"

// InputError is a malformed dump or overlay: the file and the attribute (or
// overlay path) are named, the value never is (it may be a secret).
type InputError struct {
	File string
	// Path names the attribute: "nodes[0].attributes[\"1/257/48\"]", "nodeId".
	Path string
	Msg  string
}

func (e *InputError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Path, e.Msg)
}
