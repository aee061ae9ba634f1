package ml

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// Spark's user-defined types of vectors and matrices, as named in the
// schema JSON Spark keeps in a Parquet file's footer.
const (
	// SparkVectorUDT is the class of org.apache.spark.ml.linalg vectors.
	SparkVectorUDT = "org.apache.spark.ml.linalg.VectorUDT"
	// SparkMatrixUDT is the class of org.apache.spark.ml.linalg matrices.
	SparkMatrixUDT = "org.apache.spark.ml.linalg.MatrixUDT"
	// SparkOldVectorUDT is the class of org.apache.spark.mllib.linalg
	// vectors (GaussianMixtureModel's data uses them).
	SparkOldVectorUDT = "org.apache.spark.mllib.linalg.VectorUDT"
	// SparkOldMatrixUDT is the class of org.apache.spark.mllib.linalg
	// matrices.
	SparkOldMatrixUDT = "org.apache.spark.mllib.linalg.MatrixUDT"
)

// SparkUDTKey is the Arrow field metadata key that names the Spark UDT
// class of a vector or matrix struct field when it is not the ml package's
// (WriteSparkParquet records it in the file's Spark schema).
const SparkUDTKey = "gspark.spark.udt"

// SparkVectorType is the struct Spark stores a vector as (VectorUDT's
// sqlType: type byte, size int, indices array<int>, values array<double>;
// type 0 is sparse, 1 dense).
func SparkVectorType() *arrow.StructType {
	return arrow.StructOf(
		arrow.Field{Name: "type", Type: arrow.PrimitiveTypes.Int8},
		arrow.Field{Name: "size", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "indices", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32}), Nullable: true},
		arrow.Field{Name: "values", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float64}), Nullable: true},
	)
}

// SparkMatrixType is the struct Spark stores a matrix as (MatrixUDT's
// sqlType: type byte, numRows int, numCols int, colPtrs array<int>,
// rowIndices array<int>, values array<double>, isTransposed boolean; type
// 0 is sparse, 1 dense).
func SparkMatrixType() *arrow.StructType {
	ints := arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32})
	return arrow.StructOf(
		arrow.Field{Name: "type", Type: arrow.PrimitiveTypes.Int8},
		arrow.Field{Name: "numRows", Type: arrow.PrimitiveTypes.Int32},
		arrow.Field{Name: "numCols", Type: arrow.PrimitiveTypes.Int32},
		arrow.Field{Name: "colPtrs", Type: ints, Nullable: true},
		arrow.Field{Name: "rowIndices", Type: ints, Nullable: true},
		arrow.Field{Name: "values", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float64}), Nullable: true},
		arrow.Field{Name: "isTransposed", Type: arrow.FixedWidthTypes.Boolean},
	)
}

// SparkMatrix is a dense matrix as Spark's DenseMatrix holds it: Values
// column-major, or row-major when Transposed.
type SparkMatrix struct {
	NumRows, NumCols int
	Values           []float64
	Transposed       bool
}

// SparkMatrixRows is the dense matrix of rows (all of one length), stored
// row-major (Transposed) as Spark's models build their coefficient
// matrices.
func SparkMatrixRows(rows [][]float64) SparkMatrix {
	m := SparkMatrix{NumRows: len(rows), Transposed: true}
	if len(rows) > 0 {
		m.NumCols = len(rows[0])
	}
	for _, r := range rows {
		m.Values = append(m.Values, r...)
	}
	return m
}

// At returns element (i, j).
func (m SparkMatrix) At(i, j int) float64 {
	if m.Transposed {
		return m.Values[i*m.NumCols+j]
	}
	return m.Values[i+j*m.NumRows]
}

// Rows returns the matrix as rows.
func (m SparkMatrix) Rows() [][]float64 {
	out := make([][]float64, m.NumRows)
	for i := range out {
		out[i] = make([]float64, m.NumCols)
		for j := range out[i] {
			out[i][j] = m.At(i, j)
		}
	}
	return out
}

// isSparkVector and isSparkMatrix recognise the storage structs by their
// field names.
func isSparkVector(t *arrow.StructType) bool {
	return structNames(t) == "type,size,indices,values"
}

