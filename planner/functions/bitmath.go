package functions

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/mathfn"
	"github.com/gspark/gspark/planner/logical"
)

// bitMathFunctions are the trigonometric and other DOUBLE functions, the
// constants pi() and e(), and the bitwise functions and operators (the
// parser turns a & b, a | b, a ^ b and ~a into calls of "&", "|", "^" and
// "~", and a << n, a >> n, a >>> n into shiftleft, shiftright and
// shiftrightunsigned).
func bitMathFunctions() []FunctionDef {
	f64 := arrow.PrimitiveTypes.Float64
	var defs []FunctionDef
	for _, name := range mathfn.DoubleFuncNames() {
		defs = append(defs, FunctionDef{Name: name, MinArgs: 1, MaxArgs: 1,
			Resolve: func(n string, args []logical.Expr) (logical.Expr, error) { return resolveDoubles(n, args, f64, false) },
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.DoubleFunc(name, a[0]) }})
	}
	constant := func(name string, v float64) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 0, MaxArgs: 0,
			Resolve: func(string, []logical.Expr) (logical.Expr, error) {
				return &logical.Literal{Value: v, Type: f64}, nil
			},
			Compile: rewritten}
	}
	double2 := func(name string, k func(x, y expr.Expr) (expr.Expr, error)) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 2, MaxArgs: 2,
			Resolve: func(n string, args []logical.Expr) (logical.Expr, error) { return resolveDoubles(n, args, f64, false) },
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return k(a[0], a[1]) }}
	}
	bitOp := func(name string, op mathfn.BitOp) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 2, MaxArgs: 2, Resolve: resolveBitwise,
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.Bitwise(op, a[0], a[1]) }}
	}
	shift := func(name string, op mathfn.BitOp) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 2, MaxArgs: 2, Resolve: resolveShift,
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.Bitwise(op, a[0], a[1]) }}
	}
	return append(defs,
		constant("pi", math.Pi),
		constant("e", math.E),
		double2("atan2", mathfn.Atan2),
		double2("hypot", mathfn.Hypot),
		bitOp("&", mathfn.BitAnd),
		bitOp("|", mathfn.BitOr),
		bitOp("^", mathfn.BitXor),
		FunctionDef{Name: "~", MinArgs: 1, MaxArgs: 1, Resolve: resolveBitwise,
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.BitNot(a[0]) }},
		shift("shiftleft", mathfn.ShiftLeft),
		shift("shiftright", mathfn.ShiftRight),
		shift("shiftrightunsigned", mathfn.ShiftRightUnsigned),
		FunctionDef{Name: "bit_count", MinArgs: 1, MaxArgs: 1, Resolve: resolveBitCount,
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.BitCount(a[0]) }},
		FunctionDef{Name: "bit_get", Aliases: []string{"getbit"}, MinArgs: 2, MaxArgs: 2, Resolve: resolveBitGet,
			Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
				return mathfn.BitGet(call.Name, a[0], a[1])
			}},
	)
}

// integralArg returns an integer argument as it is and NULL cast to
// nullType; anything else is an error.
func integralArg(name string, a logical.Expr, nullType arrow.DataType) (logical.Expr, error) {
	t := a.DataType()
	switch {
	case t.ID() == arrow.NULL:
		return logical.CastTo(a, nullType), nil
	case logical.IsInteger(t):
		return a, nil
	}
	return nil, ArgError(name, a, "an integral argument")
}

// resolveBitwise types a & b, a | b, a ^ b (Spark's BitwiseAnd/Or/Xor:
// both operands widened to their common integral type, the result's) and
// ~a (typed as a).
func resolveBitwise(name string, args []logical.Expr) (logical.Expr, error) {
	int32T := arrow.PrimitiveTypes.Int32
	cast := make([]logical.Expr, len(args))
	for i, a := range args {
		c, err := integralArg(name, a, int32T)
		if err != nil {
			return nil, err
		}
		cast[i] = c
	}
	t := cast[0].DataType()
	if len(cast) == 2 {
		ct, ok := logical.CommonType(t, cast[1].DataType())
		if !ok {
			return nil, logical.AnalysisErr("%s arguments have incompatible types %s and %s", name, logical.TypeName(t), logical.TypeName(cast[1].DataType()))
		}
		t = ct
	}
	for i := range cast {
		cast[i] = logical.CastTo(cast[i], t)
	}
	return &logical.Func{Name: name, Args: cast, Type: t}, nil
}

// resolveShift types shiftleft/shiftright/shiftrightunsigned(x, n): x an
// INT or BIGINT (TINYINT and SMALLINT widen to INT), n an INT (narrower
// integers widen), the result typed as x, as Spark's ShiftLeft.
func resolveShift(name string, args []logical.Expr) (logical.Expr, error) {
	int32T := arrow.PrimitiveTypes.Int32
	x, err := integralArg(name, args[0], int32T)
	if err != nil {
		return nil, err
	}
	if x.DataType().ID() != arrow.INT64 {
		x = logical.CastTo(x, int32T)
	}
	n, err := integralArg(name, args[1], int32T)
	if err != nil {
		return nil, err
	}
	if n.DataType().ID() == arrow.INT64 {
		return nil, ArgError(name, args[1], "an INT shift distance")
	}
	return &logical.Func{Name: name, Args: []logical.Expr{x, logical.CastTo(n, int32T)}, Type: x.DataType()}, nil
}

