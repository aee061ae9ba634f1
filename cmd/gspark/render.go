package main

import (
	"fmt"
	"io"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/gspark/gspark/values"
)

// collectRows converts the first limit rows of bs to row form (all of them
// when limit < 0) and counts every row. Columns of the NULL type hold nils.
func collectRows(bs []arrow.RecordBatch, limit int) (rows [][]any, total int64) {
	for _, b := range bs {
		n := int(b.NumRows())
		total += int64(n)
		take := n
		if limit >= 0 {
			take = min(take, limit-len(rows))
		}
		if take <= 0 {
			continue
		}
		cols := b.Columns()
		for i := 0; i < take; i++ {
			r := make([]any, len(cols))
			for c, col := range cols {
				r[c] = values.Value(col, i)
			}
			rows = append(rows, r)
		}
	}
	return rows, total
}

// isNumeric reports whether a column of type t is printed right-aligned.
func isNumeric(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64,
		arrow.DECIMAL32, arrow.DECIMAL64, arrow.DECIMAL128, arrow.DECIMAL256:
		return true
	case arrow.DICTIONARY:
		return isNumeric(t.(*arrow.DictionaryType).ValueType)
	}
	return false
}

// writeTable prints rows as an aligned table with a header of the schema's
// column names; numbers are right-aligned and nulls print as NULL.
func writeTable(w io.Writer, schema *arrow.Schema, rows [][]any) error {
	return renderTable(w, schema, rows, 0)
}

// tableWriter returns a writer of tables whose lines are cut to maxWidth
// columns, ending in " ~" where cut; 0 keeps them whole.
func tableWriter(maxWidth int) resultWriter {
	return func(w io.Writer, schema *arrow.Schema, rows [][]any) error {
		return renderTable(w, schema, rows, maxWidth)
	}
}

// renderTable is writeTable with lines cut to maxWidth columns (0: no limit).
func renderTable(w io.Writer, schema *arrow.Schema, rows [][]any, maxWidth int) error {
	t := table.NewWriter()
	t.SetStyle(table.StyleDefault)
	t.Style().Format.Header = text.FormatDefault
	t.Style().Format.Footer = text.FormatDefault
	t.Style().Size.WidthMax = maxWidth
	header := make(table.Row, schema.NumFields())
	configs := make([]table.ColumnConfig, schema.NumFields())
	for i, f := range schema.Fields() {
		header[i] = f.Name
		align := text.AlignLeft
		if isNumeric(f.Type) {
			align = text.AlignRight
		}
		configs[i] = table.ColumnConfig{Number: i + 1, Align: align, AlignHeader: align}
	}
	t.AppendHeader(header)
	t.SetColumnConfigs(configs)
	for _, r := range rows {
		line := make(table.Row, len(r))
		for i, v := range r {
			line[i] = values.FormatValue(v)
		}
		t.AppendRow(line)
	}
	_, err := io.WriteString(w, t.Render()+"\n")
	return err
}

// summaryLine is the line printed under a table result: the row count, how
// many of them were shown when not all, and the elapsed time in seconds.
func summaryLine(total int64, shown int, elapsed time.Duration) string {
	noun := "rows"
	if total == 1 {
		noun = "row"
	}
	s := fmt.Sprintf("%d %s", total, noun)
	if int64(shown) < total {
		s += fmt.Sprintf(", %d shown", shown)
	}
	return fmt.Sprintf("%s (%.3f s)", s, elapsed.Seconds())
}