func isSparkMatrix(t *arrow.StructType) bool {
	return structNames(t) == "type,numRows,numCols,colPtrs,rowIndices,values,isTransposed"
}

func structNames(t *arrow.StructType) string {
	names := make([]string, t.NumFields())
	for i, f := range t.Fields() {
		names[i] = f.Name
	}
	return strings.Join(names, ",")
}

// WriteSparkRows writes rows of Go values with the given schema as Spark
// would write a Dataset of its case class (WriteSparkParquet). Values by
// Arrow type: float64, int/int32/int64, bool, string, slices for lists, a
// []float64 or linalg.Vector for a vector struct, a SparkMatrix for a
// matrix struct; nil is null.
func WriteSparkRows(dir, sub string, schema *arrow.Schema, rows ...[]any) error {
	rb := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
	defer rb.Release()
	for r, row := range rows {
		if len(row) != schema.NumFields() {
			return fmt.Errorf("model data row %d has %d values for %d fields", r, len(row), schema.NumFields())
		}
		for i, v := range row {
			if err := appendSpark(rb.Field(i), v); err != nil {
				return fmt.Errorf("model data row %d field %s: %w", r, schema.Field(i).Name, err)
			}
		}
	}
	rec := rb.NewRecordBatch()
	defer rec.Release()
	return WriteSparkParquet(dir, sub, rec)
}

// appendSpark appends v to b (see WriteSparkRows).
func appendSpark(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	bad := func() error { return fmt.Errorf("cannot store a %T as %s", v, b.Type()) }
	switch b := b.(type) {
	case *array.Float64Builder:
		f, ok := v.(float64)
		if !ok {
			return bad()
		}
		b.Append(f)
	case *array.Int8Builder:
		n, ok := v.(int8)
		if !ok {
			return bad()
		}
		b.Append(n)
	case *array.Int32Builder:
		switch n := v.(type) {
		case int:
			b.Append(int32(n))
		case int32:
			b.Append(n)
		default:
			return bad()
		}
	case *array.Int64Builder:
		switch n := v.(type) {
		case int:
			b.Append(int64(n))
		case int64:
			b.Append(n)
		default:
			return bad()
		}
	case *array.BooleanBuilder:
		x, ok := v.(bool)
		if !ok {
			return bad()
		}
		b.Append(x)
	case *array.StringBuilder:
		s, ok := v.(string)
		if !ok {
			return bad()
		}
		b.Append(s)
	case *array.MapBuilder:
		m, ok := v.(map[string]string)
		if !ok {
			return bad()
		}
		kb, ok1 := b.KeyBuilder().(*array.StringBuilder)
		ib, ok2 := b.ItemBuilder().(*array.StringBuilder)
		if !ok1 || !ok2 {
			return bad()
		}
		b.Append(true)
		for _, k := range slices.Sorted(maps.Keys(m)) {
			kb.Append(k)
			ib.Append(m[k])
		}
	case *array.ListBuilder:
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Slice {
			return bad()
		}
		b.Append(true)
		for i := range rv.Len() {
			if err := appendSpark(b.ValueBuilder(), rv.Index(i).Interface()); err != nil {
				return err
			}
		}
	case *array.StructBuilder:
		st := b.Type().(*arrow.StructType)
		switch {
		case isSparkVector(st):
			return appendSparkVector(b, v)
		case isSparkMatrix(st):
			m, ok := v.(SparkMatrix)
			if !ok {
				return bad()
			}
			if len(m.Values) != m.NumRows*m.NumCols {
				return fmt.Errorf("a %d×%d matrix with %d values", m.NumRows, m.NumCols, len(m.Values))
			}
			b.Append(true)
			b.FieldBuilder(0).(*array.Int8Builder).Append(1)
			b.FieldBuilder(1).(*array.Int32Builder).Append(int32(m.NumRows))
			b.FieldBuilder(2).(*array.Int32Builder).Append(int32(m.NumCols))
			b.FieldBuilder(3).AppendNull()
			b.FieldBuilder(4).AppendNull()
			vb := b.FieldBuilder(5).(*array.ListBuilder)
			vb.Append(true)
			vb.ValueBuilder().(*array.Float64Builder).AppendValues(m.Values, nil)
			b.FieldBuilder(6).(*array.BooleanBuilder).Append(m.Transposed)
		default:
			return bad()
		}
	default:
		return bad()
	}
	return nil
}

