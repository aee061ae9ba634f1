package functions

import (
	"fmt"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/mathfn"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// mathFunctions are the built-in math, hash and conditional functions.
func mathFunctions() []FunctionDef {
	f64 := arrow.PrimitiveTypes.Float64
	double1 := func(name string, aliases []string, mayBeNull bool, k func(expr.Expr) (expr.Expr, error)) FunctionDef {
		return FunctionDef{Name: name, Aliases: aliases, MinArgs: 1, MaxArgs: 1,
			Resolve: func(n string, args []logical.Expr) (logical.Expr, error) {
				return resolveDoubles(n, args, f64, mayBeNull)
			},
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return k(a[0]) }}
	}
	return []FunctionDef{
		{Name: "abs", MinArgs: 1, MaxArgs: 1, Resolve: resolveAbs, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return mathfn.Abs(a[0])
		}},
		{Name: "round", MinArgs: 1, MaxArgs: 2, Resolve: resolveRound, Compile: compileRound(mathfn.HalfUp)},
		{Name: "bround", MinArgs: 1, MaxArgs: 2, Resolve: resolveRound, Compile: compileRound(mathfn.HalfEven)},
		{Name: "floor", MinArgs: 1, MaxArgs: 2, Resolve: resolveFloor, Compile: compileFloor(mathfn.Floor)},
		{Name: "ceil", Aliases: []string{"ceiling"}, MinArgs: 1, MaxArgs: 2, Resolve: resolveFloor, Compile: compileFloor(mathfn.Ceil)},
		double1("sqrt", nil, false, mathfn.Sqrt),
		double1("exp", nil, false, mathfn.Exp),
		double1("ln", nil, true, mathfn.Ln),
		double1("log10", nil, true, mathfn.Log10),
		double1("log2", nil, true, mathfn.Log2),
		double1("signum", []string{"sign"}, false, mathfn.Signum),
		{Name: "log", MinArgs: 1, MaxArgs: 2,
			Resolve: func(n string, args []logical.Expr) (logical.Expr, error) { return resolveDoubles(n, args, f64, true) },
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
				if len(a) == 1 {
					return mathfn.Ln(a[0])
				}
				return mathfn.Log(a[0], a[1])
			}},
		{Name: "pow", Aliases: []string{"power"}, MinArgs: 2, MaxArgs: 2,
			Resolve: func(n string, args []logical.Expr) (logical.Expr, error) { return resolveDoubles(n, args, f64, false) },
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.Pow(a[0], a[1]) }},
		{Name: "isnan", MinArgs: 1, MaxArgs: 1,
			Resolve: func(n string, args []logical.Expr) (logical.Expr, error) {
				return resolveDoubles(n, args, arrow.FixedWidthTypes.Boolean, false)
			},
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.IsNaN(a[0]) }},
		{Name: "nanvl", MinArgs: 2, MaxArgs: 2,
			Resolve: func(n string, args []logical.Expr) (logical.Expr, error) { return resolveDoubles(n, args, f64, false) },
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.NaNvl(a[0], a[1]) }},
		{Name: "mod", MinArgs: 2, MaxArgs: 2, Resolve: resolveMod, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return checkType(call, func() (expr.Expr, error) { return expr.Binary(expr.Mod, a[0], a[1]) })
		}},
		{Name: "pmod", MinArgs: 2, MaxArgs: 2, Resolve: resolveMod, Compile: compilePmod},
		{Name: "greatest", MinArgs: 2, MaxArgs: -1, Resolve: resolveExtremum, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return mathfn.Greatest(a...)
		}},
		{Name: "least", MinArgs: 2, MaxArgs: -1, Resolve: resolveExtremum, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return mathfn.Least(a...)
		}},
		{Name: "coalesce", MinArgs: 1, MaxArgs: -1, Resolve: resolveCoalesce, Compile: rewritten},
		{Name: "nvl", Aliases: []string{"ifnull"}, MinArgs: 2, MaxArgs: 2, Resolve: resolveCoalesce, Compile: rewritten},
		{Name: "nullif", MinArgs: 2, MaxArgs: 2, Resolve: resolveNullIf, Compile: compileNullIf},
		{Name: "nvl2", MinArgs: 3, MaxArgs: 3, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			return resolveConditional(name, args, false)
		}, Compile: rewritten},
		{Name: "if", MinArgs: 3, MaxArgs: 3, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			return resolveConditional(name, args, true)
		}, Compile: rewritten},
		{Name: "rand", Aliases: []string{"random"}, MinArgs: 0, MaxArgs: 1, Nondeterministic: true, Resolve: resolveRand, Compile: compileRand(false)},
		{Name: "randn", MinArgs: 0, MaxArgs: 1, Nondeterministic: true, Resolve: resolveRand, Compile: compileRand(true)},
		{Name: "hash", MinArgs: 1, MaxArgs: -1, Resolve: resolveHash, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return mathfn.Hash(a...)
		}},
		{Name: "md5", MinArgs: 1, MaxArgs: 1, Resolve: resolveDigest, Compile: compileDigest(mathfn.MD5)},
		{Name: "sha1", Aliases: []string{"sha"}, MinArgs: 1, MaxArgs: 1, Resolve: resolveDigest, Compile: compileDigest(mathfn.SHA1)},
		{Name: "sha2", MinArgs: 2, MaxArgs: 2, Resolve: resolveDigest, Compile: compileSha2},
		{Name: "crc32", MinArgs: 1, MaxArgs: 1, Resolve: resolveDigest, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return mathfn.CRC32(a[0])
		}},
	}
}

