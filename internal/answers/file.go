package answers

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Write writes t as an answer file: the header of name:TYPE fields, then one
// line per row. Every column needs a type, and every value must be NULL or of
// its column's kind.
func Write(w io.Writer, t Table) error {
	kinds, err := columnKinds(t.Columns)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Name + ":" + c.Type
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for i, r := range t.Rows {
		if len(r) != len(kinds) {
			return fmt.Errorf("answers: row %d has %d values, want %d", i, len(r), len(kinds))
		}
		for j, v := range r {
			if !v.null && v.kind != kinds[j] {
				return fmt.Errorf("answers: row %d column %s: a %s value in a %s column", i, t.Columns[j].Name, v.kind, t.Columns[j].Type)
			}
			rec[j] = v.String()
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteFile writes t to path (see Write).
func WriteFile(path string, t Table) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("answers: %w", err)
	}
	err = Write(f, t)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("answers: %s: %w", path, err)
	}
	return nil
}

// Read reads an answer file written by Write.
func Read(r io.Reader) (Table, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Table{}, errors.New("answers: no header")
	}
	if err != nil {
		return Table{}, fmt.Errorf("answers: %w", err)
	}
	t := Table{Columns: make([]Column, len(header))}
	for i, h := range header {
		colon := strings.LastIndexByte(h, ':')
		if colon < 0 {
			return Table{}, fmt.Errorf("answers: header field %q has no :TYPE", h)
		}
		t.Columns[i] = Column{Name: h[:colon], Type: h[colon+1:]}
	}
	kinds, err := columnKinds(t.Columns)
	if err != nil {
		return Table{}, err
	}
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Table{}, fmt.Errorf("answers: %w", err)
		}
		row := make([]Value, len(rec))
		for j, s := range rec {
			if row[j], err = Parse(kinds[j], s); err != nil {
				return Table{}, fmt.Errorf("row %d column %s: %w", n, t.Columns[j].Name, err)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// ReadFile reads the answer file at path (see Read).
func ReadFile(path string) (Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return Table{}, fmt.Errorf("answers: %w", err)
	}
	defer f.Close()
	t, err := Read(f)
	if err != nil {
		return Table{}, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

func columnKinds(cols []Column) ([]Kind, error) {
	kinds := make([]Kind, len(cols))
	for i, c := range cols {
		k, err := KindOf(c.Type)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		kinds[i] = k
	}
	return kinds, nil
}