func appendSparkVector(b *array.StructBuilder, v any) error {
	var vec linalg.Vector
	switch x := v.(type) {
	case []float64:
		vec = linalg.Dense(x...)
	case linalg.Vector:
		vec = x
	default:
		return fmt.Errorf("cannot store a %T as a vector", v)
	}
	b.Append(true)
	tb := b.FieldBuilder(0).(*array.Int8Builder)
	sb := b.FieldBuilder(1).(*array.Int32Builder)
	ib := b.FieldBuilder(2).(*array.ListBuilder)
	vb := b.FieldBuilder(3).(*array.ListBuilder)
	if sv, ok := vec.(*linalg.SparseVector); ok {
		tb.Append(0)
		sb.Append(int32(sv.Size()))
		ib.Append(true)
		for _, i := range sv.Indices {
			ib.ValueBuilder().(*array.Int32Builder).Append(int32(i))
		}
		vb.Append(true)
		vb.ValueBuilder().(*array.Float64Builder).AppendValues(sv.Values, nil)
		return nil
	}
	tb.Append(1)
	sb.AppendNull()
	ib.AppendNull()
	vb.Append(true)
	vb.ValueBuilder().(*array.Float64Builder).AppendValues(vec.ToArray(), nil)
	return nil
}

// sparkSchemaJSON is the schema JSON Spark keeps in a Parquet file's
// footer (key org.apache.spark.sql.parquet.row.metadata), from which Spark
// reads vector and matrix columns back as vectors and matrices.
func sparkSchemaJSON(s *arrow.Schema) ([]byte, error) {
	t, err := sparkStruct(s.Fields())
	if err != nil {
		return nil, err
	}
	return json.Marshal(t)
}

type sparkStructJSON struct {
	Type   string           `json:"type"`
	Fields []sparkFieldJSON `json:"fields"`
}

type sparkFieldJSON struct {
	Name     string   `json:"name"`
	Type     any      `json:"type"`
	Nullable bool     `json:"nullable"`
	Metadata struct{} `json:"metadata"`
}

type sparkArrayJSON struct {
	Type         string `json:"type"`
	ElementType  any    `json:"elementType"`
	ContainsNull bool   `json:"containsNull"`
}

type sparkMapJSON struct {
	Type              string `json:"type"`
	KeyType           any    `json:"keyType"`
	ValueType         any    `json:"valueType"`
	ValueContainsNull bool   `json:"valueContainsNull"`
}

type sparkUDTJSON struct {
	Type    string `json:"type"`
	Class   string `json:"class"`
	PyClass string `json:"pyClass"`
	SQLType any    `json:"sqlType"`
}

func sparkStruct(fields []arrow.Field) (sparkStructJSON, error) {
	out := sparkStructJSON{Type: "struct", Fields: make([]sparkFieldJSON, len(fields))}
	for i, f := range fields {
		t, err := sparkType(f)
		if err != nil {
			return out, fmt.Errorf("field %s: %w", f.Name, err)
		}
		out.Fields[i] = sparkFieldJSON{Name: f.Name, Type: t, Nullable: f.Nullable}
	}
	return out, nil
}