// rewritten is the Compile of the conditional functions, whose Resolve
// rewrites the call to a CASE expression, so no *Func of theirs reaches the
// physical planner.
func rewritten(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
	return nil, fmt.Errorf("internal error: %s should have been rewritten to CASE", call.Name)
}

// lazyCall names the CASE expression a conditional call rewrites to with
// the call's text, so the output column reads coalesce(a, b) as in Spark.
// A CASE (rather than a function of its arguments) keeps the arguments
// conditional for the optimizer too: common subexpression elimination never
// hoists a CASE branch, so it is evaluated only on the rows that take it.
func lazyCall(name string, args []logical.Expr, cw *logical.CaseWhen) logical.Expr {
	// The column keeps the name Spark derives from the call's text.
	return &logical.Alias{E: cw, Name: logical.StripIDs((&logical.Func{Name: name, Args: args}).String())}
}

// checkType builds a physical expression and checks it has the type the
// analyzer gave the call.
func checkType(call *logical.Func, build func() (expr.Expr, error)) (expr.Expr, error) {
	e, err := build()
	if err != nil {
		return nil, err
	}
	if !arrow.TypeEqual(e.DataType(), call.Type) {
		return nil, fmt.Errorf("internal error: %s evaluates to %s, analyzer typed it %s", logical.StripIDs(call.String()), logical.TypeName(e.DataType()), logical.TypeName(call.Type))
	}
	return e, nil
}

// numericOrDouble returns a numeric argument as it is, and a string or NULL
// cast to DOUBLE (Spark's implicit cast for numeric functions).
func numericOrDouble(name string, a logical.Expr) (logical.Expr, error) {
	t := a.DataType()
	switch {
	case logical.IsNumeric(t):
		return a, nil
	case logical.IsString(t) || t.ID() == arrow.NULL:
		return logical.CastTo(a, arrow.PrimitiveTypes.Float64), nil
	}
	return nil, ArgError(name, a, "a numeric argument")
}

// resolveDoubles casts every argument to DOUBLE; the result has type out.
func resolveDoubles(name string, args []logical.Expr, out arrow.DataType, mayBeNull bool) (logical.Expr, error) {
	cast := make([]logical.Expr, len(args))
	for i, a := range args {
		n, err := numericOrDouble(name, a)
		if err != nil {
			return nil, err
		}
		cast[i] = logical.CastTo(n, arrow.PrimitiveTypes.Float64)
	}
	return &logical.Func{Name: name, Args: cast, Type: out, MayBeNull: mayBeNull}, nil
}

func resolveAbs(name string, args []logical.Expr) (logical.Expr, error) {
	a, err := numericOrDouble(name, args[0])
	if err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: []logical.Expr{a}, Type: a.DataType()}, nil
}

// resolveRound types round/bround(x[, d]): d an integer literal; integers
// and floating types keep their type, decimals get mathfn.RoundDecimalType.
func resolveRound(name string, args []logical.Expr) (logical.Expr, error) {
	x, err := numericOrDouble(name, args[0])
	if err != nil {
		return nil, err
	}
	var d int64
	scale := logical.Expr(&logical.Literal{Value: int32(0), Type: arrow.PrimitiveTypes.Int32})
	if len(args) > 1 {
		if d, err = IntLiteralArg(name, args[1]); err != nil {
			return nil, err
		}
		if d < -1000 || d > 1000 {
			return nil, logical.AnalysisErr("%s scale %d is out of range", name, d)
		}
		scale = &logical.Literal{Value: int32(d), Type: arrow.PrimitiveTypes.Int32}
	}
	t := x.DataType()
	if logical.IsDecimal(t) {
		p, s := logical.DecimalPS(t)
		t = logical.DecimalType(mathfn.RoundDecimalType(p, s, int32(d)))
	}
	return &logical.Func{Name: name, Args: []logical.Expr{x, scale}, Type: t}, nil
}

