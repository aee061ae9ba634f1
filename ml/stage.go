package ml

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/values"
)

// Stage is a step of a pipeline: a Transformer or an Estimator.
type Stage interface {
	// UID returns the stage's unique, stable identifier.
	UID() string
	// Params returns the stage's param holder.
	Params() *param.Params
	// ClassName returns the name persistence records and Load dispatches on,
	// e.g. "gspark.ml.feature.StandardScaler".
	ClassName() string
	// TransformSchema returns the schema the stage produces from the input
	// schema, or an error naming the stage and column when the input is unfit.
	TransformSchema(in *arrow.Schema) (*arrow.Schema, error)
	// Copy returns a copy of the stage with the same UID and the values of
	// extra applied to its params.
	Copy(extra param.ParamMap) (Stage, error)
	// Save writes the stage to the directory path (which must not exist).
	Save(path string) error
}

// Transformer is a stage that maps a DataFrame to another, lazily: Transform
// adds plan nodes, no data moves until an action.
type Transformer interface {
	Stage
	// Transform returns the transformed DataFrame.
	Transform(df *frame.DataFrame) (*frame.DataFrame, error)
}

// Estimator is a stage that learns a Model from a DataFrame.
type Estimator interface {
	Stage
	// Fit reads df and returns the fitted model.
	Fit(ctx context.Context, df *frame.DataFrame) (Model, error)
}

// Model is a Transformer produced by an Estimator.
type Model interface {
	Transformer
}

// ColumnKind is a class of column types a stage accepts.
type ColumnKind int

// The column kinds CheckColumn knows.
const (
	// Numeric is any integer, floating-point or decimal type.
	Numeric ColumnKind = iota
	// Double is float64 only.
	Double
	// Boolean is bool.
	Boolean
	// String is string (plain, large or dictionary-encoded).
	String
	// Vector is the ML vector extension type.
	Vector
	// StringArray is a list of strings.
	StringArray
	// Any accepts every type.
	Any
)

var kindNames = [...]string{"numeric", "double", "boolean", "string", "vector", "array<string>", "any type"}

// String returns the kind's name as error messages use it.
func (k ColumnKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("ColumnKind(%d)", int(k))
}

// Matches reports whether type t is of kind k.
func (k ColumnKind) Matches(t arrow.DataType) bool {
	switch k {
	case Numeric:
		return IsNumeric(t)
	case Double:
		return t.ID() == arrow.FLOAT64
	case Boolean:
		return t.ID() == arrow.BOOL
	case String:
		return IsString(t)
	case Vector:
		return linalg.IsVector(t)
	case StringArray:
		switch l := t.(type) {
		case *arrow.ListType:
			return IsString(l.Elem())
		case *arrow.LargeListType:
			return IsString(l.Elem())
		}
		return false
	case Any:
		return true
	}
	return false
}

// IsNumeric reports whether t is an integer, floating-point or decimal type.
func IsNumeric(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL32, arrow.DECIMAL64, arrow.DECIMAL128, arrow.DECIMAL256:
		return true
	}
	return false
}

// IsString reports whether t is a string type, or a dictionary of strings.
func IsString(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW:
		return true
	case arrow.DICTIONARY:
		return IsString(t.(*arrow.DictionaryType).ValueType)
	}
	return false
}

// FieldIndex returns the index of column name in s (an exact match first,
// else case-insensitive, as Spark resolves names), or -1.
func FieldIndex(s *arrow.Schema, name string) int {
	if idx := s.FieldIndices(name); len(idx) > 0 {
		return idx[0]
	}
	for i, f := range s.Fields() {
		if strings.EqualFold(f.Name, name) {
			return i
		}
	}
	return -1
}

// CheckColumn checks that input column col of stage uid exists in s with a
// type of one of kinds (any type if none) and returns its field. Errors read
// e.g. `StandardScaler_ab12: input column "features" must be vector, got string`.
func CheckColumn(s *arrow.Schema, uid, col string, kinds ...ColumnKind) (arrow.Field, error) {
	if col == "" {
		return arrow.Field{}, fmt.Errorf("%s: input column name is not set", uid)
	}
	i := FieldIndex(s, col)
	if i < 0 {
		return arrow.Field{}, fmt.Errorf("%s: input column %q does not exist; available columns: %s", uid, col, columnList(s))
	}
	f := s.Field(i)
	if len(kinds) == 0 {
		return f, nil
	}
	for _, k := range kinds {
		if k.Matches(f.Type) {
			return f, nil
		}
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.String()
	}
	return arrow.Field{}, fmt.Errorf("%s: input column %q must be %s, got %s", uid, col, strings.Join(names, " or "), TypeName(f.Type))
}

// TypeName names a column type as Spark does in messages: "vector" for ML
// vectors, else its Spark SQL name (string, bigint, double, array<string>...).
func TypeName(t arrow.DataType) string {
	if linalg.IsVector(t) {
		return "vector"
	}
	return values.TypeName(t)
}

func columnList(s *arrow.Schema) string {
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name
	}
	return "[" + strings.Join(names, ", ") + "]"
}

// AppendColumn returns s with a new output column of stage uid appended; it
// fails if a column of that name exists, as Spark does.
func AppendColumn(s *arrow.Schema, uid string, f arrow.Field) (*arrow.Schema, error) {
	if f.Name == "" {
		return nil, fmt.Errorf("%s: output column name is not set", uid)
	}
	if FieldIndex(s, f.Name) >= 0 {
		return nil, fmt.Errorf("%s: output column %q already exists", uid, f.Name)
	}
	fields := append(append([]arrow.Field(nil), s.Fields()...), f)
	md := s.Metadata()
	return arrow.NewSchema(fields, &md), nil
}

// StageErr wraps err with the stage's UID unless the message already starts with it.
func StageErr(uid string, err error) error {
	if err == nil || strings.HasPrefix(err.Error(), uid) {
		return err
	}
	return fmt.Errorf("%s: %w", uid, err)
}

// TypedEstimator is an Estimator whose FitModel returns its concrete model
// type M (for example *regression.LinearRegressionModel), so that generic
// code gets the model without a type assertion.
type TypedEstimator[M Model] interface {
	Estimator
	// FitModel is Fit returning the concrete model.
	FitModel(ctx context.Context, df *frame.DataFrame) (M, error)
}

// FitAs fits e to df and returns its model as M; it is an error if the
// model e returns is not an M. It works with every Estimator, typed or not.
func FitAs[M Model](ctx context.Context, e Estimator, df *frame.DataFrame) (M, error) {
	var zero M
	if te, ok := e.(TypedEstimator[M]); ok {
		return te.FitModel(ctx, df)
	}
	m, err := e.Fit(ctx, df)
	if err != nil {
		return zero, err
	}
	typed, ok := m.(M)
	if !ok {
		return zero, fmt.Errorf("%s: the fitted model is a %T, not a %T", e.UID(), m, zero)
	}
	return typed, nil
}
