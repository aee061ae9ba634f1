package arrayfn

import (
	"fmt"
	"regexp"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// MapConcat is map_concat(m1, ...): the entries of every map in order; a
// key in two maps is an error (Spark's default
// spark.sql.mapKeyDedupPolicy=EXCEPTION). Null when any map is null.
func MapConcat(typ *arrow.MapType, args ...expr.Expr) (expr.Expr, error) {
	if err := checkArgs("map_concat", args...); err != nil {
		return nil, err
	}
	for _, x := range args {
		if t := x.DataType(); !arrow.TypeEqual(t, typ) && t.ID() != arrow.NULL {
			return nil, fmt.Errorf("map_concat: argument %s has type %s, expected %s", x, t, typ)
		}
	}
	return &fn{name: "map_concat", args: args, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		views := make([]listView, len(a))
		var keys, vals []arrow.Array
		for k, x := range a {
			v, err := viewList(x)
			if err != nil {
				return nil, err
			}
			if v.null {
				return array.MakeArrayOfNull(mem, typ, n), nil
			}
			kk, vv, err := mapEntries(v)
			if err != nil {
				return nil, err
			}
			views[k] = v
			keys, vals = append(keys, kk), append(vals, vv)
		}
		if len(a) == 0 {
			offs := make([]int32, n+1)
			k := array.MakeArrayOfNull(mem, typ.KeyType(), 0)
			defer k.Release()
			v := array.MakeArrayOfNull(mem, typ.ItemType(), 0)
			defer v.Release()
			return newMap(mem, typ, offs, nil, k, v), nil
		}
		allKeys, bases, err := concatWith(mem, typ.KeyType(), keys...)
		if err != nil {
			return nil, err
		}
		defer allKeys.Release()
		allVals, _, err := concatWith(mem, typ.ItemType(), vals...)
		if err != nil {
			return nil, err
		}
		defer allVals.Release()
		idx := []int32{}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			valid[i] = true
			for k := range views {
				valid[i] = valid[i] && views[k].valid(i)
			}
			if valid[i] {
				for k := range views {
					lo, hi := views[k].bounds(i)
					for j := lo; j < hi; j++ {
						idx = append(idx, bases[k]+j)
					}
				}
			}
			offs[i+1] = int32(len(idx))
		}
		return buildCheckedMap(mem, typ, offs, valid, allKeys, allVals, idx)
	}}, nil
}

// buildCheckedMap builds a map of the keys and values at idx, rejecting a
// null key and a key repeated within a row.
func buildCheckedMap(mem memory.Allocator, typ *arrow.MapType, offs []int32, valid []bool, keys, vals arrow.Array, idx []int32) (arrow.Array, error) {
	k, err := gather(mem, keys, idx)
	if err != nil {
		return nil, err
	}
	defer k.Release()
	if err := checkRowKeys(k, offs); err != nil {
		return nil, err
	}
	v, err := gather(mem, vals, idx)
	if err != nil {
		return nil, err
	}
	defer v.Release()
	return newMap(mem, typ, offs, valid, k, v), nil
}

// MapFromEntries is map_from_entries(array<struct<k, v>>): a map of the
// entries' first fields to their second; null when the array or an entry
// is null; a null or repeated key is an error.
func MapFromEntries(arr expr.Expr) (expr.Expr, error) {
	if err := checkArgs("map_from_entries", arr); err != nil {
		return nil, err
	}
	elem, err := listElem("map_from_entries", arr.DataType())
	if err != nil {
		return nil, err
	}
	st, ok := elem.(*arrow.StructType)
	if !ok || st.NumFields() != 2 {
		return nil, fmt.Errorf("map_from_entries: argument type %s is not an array of two-field structs", arr.DataType())
	}
	typ := arrow.MapOf(st.Field(0).Type, st.Field(1).Type)
	return &fn{name: "map_from_entries", args: []expr.Expr{arr}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		s := v.child.(*array.Struct)
		idx := []int32{}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			if v.valid(i) {
				valid[i] = true
				lo, hi := v.bounds(i)
				start := len(idx)
				for j := lo; j < hi; j++ {
					if s.IsNull(int(j)) {
						valid[i] = false
						idx = idx[:start]
						break
					}
					idx = append(idx, j)
				}
			}
			offs[i+1] = int32(len(idx))
		}
		return buildCheckedMap(mem, typ, offs, valid, s.Field(0), s.Field(1), idx)
	}}, nil
}