func compileRound(mode mathfn.RoundMode) func(*logical.Func, []expr.Expr) (expr.Expr, error) {
	return func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
		d, _ := logical.IntValue(call.Args[1].(*logical.Literal).Value)
		return mathfn.Round(a[0], int32(d), mode, call.Type)
	}
}

// resolveFloor types floor/ceil(x): integers become BIGINT, floating values
// DOUBLE → BIGINT, decimals mathfn.FloorDecimalType. floor/ceil(x, d) is
// Spark's RoundFloor/RoundCeil: x is cast to a decimal (DOUBLE to
// DECIMAL(30,15)) and the result is typed as round's.
func resolveFloor(name string, args []logical.Expr) (logical.Expr, error) {
	x, err := numericOrDouble(name, args[0])
	if err != nil {
		return nil, err
	}
	t := x.DataType()
	if len(args) == 2 {
		switch {
		case logical.IsInteger(t):
			x = logical.CastTo(x, logical.IntegerDecimal(t))
		case logical.IsFloat(t):
			x = logical.CastTo(x, logical.DecimalType(30, 15))
		}
		return resolveRound(name, []logical.Expr{x, args[1]})
	}
	switch {
	case logical.IsDecimal(t):
		p, s := logical.DecimalPS(t)
		t = logical.DecimalType(mathfn.FloorDecimalType(p, s))
	case logical.IsFloat(t):
		x, t = logical.CastTo(x, arrow.PrimitiveTypes.Float64), arrow.PrimitiveTypes.Int64
	default:
		x, t = logical.CastTo(x, arrow.PrimitiveTypes.Int64), arrow.PrimitiveTypes.Int64
	}
	return &logical.Func{Name: name, Args: []logical.Expr{x}, Type: t}, nil
}

func compileFloor(mode mathfn.RoundMode) func(*logical.Func, []expr.Expr) (expr.Expr, error) {
	return func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
		if len(call.Args) == 2 {
			return compileRound(mode)(call, a)
		}
		return mathfn.FloorCeil(a[0], mode, call.Type)
	}
}

// resolveMod types mod(a, n) and pmod(a, n) as a % n: the operands
// coerced as for %, the result typed as a % n.
func resolveMod(name string, args []logical.Expr) (logical.Expr, error) {
	r, err := logical.TypeBinary(&logical.Binary{Op: logical.OpMod, L: args[0], R: args[1]})
	if err != nil {
		return nil, err
	}
	b := r.(*logical.Binary)
	return &logical.Func{Name: name, Args: []logical.Expr{b.L, b.R}, Type: b.Type}, nil
}

// compilePmod builds pmod(a, n) as Spark computes it: r = a % n; if r < 0
// then (r + n) % n else r. For integers (r + n) % n is r + n when n > 0 and
// r when n < 0, which is how it is computed here so that r + n cannot
// overflow (Spark wraps around there: pmod(-1, -2147483648) is 2147483647 in
// Spark and -1 here).
func compilePmod(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	return checkType(call, func() (expr.Expr, error) {
		r, err := expr.Binary(expr.Mod, a[0], a[1])
		if err != nil {
			return nil, err
		}
		t := r.DataType()
		zero, err := zeroOf(t)
		if err != nil {
			return nil, err
		}
		neg, err := expr.Binary(expr.Lt, r, zero)
		if err != nil {
			return nil, err
		}
		sum, err := expr.Binary(expr.Add, r, a[1])
		if err != nil {
			return nil, err
		}
		if logical.IsInteger(t) {
			nzero, err := zeroOf(a[1].DataType())
			if err != nil {
				return nil, err
			}
			pos, err := expr.Binary(expr.Gt, a[1], nzero)
			if err != nil {
				return nil, err
			}
			cond, err := expr.Binary(expr.And, neg, pos)
			if err != nil {
				return nil, err
			}
			return expr.CaseWhen([]expr.Expr{cond}, []expr.Expr{sum}, r)
		}
		wrapped, err := expr.Binary(expr.Mod, sum, a[1])
		if err != nil {
			return nil, err
		}
		if !arrow.TypeEqual(wrapped.DataType(), t) {
			if wrapped, err = expr.Cast(wrapped, t); err != nil {
				return nil, err
			}
		}
		return expr.CaseWhen([]expr.Expr{neg}, []expr.Expr{wrapped}, r)
	})
}

