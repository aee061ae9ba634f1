package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
)

// rowStream prints a result in pieces as its batches arrive, so that the
// result's size never bounds memory: begin before the first rows, rows for
// each piece in order, end after the last.
type rowStream interface {
	begin() error
	rows(rows [][]any) error
	end() error
}

// streamer makes the rowStream printing a result of schema to w.
type streamer func(w io.Writer, schema *arrow.Schema) rowStream

// csvStream prints CSV: a header of the column names, then a record per row,
// RFC 4180 style with CRLF line ends.
type csvStream struct {
	w      *csv.Writer
	schema *arrow.Schema
	rec    []string
}

func newCSVStream(w io.Writer, schema *arrow.Schema) rowStream {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &csvStream{w: cw, schema: schema, rec: make([]string, schema.NumFields())}
}

func (s *csvStream) begin() error {
	for i, f := range s.schema.Fields() {
		s.rec[i] = f.Name
	}
	return s.w.Write(s.rec)
}

func (s *csvStream) rows(rows [][]any) error {
	for _, r := range rows {
		for i, v := range r {
			s.rec[i] = cellText(s.schema.Field(i).Type, v)
		}
		if err := s.w.Write(s.rec); err != nil {
			return err
		}
	}
	// Each piece goes out as it is made.
	s.w.Flush()
	return s.w.Error()
}

func (s *csvStream) end() error {
	s.w.Flush()
	return s.w.Error()
}

// jsonStream prints a JSON array of one object per row, a row per line.
type jsonStream struct {
	w      io.Writer
	schema *arrow.Schema
	keys   [][]byte
	n      int
	buf    []byte
}

func newJSONStream(w io.Writer, schema *arrow.Schema) rowStream {
	return &jsonStream{w: w, schema: schema}
}

func (s *jsonStream) begin() error {
	s.keys = make([][]byte, s.schema.NumFields())
	for i, f := range s.schema.Fields() {
		k, err := json.Marshal(f.Name)
		if err != nil {
			return err
		}
		s.keys[i] = k
	}
	_, err := io.WriteString(s.w, "[")
	return err
}

func (s *jsonStream) rows(rows [][]any) error {
	buf := s.buf[:0]
	for _, r := range rows {
		if s.n > 0 {
			buf = append(buf, ',')
		}
		s.n++
		buf = append(buf, "\n  {"...)
		for i, v := range r {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			val, err := jsonValue(s.schema.Field(i).Type, v)
			if err != nil {
				return fmt.Errorf("column %s: %w", s.schema.Field(i).Name, err)
			}
			buf = append(buf, s.keys[i]...)
			buf = append(buf, ": "...)
			buf = append(buf, val...)
		}
		buf = append(buf, '}')
	}
	s.buf = buf
	_, err := s.w.Write(buf)
	return err
}

func (s *jsonStream) end() error {
	tail := "]\n"
	if s.n > 0 {
		tail = "\n]\n"
	}
	_, err := io.WriteString(s.w, tail)
	return err
}

// writeAll prints rows whole through a stream.
func writeAll(st rowStream, rows [][]any) error {
	if err := st.begin(); err != nil {
		return err
	}
	if err := st.rows(rows); err != nil {
		return err
	}
	return st.end()
}
