package functions

import (
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/exec/expr/mathfn"
	"github.com/gspark/gspark/exec/expr/strfn"
	"github.com/gspark/gspark/planner/logical"
)

// misc2Functions are the last Spark 4.0 built-ins of issue 13:
// regexp_extract_all and regexp_instr, to_binary/try_to_binary, the UTF-8
// validity functions, xxhash64, uniform, randstr, try_make_interval, the
// AES functions, and java_method/reflect/try_reflect (unsupported: there
// is no JVM to call).
func misc2Functions() []FunctionDef {
	str := arrow.BinaryTypes.String
	bin := arrow.BinaryTypes.Binary
	utf8Fn := func(name string, out arrow.DataType, mayBeNull bool, k func(expr.Expr) (expr.Expr, error)) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 1, MaxArgs: 1,
			Resolve: func(n string, args []logical.Expr) (logical.Expr, error) {
				a, err := stringOrBinaryArg(n, args[0])
				if err != nil {
					return nil, err
				}
				return &logical.Func{Name: n, Args: []logical.Expr{a}, Type: out, MayBeNull: mayBeNull}, nil
			},
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return k(a[0]) }}
	}
	toBinary := func(name string, try bool) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 1, MaxArgs: 2, Resolve: resolveToBinary(try),
			Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
				f, err := StringLiteralArg(call.Name, call.Args[1])
				if err != nil {
					return nil, err
				}
				return strfn.ToBinary(a[0], f, try)
			}}
	}
	unsupportedJava := func(name string) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 0, MaxArgs: -1,
			Resolve: func(n string, _ []logical.Expr) (logical.Expr, error) {
				return nil, logical.AnalysisErr("%s is not supported: it calls Java methods, and gspark runs no JVM (write the logic in SQL, or call Go code with frame.UDF)", n)
			}, Compile: rewritten}
	}
	return []FunctionDef{
		{Name: "regexp_extract_all", MinArgs: 2, MaxArgs: 3, Resolve: resolveRegexpGroup(arrow.ListOf(str)),
			Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
				if null, ok := strfnNullLit(call, call.Type, 1, 2); ok {
					return null, nil
				}
				pattern, err := StringLiteralArg(call.Name, call.Args[1])
				if err != nil {
					return nil, err
				}
				idx := int64(1)
				if len(call.Args) > 2 {
					if idx, err = IntLiteralArg(call.Name, call.Args[2]); err != nil {
						return nil, err
					}
				}
				return strfn.RegexpExtractAll(a[0], pattern, int(idx))
			}},
		// regexp_instr's group index is accepted and, as in Spark 4.0,
		// does not change the answer: the position of the whole match.
		{Name: "regexp_instr", MinArgs: 2, MaxArgs: 3, Resolve: resolveRegexpGroup(arrow.PrimitiveTypes.Int32),
			Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
				if null, ok := strfnNullLit(call, call.Type, 1, 2); ok {
					return null, nil
				}
				pattern, err := StringLiteralArg(call.Name, call.Args[1])
				if err != nil {
					return nil, err
				}
				if len(call.Args) > 2 {
					if _, err := IntLiteralArg(call.Name, call.Args[2]); err != nil {
						return nil, err
					}
				}
				return strfn.RegexpInstr(a[0], pattern)
			}},
		toBinary("to_binary", false),
		toBinary("try_to_binary", true),
		utf8Fn("is_valid_utf8", arrow.FixedWidthTypes.Boolean, false, strfn.IsValidUTF8),
		utf8Fn("make_valid_utf8", str, false, strfn.MakeValidUTF8),
		utf8Fn("validate_utf8", str, false, func(e expr.Expr) (expr.Expr, error) { return strfn.ValidateUTF8(e, false) }),
		utf8Fn("try_validate_utf8", str, true, func(e expr.Expr) (expr.Expr, error) { return strfn.ValidateUTF8(e, true) }),
		{Name: "xxhash64", MinArgs: 1, MaxArgs: -1, Resolve: resolveXxHash64,
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return mathfn.XxHash64(a...) }},
		{Name: "uniform", MinArgs: 2, MaxArgs: 3, Nondeterministic: true, Resolve: resolveUniform, Compile: rewritten},
		{Name: "randstr", MinArgs: 1, MaxArgs: 2, Nondeterministic: true, Resolve: resolveRandStr,
			Compile: func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
				n, _ := IntLiteralArg(call.Name, call.Args[0])
				seed, _ := IntLiteralArg(call.Name, call.Args[1])
				return mathfn.RandStr(int32(n), seed)
			}},
		{Name: "try_make_interval", MinArgs: 1, MaxArgs: 7,
			Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
				e, err := resolveMakeInterval(7, CalendarInterval)(name, args)
				if f, ok := e.(*logical.Func); ok && err == nil {
					f.MayBeNull = true
				}
				return e, err
			},
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return datefn.TryMakeInterval(a) }},
		{Name: "aes_encrypt", MinArgs: 2, MaxArgs: 6, Nondeterministic: true, Resolve: resolveAES([]bool{true, true, false, false, true, true}, bin, false),
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
				return strfn.AESEncrypt(a[0], a[1], a[2], a[3], a[4], a[5])
			}},
		{Name: "aes_decrypt", MinArgs: 2, MaxArgs: 5, Resolve: resolveAES([]bool{true, true, false, false, true}, bin, false),
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
				return strfn.AESDecrypt(a[0], a[1], a[2], a[3], a[4], false)
			}},
		{Name: "try_aes_decrypt", MinArgs: 2, MaxArgs: 5, Resolve: resolveAES([]bool{true, true, false, false, true}, bin, true),
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
				return strfn.AESDecrypt(a[0], a[1], a[2], a[3], a[4], true)
			}},
		unsupportedJava("java_method"),
		unsupportedJava("reflect"),
		unsupportedJava("try_reflect"),
	}
}