// zeroOf is the literal 0 of a numeric type.
func zeroOf(t arrow.DataType) (expr.Expr, error) {
	switch {
	case logical.IsInteger(t):
		return expr.Literal(int64(0), t)
	case logical.IsFloat(t):
		return expr.Literal(float64(0), t)
	}
	_, s := logical.DecimalPS(t)
	return expr.Literal(values.Decimal{Scale: s}, t)
}

// commonArgType is the type every argument widens to.
func commonArgType(name string, args []logical.Expr) (arrow.DataType, error) {
	t := args[0].DataType()
	for _, a := range args[1:] {
		ct, ok := logical.CommonType(t, a.DataType())
		if !ok {
			return nil, logical.AnalysisErr("%s arguments have incompatible types %s and %s", name, logical.TypeName(t), logical.TypeName(a.DataType()))
		}
		t = ct
	}
	return t, nil
}

func resolveExtremum(name string, args []logical.Expr) (logical.Expr, error) {
	t, err := commonArgType(name, args)
	if err != nil {
		return nil, err
	}
	if t.ID() == arrow.NULL { // every argument is NULL
		return &logical.Literal{Type: arrow.Null}, nil
	}
	cast := make([]logical.Expr, len(args))
	for i, a := range args {
		cast[i] = logical.CastTo(a, t)
	}
	return &logical.Func{Name: name, Args: cast, Type: t}, nil
}

// resolveCoalesce rewrites coalesce(a, b, c) (and nvl) to CASE WHEN a IS
// NOT NULL THEN a WHEN b IS NOT NULL THEN b ELSE c END over the arguments
// cast to their common type, so an argument is evaluated only on the rows
// the earlier ones left null, as Spark does.
func resolveCoalesce(name string, args []logical.Expr) (logical.Expr, error) {
	t, err := commonArgType(name, args)
	if err != nil {
		return nil, err
	}
	if len(args) == 1 {
		return args[0], nil
	}
	if t.ID() == arrow.NULL {
		return &logical.Literal{Type: arrow.Null}, nil
	}
	cw := &logical.CaseWhen{Else: logical.CastTo(args[len(args)-1], t)}
	for _, a := range args[:len(args)-1] {
		cw.Whens = append(cw.Whens, &logical.Unary{Op: logical.OpIsNotNull, E: a})
		cw.Thens = append(cw.Thens, logical.CastTo(a, t))
	}
	return lazyCall(name, args, cw), nil
}

// resolveConditional rewrites if(cond, a, b) (withCond) or nvl2(x, a, b) to
// CASE WHEN cond (x IS NOT NULL) THEN a ELSE b END with both branches
// widened to their common type: each row evaluates only the branch it
// takes.
func resolveConditional(name string, args []logical.Expr, withCond bool) (logical.Expr, error) {
	cond := args[0]
	if withCond {
		if cond.DataType().ID() == arrow.NULL {
			cond = logical.CastTo(cond, arrow.FixedWidthTypes.Boolean)
		}
		if cond.DataType().ID() != arrow.BOOL {
			return nil, ArgError(name, cond, "a boolean condition")
		}
	} else {
		cond = &logical.Unary{Op: logical.OpIsNotNull, E: cond}
	}
	t, err := commonArgType(name, args[1:])
	if err != nil {
		return nil, err
	}
	if t.ID() == arrow.NULL {
		return &logical.Literal{Type: arrow.Null}, nil
	}
	cw := &logical.CaseWhen{Whens: []logical.Expr{cond}, Thens: []logical.Expr{logical.CastTo(args[1], t)}, Else: logical.CastTo(args[2], t)}
	return lazyCall(name, args, cw), nil
}

