package mathfn

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

type conv struct{ num, from, to expr.Expr }

// Conv is Spark's conv(num, fromBase, toBase) of a STRING and two INTs:
// num (spaces trimmed, an optional leading '-') read in fromBase up to its
// first character that is not a digit of the base, through an unsigned
// 64-bit value, written upper-case in |toBase|; a negative toBase writes a
// signed result, a positive one the unsigned two's complement of a negative
// input. Bases outside [2, 36] or an empty num give null; a value beyond 64
// bits is an error wrapping expr.ErrOverflow (ANSI mode).
func Conv(num, from, to expr.Expr) (expr.Expr, error) {
	if num.DataType().ID() != arrow.STRING || from.DataType().ID() != arrow.INT32 || to.DataType().ID() != arrow.INT32 {
		return nil, fmt.Errorf("conv needs a STRING and two INTs, got %s, %s, %s", num.DataType(), from.DataType(), to.DataType())
	}
	return &conv{num: num, from: from, to: to}, nil
}

func (e *conv) DataType() arrow.DataType { return arrow.BinaryTypes.String }
func (e *conv) String() string           { return expr.CallString("conv", e.num, e.from, e.to) }

func (e *conv) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	args, err := expr.EvalArgs(mem, batch, e.num, e.from, e.to)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(args)
	nums := args[0].(*array.String)
	from, to := kernels.FixedValues[int32](args[1]), kernels.FixedValues[int32](args[2])
	b := array.NewStringBuilder(mem)
	defer b.Release()
	for i := 0; i < nums.Len(); i++ {
		if nums.IsNull(i) || args[1].IsNull(i) || args[2].IsNull(i) {
			b.AppendNull()
			continue
		}
		s, ok, err := convert(nums.Value(i), int(from[i]), int(to[i]))
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: %w", e, i, err)
		}
		if !ok {
			b.AppendNull()
			continue
		}
		b.Append(s)
	}
	return b.NewArray(), nil
}

// convert is conv of one value; ok false is a null result.
func convert(s string, from, to int) (string, bool, error) {
	abs := to
	if abs < 0 {
		abs = -abs
	}
	if from < 2 || from > 36 || abs < 2 || abs > 36 {
		return "", false, nil
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false, nil
	}
	negative := s[0] == '-'
	if negative {
		s = s[1:]
	}
	var v uint64
	for j := 0; j < len(s); j++ {
		d := digitValue(s[j])
		if d < 0 || d >= from {
			break
		}
		hi, lo := bits.Mul64(v, uint64(from))
		sum, carry := bits.Add64(lo, uint64(d), 0)
		if hi != 0 || carry != 0 {
			return "", false, fmt.Errorf("[ARITHMETIC_OVERFLOW] overflow in function conv(): %w", expr.ErrOverflow)
		}
		v = sum
	}
	if negative && to > 0 {
		if int64(v) < 0 { // beyond the signed range: all ones, as Spark
			v = math.MaxUint64
		} else {
			v = -v
		}
	}
	if to < 0 && int64(v) < 0 {
		v = -v
		negative = true
	}
	out := strings.ToUpper(strconv.FormatUint(v, abs))
	if negative && to < 0 {
		out = "-" + out
	}
	return out, true, nil
}

// digitValue is the value of an ASCII digit or letter (a/A is 10), or -1.
func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}
