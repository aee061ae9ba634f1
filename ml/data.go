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

// WriteColumns saves n rows under dir/data as Parquet: a vector column per
// name of vecNames (vecs[i] holds its n vectors), then a double column per
// name of numNames (nums[i] holds its n values). Models keep their data so.
func WriteColumns(dir string, n int, vecNames []string, vecs [][][]float64, numNames []string, nums [][]float64) error {
	mem := memory.NewGoAllocator()
	var fields []arrow.Field
	var cols []arrow.Array
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for i, name := range vecNames {
		if len(vecs[i]) != n {
			return fmt.Errorf("model data %q: %d vectors for %d rows", name, len(vecs[i]), n)
		}
		fields = append(fields, arrow.Field{Name: name, Type: linalg.VectorType(), Nullable: true})
		vb := linalg.NewVectorBuilder(mem)
		for _, v := range vecs[i] {
			vb.AppendDense(v)
		}
		cols = append(cols, vb.NewArray())
		vb.Release()
	}
	for i, name := range numNames {
		if len(nums[i]) != n {
			return fmt.Errorf("model data %q: %d values for %d rows", name, len(nums[i]), n)
		}
		fields = append(fields, arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Float64})
		fb := array.NewFloat64Builder(mem)
		fb.AppendValues(nums[i], nil)
		cols = append(cols, fb.NewArray())
		fb.Release()
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(n))
	defer rec.Release()
	return WriteData(dir, rec)
}

// ReadColumns reads, by name, columns written by WriteColumns, and the
// number of rows.
func ReadColumns(ctx context.Context, dir string, vecNames, numNames []string) ([][][]float64, [][]float64, int, error) {
	rec, err := ReadData(ctx, dir, memory.NewGoAllocator())
	if err != nil {
		return nil, nil, 0, err
	}
	defer rec.Release()
	n := int(rec.NumRows())
	vecs := make([][][]float64, len(vecNames))
	for i, name := range vecNames {
		idx := FieldIndex(rec.Schema(), name)
		if idx < 0 {
			return nil, nil, 0, fmt.Errorf("model data has no column %q", name)
		}
		vc, err := linalg.Vectors(rec.Column(idx))
		if err != nil {
			return nil, nil, 0, fmt.Errorf("model data %q: %w", name, err)
		}
		vecs[i] = make([][]float64, n)
		for r := range vecs[i] {
			v, ok := vc.At(r)
			if !ok {
				return nil, nil, 0, fmt.Errorf("model data %q: row %d is null", name, r)
			}
			vecs[i][r] = v.ToArray()
		}
	}
	nums := make([][]float64, len(numNames))
	for i, name := range numNames {
		idx := FieldIndex(rec.Schema(), name)
		if idx < 0 {
			return nil, nil, 0, fmt.Errorf("model data has no column %q", name)
		}
		col, ok := rec.Column(idx).(*array.Float64)
		if !ok || col.NullN() > 0 {
			return nil, nil, 0, fmt.Errorf("model data %q is not a column of doubles", name)
		}
		nums[i] = append([]float64(nil), col.Float64Values()...)
	}
	return vecs, nums, n, nil
}

// WriteVectorRows saves one Parquet row per vector of rows under dir/data:
// a vector column named vecName and, when scalarName is not empty, a double
// column of scalars beside it (one per row) — e.g. a model's coefficient
// rows and intercepts, or cluster centers.
func WriteVectorRows(dir, vecName string, rows [][]float64, scalarName string, scalars []float64) error {
	if scalarName == "" {
		return WriteColumns(dir, len(rows), []string{vecName}, [][][]float64{rows}, nil, nil)
	}
	return WriteColumns(dir, len(rows), []string{vecName}, [][][]float64{rows}, []string{scalarName}, [][]float64{scalars})
}

// ReadVectorRows reads what WriteVectorRows wrote: the vectors, and the
// scalars when scalarName is not empty.
func ReadVectorRows(ctx context.Context, dir, vecName, scalarName string) ([][]float64, []float64, error) {
	var numNames []string
	if scalarName != "" {
		numNames = []string{scalarName}
	}
	vecs, nums, _, err := ReadColumns(ctx, dir, []string{vecName}, numNames)
	if err != nil {
		return nil, nil, err
	}
	if scalarName == "" {
		return vecs[0], nil, nil
	}
	return vecs[0], nums[0], nil
}