// MapFromArrays is map_from_arrays(keys, values): a map pairing the arrays'
// elements; arrays of different lengths and a null or repeated key are
// errors. Null when either array is null.
func MapFromArrays(keys, values expr.Expr) (expr.Expr, error) {
	if err := checkArgs("map_from_arrays", keys, values); err != nil {
		return nil, err
	}
	kt, err := listElem("map_from_arrays", keys.DataType())
	if err != nil {
		return nil, err
	}
	vt, err := listElem("map_from_arrays", values.DataType())
	if err != nil {
		return nil, err
	}
	typ := arrow.MapOf(kt, vt)
	return &fn{name: "map_from_arrays", args: []expr.Expr{keys, values}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		kv, vv, err := viewLists(a[0], a[1])
		if err != nil {
			return nil, err
		}
		if kv.null || vv.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		ki, vi := []int32{}, []int32{}
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			if kv.valid(i) && vv.valid(i) {
				valid[i] = true
				klo, khi := kv.bounds(i)
				vlo, vhi := vv.bounds(i)
				if khi-klo != vhi-vlo {
					return nil, fmt.Errorf("the key array and the value array of map_from_arrays should have the same length, got %d and %d", khi-klo, vhi-vlo)
				}
				for j := int32(0); j < khi-klo; j++ {
					ki, vi = append(ki, klo+j), append(vi, vlo+j)
				}
			}
			offs[i+1] = int32(len(ki))
		}
		k, err := gather(mem, kv.child, ki)
		if err != nil {
			return nil, err
		}
		defer k.Release()
		if err := checkRowKeys(k, offs); err != nil {
			return nil, err
		}
		v, err := gather(mem, vv.child, vi)
		if err != nil {
			return nil, err
		}
		defer v.Release()
		return newMap(mem, typ, offs, valid, k, v), nil
	}}, nil
}

// MapEntries is map_entries(map): the entries as an array of structs
// (key, value).
func MapEntries(m expr.Expr) (expr.Expr, error) {
	if err := checkArgs("map_entries", m); err != nil {
		return nil, err
	}
	mt, err := mapType("map_entries", m.DataType())
	if err != nil {
		return nil, err
	}
	st := arrow.StructOf(arrow.Field{Name: "key", Type: mt.KeyType()}, arrow.Field{Name: "value", Type: mt.ItemType(), Nullable: true})
	typ := arrow.ListOf(st)
	return &fn{name: "map_entries", args: []expr.Expr{m}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		e := listElements(v, n)
		keys, vals, err := mapEntries(v)
		if err != nil {
			return nil, err
		}
		k, err := gather(mem, keys, e.idx)
		if err != nil {
			return nil, err
		}
		defer k.Release()
		val, err := gather(mem, vals, e.idx)
		if err != nil {
			return nil, err
		}
		defer val.Release()
		sd := array.NewData(st, k.Len(), []*memory.Buffer{nil}, []arrow.ArrayData{k.Data(), val.Data()}, 0, 0)
		defer sd.Release()
		s := array.MakeFromData(sd)
		defer s.Release()
		return newList(mem, typ, e.offs, e.valid, s), nil
	}}, nil
}

// StrToMap is str_to_map(text, pairDelim, keyValueDelim): text split into
// pairs at pairDelim and each pair into key and value at the first
// keyValueDelim (both regular expressions, as in Spark); a pair without the
// delimiter has a null value. A repeated key is an error; a null text
// gives null.
func StrToMap(text expr.Expr, pairDelim, kvDelim string) (expr.Expr, error) {
	if err := checkArgs("str_to_map", text); err != nil {
		return nil, err
	}
	pairRe, err := regexp.Compile(pairDelim)
	if err != nil {
		return nil, fmt.Errorf("str_to_map: the pair delimiter %q is not a valid regular expression: %w", pairDelim, err)
	}
	kvRe, err := regexp.Compile(kvDelim)
	if err != nil {
		return nil, fmt.Errorf("str_to_map: the key-value delimiter %q is not a valid regular expression: %w", kvDelim, err)
	}
	typ := arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String)
	label := fmt.Sprintf("str_to_map(%s, %s, %s)", text, quote(pairDelim), quote(kvDelim))
	return &fn{name: "str_to_map", label: label, args: []expr.Expr{text}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		if a[0].DataType().ID() == arrow.NULL {
			return array.MakeArrayOfNull(mem, typ, n), nil
		}
		s, ok := a[0].(*array.String)
		if !ok {
			return nil, fmt.Errorf("input type %s is not a string", a[0].DataType())
		}
		kb := array.NewStringBuilder(mem)
		defer kb.Release()
		vb := array.NewStringBuilder(mem)
		defer vb.Release()
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		count := int32(0)
		for i := 0; i < n; i++ {
			if s.IsValid(i) {
				valid[i] = true
				for _, pair := range splitJavaLimit(pairRe, s.Value(i), -1) {
					kv := splitJavaLimit(kvRe, pair, 2)
					kb.Append(kv[0])
					if len(kv) > 1 {
						vb.Append(kv[1])
					} else {
						vb.AppendNull()
					}
					count++
				}
			}
			offs[i+1] = count
		}
		keys := kb.NewArray()
		defer keys.Release()
		if err := checkRowKeys(keys, offs); err != nil {
			return nil, err
		}
		vals := vb.NewArray()
		defer vals.Release()
		return newMap(mem, typ, offs, valid, keys, vals), nil
	}}, nil
}