// resolveBitCount types bit_count(x) of an integer or a BOOLEAN as INT.
func resolveBitCount(name string, args []logical.Expr) (logical.Expr, error) {
	x := args[0]
	if x.DataType().ID() != arrow.BOOL {
		var err error
		if x, err = integralArg(name, x, arrow.PrimitiveTypes.Int32); err != nil {
			return nil, err
		}
	}
	return &logical.Func{Name: name, Args: []logical.Expr{x}, Type: arrow.PrimitiveTypes.Int32}, nil
}

// resolveBitGet types bit_get(x, pos): x an integer, pos an INT (narrower
// integers widen), the result a TINYINT.
func resolveBitGet(name string, args []logical.Expr) (logical.Expr, error) {
	int32T := arrow.PrimitiveTypes.Int32
	x, err := integralArg(name, args[0], int32T)
	if err != nil {
		return nil, err
	}
	pos, err := integralArg(name, args[1], int32T)
	if err != nil {
		return nil, err
	}
	if pos.DataType().ID() == arrow.INT64 {
		return nil, ArgError(name, args[1], "an INT position")
	}
	return &logical.Func{Name: name, Args: []logical.Expr{x, logical.CastTo(pos, int32T)}, Type: arrow.PrimitiveTypes.Int8}, nil
}

// intMathFunctions are positive, negative, div, factorial, bin and hex.
func intMathFunctions() []FunctionDef {
	i64 := arrow.PrimitiveTypes.Int64
	return []FunctionDef{
		{Name: "positive", MinArgs: 1, MaxArgs: 1, Resolve: func(n string, args []logical.Expr) (logical.Expr, error) {
			return numericOrDouble(n, args[0])
		}, Compile: rewritten},
		{Name: "negative", MinArgs: 1, MaxArgs: 1, Resolve: func(n string, args []logical.Expr) (logical.Expr, error) {
			a, err := numericOrDouble(n, args[0])
			if err != nil {
				return nil, err
			}
			return &logical.Unary{Op: logical.OpNegate, E: a}, nil
		}, Compile: rewritten},
		{Name: "div", MinArgs: 2, MaxArgs: 2, Resolve: resolveIntDiv, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return mathfn.IntDiv(a[0], a[1])
		}},
		{Name: "factorial", MinArgs: 1, MaxArgs: 1, Resolve: func(n string, args []logical.Expr) (logical.Expr, error) {
			x, err := integralArg(n, args[0], arrow.PrimitiveTypes.Int32)
			if err != nil {
				return nil, err
			}
			if x.DataType().ID() == arrow.INT64 {
				return nil, ArgError(n, args[0], "an INT argument")
			}
			return &logical.Func{Name: n, Args: []logical.Expr{logical.CastTo(x, arrow.PrimitiveTypes.Int32)}, Type: i64, MayBeNull: true}, nil
		}, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.Factorial(a[0]) }},
		{Name: "bin", MinArgs: 1, MaxArgs: 1, Resolve: resolveRadix, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return mathfn.Bin(a[0])
		}},
		{Name: "hex", MinArgs: 1, MaxArgs: 1, Resolve: resolveRadix, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return mathfn.Hex(a[0])
		}},
	}
}

// resolveIntDiv types a div b (Spark's IntegralDivide) of integers: both
// cast to BIGINT, the result a BIGINT. Decimal operands are not supported.
func resolveIntDiv(name string, args []logical.Expr) (logical.Expr, error) {
	i64 := arrow.PrimitiveTypes.Int64
	cast := make([]logical.Expr, 2)
	for i, a := range args {
		x, err := integralArg(name, a, i64)
		if err != nil {
			return nil, err
		}
		cast[i] = logical.CastTo(x, i64)
	}
	return &logical.Func{Name: name, Args: cast, Type: i64}, nil
}

// resolveRadix types bin(x) and hex(x): an integer (any number for bin)
// cast to BIGINT (hex also takes a STRING or BINARY as it is), the result a
// STRING.
func resolveRadix(name string, args []logical.Expr) (logical.Expr, error) {
	x := args[0]
	t := x.DataType()
	switch {
	case name == "hex" && (logical.IsString(t) || t.ID() == arrow.BINARY):
	case t.ID() == arrow.NULL || logical.IsInteger(t) || (name == "bin" && logical.IsNumeric(t)):
		// bin(13.3) is bin(13): Spark casts any number to BIGINT for bin
		x = logical.CastTo(x, arrow.PrimitiveTypes.Int64)
	default:
		return nil, ArgError(name, x, "an integral argument")
	}
	return &logical.Func{Name: name, Args: []logical.Expr{x}, Type: arrow.BinaryTypes.String}, nil
}