// resolveNullIf types nullif(a, b): a and b coerced for a = b, the result
// typed as a (Spark: If(EqualTo(a, b), NULL, a)).
func resolveNullIf(name string, args []logical.Expr) (logical.Expr, error) {
	switch {
	case args[0].DataType().ID() == arrow.NULL:
		return &logical.Literal{Type: arrow.Null}, nil
	case args[1].DataType().ID() == arrow.NULL: // a = NULL is never true
		return args[0], nil
	}
	eq, err := logical.TypeBinary(&logical.Binary{Op: logical.OpEq, L: args[0], R: args[1]})
	if err != nil {
		return nil, err
	}
	b := eq.(*logical.Binary)
	return &logical.Func{Name: name, Args: []logical.Expr{b.L, b.R}, Type: args[0].DataType(), MayBeNull: true}, nil
}

func compileNullIf(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	eq, err := expr.Binary(expr.Eq, a[0], a[1])
	if err != nil {
		return nil, err
	}
	null, err := expr.Literal(nil, call.Type)
	if err != nil {
		return nil, err
	}
	els := a[0]
	if !arrow.TypeEqual(els.DataType(), call.Type) { // widened for the comparison only
		if els, err = expr.Cast(els, call.Type); err != nil {
			return nil, err
		}
	}
	return expr.CaseWhen([]expr.Expr{eq}, []expr.Expr{null}, els)
}

// resolveRand types rand/randn([seed]): the seed an integer literal or NULL
// (0); without one a random seed is drawn, as Spark does.
func resolveRand(name string, args []logical.Expr) (logical.Expr, error) {
	seed := rand.Int64()
	if len(args) == 1 {
		if l, ok := args[0].(*logical.Literal); ok && l.Value == nil {
			seed = 0
		} else {
			s, err := IntLiteralArg(name, args[0])
			if err != nil {
				return nil, err
			}
			seed = s
		}
	}
	lit := &logical.Literal{Value: seed, Type: arrow.PrimitiveTypes.Int64}
	return &logical.Func{Name: name, Args: []logical.Expr{lit}, Type: arrow.PrimitiveTypes.Float64}, nil
}

func compileRand(gaussian bool) func(*logical.Func, []expr.Expr) (expr.Expr, error) {
	return func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
		seed, _ := logical.IntValue(call.Args[0].(*logical.Literal).Value)
		if gaussian {
			return mathfn.Randn(seed), nil
		}
		return mathfn.Rand(seed), nil
	}
}

func resolveHash(name string, args []logical.Expr) (logical.Expr, error) {
	for _, a := range args {
		switch t := a.DataType(); {
		case logical.IsNumeric(t), logical.IsString(t), t.ID() == arrow.BOOL, t.ID() == arrow.DATE32, t.ID() == arrow.TIMESTAMP,
			t.ID() == arrow.BINARY, t.ID() == arrow.NULL:
		default:
			return nil, ArgError(name, a, "arguments of atomic types")
		}
	}
	return &logical.Func{Name: name, Args: args, Type: arrow.PrimitiveTypes.Int32}, nil
}

// resolveDigest types md5/sha1/sha2/crc32 of a STRING or BINARY (NULL is
// cast to BINARY); sha2's bit length must be an integer literal.
func resolveDigest(name string, args []logical.Expr) (logical.Expr, error) {
	x := args[0]
	t := x.DataType()
	if t.ID() == arrow.NULL {
		x = logical.CastTo(x, arrow.BinaryTypes.Binary)
	} else if !logical.IsString(t) && t.ID() != arrow.BINARY {
		return nil, ArgError(name, x, "a string or binary argument")
	}
	out := logical.Func{Name: name, Args: []logical.Expr{x}, Type: arrow.BinaryTypes.String}
	if name == "crc32" {
		out.Type = arrow.PrimitiveTypes.Int64
	}
	if name == "sha2" {
		bits, err := IntLiteralArg(name, args[1])
		if err != nil {
			return nil, err
		}
		_, ok := mathfn.SHA2Digest(bits)
		out.MayBeNull = !ok
		out.Args = append(out.Args, &logical.Literal{Value: bits, Type: arrow.PrimitiveTypes.Int64})
	}
	return &out, nil
}

func compileDigest(d mathfn.Digest) func(*logical.Func, []expr.Expr) (expr.Expr, error) {
	return func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.HexDigest(a[0], d) }
}

// compileSha2 is sha2(x, bits); an unsupported bit length gives null, as in
// Spark.
func compileSha2(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	bits, _ := logical.IntValue(call.Args[1].(*logical.Literal).Value)
	d, ok := mathfn.SHA2Digest(bits)
	if !ok {
		return expr.Literal(nil, arrow.BinaryTypes.String)
	}
	return mathfn.HexDigest(a[0], d)
}
