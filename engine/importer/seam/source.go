package seam

import (
	"bytes"
	"errors"

	"github.com/lockcheck/lockcheck/engine/importer"
)

// Mapper is the Seam source of engine/importer: it reads one export (file
// names it in errors) and maps it. A malformed export is an
// *importer.InputError.
func Mapper(file string, data []byte) (*importer.Result, error) {
	return mapExport(file, data, "")
}

// MapperWithKey is Mapper with the API key registered as a secret, so that
// the importer refuses any output that would carry it.
func MapperWithKey(key APIKey) importer.Mapper {
	return func(file string, data []byte) (*importer.Result, error) {
		return mapExport(file, data, key)
	}
}

func mapExport(file string, data []byte, key APIKey) (*importer.Result, error) {
	x, err := ReadExport(bytes.NewReader(data), file)
	if err != nil {
		return nil, inputError(file, err)
	}
	locks, warnings, err := Map(x)
	if err != nil {
		return nil, inputError(file, err)
	}
	r := &importer.Result{Warnings: warnings}
	r.Guard.Add(string(key))
	for _, l := range locks {
		s := importer.NewSnapshot(Kind, l.DeviceID)
		s.Label = l.Label
		for k, v := range l.Timestamps {
			s.Timestamps[k] = v
		}
		for _, f := range l.Fields {
			s.Set(f.Path, f.Value, f.Source)
		}
		r.Snapshots = append(r.Snapshots, s)
	}
	return r, nil
}

func inputError(file string, err error) error {
	var fe *FormatError
	if errors.As(err, &fe) {
		path := ""
		if fe.Name != file {
			path = fe.Name
		}
		return &importer.InputError{File: file, Path: path, Msg: fe.Err.Error()}
	}
	return &importer.InputError{File: file, Msg: err.Error()}
}