// stringOrBinaryArg keeps a BINARY argument and coerces anything else to
// STRING as Spark's implicit casts do.
func stringOrBinaryArg(name string, a logical.Expr) (logical.Expr, error) {
	if a.DataType().ID() == arrow.BINARY {
		return a, nil
	}
	return strfnStringArg(name, a)
}

// resolveToBinary types to_binary(str[, fmt]) and try_to_binary: fmt a
// string literal ('hex' when omitted). A NULL format makes the call NULL;
// an unknown one is an analysis error for to_binary and NULL for
// try_to_binary, as in Spark.
func resolveToBinary(try bool) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		bin := arrow.BinaryTypes.Binary
		s, err := strfnStringArg(name, args[0])
		if err != nil {
			return nil, err
		}
		format := stringLiteral("hex")
		if len(args) == 2 {
			if l, ok := args[1].(*logical.Literal); ok && l.Value == nil {
				return namedAs(name, args, &logical.Literal{Type: bin}), nil
			}
			f, err := StringLiteralArg(name, args[1])
			if err != nil {
				return nil, err
			}
			if _, ok := strfn.ToBinaryFormat(f); !ok {
				if try {
					return namedAs(name, args, &logical.Literal{Type: bin}), nil
				}
				return nil, logical.AnalysisErr("[INVALID_PARAMETER_VALUE.BINARY_FORMAT] the format of %s must be a case-insensitive string literal of 'hex', 'utf-8', 'utf8', or 'base64', got '%s'", name, f)
			}
			format = args[1]
		}
		return &logical.Func{Name: name, Args: []logical.Expr{s, format}, Type: bin, MayBeNull: try}, nil
	}
}

// resolveXxHash64 types xxhash64(args...): a BIGINT of arguments of atomic,
// array, map or struct types.
func resolveXxHash64(name string, args []logical.Expr) (logical.Expr, error) {
	for _, a := range args {
		if !mathfn.XxHashable(a.DataType()) {
			return nil, ArgError(name, a, "arguments of atomic, array, map or struct types")
		}
	}
	return &logical.Func{Name: name, Args: args, Type: arrow.PrimitiveTypes.Int64}, nil
}

