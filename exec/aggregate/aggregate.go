// Package aggregate implements two-phase hash aggregation: NewPartial
// aggregates each partition into partial states, NewFinal merges them.
//
// Group keys are hashed a batch at a time into an open-addressing table of
// dense group ids whose keys are kept in typed buffers; every aggregate then
// updates typed per-group state in one loop per batch. Dictionary-encoded
// string keys are grouped by value and output as plain strings.
//
// Two cases get faster paths. Keys from a tiny domain (one-byte strings,
// booleans, small integers) are resolved through direct-index arrays that
// cache the hash table's answers (see smallKeys). Batches with at least
// eight rows per group are counted once per batch, and their sums and
// min/max are spread over four interleaved accumulators per group, so rows
// of one group do not wait on each other; a column summed twice in a batch
// (sum and avg) is read once.
//
// Besides count, sum, avg, min and max it computes Spark's statistical
// aggregates (stddev, variance, covariance, correlation), first/last/
// any_value, bool_and/bool_or, count_if, max_by/min_by and
// approx_count_distinct (HyperLogLog), all in both phases; ext.go adds
// mode, listagg, percentile_disc, skewness, kurtosis, the regr_* statistics
// and histogram_numeric, cms.go count_min_sketch.
package aggregate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/kernels"
)

// Func is an aggregate function.
type Func int

// The aggregate functions.
const (
	Count     Func = iota // count(col): the number of non-null values
	CountStar             // count(*): the number of rows; Spec.Input is ignored
	Sum
	Avg
	Min
	Max
	StddevSamp          // stddev_samp(double)
	StddevPop           // stddev_pop(double)
	VarSamp             // var_samp(double)
	VarPop              // var_pop(double)
	First               // first(x[, ignoreNulls]): the value of the first row
	Last                // last(x[, ignoreNulls]): the value of the last row
	BoolAnd             // bool_and(bool)
	BoolOr              // bool_or(bool)
	CountIf             // count_if(bool): the number of true values
	AnyValue            // any_value(x[, ignoreNulls]): computed as first
	Corr                // corr(double, double); Input2 is the second argument
	CovarSamp           // covar_samp(double, double)
	CovarPop            // covar_pop(double, double)
	MaxBy               // max_by(x, ord): x of the row with the greatest ord (Input2)
	MinBy               // min_by(x, ord): x of the row with the least ord (Input2)
	ApproxCountDistinct // approx_count_distinct(x): HyperLogLog estimate
	// The collecting functions are in collect.go and percentile.go.
	CollectList           // collect_list(x): array of the non-null values
	CollectSet            // collect_set(x): array of the distinct non-null values
	PercentileApprox      // percentile_approx(x, p): Spec.Percentages[0]
	PercentileApproxArray // percentile_approx(x, array(p...)): Spec.Percentages
	Percentile            // percentile(x, p): exact, interpolated, double
	PercentileArray       // percentile(x, array(p...)): array<double>
	Median                // median(x): percentile(x, 0.5)
	BitAnd                // bit_and(integer): bitwise AND of the non-null values
	BitOr                 // bit_or(integer)
	BitXor                // bit_xor(integer)
	// The functions of ext.go.
	Mode             // mode(x): the most frequent non-null value; ties by Spec.Desc
	ListAgg          // listagg(string[, delim]): the values joined, in arrival order
	ListAggOrdered   // listagg(string, delim) WITHIN GROUP (ORDER BY Input2)
	PercentileDisc   // percentile_disc(p) WITHIN GROUP (ORDER BY x): double
	Skewness         // skewness(double)
	Kurtosis         // kurtosis(double): excess kurtosis
	RegrSXX          // regr_sxx(y, x) over the pairs without a null, as all regr_*
	RegrSYY          // regr_syy(y, x)
	RegrSXY          // regr_sxy(y, x)
	RegrSlope        // regr_slope(y, x)
	RegrIntercept    // regr_intercept(y, x)
	RegrR2           // regr_r2(y, x)
	HistogramNumeric // histogram_numeric(x, Spec.Bins): array<struct<x, y: double>>
	CountMinSketch   // count_min_sketch(x, eps, confidence, seed): Spec.Percentages = {eps, confidence}, Spec.Accuracy = seed
)

var funcNames = [...]string{"count", "count_star", "sum", "avg", "min", "max",
	"stddev_samp", "stddev_pop", "var_samp", "var_pop", "first", "last", "bool_and", "bool_or",
	"count_if", "any_value", "corr", "covar_samp", "covar_pop", "max_by", "min_by", "approx_count_distinct",
	"collect_list", "collect_set", "percentile_approx", "percentile_approx", "percentile", "percentile", "median",
	"bit_and", "bit_or", "bit_xor", "mode", "listagg", "listagg", "percentile_disc", "skewness", "kurtosis",
	"regr_sxx", "regr_syy", "regr_sxy", "regr_slope", "regr_intercept", "regr_r2", "histogram_numeric", "count_min_sketch"}

