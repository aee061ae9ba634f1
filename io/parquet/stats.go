package parquet

import (
	"bytes"
	"encoding/binary"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go/format"

	"github.com/gspark/gspark/io/source"
)

// statKind is the domain statistics of a column are compared in.
type statKind uint8

const (
	statNone statKind = iota
	statInt
	statFloat
	statBytes
)

// scalar is a statistics bound or filter value in its comparison domain.
type scalar struct {
	i int64
	f float64
	b []byte
}

func (c *column) statKind() statKind {
	switch c.kind {
	case kCopy4, kCopy8:
		switch c.phys {
		case format.Float, format.Double:
			return statFloat
		}
		return statInt
	case kInt8, kInt16, kInt32To64, kTsMillis, kTsNanos, kFLBA64:
		return statInt
	case kBinary:
		if c.render != nil {
			return statNone
		}
		return statBytes
	}
	return statNone
}

func (f *File) column(name string) int {
	for i := range f.cols {
		if f.cols[i].name == name && f.cols[i].vec == nil && f.cols[i].nest == nil && f.cols[i].unsupported == nil {
			return i
		}
	}
	return -1
}

// Usable returns the filters whose column exists in the file with a type
// statistics can be compared on (and, for comparisons, whose value has the
// column's type).
func (f *File) Usable(filters []source.Filter) []source.Filter {
	var out []source.Filter
	for _, flt := range filters {
		ci := f.column(flt.Column)
		if ci < 0 {
			continue
		}
		switch flt.Op {
		case source.IsNull, source.IsNotNull:
			out = append(out, flt)
		case source.Eq, source.NotEq, source.Lt, source.LtEq, source.Gt, source.GtEq:
			if _, ok := filterValue(&f.cols[ci], flt.Value); ok {
				out = append(out, flt)
			}
		}
	}
	return out
}

// filterValue extracts a usable comparison value of column c's type.
func filterValue(c *column, v arrow.Array) (scalar, bool) {
	sk := c.statKind()
	if sk == statNone || v == nil || v.Len() != 1 || v.IsNull(0) || !arrow.TypeEqual(v.DataType(), c.typ) {
		return scalar{}, false
	}
	switch a := v.(type) {
	case *array.Int8:
		return scalar{i: int64(a.Value(0))}, true
	case *array.Int16:
		return scalar{i: int64(a.Value(0))}, true
	case *array.Int32:
		return scalar{i: int64(a.Value(0))}, true
	case *array.Int64:
		return scalar{i: a.Value(0)}, true
	case *array.Date32:
		return scalar{i: int64(a.Value(0))}, true
	case *array.Timestamp:
		return scalar{i: int64(a.Value(0))}, true
	case *array.Decimal64:
		return scalar{i: int64(a.Value(0))}, true
	case *array.Float32:
		x := float64(a.Value(0))
		return scalar{f: x}, !math.IsNaN(x)
	case *array.Float64:
		x := a.Value(0)
		return scalar{f: x}, !math.IsNaN(x)
	case *array.String:
		return scalar{b: []byte(a.Value(0))}, true
	case *array.Binary:
		return scalar{b: a.Value(0)}, true
	}
	return scalar{}, false
}

// decodeStat decodes a plain-encoded statistics bound of column c.
func decodeStat(c *column, b []byte) (scalar, bool) {
	switch c.kind {
	case kBinary:
		return scalar{b: b}, true
	case kFLBA64:
		if len(b) != c.typeLen {
			return scalar{}, false
		}
		hi, lo := beToInt128(b)
		return scalar{i: lo}, hi == lo>>63
	}
	switch c.phys {
	case format.Int32:
		if len(b) != 4 {
			return scalar{}, false
		}
		return scalar{i: int64(int32(binary.LittleEndian.Uint32(b)))}, true
	case format.Int64:
		if len(b) != 8 {
			return scalar{}, false
		}
		x := int64(binary.LittleEndian.Uint64(b))
		switch c.kind {
		case kTsMillis:
			if x > math.MaxInt64/1000 || x < math.MinInt64/1000 {
				return scalar{}, false
			}
			x *= 1000
		case kTsNanos:
			x = floorDiv(x, 1000)
		}
		return scalar{i: x}, true
	case format.Float:
		if len(b) != 4 {
			return scalar{}, false
		}
		x := float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
		return scalar{f: x}, !math.IsNaN(x)
	case format.Double:
		if len(b) != 8 {
			return scalar{}, false
		}
		x := math.Float64frombits(binary.LittleEndian.Uint64(b))
		return scalar{f: x}, !math.IsNaN(x)
	}
	return scalar{}, false
}