// sparkType is the Spark type JSON of f's type.
func sparkType(f arrow.Field) (any, error) {
	switch t := f.Type.(type) {
	case *arrow.Float64Type:
		return "double", nil
	case *arrow.Float32Type:
		return "float", nil
	case *arrow.Int8Type:
		return "byte", nil
	case *arrow.Int16Type:
		return "short", nil
	case *arrow.Int32Type:
		return "integer", nil
	case *arrow.Int64Type:
		return "long", nil
	case *arrow.BooleanType:
		return "boolean", nil
	case *arrow.StringType:
		return "string", nil
	case *arrow.BinaryType:
		return "binary", nil
	case *arrow.MapType:
		k, err := sparkType(t.KeyField())
		if err != nil {
			return nil, err
		}
		v, err := sparkType(t.ItemField())
		if err != nil {
			return nil, err
		}
		return sparkMapJSON{Type: "map", KeyType: k, ValueType: v, ValueContainsNull: t.ItemField().Nullable}, nil
	case *arrow.ListType:
		el, err := sparkType(t.ElemField())
		if err != nil {
			return nil, err
		}
		return sparkArrayJSON{Type: "array", ElementType: el, ContainsNull: t.ElemField().Nullable}, nil
	case *arrow.StructType:
		st, err := sparkStruct(t.Fields())
		if err != nil {
			return nil, err
		}
		class, _ := f.Metadata.GetValue(SparkUDTKey)
		if class == "" {
			switch {
			case isSparkVector(t):
				class = SparkVectorUDT
			case isSparkMatrix(t):
				class = SparkMatrixUDT
			default:
				return st, nil
			}
		}
		py := "py" + strings.TrimPrefix(class, "org.apache.")
		return sparkUDTJSON{Type: "udt", Class: class, PyClass: py, SQLType: st}, nil
	}
	return nil, fmt.Errorf("no Spark type for %s", f.Type)
}

// SparkData is the model data Spark wrote (all part files of a directory
// such as data/, rows in file order), read by column name and row.
type SparkData struct {
	recs []arrow.RecordBatch
	// Dir is the directory read, for messages.
	Dir string
}

// ReadSparkData reads dir/sub (see ReadParquetDir). The caller calls
// Release.
func ReadSparkData(ctx context.Context, dir, sub string) (*SparkData, error) {
	recs, err := ReadParquetDir(ctx, dir, sub, memory.NewGoAllocator())
	if err != nil {
		return nil, err
	}
	return &SparkData{recs: recs, Dir: sub}, nil
}

// Release frees the data.
func (d *SparkData) Release() {
	for _, r := range d.recs {
		r.Release()
	}
	d.recs = nil
}

// NumRows is the number of rows in all files.
func (d *SparkData) NumRows() int {
	n := 0
	for _, r := range d.recs {
		n += int(r.NumRows())
	}
	return n
}

// Columns returns the column names of the first file.
func (d *SparkData) Columns() []string {
	if len(d.recs) == 0 {
		return nil
	}
	var out []string
	for _, f := range d.recs[0].Schema().Fields() {
		out = append(out, f.Name)
	}
	return out
}

// column finds row's file and the named column in it.
func (d *SparkData) column(name string, row int) (arrow.Array, int, error) {
	for _, r := range d.recs {
		if row >= int(r.NumRows()) {
			row -= int(r.NumRows())
			continue
		}
		i := FieldIndex(r.Schema(), name)
		if i < 0 {
			return nil, 0, fmt.Errorf("%s has no column %s: %v", d.Dir, name, r.Schema())
		}
		c := r.Column(i)
		if c.IsNull(row) {
			return nil, 0, fmt.Errorf("%s column %s row %d is null", d.Dir, name, row)
		}
		return c, row, nil
	}
	return nil, 0, fmt.Errorf("%s has no row %d", d.Dir, row)
}

func (d *SparkData) typeErr(name string, c arrow.Array, want string) error {
	return fmt.Errorf("%s column %s is %s, want %s", d.Dir, name, c.DataType(), want)
}

// Float64 reads a double.
func (d *SparkData) Float64(name string, row int) (float64, error) {
	c, i, err := d.column(name, row)
	if err != nil {
		return 0, err
	}
	if f, ok := c.(*array.Float64); ok {
		return f.Value(i), nil
	}
	return 0, d.typeErr(name, c, "double")
}

// Int reads an integer or long.
func (d *SparkData) Int(name string, row int) (int64, error) {
	c, i, err := d.column(name, row)
	if err != nil {
		return 0, err
	}
	return intAt(c, i, func() error { return d.typeErr(name, c, "an integer") })
}

func intAt(c arrow.Array, i int, bad func() error) (int64, error) {
	switch a := c.(type) {
	case *array.Int32:
		return int64(a.Value(i)), nil
	case *array.Int64:
		return a.Value(i), nil
	case *array.Int16:
		return int64(a.Value(i)), nil
	case *array.Int8:
		return int64(a.Value(i)), nil
	}
	return 0, bad()
}

