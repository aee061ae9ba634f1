package functions

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/sketchfn"
	"github.com/gspark/gspark/planner/logical"
)

// sketchFunctions are the scalar functions over Spark's bitmaps
// (bitmap_bucket_number, bitmap_bit_position, bitmap_count) and gspark's
// HLL sketches (hll_sketch_estimate, hll_union), and collation/collate.
func sketchFunctions() []FunctionDef {
	i64 := arrow.PrimitiveTypes.Int64
	bin := arrow.BinaryTypes.Binary
	// bigintArg casts an integer (or NULL) argument to bigint, as Spark's
	// implicit cast to LongType.
	bigintArg := func(name string, a logical.Expr) (logical.Expr, error) {
		if t := a.DataType(); !logical.IsInteger(t) && t.ID() != arrow.NULL {
			return nil, ArgError(name, a, "a bigint argument")
		}
		return logical.CastTo(a, i64), nil
	}
	binaryArg := func(name string, a logical.Expr) (logical.Expr, error) {
		if t := a.DataType(); t.ID() != arrow.BINARY && t.ID() != arrow.NULL {
			return nil, ArgError(name, a, "a binary argument")
		}
		return logical.CastTo(a, bin), nil
	}
	unary := func(name string, arg func(string, logical.Expr) (logical.Expr, error), t arrow.DataType, k func(expr.Expr) expr.Expr) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			a, err := arg(name, args[0])
			if err != nil {
				return nil, err
			}
			return &logical.Func{Name: name, Args: []logical.Expr{a}, Type: t}, nil
		}, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return k(a[0]), nil
		}}
	}
	return []FunctionDef{
		unary("bitmap_bucket_number", bigintArg, i64, sketchfn.BucketNumberExpr),
		unary("bitmap_bit_position", bigintArg, i64, sketchfn.BitPositionExpr),
		unary("bitmap_count", binaryArg, i64, sketchfn.CountExpr),
		unary("hll_sketch_estimate", binaryArg, i64, sketchfn.EstimateExpr),
		{Name: "hll_union", MinArgs: 2, MaxArgs: 3, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			out := make([]logical.Expr, 0, 3)
			for _, a := range args[:2] {
				b, err := binaryArg(name, a)
				if err != nil {
					return nil, err
				}
				out = append(out, b)
			}
			if len(args) == 3 {
				if _, err := boolLiteralArg(name, args[2]); err != nil {
					return nil, err
				}
				out = append(out, args[2])
			}
			return &logical.Func{Name: name, Args: out, Type: bin}, nil
		}, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			allow := false
			if len(call.Args) == 3 {
				var err error
				if allow, err = boolLiteralArg(call.Name, call.Args[2]); err != nil {
					return nil, err
				}
			}
			return sketchfn.UnionExpr(a[0], a[1], allow), nil
		}},
		{Name: "collation", MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			// Every string is UTF8_BINARY in gspark; Spark 4.0 names the
			// collation of a string expression.
			if t := args[0].DataType(); !logical.IsString(t) {
				return nil, ArgError(name, args[0], "a string argument")
			}
			return &logical.Literal{Value: "UTF8_BINARY", Type: arrow.BinaryTypes.String}, nil
		}, Compile: func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
			return nil, logical.AnalysisErr("%s is resolved to a literal", call.Name)
		}},
		{Name: "collate", MinArgs: 2, MaxArgs: 2, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			t := args[0].DataType()
			if !logical.IsString(t) && t.ID() != arrow.NULL {
				return nil, ArgError(name, args[0], "a string argument")
			}
			c, err := StringLiteralArg(name, args[1])
			if err != nil {
				return nil, logical.AnalysisErr("%s needs the collation name as a string literal, got %s", name, logical.StripIDs(args[1].String()))
			}
			if err := CheckCollation(c); err != nil {
				return nil, err
			}
			return logical.CastTo(args[0], arrow.BinaryTypes.String), nil
		}, Compile: func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
			return nil, logical.AnalysisErr("%s is resolved to its argument", call.Name)
		}},
	}
}

// CheckCollation accepts UTF8_BINARY (any case, also as
// SYSTEM.BUILTIN.UTF8_BINARY), the only collation gspark has, and rejects
// any other collation with an error naming it.
func CheckCollation(name string) error {
	n := strings.ToUpper(strings.TrimSpace(name))
	if n == "UTF8_BINARY" || n == "SYSTEM.BUILTIN.UTF8_BINARY" {
		return nil
	}
	return logical.AnalysisErr("collation %s is not supported: gspark compares strings byte by byte, as the UTF8_BINARY collation (the default) does", name)
}

// boolLiteralArg returns the value of a boolean literal argument.
func boolLiteralArg(fn string, a logical.Expr) (bool, error) {
	if l, ok := a.(*logical.Literal); ok {
		if b, ok := l.Value.(bool); ok {
			return b, nil
		}
	}
	return false, logical.AnalysisErr("%s needs a boolean literal here, got %s", fn, logical.StripIDs(a.String()))
}
