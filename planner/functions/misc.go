package functions

import (
	"runtime/debug"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/mathfn"

	"github.com/gspark/gspark/planner/logical"
)

// miscFunctions are Spark's miscellaneous and null functions that rewrite
// to other expressions: typeof, version, isnull, isnotnull, equal_null,
// nullifzero and zeroifnull.
func miscFunctions() []FunctionDef {
	return []FunctionDef{
		{Name: "typeof", MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			return namedAs(name, args, stringLiteral(logical.TypeName(args[0].DataType()))), nil
		}, Compile: rewritten},
		{Name: "version", MinArgs: 0, MaxArgs: 0, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			return namedAs(name, args, stringLiteral(gsparkVersion())), nil
		}, Compile: rewritten},
		{Name: "isnull", MinArgs: 1, MaxArgs: 1, Resolve: func(_ string, args []logical.Expr) (logical.Expr, error) {
			return &logical.Unary{Op: logical.OpIsNull, E: args[0]}, nil
		}, Compile: rewritten},
		{Name: "isnotnull", MinArgs: 1, MaxArgs: 1, Resolve: func(_ string, args []logical.Expr) (logical.Expr, error) {
			return &logical.Unary{Op: logical.OpIsNotNull, E: args[0]}, nil
		}, Compile: rewritten},
		{Name: "equal_null", MinArgs: 2, MaxArgs: 2, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			e, err := logical.TypeBinary(&logical.Binary{Op: logical.OpNullSafeEq, L: args[0], R: args[1]})
			if err != nil {
				return nil, err
			}
			return namedAs(name, args, e), nil
		}, Compile: rewritten},
		{Name: "spark_partition_id", MinArgs: 0, MaxArgs: 0, Nondeterministic: true, Resolve: func(name string, _ []logical.Expr) (logical.Expr, error) {
			return &logical.Func{Name: name, Type: arrow.PrimitiveTypes.Int32}, nil
		}, Compile: partitionOnly},
		{Name: "monotonically_increasing_id", MinArgs: 0, MaxArgs: 0, Nondeterministic: true, Resolve: func(name string, _ []logical.Expr) (logical.Expr, error) {
			return &logical.Func{Name: name, Type: arrow.PrimitiveTypes.Int64}, nil
		}, Compile: partitionOnly},
		// __monotonic_id(base) is monotonically_increasing_id() as the
		// physical planner rewrites it for one partition (base = p << 33).
		{Name: "__monotonic_id", MinArgs: 1, MaxArgs: 1, Nondeterministic: true, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			return &logical.Func{Name: name, Args: args, Type: arrow.PrimitiveTypes.Int64}, nil
		}, Compile: func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
			base, err := IntLiteralArg(call.Name, call.Args[0])
			if err != nil {
				return nil, err
			}
			return mathfn.MonotonicID(base), nil
		}},
		{Name: "nullifzero", MinArgs: 1, MaxArgs: 1, Resolve: resolveNullIfZero, Compile: compileNullIf},
		{Name: "zeroifnull", MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			if err := numericArg(name, args[0]); err != nil {
				return nil, err
			}
			e, err := resolveCoalesce("coalesce", []logical.Expr{args[0], zeroLiteral()})
			if err != nil {
				return nil, err
			}
			if al, ok := e.(*logical.Alias); ok {
				e = al.E
			}
			return namedAs(name, args, e), nil
		}, Compile: rewritten},
	}
}

// partitionOnly is the Compile of spark_partition_id and
// monotonically_increasing_id, which the physical planner rewrites per
// partition where it evaluates them (select lists and filters); anywhere
// else they are an error rather than a wrong partition.
func partitionOnly(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
	return nil, logical.AnalysisErr("%s() is only supported in a select list or a WHERE condition", call.Name)
}

// resolveNullIfZero types nullifzero(x): nullif(x, 0), named for the call.
func resolveNullIfZero(name string, args []logical.Expr) (logical.Expr, error) {
	if err := numericArg(name, args[0]); err != nil {
		return nil, err
	}
	e, err := resolveNullIf(name, []logical.Expr{args[0], zeroLiteral()})
	if err != nil {
		return nil, err
	}
	return namedAs(name, args, e), nil
}

// numericArg checks that a is numeric (or an untyped NULL).
func numericArg(name string, a logical.Expr) error {
	if t := a.DataType(); !logical.IsNumeric(t) && t.ID() != arrow.NULL {
		return ArgError(name, a, "a numeric argument")
	}
	return nil
}

func zeroLiteral() logical.Expr {
	return &logical.Literal{Value: int32(0), Type: arrow.PrimitiveTypes.Int32}
}

func stringLiteral(s string) logical.Expr {
	return &logical.Literal{Value: s, Type: arrow.BinaryTypes.String}
}

// namedAs names the expression a call rewrites to with the call's text, as
// Spark names the column.
func namedAs(name string, args []logical.Expr, e logical.Expr) logical.Expr {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = logical.OutputName(a)
	}
	return &logical.Alias{E: e, Name: name + "(" + strings.Join(parts, ", ") + ")"}
}

// gsparkVersion is version()'s answer in Spark's layout "x.y.z revision":
// the gspark module's version (0.0.0 for a build from a working tree, whose
// module has none) and the VCS revision the build recorded ("unknown"
// without one). Spark answers its own release and commit instead.
func gsparkVersion() string {
	v, rev := "0.0.0", "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if m := strings.TrimPrefix(bi.Main.Version, "v"); m != "" && m != "(devel)" {
			v = m
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				rev = s.Value
			}
		}
	}
	return v + " " + rev
}