// tryFunctions are try_add, try_subtract, try_multiply, try_divide and
// try_mod: the operator's result, null where ANSI mode raises an overflow or
// division by zero error.
func tryFunctions() []FunctionDef {
	def := func(name string, op logical.BinaryOp, eop expr.BinaryOp) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 2, MaxArgs: 2,
			Resolve: func(n string, args []logical.Expr) (logical.Expr, error) { return resolveTry(n, op, args) },
			Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
				return mathfn.TryArith(call.Name, eop, a[0], a[1])
			}}
	}
	return []FunctionDef{
		def("try_add", logical.OpAdd, expr.Add),
		def("try_subtract", logical.OpSub, expr.Sub),
		def("try_multiply", logical.OpMul, expr.Mul),
		def("try_divide", logical.OpDiv, expr.Div),
		def("try_mod", logical.OpMod, expr.Mod),
		widthBucketFunction(),
		convFunction(),
	}
}

// resolveTry types try_<op>(a, b) as a <op> b. An integer result is a call
// of the try kernel (null on overflow or a zero divisor); otherwise the
// operator itself, with CASE WHEN b = 0 THEN NULL around a division or
// remainder. DOUBLE results never overflow (they become ±Infinity); a
// DECIMAL add, subtract or multiply that overflows still fails.
func resolveTry(name string, op logical.BinaryOp, args []logical.Expr) (logical.Expr, error) {
	typed, err := logical.TypeBinary(&logical.Binary{Op: op, L: args[0], R: args[1]})
	if err != nil {
		return nil, err
	}
	b, ok := typed.(*logical.Binary)
	if !ok {
		return typed, nil
	}
	if t := b.Type; logical.IsInteger(t) && op != logical.OpDiv {
		return &logical.Func{Name: name, Args: []logical.Expr{b.L, b.R}, Type: t, MayBeNull: true}, nil
	}
	if t := b.Type; t.ID() == arrow.NULL {
		return b, nil
	}
	if op != logical.OpDiv && op != logical.OpMod {
		return b, nil
	}
	zero, err := logical.TypeBinary(&logical.Binary{Op: logical.OpEq, L: b.R, R: &logical.Literal{Value: int32(0), Type: arrow.PrimitiveTypes.Int32}})
	if err != nil {
		return nil, err
	}
	cw := &logical.CaseWhen{Whens: []logical.Expr{zero}, Thens: []logical.Expr{&logical.Literal{Type: b.Type}}, Else: b}
	return lazyCall(name, args, cw), nil
}

// widthBucketFunction is width_bucket(value, min, max, n): value, min and
// max cast to DOUBLE, n an integer cast to BIGINT, the result a BIGINT.
func widthBucketFunction() FunctionDef {
	return FunctionDef{Name: "width_bucket", MinArgs: 4, MaxArgs: 4,
		Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			cast := make([]logical.Expr, 4)
			for i, a := range args[:3] {
				n, err := numericOrDouble(name, a)
				if err != nil {
					return nil, err
				}
				cast[i] = logical.CastTo(n, arrow.PrimitiveTypes.Float64)
			}
			n, err := integralArg(name, args[3], arrow.PrimitiveTypes.Int64)
			if err != nil {
				return nil, err
			}
			cast[3] = logical.CastTo(n, arrow.PrimitiveTypes.Int64)
			return &logical.Func{Name: name, Args: cast, Type: arrow.PrimitiveTypes.Int64, MayBeNull: true}, nil
		},
		Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return mathfn.WidthBucket(a[0], a[1], a[2], a[3])
		}}
}

// convFunction is conv(num, fromBase, toBase): num cast to STRING, the bases
// integers cast to INT, the result a STRING.
func convFunction() FunctionDef {
	return FunctionDef{Name: "conv", MinArgs: 3, MaxArgs: 3,
		Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			num := args[0]
			switch t := num.DataType(); {
			case logical.IsString(t):
			case t.ID() == arrow.NULL || logical.IsInteger(t):
				num = logical.CastTo(num, arrow.BinaryTypes.String)
			default:
				return nil, ArgError(name, num, "a string or integral number")
			}
			out := []logical.Expr{logical.CastTo(num, arrow.BinaryTypes.String)}
			for _, b := range args[1:] {
				x, err := integralArg(name, b, arrow.PrimitiveTypes.Int32)
				if err != nil {
					return nil, err
				}
				if x.DataType().ID() == arrow.INT64 {
					return nil, ArgError(name, b, "an INT base")
				}
				out = append(out, logical.CastTo(x, arrow.PrimitiveTypes.Int32))
			}
			return &logical.Func{Name: name, Args: out, Type: arrow.BinaryTypes.String, MayBeNull: true}, nil
		},
		Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.Conv(a[0], a[1], a[2]) }}
}
