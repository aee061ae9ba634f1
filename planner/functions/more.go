package functions

import (
	"fmt"
	"math/rand/v2"
	"os/user"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/exec/expr/mathfn"
	"github.com/gspark/gspark/exec/expr/strfn"
	"github.com/gspark/gspark/planner/logical"
)

// moreFunctions are Spark 4.0 built-ins that rewrite to other expressions or
// wrap small kernels: rint, log1p, expm1, space, quote, the session
// constants (current_user, current_database, current_catalog,
// localtimestamp) and the cast functions int(x), double(x), ...
func moreFunctions() []FunctionDef {
	f64 := arrow.PrimitiveTypes.Float64
	double1 := func(name string, mayBeNull bool, k func(expr.Expr) (expr.Expr, error)) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 1, MaxArgs: 1,
			Resolve: func(n string, args []logical.Expr) (logical.Expr, error) {
				return resolveDoubles(n, args, f64, mayBeNull)
			},
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return k(a[0]) }}
	}
	constant := func(name string, aliases []string, value func() (string, error)) FunctionDef {
		return FunctionDef{Name: name, Aliases: aliases, MinArgs: 0, MaxArgs: 0,
			Resolve: func(n string, args []logical.Expr) (logical.Expr, error) {
				v, err := value()
				if err != nil {
					return nil, fmt.Errorf("%s: %w", n, err)
				}
				return namedAs(n, args, stringLiteral(v)), nil
			}, Compile: rewritten}
	}
	fixed := func(s string) func() (string, error) { return func() (string, error) { return s, nil } }
	defs := []FunctionDef{
		double1("rint", false, mathfn.Rint),
		double1("log1p", true, mathfn.Log1p),
		double1("expm1", false, mathfn.Expm1),
		{Name: "space", MinArgs: 1, MaxArgs: 1, Resolve: resolveSpace, Compile: rewritten},
		{Name: "quote", MinArgs: 1, MaxArgs: 1, Resolve: resolveQuote, Compile: rewritten},
		constant("current_database", []string{"current_schema"}, fixed("default")),
		constant("current_catalog", nil, fixed("spark_catalog")),
		constant("current_user", []string{"user", "session_user"}, osUser),
		{Name: "localtimestamp", MinArgs: 0, MaxArgs: 0, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			now := &logical.Func{Name: "current_timestamp", Type: datefn.Timestamp}
			return namedAs(name, args, &logical.Cast{E: now, To: datefn.TimestampNTZ}), nil
		}, Compile: rewritten},
		// uuid carries a hidden random tag, as Spark's Uuid a random seed, so
		// that two calls are two expressions.
		{Name: "uuid", MinArgs: 0, MaxArgs: 0, HiddenArgs: 1, Nondeterministic: true, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			tag := &logical.Literal{Value: rand.Int64(), Type: arrow.PrimitiveTypes.Int64}
			return namedAs(name, args, &logical.Func{Name: name, Args: []logical.Expr{tag}, Type: arrow.BinaryTypes.String}), nil
		}, Compile: func(_ *logical.Func, _ []expr.Expr) (expr.Expr, error) { return strfn.UUID(), nil }},
		// raise_error is nondeterministic so that constant folding never
		// evaluates (and fails on) a call no row reaches.
		{Name: "raise_error", MinArgs: 1, MaxArgs: 1, Nondeterministic: true, Resolve: resolveRaiseError,
			Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) { return expr.RaiseError(a[0]) }},
		regexFn("regexp_count", arrow.PrimitiveTypes.Int32, false, strfn.RegexpCount),
		regexFn("regexp_substr", arrow.BinaryTypes.String, true, strfn.RegexpSubstr),
		{Name: "assert_true", MinArgs: 1, MaxArgs: 2, Resolve: resolveAssertTrue, Compile: rewritten},
	}
	// Spark registers a function per cast target: int(x) is CAST(x AS INT).
	for _, t := range []string{"bigint", "int", "smallint", "tinyint", "double", "float", "decimal", "string", "boolean", "binary", "date", "timestamp"} {
		to, err := logical.ParseType(t)
		if err != nil {
			continue // every name above is a type ParseType knows
		}
		defs = append(defs, FunctionDef{Name: t, MinArgs: 1, MaxArgs: 1,
			Resolve: func(_ string, args []logical.Expr) (logical.Expr, error) {
				if arrow.TypeEqual(args[0].DataType(), to) {
					return args[0], nil
				}
				return &logical.Cast{E: args[0], To: to}, nil
			}, Compile: rewritten})
	}
	return defs
}