// Bool reads a boolean.
func (d *SparkData) Bool(name string, row int) (bool, error) {
	c, i, err := d.column(name, row)
	if err != nil {
		return false, err
	}
	if b, ok := c.(*array.Boolean); ok {
		return b.Value(i), nil
	}
	return false, d.typeErr(name, c, "boolean")
}

// list returns the values and range of a list cell.
func (d *SparkData) list(name string, row int) (arrow.Array, int, int, error) {
	c, i, err := d.column(name, row)
	if err != nil {
		return nil, 0, 0, err
	}
	l, ok := c.(*array.List)
	if !ok {
		return nil, 0, 0, d.typeErr(name, c, "an array")
	}
	s, e := l.ValueOffsets(i)
	return l.ListValues(), int(s), int(e), nil
}

// Float64s reads an array of doubles.
func (d *SparkData) Float64s(name string, row int) ([]float64, error) {
	vals, s, e, err := d.list(name, row)
	if err != nil {
		return nil, err
	}
	f, ok := vals.(*array.Float64)
	if !ok {
		return nil, d.typeErr(name, vals, "array<double>")
	}
	out := make([]float64, 0, e-s)
	for k := s; k < e; k++ {
		if f.IsNull(k) {
			return nil, fmt.Errorf("%s column %s row %d: null element", d.Dir, name, row)
		}
		out = append(out, f.Value(k))
	}
	return out, nil
}