// literalSeed reads a seed argument: an integer literal (NULL is 0, as
// Spark's rand reads it); no argument draws a random seed.
func literalSeed(name string, args []logical.Expr, i int) (logical.Expr, error) {
	seed := rand.Int64()
	if len(args) > i {
		a := args[i]
		if c, ok := a.(*logical.Cast); ok {
			a = c.E
		}
		if l, ok := a.(*logical.Literal); ok && l.Value == nil {
			seed = 0
		} else {
			s, err := IntLiteralArg(name, a)
			if err != nil {
				return nil, logical.AnalysisErr("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] the seed of %s must be an integer literal, got %s", name, logical.StripIDs(args[i].String()))
			}
			seed = s
		}
	}
	return &logical.Literal{Value: seed, Type: arrow.PrimitiveTypes.Int64}, nil
}

// uniformType is the type of uniform(min, max): the wider integer type of
// two integers, else DOUBLE or FLOAT when either is one, else the wider
// decimal, as Spark's Uniform.dataType.
func uniformType(a, b arrow.DataType) arrow.DataType {
	rank := map[arrow.Type]int{arrow.INT8: 1, arrow.INT16: 2, arrow.INT32: 3, arrow.INT64: 4}
	switch {
	case logical.IsInteger(a) && logical.IsInteger(b):
		if rank[b.ID()] > rank[a.ID()] {
			return b
		}
		return a
	case a.ID() == arrow.FLOAT64 || b.ID() == arrow.FLOAT64:
		return arrow.PrimitiveTypes.Float64
	case a.ID() == arrow.FLOAT32 || b.ID() == arrow.FLOAT32:
		return arrow.PrimitiveTypes.Float32
	case logical.IsDecimal(a) && logical.IsDecimal(b):
		pa, sa := decimalPS(a)
		pb, sb := decimalPS(b)
		if pa-sa >= pb-sb && sa >= sb {
			return a
		}
		return b
	case logical.IsDecimal(b):
		return b
	}
	return a
}

// decimalPS returns the precision and scale of a decimal type.
func decimalPS(t arrow.DataType) (int32, int32) {
	d := t.(arrow.DecimalType)
	return d.GetPrecision(), d.GetScale()
}

// foldable reports whether e is a literal or a cast of one.
func foldable(e logical.Expr) bool {
	if c, ok := e.(*logical.Cast); ok {
		e = c.E
	}
	_, ok := e.(*logical.Literal)
	return ok
}

// resolveUniform rewrites uniform(min, max[, seed]) as Spark does: CAST(min
// + (max - min) * rand(seed) AS type) over doubles, type by uniformType;
// min and max must be numeric literals, and any NULL makes the call NULL.
func resolveUniform(name string, args []logical.Expr) (logical.Expr, error) {
	for i, a := range args[:2] {
		t := a.DataType()
		if !logical.IsNumeric(t) && t.ID() != arrow.NULL {
			return nil, ArgError(name, a, "numeric min and max")
		}
		if !foldable(a) {
			return nil, logical.AnalysisErr("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] the %s of %s must be an integer or floating-point literal, got %s", []string{"min", "max"}[i], name, logical.StripIDs(a.String()))
		}
	}
	if len(args) == 3 {
		if t := args[2].DataType(); !logical.IsInteger(t) && t.ID() != arrow.NULL {
			return nil, ArgError(name, args[2], "an integer seed")
		}
	}
	seed, err := literalSeed(name, args, 2)
	if err != nil {
		return nil, err
	}
	for _, a := range args {
		if a.DataType().ID() == arrow.NULL {
			return namedAs(name, args, &logical.Literal{Type: arrow.Null}), nil
		}
	}
	f64 := arrow.PrimitiveTypes.Float64
	lo, hi := logical.CastTo(args[0], f64), logical.CastTo(args[1], f64)
	r := &logical.Func{Name: "rand", Args: []logical.Expr{seed}, Type: f64}
	span, err := logical.TypeBinary(&logical.Binary{Op: logical.OpSub, L: hi, R: lo})
	if err != nil {
		return nil, err
	}
	scaled, err := logical.TypeBinary(&logical.Binary{Op: logical.OpMul, L: span, R: r})
	if err != nil {
		return nil, err
	}
	sum, err := logical.TypeBinary(&logical.Binary{Op: logical.OpAdd, L: lo, R: scaled})
	if err != nil {
		return nil, err
	}
	return namedAs(name, args, logical.CastTo(sum, uniformType(args[0].DataType(), args[1].DataType()))), nil
}