// splitJavaLimit splits s at re into at most limit parts (limit < 0: no
// limit), as Java's String.split(regex, limit).
func splitJavaLimit(re *regexp.Regexp, s string, limit int) []string {
	ranges := splitJava(re, s, limit, nil)
	out := make([]string, len(ranges))
	for k, r := range ranges {
		out[k] = s[r[0]:r[1]]
	}
	return out
}

// Sequence is sequence(start, stop[, step]) over integers: start, start +
// step, ... up to stop (inclusive). The step defaults to 1, or -1 when stop
// is below start; a step that never reaches stop (or 0 with start ≠ stop)
// is an error, as in Spark. Null when an argument is null.
func Sequence(start, stop, step expr.Expr) (expr.Expr, error) {
	args := []expr.Expr{start, stop}
	if step != nil {
		args = append(args, step)
	}
	if err := checkArgs("sequence", args...); err != nil {
		return nil, err
	}
	et := valueType(start.DataType())
	switch et.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
	default:
		return nil, fmt.Errorf("sequence: elements of type %s are not supported", et)
	}
	typ := arrow.ListOf(et)
	return &fn{name: "sequence", args: args, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		var vals []int64
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			lo, ok1 := intAt(a[0], i)
			hi, ok2 := intAt(a[1], i)
			st, ok3 := int64(1), true
			if hi < lo {
				st = -1
			}
			if len(a) > 2 {
				st, ok3 = intAt(a[2], i)
			}
			if ok1 && ok2 && ok3 {
				valid[i] = true
				if !(st > 0 && lo <= hi || st < 0 && lo >= hi || st == 0 && lo == hi) {
					return nil, fmt.Errorf("illegal sequence boundaries: %d to %d by %d", lo, hi, st)
				}
				count := int64(1)
				if st != 0 {
					count = int64((uint64(hi-lo) / uint64(st)) + 1)
					if st < 0 {
						count = int64(uint64(lo-hi)/uint64(-st)) + 1
					}
				}
				if count > MaxArrayLength || int64(len(vals))+count > MaxArrayLength {
					return nil, fmt.Errorf("sequence: %w", ErrArrayTooLong)
				}
				for k := int64(0); k < count; k++ {
					vals = append(vals, lo+k*st)
				}
			}
			offs[i+1] = int32(len(vals))
		}
		child := intsOf(mem, et, vals)
		defer child.Release()
		return newList(mem, typ, offs, valid, child), nil
	}}, nil
}

// intsOf builds an integer array of type t from int64 values that fit it.
func intsOf(mem memory.Allocator, t arrow.DataType, vals []int64) arrow.Array {
	switch t.ID() {
	case arrow.INT8:
		return kernels.NewFixedArray(mem, t, convert[int8](vals), len(vals), nil)
	case arrow.INT16:
		return kernels.NewFixedArray(mem, t, convert[int16](vals), len(vals), nil)
	case arrow.INT32, arrow.DATE32:
		return kernels.NewFixedArray(mem, t, convert[int32](vals), len(vals), nil)
	}
	return kernels.NewFixedArray(mem, t, vals, len(vals), nil)
}

func convert[T int8 | int16 | int32](vals []int64) []T {
	out := make([]T, len(vals))
	for k, v := range vals {
		out[k] = T(v)
	}
	return out
}

