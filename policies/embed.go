// Package policies embeds lockcheck's Rego control catalogue: the controls
// (one package per control under controls/<area>/), the shared library (lib/),
// the entry point (main/), the waiver policy (waivers/), the default
// parameters (params.json) and the catalogue's areas (catalogue.json).
package policies

import (
	"embed"
	"encoding/json"
	"fmt"
	"sync"
)

// FS holds the policy tree, tests included (the engine skips *_test.rego).
//
//go:embed controls lib main params.json catalogue.json waivers
var FS embed.FS

// Area is one area of the catalogue: the prefix of its control ids, the
// name its controls give in METADATA custom.area, and its title for people.
type Area struct {
	Prefix string `json:"prefix"`
	Name   string `json:"name"`
	Title  string `json:"title"`
}

// Areas returns the catalogue's areas in catalogue order, as catalogue.json
// lists them. The file is embedded; a malformed one is a build defect that
// the package's tests catch, so it panics.
func Areas() []Area {
	a := areas()
	return append([]Area(nil), a...)
}

var areas = sync.OnceValue(func() []Area {
	a, err := readAreas()
	if err != nil {
		panic(err)
	}
	return a
})

func readAreas() ([]Area, error) {
	b, err := FS.ReadFile("catalogue.json")
	if err != nil {
		return nil, fmt.Errorf("read catalogue.json: %w", err)
	}
	var doc struct {
		Catalogue struct {
			Areas []Area `json:"areas"`
		} `json:"catalogue"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("read catalogue.json: %w", err)
	}
	if len(doc.Catalogue.Areas) == 0 {
		return nil, fmt.Errorf("read catalogue.json: catalogue.areas is empty")
	}
	for i, a := range doc.Catalogue.Areas {
		if a.Prefix == "" || a.Name == "" || a.Title == "" {
			return nil, fmt.Errorf("read catalogue.json: catalogue.areas[%d] needs prefix, name and title", i)
		}
	}
	return doc.Catalogue.Areas, nil
}