// resolveRaiseError types raise_error(msg): a NULL column that fails with msg.
func resolveRaiseError(name string, args []logical.Expr) (logical.Expr, error) {
	t := args[0].DataType()
	if !logical.IsString(t) && t.ID() != arrow.NULL {
		return nil, ArgError(name, args[0], "a STRING message")
	}
	return &logical.Func{Name: name, Args: []logical.Expr{logical.CastTo(args[0], arrow.BinaryTypes.String)}, Type: arrow.Null, MayBeNull: true}, nil
}

// resolveAssertTrue rewrites assert_true(cond[, msg]) as Spark does: CASE
// WHEN cond THEN NULL ELSE raise_error(msg) END, msg by default
// '<cond>' is not true!.
func resolveAssertTrue(name string, args []logical.Expr) (logical.Expr, error) {
	if t := args[0].DataType(); t.ID() != arrow.BOOL && t.ID() != arrow.NULL {
		return nil, ArgError(name, args[0], "a BOOLEAN condition")
	}
	msg := stringLiteral("'" + logical.StripIDs(args[0].String()) + "' is not true!")
	if len(args) == 2 {
		msg = args[1]
	}
	raise, err := resolveRaiseError("raise_error", []logical.Expr{msg})
	if err != nil {
		return nil, err
	}
	cond := logical.CastTo(args[0], arrow.FixedWidthTypes.Boolean)
	cw := &logical.CaseWhen{Whens: []logical.Expr{cond}, Thens: []logical.Expr{&logical.Literal{Type: arrow.Null}}, Else: raise}
	return lazyCall(name, args, cw), nil
}

// regexFn is a function of a string and a literal regular expression.
func regexFn(name string, out arrow.DataType, mayBeNull bool, k func(expr.Expr, string) (expr.Expr, error)) FunctionDef {
	return FunctionDef{Name: name, MinArgs: 2, MaxArgs: 2,
		Resolve: func(n string, args []logical.Expr) (logical.Expr, error) {
			e, err := strfnResolveLits(out, 1)(n, args)
			if f, ok := e.(*logical.Func); ok && err == nil {
				f.MayBeNull = mayBeNull
			}
			return e, err
		},
		Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			if null, ok := strfnNullLit(call, out, 1); ok {
				return null, nil
			}
			pattern, err := StringLiteralArg(call.Name, call.Args[1])
			if err != nil {
				return nil, err
			}
			return k(a[0], pattern)
		}}
}

// osUser is the name of the user running the process, Spark's current_user
// outside a Hive session.
func osUser() (string, error) {
	u, err := user.Current()
	if err != nil {
		return "", fmt.Errorf("reading the current user: %w", err)
	}
	return u.Username, nil
}

// callBuiltin resolves a call of a built-in string function with args (the
// registry compiles the call by its name).
func callBuiltin(name string, args ...logical.Expr) (logical.Expr, error) {
	for _, d := range stringFunctions() {
		if d.Name == name {
			return d.Resolve(name, args)
		}
	}
	return nil, fmt.Errorf("internal error: built-in %s missing", name)
}

// resolveSpace rewrites space(n) to repeat(' ', n).
func resolveSpace(name string, args []logical.Expr) (logical.Expr, error) {
	t := args[0].DataType()
	if !logical.IsInteger(t) && !logical.IsString(t) && t.ID() != arrow.NULL {
		return nil, ArgError(name, args[0], "an integer argument")
	}
	e, err := callBuiltin("repeat", stringLiteral(" "), args[0])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return namedAs(name, args, e), nil
}

// resolveQuote rewrites quote(s) to the string enclosed in single quotes,
// each backslash and single quote in it preceded by a backslash (Spark's
// Quote).
func resolveQuote(name string, args []logical.Expr) (logical.Expr, error) {
	t := args[0].DataType()
	if !logical.IsString(t) && t.ID() != arrow.NULL {
		return nil, ArgError(name, args[0], "a STRING argument")
	}
	s := logical.CastTo(args[0], arrow.BinaryTypes.String)
	s, err := callBuiltin("replace", s, stringLiteral(`\`), stringLiteral(`\\`))
	if err == nil {
		s, err = callBuiltin("replace", s, stringLiteral(`'`), stringLiteral(`\'`))
	}
	if err == nil {
		s, err = callBuiltin("concat", stringLiteral(`'`), s, stringLiteral(`'`))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return namedAs(name, args, s), nil
}
