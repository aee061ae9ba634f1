package ml

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml/linalg"
)

// WriteVectors saves model data made of dense vectors (e.g. coefficients)
// as one Parquet row under dir/data, one vector column per name.
func WriteVectors(dir string, names []string, vecs ...[]float64) error {
	mem := memory.NewGoAllocator()
	fields := make([]arrow.Field, len(names))
	cols := make([]arrow.Array, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: linalg.VectorType(), Nullable: true}
		b := linalg.NewVectorBuilder(mem)
		b.AppendDense(vecs[i])
		cols[i] = b.NewArray()
		b.Release()
		defer cols[i].Release()
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, 1)
	defer rec.Release()
	return WriteData(dir, rec)
}

// ReadVectors reads the vectors written by WriteVectors, by name.
func ReadVectors(ctx context.Context, dir string, names ...string) ([][]float64, error) {
	rec, err := ReadData(ctx, dir, memory.NewGoAllocator())
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	out := make([][]float64, len(names))
	for i, n := range names {
		idx := FieldIndex(rec.Schema(), n)
		if idx < 0 || rec.NumRows() != 1 {
			return nil, fmt.Errorf("model data has no vector %q", n)
		}
		vc, err := linalg.Vectors(rec.Column(idx))
		if err != nil {
			return nil, fmt.Errorf("model data %q: %w", n, err)
		}
		v, ok := vc.At(0)
		if !ok {
			return nil, fmt.Errorf("model data %q is null", n)
		}
		out[i] = v.ToArray()
	}
	return out, nil
}

// WriteStrings saves string arrays (e.g. labels) as one Parquet row under
// dir/data, one list<string> column per name.
func WriteStrings(dir string, names []string, lists ...[]string) error {
	mem := memory.NewGoAllocator()
	fields := make([]arrow.Field, len(names))
	cols := make([]arrow.Array, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true}
		b := array.NewListBuilder(mem, arrow.BinaryTypes.String)
		b.Append(true)
		b.ValueBuilder().(*array.StringBuilder).AppendValues(lists[i], nil)
		cols[i] = b.NewArray()
		b.Release()
		defer cols[i].Release()
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, 1)
	defer rec.Release()
	return WriteData(dir, rec)
}

// ReadStrings reads the string arrays written by WriteStrings, by name.
func ReadStrings(ctx context.Context, dir string, names ...string) ([][]string, error) {
	rec, err := ReadData(ctx, dir, memory.NewGoAllocator())
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	out := make([][]string, len(names))
	for i, n := range names {
		idx := FieldIndex(rec.Schema(), n)
		if idx < 0 || rec.NumRows() != 1 {
			return nil, fmt.Errorf("model data has no string list %q", n)
		}
		l, ok := rec.Column(idx).(*array.List)
		if !ok {
			return nil, fmt.Errorf("model data %q is %s, not a list", n, rec.Column(idx).DataType())
		}
		vals, ok := l.ListValues().(*array.String)
		if !ok {
			return nil, fmt.Errorf("model data %q is %s, not a list of strings", n, l.DataType())
		}
		lo, hi := l.ValueOffsets(0)
		out[i] = make([]string, 0, hi-lo)
		for k := lo; k < hi; k++ {
			out[i] = append(out[i], vals.Value(int(k)))
		}
	}
	return out, nil
}

// WriteVectorRows saves one Parquet row per vector of rows under dir/data:
// a vector column named vecName and, when scalarName is not empty, a double
// column of scalars beside it (one per row) — e.g. a model's coefficient
// rows and intercepts, or cluster centers.
func WriteVectorRows(dir, vecName string, rows [][]float64, scalarName string, scalars []float64) error {
	mem := memory.NewGoAllocator()
	fields := []arrow.Field{{Name: vecName, Type: linalg.VectorType(), Nullable: true}}
	vb := linalg.NewVectorBuilder(mem)
	for _, r := range rows {
		vb.AppendDense(r)
	}
	cols := []arrow.Array{vb.NewArray()}
	vb.Release()
	if scalarName != "" {
		if len(scalars) != len(rows) {
			cols[0].Release()
			return fmt.Errorf("model data: %d %s for %d %s", len(scalars), scalarName, len(rows), vecName)
		}
		fields = append(fields, arrow.Field{Name: scalarName, Type: arrow.PrimitiveTypes.Float64})
		fb := array.NewFloat64Builder(mem)
		fb.AppendValues(scalars, nil)
		cols = append(cols, fb.NewArray())
		fb.Release()
	}
	for _, c := range cols {
		defer c.Release()
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(len(rows)))
	defer rec.Release()
	return WriteData(dir, rec)
}

// ReadVectorRows reads what WriteVectorRows wrote: the vectors, and the
// scalars when scalarName is not empty.
func ReadVectorRows(ctx context.Context, dir, vecName, scalarName string) ([][]float64, []float64, error) {
	rec, err := ReadData(ctx, dir, memory.NewGoAllocator())
	if err != nil {
		return nil, nil, err
	}
	defer rec.Release()
	vi := FieldIndex(rec.Schema(), vecName)
	if vi < 0 {
		return nil, nil, fmt.Errorf("model data has no column %q", vecName)
	}
	vc, err := linalg.Vectors(rec.Column(vi))
	if err != nil {
		return nil, nil, fmt.Errorf("model data %q: %w", vecName, err)
	}
	rows := make([][]float64, rec.NumRows())
	for i := range rows {
		v, ok := vc.At(i)
		if !ok {
			return nil, nil, fmt.Errorf("model data %q: row %d is null", vecName, i)
		}
		rows[i] = v.ToArray()
	}
	if scalarName == "" {
		return rows, nil, nil
	}
	si := FieldIndex(rec.Schema(), scalarName)
	if si < 0 {
		return nil, nil, fmt.Errorf("model data has no column %q", scalarName)
	}
	sc, ok := rec.Column(si).(*array.Float64)
	if !ok || sc.NullN() > 0 {
		return nil, nil, fmt.Errorf("model data %q is not a column of doubles", scalarName)
	}
	return rows, append([]float64(nil), sc.Float64Values()...), nil
}
