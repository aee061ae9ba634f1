package parquet

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/gspark/gspark/values/vectors"
)

// VectorColumnsKey is the key of the file metadata (a JSON array of column
// names) with which the writer marks the columns that hold ML vectors. In
// the file such a column is a plain struct laid out as Spark's VectorUDT,
// struct<type: int8, size: int32, indices: list<int32>, values: list<double>>,
// readable by any Parquet reader; gspark reads it back as a vector column.
const VectorColumnsKey = "gspark.vector_columns"

// sparkRowMetadataKey is where Spark records its schema (as JSON) in the
// Parquet files it writes; a VectorUDT column is named there by class.
const sparkRowMetadataKey = "org.apache.spark.sql.parquet.row.metadata"

// vectorColumnNames returns the columns the file's metadata marks as
// vectors: by gspark's key, or Spark's schema naming VectorUDT.
func vectorColumnNames(kv []format.KeyValue) map[string]bool {
	marked := map[string]bool{}
	for _, e := range kv {
		switch e.Key {
		case VectorColumnsKey:
			var names []string
			if json.Unmarshal([]byte(e.Value), &names) == nil {
				for _, n := range names {
					marked[n] = true
				}
			}
		case sparkRowMetadataKey:
			var sc struct {
				Fields []struct {
					Name string          `json:"name"`
					Type json.RawMessage `json:"type"`
				} `json:"fields"`
			}
			if json.Unmarshal([]byte(e.Value), &sc) != nil {
				continue
			}
			for _, f := range sc.Fields {
				var udt struct {
					Type  string `json:"type"`
					Class string `json:"class"`
				}
				if json.Unmarshal(f.Type, &udt) == nil && udt.Type == "udt" && udt.Class == "org.apache.spark.ml.linalg.VectorUDT" {
					marked[f.Name] = true
				}
			}
		}
	}
	return marked
}

// vectorLayout is where a vector column's values sit in the file: its four
// leaf columns and the definition levels that say what a value means.
type vectorLayout struct {
	leaves [4]int // leaf column indices of type, size, indices.element, values.element
	// rowDef is the definition level at which the row (struct) is present
	// (0 when the struct is required).
	rowDef int
	// typeDef, sizeDef: levels at which type and size are non-null.
	typeDef, sizeDef int
	// listDef[k]: the list (indices k=0, values k=1) is non-null at
	// listDef[k], has an element at listDef[k]+1, a non-null one at elemDef[k].
	listDef, elemDef [2]int
}

// mapVector recognises the vector struct starting at schema element i
// (whose first leaf is column leaf) and returns the column and the index of
// the element after the group; ok is false for any other nested layout.
func mapVector(els []format.SchemaElement, i, leaf int) (c column, next int, ok bool) {
	el := &els[i]
	if n, _ := el.NumChildren.Get(); n != 4 || i+9 > len(els) {
		return c, 0, false
	}
	rep := func(e *format.SchemaElement) format.FieldRepetitionType {
		r, _ := e.RepetitionType.Get()
		return r
	}
	opt := func(e *format.SchemaElement) int {
		if rep(e) == format.Optional {
			return 1
		}
		return 0
	}
	leafOf := func(e *format.SchemaElement, name string, t format.Type) bool {
		p, ok := e.Type.Get()
		n, _ := e.NumChildren.Get()
		return ok && p == t && n == 0 && e.Name == name && rep(e) != format.Repeated
	}
	if rep(el) == format.Repeated {
		return c, 0, false
	}
	l := vectorLayout{rowDef: opt(el)}
	// type, size
	tEl, sEl := &els[i+1], &els[i+2]
	if !leafOf(tEl, "type", format.Int32) || !leafOf(sEl, "size", format.Int32) {
		return c, 0, false
	}
	l.typeDef, l.sizeDef = l.rowDef+opt(tEl), l.rowDef+opt(sEl)
	// indices and values: a 3-level list each.
	j := i + 3
	for k, want := range [2]struct {
		name string
		t    format.Type
	}{{"indices", format.Int32}, {"values", format.Double}} {
		g, r, e := &els[j], &els[j+1], &els[j+2]
		gn, _ := g.NumChildren.Get()
		rn, _ := r.NumChildren.Get()
		if g.Name != want.name || gn != 1 || rep(g) == format.Repeated || rn != 1 || rep(r) != format.Repeated {
			return c, 0, false
		}
		p, okT := e.Type.Get()
		if en, _ := e.NumChildren.Get(); !okT || p != want.t || en != 0 || rep(e) == format.Repeated {
			return c, 0, false
		}
		l.listDef[k] = l.rowDef + opt(g)
		l.elemDef[k] = l.listDef[k] + 1 + opt(e)
		j += 3
	}
	l.leaves = [4]int{leaf, leaf + 1, leaf + 2, leaf + 3}
	c = column{name: el.Name, typ: vectors.VectorStorageType(), optional: l.rowDef == 1, leaf: leaf, vec: &l}
	return c, j, true
}

// vecRows holds a vector column of one row group decoded into Go slices.
type vecRows struct {
	valid  []bool
	kinds  []int8
	sizes  []int32
	sizeOK []bool
	idx    [][]int32
	vals   [][]float64
	pos    int
}