// TwoInputs reports whether f reads a second column, Spec.Input2.
func (f Func) TwoInputs() bool {
	switch f {
	case Corr, CovarSamp, CovarPop, MaxBy, MinBy, ListAggOrdered, RegrSXX, RegrSYY, RegrSXY, RegrSlope, RegrIntercept, RegrR2:
		return true
	}
	return false
}

// String returns the function's lower-case name.
func (f Func) String() string {
	if n, ok := sketchFuncNames[f]; ok {
		return n
	}
	if f < 0 || int(f) >= len(funcNames) {
		return fmt.Sprintf("Func(%d)", int(f))
	}
	return funcNames[f]
}

// Spec is one aggregate: a function of an input column (and of Input2 for
// functions whose TwoInputs is true), named Name in the output.
type Spec struct {
	Func   Func
	Input  int    // column index in the child's schema
	Name   string // result column name
	Input2 int    // second argument's column index (corr, covar_*, max_by/min_by ordering)
	// IgnoreNulls makes first, last and any_value skip null values.
	IgnoreNulls bool
	// Percentages are the literal percentages of percentile_approx and
	// percentile (one for the scalar forms), each in [0, 1].
	Percentages []float64
	// Accuracy is percentile_approx's accuracy (0: the default, 10000).
	Accuracy int64
	// Desc reverses the WITHIN GROUP order: mode's ties go to the largest
	// value, the percentiles count from the largest, listagg sorts its keys
	// descending. NullsFirst puts listagg's null keys first.
	Desc, NullsFirst bool
	// Delimiter separates listagg's values.
	Delimiter string
	// Bins is histogram_numeric's number of bins.
	Bins int64
	// KeyDesc and KeyNullsFirst are the directions of the fields of
	// listagg's struct key when it orders by several keys.
	KeyDesc, KeyNullsFirst []bool
}

// dictOK reports whether f accepts a dictionary-encoded string input.
func dictOK(f Func) bool {
	switch f {
	case Min, Max, Count, First, Last, AnyValue, MaxBy, MinBy, ApproxCountDistinct, CollectList, CollectSet, Mode, ListAgg, ListAggOrdered, CountMinSketch, HLLSketchAgg:
		return true
	}
	return false
}

func decimalType(p, s int32) arrow.DataType {
	if p <= 18 {
		return &arrow.Decimal64Type{Precision: p, Scale: s}
	}
	return &arrow.Decimal128Type{Precision: p, Scale: s}
}

func valueType(in arrow.DataType) arrow.DataType {
	if d, ok := in.(*arrow.DictionaryType); ok {
		return d.ValueType
	}
	return in
}

// ResultType returns Spark's result type of f over an input of type in:
// count → int64; sum: ints → int64, floats → float64, decimal(p,s) →
// decimal(min(38,p+10),s); avg: ints/floats → float64, decimal(p,s) →
// decimal(min(38,p+4),min(38,s+4)); min/max → the input type. Decimal results
// are decimal64 up to precision 18, decimal128 above. The statistical
// functions (stddev_*, var_*, corr, covar_*) take and return float64;
// first/last/any_value/max_by/min_by return the input type; bool_and/bool_or
// take and return bool; count_if takes bool and returns int64;
// approx_count_distinct returns int64; collect_list/collect_set return an
// array of the input type, percentile_approx the input type (its array form
// an array of it), percentile and median double (array form array<double>).
// For two-input functions this checks only the first input: use ResultType2.
func ResultType(f Func, in arrow.DataType) (arrow.DataType, error) {
	switch f {
	case Count, CountStar:
		return arrow.PrimitiveTypes.Int64, nil
	}
	in = valueType(in)
	if in == nil {
		return nil, fmt.Errorf("%s: missing input type", f)
	}
	if isCollect(f) {
		return collectResultType(f, in)
	}
	if t, ok, err := extResultType(f, in); ok {
		return t, err
	}
	switch f {
	case Sum, Avg:
		switch in.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
			if f == Sum {
				return arrow.PrimitiveTypes.Int64, nil
			}
			return arrow.PrimitiveTypes.Float64, nil
		case arrow.FLOAT32, arrow.FLOAT64:
			return arrow.PrimitiveTypes.Float64, nil
		case arrow.DECIMAL64, arrow.DECIMAL128:
			p, s := kernels.DecimalParams(in)
			if f == Sum {
				return decimalType(min(38, p+10), s), nil
			}
			return decimalType(min(38, p+4), min(38, s+4)), nil
		}
	case Min, Max, First, Last, AnyValue, MaxBy, MinBy, ApproxCountDistinct:
		switch in.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
			arrow.DECIMAL64, arrow.DECIMAL128, arrow.STRING, arrow.BINARY, arrow.DATE32, arrow.TIMESTAMP, arrow.BOOL:
			if f == ApproxCountDistinct {
				return arrow.PrimitiveTypes.Int64, nil
			}
			return in, nil
		}
	case StddevSamp, StddevPop, VarSamp, VarPop, Corr, CovarSamp, CovarPop:
		if in.ID() == arrow.FLOAT64 {
			return in, nil
		}
		return nil, fmt.Errorf("%s of %s is not supported: the input must be cast to double", f, in)
	case BitAnd, BitOr, BitXor:
		switch in.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
			return in, nil
		}
	case BoolAnd, BoolOr, CountIf:
		if in.ID() == arrow.BOOL {
			if f == CountIf {
				return arrow.PrimitiveTypes.Int64, nil
			}
			return in, nil
		}
	default:
		return nil, fmt.Errorf("unknown aggregate function %d", int(f))
	}
	return nil, fmt.Errorf("%s of %s is not supported", f, in)
}