// resolveRandStr types randstr(length[, seed]): length an integer literal
// of at most INT (negative is an error), seed an integer literal.
func resolveRandStr(name string, args []logical.Expr) (logical.Expr, error) {
	t := args[0].DataType()
	if !foldable(args[0]) || !(t.ID() == arrow.INT8 || t.ID() == arrow.INT16 || t.ID() == arrow.INT32) {
		return nil, logical.AnalysisErr("[DATATYPE_MISMATCH] the length of %s must be a SMALLINT or INT literal, got %s", name, logical.StripIDs(args[0].String()))
	}
	a := args[0]
	if c, ok := a.(*logical.Cast); ok {
		a = c.E
	}
	n, err := IntLiteralArg(name, a)
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, logical.AnalysisErr("[INVALID_PARAMETER_VALUE.LENGTH] the length of %s must be at least 0, got %d", name, n)
	}
	seed, err := literalSeed(name, args, 1)
	if err != nil {
		return nil, err
	}
	length := &logical.Literal{Value: int32(n), Type: arrow.PrimitiveTypes.Int32}
	return namedAs(name, args, &logical.Func{Name: name, Args: []logical.Expr{length, seed}, Type: arrow.BinaryTypes.String}), nil
}

// resolveAES types aes_encrypt/aes_decrypt/try_aes_decrypt: the arguments
// marked binary (input, key, iv, aad) as BINARY (a string by its UTF-8
// bytes), mode and padding as STRING; omitted trailing arguments take
// Spark's defaults ('GCM', 'DEFAULT', an empty IV and AAD).
func resolveAES(binary []bool, out arrow.DataType, mayBeNull bool) func(string, []logical.Expr) (logical.Expr, error) {
	defaults := []string{"", "", "GCM", "DEFAULT", "", ""}
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		full := make([]logical.Expr, len(binary))
		for i := range full {
			var a logical.Expr
			if i < len(args) {
				a = args[i]
			} else {
				a = stringLiteral(defaults[i])
			}
			t := a.DataType()
			switch {
			case binary[i] && (t.ID() == arrow.BINARY || t.ID() == arrow.STRING || t.ID() == arrow.NULL):
				full[i] = logical.CastTo(a, arrow.BinaryTypes.Binary)
			case !binary[i] && (t.ID() == arrow.STRING || t.ID() == arrow.NULL):
				full[i] = logical.CastTo(a, arrow.BinaryTypes.String)
			case binary[i]:
				return nil, ArgError(name, a, "a BINARY (or STRING) argument")
			default:
				return nil, ArgError(name, a, "a STRING mode and padding")
			}
		}
		return namedAs(name, args, &logical.Func{Name: name, Args: full, Type: out, MayBeNull: mayBeNull}), nil
	}
}

// resolveRegexpGroup types f(str, regexp[, idx]): regexp a string literal,
// idx an integer literal (NULL literals make the call NULL when compiled).
func resolveRegexpGroup(t arrow.DataType) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		if len(args) == 3 {
			if l, ok := args[2].(*logical.Literal); !ok || l.Value != nil {
				if _, err := IntLiteralArg(name, args[2]); err != nil {
					return nil, err
				}
			}
		}
		return strfnResolveLits(t, 1)(name, args)
	}
}