// SequenceTime is sequence(start, stop, step) over dates (days since the
// epoch) or timestamps (microseconds since the epoch, UTC): start + k·step
// up to stop (inclusive), the step an interval of months and microseconds
// (months added first, clamping the day to the month's end as add_months
// does, each element from start). With oneDay the step is one day toward
// stop instead (Spark's default). A step whose sign does not lead to stop
// (or zero with start ≠ stop) is an error, as in Spark. Null when start or
// stop is null.
func SequenceTime(start, stop expr.Expr, months, micros int64, oneDay bool) (expr.Expr, error) {
	if err := checkArgs("sequence", start, stop); err != nil {
		return nil, err
	}
	et := valueType(start.DataType())
	isDate := et.ID() == arrow.DATE32
	if !isDate && et.ID() != arrow.TIMESTAMP {
		return nil, fmt.Errorf("sequence: elements of type %s are not dates or timestamps", et)
	}
	if isDate && micros%86400e6 != 0 {
		return nil, fmt.Errorf("sequence: the step of a sequence of dates must be whole days or months")
	}
	if months != 0 && micros != 0 && (months > 0) != (micros > 0) {
		return nil, fmt.Errorf("sequence: the step's months and days have different signs")
	}
	typ := arrow.ListOf(et)
	// at returns element k from the start value v (in days or micros).
	at := func(v, k, months, micros int64) int64 {
		if isDate {
			return addMonthsDays(v, k*months) + k*(micros/86400e6)
		}
		day, us := floorDiv(v, 86400e6)
		return addMonthsDays(day, k*months)*86400e6 + us + k*micros
	}
	return &fn{name: "sequence", args: []expr.Expr{start, stop}, typ: typ, eval: func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		var vals []int64
		offs := make([]int32, n+1)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			lo, ok1 := timeAt(a[0], i)
			hi, ok2 := timeAt(a[1], i)
			if ok1 && ok2 {
				valid[i] = true
				months, micros := months, micros
				if oneDay {
					micros = 86400e6
					if hi < lo {
						micros = -micros
					}
				}
				up := months > 0 || micros > 0
				zero := months == 0 && micros == 0
				if !(up && lo <= hi || !up && !zero && lo >= hi || zero && lo == hi) {
					return nil, fmt.Errorf("illegal sequence boundaries: %s to %s by an interval of %d months and %d microseconds", a[0].ValueStr(i), a[1].ValueStr(i), months, micros)
				}
				for k := int64(0); ; k++ {
					v := at(lo, k, months, micros)
					if k > 0 && (up && v > hi || !up && v < hi) || zero && k > 0 {
						break
					}
					if int64(len(vals)) >= MaxArrayLength {
						return nil, fmt.Errorf("sequence: %w", ErrArrayTooLong)
					}
					vals = append(vals, v)
				}
			}
			offs[i+1] = int32(len(vals))
		}
		child := intsOf(mem, et, vals)
		defer child.Release()
		return newList(mem, typ, offs, valid, child), nil
	}}, nil
}

// timeAt returns element i of a date (days) or timestamp (micros) array.
func timeAt(a arrow.Array, i int) (int64, bool) {
	if a.IsNull(i) {
		return 0, false
	}
	switch x := a.(type) {
	case *array.Date32:
		return int64(x.Value(i)), true
	case *array.Timestamp:
		return int64(x.Value(i)), true
	}
	return 0, false
}

// floorDiv divides rounding toward negative infinity, with the remainder.
func floorDiv(a, b int64) (int64, int64) {
	q, r := a/b, a%b
	if r < 0 {
		q, r = q-1, r+b
	}
	return q, r
}

// addMonthsDays adds n months to a date in days since the epoch, clamping
// the day to the end of the resulting month.
func addMonthsDays(days, n int64) int64 {
	if n == 0 {
		return days
	}
	t := time.Unix(days*86400, 0).UTC()
	y, m, d := t.Date()
	total := int64(m) - 1 + n
	ny, nm := floorDiv(total, 12)
	ny += int64(y)
	last := time.Date(int(ny), time.Month(nm+2), 0, 0, 0, 0, 0, time.UTC).Day()
	r := time.Date(int(ny), time.Month(nm+1), min(d, last), 0, 0, 0, 0, time.UTC)
	q, _ := floorDiv(r.Unix(), 86400)
	return q
}