// ResultType2 returns the result type of f over inputs of types in and in2
// (Spec.Input and Spec.Input2). corr and covar_* need two float64 inputs;
// max_by/min_by return in and order by in2, which may be any type the
// engine has except a dictionary (NaN orders above every number, true above
// false).
// For one-input functions in2 is ignored and this is ResultType(f, in).
func ResultType2(f Func, in, in2 arrow.DataType) (arrow.DataType, error) {
	rt, err := ResultType(f, in)
	if err != nil || !f.TwoInputs() {
		return rt, err
	}
	if in2 == nil {
		return nil, fmt.Errorf("%s: missing second input type", f)
	}
	switch f {
	case ListAggOrdered:
		if !orderKeyType(in2) {
			return nil, fmt.Errorf("%s: ordering by %s is not supported", f, in2)
		}
	case Corr, CovarSamp, CovarPop, RegrSXX, RegrSYY, RegrSXY, RegrSlope, RegrIntercept, RegrR2:
		if in2.ID() != arrow.FLOAT64 {
			return nil, fmt.Errorf("%s of (%s, %s) is not supported: the inputs must be cast to double", f, in, in2)
		}
	default:
		if _, err := newOrdStore(in2); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return rt, nil
}

// stateFields returns the partial state columns of spec over input types in
// and in2 (the second input, nil for one-input functions).
func stateFields(sp Spec, in, in2 arrow.DataType) ([]arrow.Field, error) {
	rt, err := ResultType2(sp.Func, in, in2)
	if err != nil {
		return nil, err
	}
	f64 := arrow.PrimitiveTypes.Float64
	fields := func(ts []arrow.DataType, names ...string) []arrow.Field {
		out := make([]arrow.Field, len(names))
		for i, n := range names {
			out[i] = arrow.Field{Name: sp.Name + "$" + n, Type: ts[i], Nullable: true}
		}
		return out
	}
	if isCollect(sp.Func) {
		return collectStateFields(sp, in)
	}
	if sf, ok := extStateFields(sp, fields); ok {
		return sf, nil
	}
	switch sp.Func {
	case Count, CountStar, CountIf:
		return []arrow.Field{{Name: sp.Name + "$count", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil
	case StddevSamp, StddevPop, VarSamp, VarPop:
		return fields([]arrow.DataType{f64, f64, f64}, "n", "avg", "m2"), nil
	case CovarSamp, CovarPop:
		return fields([]arrow.DataType{f64, f64, f64, f64}, "n", "xavg", "yavg", "ck"), nil
	case Corr:
		return fields([]arrow.DataType{f64, f64, f64, f64, f64, f64}, "n", "xavg", "yavg", "ck", "xm2", "ym2"), nil
	case First, Last, AnyValue:
		return fields([]arrow.DataType{rt, arrow.PrimitiveTypes.Int64}, "value", "seq"), nil
	case MaxBy, MinBy:
		return fields([]arrow.DataType{rt, valueType(in2), arrow.PrimitiveTypes.Int64}, "value", "ord", "seq"), nil
	case ApproxCountDistinct:
		return fields([]arrow.DataType{hllStateType()}, "hll"), nil
	case Avg:
		st := rt
		if p, s := kernels.DecimalParams(valueType(in)); p > 0 {
			st = decimalType(min(38, p+10), s)
		}
		return []arrow.Field{
			{Name: sp.Name + "$sum", Type: st, Nullable: true},
			{Name: sp.Name + "$count", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		}, nil
	}
	return []arrow.Field{{Name: sp.Name + "$" + sp.Func.String(), Type: rt, Nullable: true}}, nil
}

// newAccumulator returns the state of sp over input types in and in2;
// merge selects final mode (inputs are partial states).
func newAccumulator(sp Spec, in, in2 arrow.DataType, merge bool) (accumulator, error) {
	rt, err := ResultType2(sp.Func, in, in2)
	if err != nil {
		return nil, err
	}
	if isCollect(sp.Func) {
		return newCollectAcc(sp, in, merge)
	}
	if a, ok, err := newExtAccumulator(sp, in, merge); ok {
		return a, err
	}
	isMax := sp.Func == Max || sp.Func == BoolOr
	switch sp.Func {
	case CountIf:
		if merge {
			return &countAcc{merge: true}, nil
		}
		return &countIfAcc{}, nil
	case StddevSamp, StddevPop, VarSamp, VarPop, Corr, CovarSamp, CovarPop:
		return &momentsAcc{f: sp.Func, merge: merge, two: sp.Func.TwoInputs(), corr: sp.Func == Corr}, nil
	case First, Last, AnyValue, MaxBy, MinBy:
		a := &pickAcc{f: sp.Func, merge: merge, ignoreNulls: sp.IgnoreNulls}
		if a.vals, err = newValueStore(rt); err != nil {
			return nil, err
		}
		if sp.Func == MaxBy || sp.Func == MinBy {
			if a.ord, err = newOrdStore(valueType(in2)); err != nil {
				return nil, err
			}
		}
		return a, nil
	case ApproxCountDistinct:
		return &hllAcc{merge: merge}, nil
	case BitAnd, BitOr, BitXor:
		return newBitAcc(sp.Func, rt)
	case Count:
		return &countAcc{merge: merge}, nil
	case CountStar:
		return &countAcc{star: !merge, merge: merge}, nil
	case Sum:
		switch rt.ID() {
		case arrow.INT64:
			return &sumIntAcc{}, nil
		case arrow.FLOAT64:
			return &sumFloatAcc{}, nil
		default:
			p, _ := kernels.DecimalParams(rt)
			return &sumDecAcc{dt: rt, prec: p}, nil
		}
	case Avg:
		a := &avgAcc{merge: merge, res: rt, cnt: countAcc{merge: merge}}
		if p, s := kernels.DecimalParams(valueType(in)); p > 0 {
			st := decimalType(min(38, p+10), s)
			a.dsum = &sumDecAcc{dt: st, prec: min(38, p+10)}
		} else {
			a.fsum = &sumFloatAcc{}
		}
		return a, nil
	}
	switch rt.ID() {
	case arrow.INT8:
		return newMinMaxInt[int8](isMax, rt, math.MinInt8, math.MaxInt8), nil
	case arrow.INT16:
		return newMinMaxInt[int16](isMax, rt, math.MinInt16, math.MaxInt16), nil
	case arrow.INT32, arrow.DATE32:
		return newMinMaxInt[int32](isMax, rt, math.MinInt32, math.MaxInt32), nil
	case arrow.INT64, arrow.TIMESTAMP, arrow.DECIMAL64:
		return newMinMaxInt[int64](isMax, rt, math.MinInt64, math.MaxInt64), nil
	case arrow.FLOAT32:
		return &minMaxNum[float32]{isMax: isMax, dt: rt}, nil
	case arrow.FLOAT64:
		return &minMaxNum[float64]{isMax: isMax, dt: rt}, nil
	case arrow.DECIMAL128:
		return &minMaxDec128{isMax: isMax, dt: rt}, nil
	case arrow.BOOL:
		return &minMaxBool{isMax: isMax}, nil
	case arrow.STRING:
		return &minMaxString{isMax: isMax}, nil
	case arrow.BINARY:
		return &minMaxString{isMax: isMax, binary: true}, nil
	}
	return nil, fmt.Errorf("%s of %s is not supported", sp.Func, in)
}

// op is a partial or final hash aggregation.
type op struct {
	env      *exec.Env
	child    exec.Operator
	final    bool
	groups   []int // key column indexes in the child
	aggs     []Spec
	inTypes  []arrow.DataType // original input types
	inTypes2 []arrow.DataType // original second input types (nil for one-input functions)
	argCols  [][]int          // per spec, the child columns it reads
	keyTypes []arrow.DataType
	schema   *arrow.Schema
	// canPass: a partial aggregation without aggregates (a DISTINCT) whose
	// keys it outputs as read may hand its input rows on unaggregated.
	canPass bool
	spilled exec.SpillStats // what spilling final aggregations wrote
	// aheadRows, when set, replaces readAheadRows (tests).
	aheadRows int
}

// NewPartial aggregates each child partition on its own (same number of
// partitions as child). Output: the group columns (dictionary keys become
// strings) followed by the partial state columns of every spec ("<Name>$sum",
// "<Name>$count", "<Name>$min", ...). The other functions' states, all
// nullable: stddev_*/var_*: $n, $avg, $m2 (float64); covar_*: $n, $xavg,
// $yavg, $ck; corr: those and $xm2, $ym2; first/last/any_value: $value (the
// result type) and $seq (int64: partition index << 40 + row position, null
// while the group has no value); max_by/min_by: $value, $ord (the ordering
// type), $seq; bool_and/bool_or: $bool_and/$bool_or; count_if: $count;
// approx_count_distinct: $hll (fixed_size_binary[512], one byte per
// HyperLogLog register); collect_list, collect_set and the percentiles:
// $list (the group's non-null values, as an array). The sequence numbers
// make first, last and the ties of max_by/min_by deterministic: rows count
// in partition order, then row order, whatever order the exchange delivers
// the states in.
func NewPartial(env *exec.Env, child exec.Operator, groupCols []int, aggs []Spec) (exec.Operator, error) {
	cs := child.Schema()
	o := &op{env: env, child: child, groups: append([]int(nil), groupCols...), aggs: append([]Spec(nil), aggs...)}
	var fields []arrow.Field
	for _, g := range groupCols {
		if g < 0 || g >= cs.NumFields() {
			return nil, fmt.Errorf("partial aggregate: group column %d out of range (%d columns)", g, cs.NumFields())
		}
		f := cs.Field(g)
		if _, err := newKeyCol(f.Type); err != nil {
			return nil, fmt.Errorf("partial aggregate: group column %q: %w", f.Name, err)
		}
		f.Type = valueType(f.Type)
		f.Nullable = true
		o.keyTypes = append(o.keyTypes, cs.Field(g).Type)
		fields = append(fields, f)
	}
	for _, sp := range aggs {
		in := arrow.DataType(arrow.PrimitiveTypes.Int64)
		var in2 arrow.DataType
		var cols []int
		if sp.Func != CountStar {
			if sp.Input < 0 || sp.Input >= cs.NumFields() {
				return nil, fmt.Errorf("partial aggregate %s: input column %d out of range (%d columns)", sp.Name, sp.Input, cs.NumFields())
			}
			in = cs.Field(sp.Input).Type
			cols = []int{sp.Input}
		}
		if sp.Func.TwoInputs() {
			if sp.Input2 < 0 || sp.Input2 >= cs.NumFields() {
				return nil, fmt.Errorf("partial aggregate %s: second input column %d out of range (%d columns)", sp.Name, sp.Input2, cs.NumFields())
			}
			in2 = cs.Field(sp.Input2).Type
			if _, isDict := in2.(*arrow.DictionaryType); isDict {
				return nil, fmt.Errorf("partial aggregate %s: %s with a dictionary second input is not supported", sp.Name, sp.Func)
			}
			cols = append(cols, sp.Input2)
		}
		sf, err := stateFields(sp, in, in2)
		if err != nil {
			return nil, fmt.Errorf("partial aggregate %s: %w", sp.Name, err)
		}
		if _, isDict := in.(*arrow.DictionaryType); isDict && !dictOK(sp.Func) {
			return nil, fmt.Errorf("partial aggregate %s: %s over a dictionary column is not supported", sp.Name, sp.Func)
		}
		o.inTypes = append(o.inTypes, in)
		o.inTypes2 = append(o.inTypes2, in2)
		o.argCols = append(o.argCols, cols)
		fields = append(fields, sf...)
	}
	o.schema = arrow.NewSchema(fields, nil)
	o.canPass = len(aggs) == 0 && len(groupCols) > 0
	for _, t := range o.keyTypes {
		switch t.ID() {
		case arrow.DICTIONARY, arrow.FLOAT32, arrow.FLOAT64:
			// Not output as read: decoded, or normalized (-0.0, NaN).
			o.canPass = false
		}
	}
	return o, nil
}

// NewFinal merges partial states produced by NewPartial (possibly behind an
// exchange that put equal keys in one partition). The first numGroupCols child
// columns are the keys; inputTypes[i] is the type of aggs[i]'s original input
// column (int64 for CountStar). The second input type of a two-input function
// is float64 for corr/covar_* and, for max_by/min_by, the type of the child's
// "<Name>$ord" state column. Output: group columns then one column per spec
// named Spec.Name with type ResultType. With no group columns and a single
// partition it always emits exactly one row.
func NewFinal(env *exec.Env, child exec.Operator, numGroupCols int, aggs []Spec, inputTypes []arrow.DataType) (exec.Operator, error) {
	cs := child.Schema()
	if len(inputTypes) != len(aggs) {
		return nil, fmt.Errorf("final aggregate: %d input types for %d aggregates", len(inputTypes), len(aggs))
	}
	if numGroupCols < 0 || numGroupCols > cs.NumFields() {
		return nil, fmt.Errorf("final aggregate: %d group columns, child has %d columns", numGroupCols, cs.NumFields())
	}
	o := &op{env: env, child: child, final: true, aggs: append([]Spec(nil), aggs...), inTypes: append([]arrow.DataType(nil), inputTypes...)}
	var fields []arrow.Field
	for g := 0; g < numGroupCols; g++ {
		f := cs.Field(g)
		if _, err := newKeyCol(f.Type); err != nil {
			return nil, fmt.Errorf("final aggregate: group column %q: %w", f.Name, err)
		}
		o.groups = append(o.groups, g)
		o.keyTypes = append(o.keyTypes, f.Type)
		f.Type = valueType(f.Type)
		f.Nullable = true
		fields = append(fields, f)
	}
	col := numGroupCols
	for i, sp := range aggs {
		var in2 arrow.DataType
		switch sp.Func {
		case Corr, CovarSamp, CovarPop, RegrSXX, RegrSYY, RegrSXY, RegrSlope, RegrIntercept, RegrR2:
			in2 = arrow.PrimitiveTypes.Float64
		case ListAggOrdered:
			in2 = arrow.BinaryTypes.Binary // the state holds encoded keys
		case MaxBy, MinBy:
			if col+1 < cs.NumFields() {
				in2 = cs.Field(col + 1).Type
			}
		}
		o.inTypes2 = append(o.inTypes2, in2)
		sf, err := stateFields(sp, inputTypes[i], in2)
		if err != nil {
			return nil, fmt.Errorf("final aggregate %s: %w", sp.Name, err)
		}
		var cols []int
		for _, f := range sf {
			if col >= cs.NumFields() {
				return nil, fmt.Errorf("final aggregate %s: child has too few state columns (%d)", sp.Name, cs.NumFields())
			}
			if got := cs.Field(col).Type; !arrow.TypeEqual(got, f.Type) {
				return nil, fmt.Errorf("final aggregate %s: state column %q has type %s, expected %s", sp.Name, cs.Field(col).Name, got, f.Type)
			}
			cols = append(cols, col)
			col++
		}
		rt, _ := ResultType2(sp.Func, inputTypes[i], in2)
		o.argCols = append(o.argCols, cols)
		fields = append(fields, arrow.Field{Name: sp.Name, Type: rt, Nullable: true})
	}
	if col != cs.NumFields() {
		return nil, fmt.Errorf("final aggregate: child has %d columns, expected %d", cs.NumFields(), col)
	}
	o.schema = arrow.NewSchema(fields, nil)
	return o, nil
}

// Schema implements exec.Operator.
func (o *op) Schema() *arrow.Schema { return o.schema }

// Partitions implements exec.Operator.
func (o *op) Partitions() int { return o.child.Partitions() }

// Children implements exec.Operator.
func (o *op) Children() []exec.Operator { return []exec.Operator{o.child} }

// String implements exec.Operator.
func (o *op) String() string {
	kind := "PartialAggregate"
	if o.final {
		kind = "FinalAggregate"
	}
	specs := make([]string, len(o.aggs))
	for i, sp := range o.aggs {
		switch {
		case sp.Func == CountStar:
			specs[i] = fmt.Sprintf("count(*) AS %s", sp.Name)
		case sp.Func.TwoInputs():
			specs[i] = fmt.Sprintf("%s(#%d, #%d) AS %s", sp.Func, sp.Input, sp.Input2, sp.Name)
		case sp.IgnoreNulls:
			specs[i] = fmt.Sprintf("%s(#%d) IGNORE NULLS AS %s", sp.Func, sp.Input, sp.Name)
		default:
			specs[i] = fmt.Sprintf("%s(#%d) AS %s", sp.Func, sp.Input, sp.Name)
		}
	}
	return fmt.Sprintf("%s(keys=%v, aggs=[%s])", kind, o.groups, strings.Join(specs, ", "))
}

// Execute implements exec.Operator.
func (o *op) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if err := exec.CheckPartition(o, p); err != nil {
		return nil, err
	}
	s := &aggStream{o: o, ctx: ctx, part: p, held: exec.NewHeld(o.env.Budget)}
	if err := s.reset(); err != nil {
		return nil, err
	}
	in, err := exec.Open(ctx, o.child, p)
	if err != nil {
		return nil, err
	}
	s.in = in
	return s, nil
}

// reset gives the stream an empty table and fresh accumulators.
func (s *aggStream) reset() error { return s.resetWith(nil) }

// resetWith is reset with t, emptied, as the table when t is not nil.
func (s *aggStream) resetWith(t *table) error {
	o := s.o
	if t != nil {
		t.empty()
	} else {
		var err error
		if t, err = newTable(o.keyTypes); err != nil {
			return fmt.Errorf("%s: %w", o, err)
		}
	}
	t.ctx = s.ctx
	var err error
	accs := make([]accumulator, len(o.aggs))
	rows := &batchRows{}
	for i, sp := range o.aggs {
		if accs[i], err = newAccumulator(sp, o.inTypes[i], o.inTypes2[i], o.final); err != nil {
			return fmt.Errorf("%s: %s: %w", o, sp.Name, err)
		}
		if a, ok := accs[i].(interface{ setPartition(int) }); ok {
			a.setPartition(s.part)
		}
		if a, ok := accs[i].(interface{ setRows(*batchRows) }); ok {
			a.setRows(rows)
		}
	}
	s.t, s.accs, s.rows = t, accs, rows
	return nil
}

type aggStream struct {
	o     *op
	ctx   context.Context
	part  int
	in    exec.Stream
	t     *table
	accs  []accumulator
	rows  *batchRows
	built bool
	next  int
	ngrp  int
	// Spilling (final aggregation only, see spill.go).
	noSpill bool
	sp      *aggSpill
	// held counts the table and accumulators in the query's budget; the
	// last walk of them (estimate) found sizedBytes at sizedGroups groups,
	// sinceSized batches ago.
	held        exec.Held
	sizedBytes  int64
	sizedGroups int
	sinceSized  int
	// A partial aggregation under memory pressure, or whose table stopped
	// reducing its input (table.unreducing), hands on the groups it has
	// (partial states merge downstream) and starts over: flushing is set
	// while it does, inputDone once its input has ended.
	flushing  bool
	inputDone bool
	// presized is the number of groups readAhead sized the table for, 0
	// when it did not.
	presized int
	// passing: a partial DISTINCT whose table found almost no key twice
	// (table.distinctKeys) hands on the key columns of the rest of its
	// input as they are, once the groups it has are out.
	passing bool
}

// minFlushGroups is the fewest groups a partial aggregation hands on early
// under memory pressure: fewer would cost more in batches than they free.
const minFlushGroups = 4096

func (s *aggStream) build() error {
	o := s.o
	keys := make([]arrow.Array, len(o.groups))
	args := make([]arrow.Array, 0, 2)
	var pending []arrow.RecordBatch // read ahead, not yet aggregated
	ended := false                  // the read-ahead reached the input's end
	if o.final && len(o.groups) > 0 && s.sp == nil && s.t.groups() == 0 {
		var err error
		if pending, ended, err = s.readAhead(); err != nil {
			return fmt.Errorf("%s: %w", o, err)
		}
	}
	defer func() {
		for _, b := range pending {
			b.Release()
		}
	}()
	for {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		var b arrow.RecordBatch
		var err error
		switch {
		case len(pending) > 0:
			b, pending = pending[0], pending[1:]
		case ended:
			err = io.EOF
		default:
			b, err = s.in.Next()
		}
		if errors.Is(err, io.EOF) {
			s.inputDone = true
			break
		}
		if err != nil {
			return err
		}
		if s.sp != nil {
			err = s.sp.route(b)
		} else {
			err = s.consume(b, keys, args)
			s.held.Set(s.estimate())
		}
		b.Release()
		if err != nil {
			return fmt.Errorf("%s: %w", o, err)
		}
		if err := s.maybeSpill(); err != nil {
			return fmt.Errorf("%s: %w", o, err)
		}
		if !o.final && len(o.groups) > 0 && (s.t.unreducing() || s.t.groups() >= minFlushGroups && o.env.ShouldSpill()) {
			s.flushing = true
			break
		}
		if o.canPass && s.t.distinctKeys() {
			s.flushing, s.passing = true, true
			break
		}
	}
	if s.sp != nil {
		return s.sp.finish()
	}
	s.ngrp = s.t.groups()
	if o.final && len(o.groups) == 0 && o.Partitions() == 1 && s.ngrp == 0 {
		s.ngrp = 1
		for _, a := range s.accs {
			a.grow(1)
		}
	}
	return nil
}

func (s *aggStream) consume(b arrow.RecordBatch, keys, args []arrow.Array) error {
	n := int(b.NumRows())
	if n == 0 {
		return nil
	}
	for k, g := range s.o.groups {
		keys[k] = b.Column(g)
	}
	gids, err := s.t.lookup(keys, n)
	if err != nil {
		return err
	}
	ng := s.t.groups()
	s.rows.reset(gids, ng)
	for i, a := range s.accs {
		a.grow(ng)
		args = args[:0]
		for _, c := range s.o.argCols[i] {
			args = append(args, b.Column(c))
		}
		if err := a.update(gids, args); err != nil {
			return fmt.Errorf("%s: %w", s.o.aggs[i].Name, err)
		}
	}
	return nil
}

func (s *aggStream) Next() (arrow.RecordBatch, error) {
	if s.in == nil {
		return nil, io.EOF
	}
	if !s.built {
		s.built = true
		if err := s.build(); err != nil {
			return nil, err
		}
	}
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	if s.sp != nil {
		return s.sp.next()
	}
	if s.next >= s.ngrp && s.passing && !s.inputDone {
		return s.pass()
	}
	if s.next >= s.ngrp {
		if !s.flushing || s.inputDone {
			s.held.Set(0)
			return nil, io.EOF
		}
		// The flushed groups are all out: start over on the rest of the
		// input, in the same table when it was flushed for not reducing
		// (its next groups will be as many), unless memory is short: then
		// it is dropped.
		var keep *table
		if s.t.unreducing() && !s.o.env.ShouldSpill() {
			keep = s.t
		}
		if err := s.resetWith(keep); err != nil {
			return nil, err
		}
		s.held.Set(0)
		s.flushing, s.next, s.ngrp = false, 0, 0
		if err := s.build(); err != nil {
			return nil, err
		}
		return s.Next()
	}
	size := s.o.env.BatchSize
	if size <= 0 {
		size = exec.DefaultBatchSize
	}
	lo, hi := s.next, min(s.next+size, s.ngrp)
	s.next = hi
	return s.emit(lo, hi, s.o.final)
}

// pass returns the key columns of the next non-empty input batch, as a
// batch of partial output; io.EOF at the end of the input. The table is
// dropped first.
func (s *aggStream) pass() (arrow.RecordBatch, error) {
	if s.t.groups() > 0 {
		if err := s.reset(); err != nil {
			return nil, err
		}
		s.held.Set(0)
	}
	for {
		if err := s.ctx.Err(); err != nil {
			return nil, err
		}
		b, err := s.in.Next()
		if errors.Is(err, io.EOF) {
			s.inputDone = true
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		n := b.NumRows()
		if n == 0 {
			b.Release()
			continue
		}
		cols := make([]arrow.Array, len(s.o.groups))
		for k, g := range s.o.groups {
			cols[k] = b.Column(g)
		}
		out := array.NewRecordBatch(s.o.schema, cols, n)
		b.Release()
		return out, nil
	}
}

// emit builds the output batch of groups [lo, hi): results when final is
// set, partial states (the input layout of a final aggregation) otherwise.
func (s *aggStream) emit(lo, hi int, final bool) (arrow.RecordBatch, error) {
	mem := s.o.env.Mem
	cols := make([]arrow.Array, 0, s.o.schema.NumFields())
	release := func() {
		for _, c := range cols {
			c.Release()
		}
	}
	for _, c := range s.t.cols {
		cols = append(cols, c.array(mem, lo, hi))
	}
	for i, a := range s.accs {
		if final {
			r, err := a.result(mem, lo, hi)
			if err != nil {
				release()
				return nil, fmt.Errorf("%s: %s: %w", s.o, s.o.aggs[i].Name, err)
			}
			cols = append(cols, r)
			continue
		}
		st, err := a.state(mem, lo, hi)
		if err != nil {
			release()
			return nil, fmt.Errorf("%s: %s: %w", s.o, s.o.aggs[i].Name, err)
		}
		cols = append(cols, st...)
	}
	defer release()
	schema := s.o.schema
	if s.o.final && !final {
		schema = s.o.child.Schema() // a final aggregation's states, as it reads them
	}
	return arrayRecord(schema, cols, hi-lo), nil
}

func (s *aggStream) Close() error {
	if s.in == nil {
		return nil
	}
	err := s.in.Close()
	s.in = nil
	s.t, s.accs = nil, nil
	s.held.Set(0)
	if s.sp != nil {
		s.sp.close()
		s.sp = nil
	}
	return err
}