func compare(k statKind, a, b scalar) int {
	switch k {
	case statInt:
		switch {
		case a.i < b.i:
			return -1
		case a.i > b.i:
			return 1
		}
		return 0
	case statFloat:
		switch {
		case a.f < b.f:
			return -1
		case a.f > b.f:
			return 1
		}
		return 0
	}
	return bytes.Compare(a.b, b.b)
}

// CanSkip reports whether the statistics of row group rg prove that no row
// satisfies all filters. Missing or unusable statistics never skip.
func (f *File) CanSkip(rg int, filters []source.Filter) bool {
	md := f.pf.Metadata()
	if rg < 0 || rg >= len(md.RowGroups) {
		return false
	}
	g := &md.RowGroups[rg]
	for _, flt := range filters {
		if f.skipOne(g, flt) {
			return true
		}
	}
	return false
}

func (f *File) skipOne(g *format.RowGroup, flt source.Filter) bool {
	ci := f.column(flt.Column)
	if ci < 0 || ci >= len(g.Columns) {
		return false
	}
	if g.NumRows == 0 {
		return true
	}
	c := &f.cols[ci]
	if c.leaf >= len(g.Columns) {
		return false
	}
	meta := &g.Columns[c.leaf].MetaData
	st := &meta.Statistics
	minB, maxB := st.MinValue, st.MaxValue
	if minB == nil || maxB == nil {
		minB, maxB = nil, nil
		// Legacy min/max used signed order, valid only for numeric columns.
		if c.statKind() == statInt && c.kind != kFLBA64 || c.statKind() == statFloat {
			minB, maxB = st.Min, st.Max
		}
	}
	hasMinMax := minB != nil && maxB != nil
	allNull := c.optional && hasStatsNullCount(st) && st.NullCount == meta.NumValues && meta.NumValues > 0
	switch flt.Op {
	case source.IsNull:
		if !c.optional {
			return true
		}
		// A zero null count is trusted only next to min/max: writers that
		// record bounds also record the null count.
		return hasMinMax && st.NullCount == 0
	case source.IsNotNull:
		return allNull
	}
	v, ok := filterValue(c, flt.Value)
	if !ok {
		return false
	}
	if allNull && !hasMinMax {
		return true // comparisons with null are never true
	}
	if !hasMinMax {
		return false
	}
	sk := c.statKind()
	lo, ok1 := decodeStat(c, minB)
	hi, ok2 := decodeStat(c, maxB)
	if !ok1 || !ok2 || compare(sk, lo, hi) > 0 {
		return false
	}
	switch flt.Op {
	case source.Eq:
		return compare(sk, v, lo) < 0 || compare(sk, v, hi) > 0
	case source.NotEq:
		// Byte-array bounds may be truncated, so only exact domains skip.
		return sk != statBytes && compare(sk, lo, hi) == 0 && compare(sk, lo, v) == 0
	case source.Lt:
		return compare(sk, lo, v) >= 0
	case source.LtEq:
		return compare(sk, lo, v) > 0
	case source.Gt:
		return compare(sk, hi, v) <= 0
	case source.GtEq:
		return compare(sk, hi, v) < 0
	}
	return false
}

// hasStatsNullCount reports whether the statistics look written at all (the
// null count field cannot be told apart from zero otherwise).
func hasStatsNullCount(st *format.Statistics) bool {
	return st.NullCount > 0 || st.MinValue != nil || st.Max != nil || st.MaxValue != nil || st.Min != nil
}
