package parquet

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Widens reports whether values of type from can be read as type to without
// loss: the same type, a narrower integer as a wider one (byte, short, int →
// int, bigint), float as double — the widenings Parquet schema merging
// and Delta tables allow — or a timestamp as one of the same unit in another
// zone or none (the same stored instants: Parquet timestamps not adjusted
// to UTC read as UTC, and a Delta table may declare them timestamp_ntz).
func Widens(from, to arrow.DataType) bool {
	if arrow.TypeEqual(from, to) {
		return true
	}
	rank := func(t arrow.DataType) int {
		switch t.ID() {
		case arrow.INT8:
			return 1
		case arrow.INT16:
			return 2
		case arrow.INT32:
			return 3
		case arrow.INT64:
			return 4
		}
		return 0
	}
	if rf, rt := rank(from), rank(to); rf > 0 && rt > 0 {
		return rf <= rt
	}
	if a, ok := from.(*arrow.TimestampType); ok {
		b, ok := to.(*arrow.TimestampType)
		return ok && a.Unit == b.Unit
	}
	return from.ID() == arrow.FLOAT32 && to.ID() == arrow.FLOAT64
}

// MergeSchemas is the union by column name of the schemas of the named files
// (Spark's mergeSchema): columns in the order they are first seen, a column
// present in files of two types taking the wider (Widens), every column
// nullable when some file lacks it or has it nullable. Names match
// case-insensitively, keeping the first spelling. Types that do not widen
// are an error naming the column and both files.
func MergeSchemas(names []string, schemas []*arrow.Schema) (*arrow.Schema, error) {
	var fields []arrow.Field
	from := map[string]int{} // lower-case name → position in fields
	firstIn := []string{}
	count := []int{}
	for i, s := range schemas {
		for _, f := range s.Fields() {
			k := strings.ToLower(f.Name)
			j, ok := from[k]
			if !ok {
				from[k] = len(fields)
				fields = append(fields, f)
				firstIn = append(firstIn, names[i])
				count = append(count, 1)
				continue
			}
			count[j]++
			g := &fields[j]
			switch {
			case Widens(f.Type, g.Type):
			case Widens(g.Type, f.Type):
				g.Type = f.Type
				firstIn[j] = names[i]
			default:
				return nil, fmt.Errorf("merge schema: column %s is %s in %s but %s in %s", g.Name, g.Type, firstIn[j], f.Type, names[i])
			}
			g.Nullable = g.Nullable || f.Nullable
		}
	}
	for j := range fields {
		if count[j] < len(schemas) {
			fields[j].Nullable = true
		}
	}
	return arrow.NewSchema(fields, nil), nil
}

// ColumnMap maps schema onto a file's schema by column name (exact, else
// case-insensitive): for each column of schema, the file's column holding
// it, or -1 when the file lacks it. A file column of a type that does not
// widen to schema's is an error naming the file and the column. identity is
// true when the file has exactly schema's columns and types in order.
func ColumnMap(name string, file, schema *arrow.Schema) (cols []int, identity bool, err error) {
	cols = make([]int, schema.NumFields())
	identity = file.NumFields() == schema.NumFields()
	for c, f := range schema.Fields() {
		j := -1
		if idx := file.FieldIndices(f.Name); len(idx) > 0 {
			j = idx[0]
		} else {
			for k, ff := range file.Fields() {
				if strings.EqualFold(ff.Name, f.Name) {
					j = k
					break
				}
			}
		}
		cols[c] = j
		if j < 0 {
			identity = false
			continue
		}
		ft := file.Field(j).Type
		if !Widens(ft, f.Type) {
			return nil, false, fmt.Errorf("parquet file %s: column %s is %s, which cannot be read as %s", name, f.Name, ft, f.Type)
		}
		if j != c || !arrow.TypeEqual(ft, f.Type) {
			identity = false
		}
	}
	return cols, identity, nil
}