// Ints reads an array of integers or longs.
func (d *SparkData) Ints(name string, row int) ([]int64, error) {
	vals, s, e, err := d.list(name, row)
	if err != nil {
		return nil, err
	}
	out := make([]int64, 0, e-s)
	for k := s; k < e; k++ {
		if vals.IsNull(k) {
			return nil, fmt.Errorf("%s column %s row %d: null element", d.Dir, name, row)
		}
		n, err := intAt(vals, k, func() error { return d.typeErr(name, vals, "array<int>") })
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// Strings reads an array of strings.
func (d *SparkData) Strings(name string, row int) ([]string, error) {
	vals, s, e, err := d.list(name, row)
	if err != nil {
		return nil, err
	}
	str, ok := vals.(*array.String)
	if !ok {
		return nil, d.typeErr(name, vals, "array<string>")
	}
	out := make([]string, 0, e-s)
	for k := s; k < e; k++ {
		out = append(out, str.Value(k))
	}
	return out, nil
}

// String reads a string.
func (d *SparkData) String(name string, row int) (string, error) {
	c, i, err := d.column(name, row)
	if err != nil {
		return "", err
	}
	if s, ok := c.(*array.String); ok {
		return s.Value(i), nil
	}
	return "", d.typeErr(name, c, "string")
}

// StringLists reads an array of arrays of strings.
func (d *SparkData) StringLists(name string, row int) ([][]string, error) {
	vals, s, e, err := d.list(name, row)
	if err != nil {
		return nil, err
	}
	inner, ok := vals.(*array.List)
	if !ok {
		return nil, d.typeErr(name, vals, "array<array<string>>")
	}
	str, ok := inner.ListValues().(*array.String)
	if !ok {
		return nil, d.typeErr(name, vals, "array<array<string>>")
	}
	out := make([][]string, 0, e-s)
	for k := s; k < e; k++ {
		if inner.IsNull(k) {
			return nil, fmt.Errorf("%s column %s row %d: null element %d", d.Dir, name, row, k-s)
		}
		is, ie := inner.ValueOffsets(k)
		list := make([]string, 0, ie-is)
		for p := int(is); p < int(ie); p++ {
			if str.IsNull(p) {
				return nil, fmt.Errorf("%s column %s row %d: null string in element %d", d.Dir, name, row, k-s)
			}
			list = append(list, str.Value(p))
		}
		out = append(out, list)
	}
	return out, nil
}

// StringMap reads a map of strings to strings (a null value reads as "").
func (d *SparkData) StringMap(name string, row int) (map[string]string, error) {
	c, i, err := d.column(name, row)
	if err != nil {
		return nil, err
	}
	m, ok := c.(*array.Map)
	if !ok {
		return nil, d.typeErr(name, c, "map<string,string>")
	}
	keys, ok1 := m.Keys().(*array.String)
	items, ok2 := m.Items().(*array.String)
	if !ok1 || !ok2 {
		return nil, d.typeErr(name, c, "map<string,string>")
	}
	s, e := m.ValueOffsets(i)
	out := make(map[string]string, e-s)
	for k := int(s); k < int(e); k++ {
		out[keys.Value(k)] = items.Value(k)
	}
	return out, nil
}

// Vector reads a vector (Spark's vector struct).
func (d *SparkData) Vector(name string, row int) (linalg.Vector, error) {
	c, i, err := d.column(name, row)
	if err != nil {
		return nil, err
	}
	vc, err := linalg.Vectors(c)
	if err != nil {
		return nil, fmt.Errorf("%s column %s: %w", d.Dir, name, err)
	}
	v, _ := vc.At(i)
	return v, nil
}

// Vectors reads an array of vectors.
func (d *SparkData) Vectors(name string, row int) ([]linalg.Vector, error) {
	vals, s, e, err := d.list(name, row)
	if err != nil {
		return nil, err
	}
	vc, err := linalg.Vectors(vals)
	if err != nil {
		return nil, fmt.Errorf("%s column %s: %w", d.Dir, name, err)
	}
	out := make([]linalg.Vector, 0, e-s)
	for k := s; k < e; k++ {
		v, ok := vc.At(k)
		if !ok {
			return nil, fmt.Errorf("%s column %s row %d: null vector", d.Dir, name, row)
		}
		out = append(out, v)
	}
	return out, nil
}

// Matrix reads a matrix (Spark's matrix struct, dense or sparse) as a
// dense matrix.
func (d *SparkData) Matrix(name string, row int) (SparkMatrix, error) {
	c, i, err := d.column(name, row)
	if err != nil {
		return SparkMatrix{}, err
	}
	m, err := matrixAt(c, i)
	if err != nil {
		return SparkMatrix{}, fmt.Errorf("%s column %s row %d: %w", d.Dir, name, row, err)
	}
	return m, nil
}

// Matrices reads an array of matrices.
func (d *SparkData) Matrices(name string, row int) ([]SparkMatrix, error) {
	vals, s, e, err := d.list(name, row)
	if err != nil {
		return nil, err
	}
	out := make([]SparkMatrix, 0, e-s)
	for k := s; k < e; k++ {
		m, err := matrixAt(vals, k)
		if err != nil {
			return nil, fmt.Errorf("%s column %s row %d: matrix %d: %w", d.Dir, name, row, k-s, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// matrixAt decodes the matrix struct c[i].
func matrixAt(c arrow.Array, i int) (SparkMatrix, error) {
	st, ok := c.(*array.Struct)
	if !ok || !isSparkMatrix(st.DataType().(*arrow.StructType)) {
		return SparkMatrix{}, fmt.Errorf("%s is not Spark's matrix struct", c.DataType())
	}
	if st.IsNull(i) {
		return SparkMatrix{}, fmt.Errorf("null matrix")
	}
	bad := func() error { return fmt.Errorf("matrix struct of %s", c.DataType()) }
	typ, err := intAt(st.Field(0), i, bad)
	if err != nil {
		return SparkMatrix{}, err
	}
	nr, err := intAt(st.Field(1), i, bad)
	if err != nil {
		return SparkMatrix{}, err
	}
	nc, err := intAt(st.Field(2), i, bad)
	if err != nil {
		return SparkMatrix{}, err
	}
	tr, ok := st.Field(6).(*array.Boolean)
	if !ok {
		return SparkMatrix{}, bad()
	}
	list := func(k int) ([]int64, []float64, error) {
		l, ok := st.Field(k).(*array.List)
		if !ok {
			return nil, nil, bad()
		}
		if l.IsNull(i) {
			return nil, nil, nil
		}
		s, e := l.ValueOffsets(i)
		var ns []int64
		var fs []float64
		for p := int(s); p < int(e); p++ {
			if f, ok := l.ListValues().(*array.Float64); ok {
				fs = append(fs, f.Value(p))
				continue
			}
			n, err := intAt(l.ListValues(), p, bad)
			if err != nil {
				return nil, nil, err
			}
			ns = append(ns, n)
		}
		return ns, fs, nil
	}
	_, vals, err := list(5)
	if err != nil {
		return SparkMatrix{}, err
	}
	if nr < 0 || nc < 0 {
		return SparkMatrix{}, fmt.Errorf("matrix of %d×%d", nr, nc)
	}
	m := SparkMatrix{NumRows: int(nr), NumCols: int(nc), Transposed: tr.Value(i)}
	if typ == 1 {
		if len(vals) != m.NumRows*m.NumCols {
			return SparkMatrix{}, fmt.Errorf("dense %d×%d matrix with %d values", nr, nc, len(vals))
		}
		m.Values = vals
		return m, nil
	}
	// Sparse: compressed columns (or rows when transposed).
	ptrs, _, err := list(3)
	if err != nil {
		return SparkMatrix{}, err
	}
	idx, _, err := list(4)
	if err != nil {
		return SparkMatrix{}, err
	}
	outer, inner := m.NumCols, m.NumRows
	if m.Transposed {
		outer, inner = m.NumRows, m.NumCols
	}
	if len(ptrs) != outer+1 || len(idx) != len(vals) || (len(ptrs) > 0 && int(ptrs[outer]) != len(vals)) {
		return SparkMatrix{}, fmt.Errorf("sparse %d×%d matrix with %d pointers, %d indices and %d values", nr, nc, len(ptrs), len(idx), len(vals))
	}
	dense := SparkMatrix{NumRows: m.NumRows, NumCols: m.NumCols, Values: make([]float64, m.NumRows*m.NumCols)}
	for o := 0; o < outer; o++ {
		if ptrs[o] > ptrs[o+1] || ptrs[o] < 0 {
			return SparkMatrix{}, fmt.Errorf("sparse matrix pointers decrease at %d", o)
		}
		for p := ptrs[o]; p < ptrs[o+1]; p++ {
			in := int(idx[p])
			if in < 0 || in >= inner {
				return SparkMatrix{}, fmt.Errorf("sparse matrix index %d out of range [0, %d)", in, inner)
			}
			r, col := in, o
			if m.Transposed {
				r, col = o, in
			}
			dense.Values[r+col*dense.NumRows] = vals[p]
		}
	}
	return dense, nil
}

// sparkEncodeParam encodes a param value as Spark's params write it:
// non-finite doubles (alone or in arrays) as the strings "NaN", "Inf" and
// "-Inf" (DoubleParam.jValueEncode in Spark's params.scala, whose decoder
// accepts only these), other values as param.EncodeValue does.
func sparkEncodeParam(v any) ([]byte, error) {
	var conv func(v any) (any, bool)
	conv = func(v any) (any, bool) {
		switch x := v.(type) {
		case float64:
			switch {
			case math.IsNaN(x):
				return "NaN", true
			case math.IsInf(x, 1):
				return "Inf", true
			case math.IsInf(x, -1):
				return "-Inf", true
			}
			return sparkDouble(x), true
		case []float64:
			out := make([]any, len(x))
			for i, f := range x {
				out[i], _ = conv(f)
			}
			return out, true
		case [][]float64:
			out := make([]any, len(x))
			for i, f := range x {
				out[i], _ = conv(f)
			}
			return out, true
		}
		return nil, false
	}
	if c, ok := conv(v); ok {
		return json.Marshal(c)
	}
	return param.EncodeValue(v)
}

// sparkDouble is x as JSON with a decimal point or an exponent (0.0, not
// 0), so that json4s parses it as a JDouble: Spark's
// DoubleParam.jValueDecode (params.scala) rejects a JInt.
func sparkDouble(x float64) json.Number {
	b, _ := json.Marshal(x)
	s := string(b)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return json.Number(s)
}

// ReadSparkRow reads the data of a model Spark saves as one row under
// dir/data (linear models, AFT, isotonic, LocalLDA, factorization
// machines, …); any other number of rows is an error.
func ReadSparkRow(ctx context.Context, dir string) (*SparkData, error) {
	d, err := ReadSparkData(ctx, dir, "data")
	if err != nil {
		return nil, err
	}
	if d.NumRows() != 1 {
		n := d.NumRows()
		d.Release()
		return nil, fmt.Errorf("model data has %d rows, want 1", n)
	}
	return d, nil
}