// readLeaf calls fn for every value of a leaf column chunk, in order.
func readLeaf(cc pq.ColumnChunk, fn func(v pq.Value) error) error {
	pages := cc.Pages()
	defer pages.Close()
	buf := make([]pq.Value, 1024)
	for {
		p, err := pages.ReadPage()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		vr := p.Values()
		for {
			n, err := vr.ReadValues(buf)
			for _, v := range buf[:n] {
				if ferr := fn(v); ferr != nil {
					pq.Release(p)
					return ferr
				}
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				pq.Release(p)
				return err
			}
		}
		pq.Release(p)
	}
}

// decodeVectors reads the vector column c of row group rg (numRows rows).
func decodeVectors(rg pq.RowGroup, c *column, numRows int) (*vecRows, error) {
	l := c.vec
	chunks := rg.ColumnChunks()
	for _, leaf := range l.leaves {
		if leaf >= len(chunks) {
			return nil, fmt.Errorf("leaf column %d missing", leaf)
		}
	}
	r := &vecRows{}
	row := -1
	if err := readLeaf(chunks[l.leaves[0]], func(v pq.Value) error {
		row++
		present := v.DefinitionLevel() >= l.rowDef
		r.valid = append(r.valid, present)
		var k int8
		if present {
			if v.DefinitionLevel() < l.typeDef {
				return fmt.Errorf("row %d: null vector type", row)
			}
			k = int8(v.Int32())
			if k != 0 && k != 1 {
				return fmt.Errorf("row %d: vector type %d, expected 0 (sparse) or 1 (dense)", row, k)
			}
		}
		r.kinds = append(r.kinds, k)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("field type: %w", err)
	}
	if err := readLeaf(chunks[l.leaves[1]], func(v pq.Value) error {
		ok := v.DefinitionLevel() >= l.sizeDef
		var s int32
		if ok {
			s = v.Int32()
		}
		r.sizes = append(r.sizes, s)
		r.sizeOK = append(r.sizeOK, ok)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("field size: %w", err)
	}
	r.idx = make([][]int32, 0, numRows)
	r.vals = make([][]float64, 0, numRows)
	for k, name := range [2]string{"indices", "values"} {
		row := -1
		err := readLeaf(chunks[l.leaves[2+k]], func(v pq.Value) error {
			d := v.DefinitionLevel()
			if v.RepetitionLevel() == 0 {
				row++
				if k == 0 {
					var s []int32
					if d >= l.listDef[k] {
						s = []int32{}
					}
					r.idx = append(r.idx, s)
				} else {
					var s []float64
					if d >= l.listDef[k] {
						s = []float64{}
					}
					r.vals = append(r.vals, s)
				}
			}
			if row < 0 {
				return fmt.Errorf("a repeated value before the first row")
			}
			if d <= l.listDef[k] {
				return nil // a null or an empty list
			}
			if d < l.elemDef[k] {
				return fmt.Errorf("row %d: null element", row)
			}
			if k == 0 {
				r.idx[row] = append(r.idx[row], v.Int32())
			} else {
				r.vals[row] = append(r.vals[row], v.Double())
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", name, err)
		}
	}
	if len(r.valid) != numRows || len(r.sizes) != numRows || len(r.idx) != numRows || len(r.vals) != numRows {
		return nil, fmt.Errorf("fields hold %d, %d, %d and %d rows, the row group %d", len(r.valid), len(r.sizes), len(r.idx), len(r.vals), numRows)
	}
	return r, nil
}

// next builds the next n rows as a vector array (as its storage struct
// when ext is false).
func (r *vecRows) next(mem memory.Allocator, n int, ext bool) (arrow.Array, error) {
	b := vectors.NewVectorBuilder(mem)
	defer b.Release()
	b.Reserve(n)
	for i := r.pos; i < r.pos+n; i++ {
		switch {
		case !r.valid[i]:
			b.AppendNull()
		case r.kinds[i] == 1:
			if r.sizeOK[i] && int(r.sizes[i]) != len(r.vals[i]) {
				return nil, fmt.Errorf("row %d: dense vector of size %d holds %d values", i, r.sizes[i], len(r.vals[i]))
			}
			b.AppendDense(r.vals[i])
		default:
			idx, vals := r.idx[i], r.vals[i]
			if !r.sizeOK[i] || len(idx) != len(vals) {
				return nil, fmt.Errorf("row %d: sparse vector with a null size or %d indices for %d values", i, len(idx), len(vals))
			}
			for k, j := range idx {
				if j < 0 || j >= r.sizes[i] || (k > 0 && j <= idx[k-1]) {
					return nil, fmt.Errorf("row %d: sparse vector index %d invalid for size %d", i, j, r.sizes[i])
				}
			}
			b.AppendSparse(int(r.sizes[i]), idx, vals)
		}
	}
	r.pos += n
	arr := b.NewArray()
	if ext {
		return arr, nil
	}
	st := arr.(*vectors.VectorArray).Storage()
	st.Retain()
	arr.Release()
	return st, nil
}

// vectorWriteSchema replaces the vector columns among fields by their
// storage struct and returns their names.
func vectorWriteSchema(fields []arrow.Field) (marked []string) {
	for i, f := range fields {
		if vectors.IsVector(f.Type) {
			fields[i].Type = vectors.VectorStorageType()
			marked = append(marked, f.Name)
		}
	}
	return slices.Clip(marked)
}
