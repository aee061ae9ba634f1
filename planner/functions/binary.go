package functions

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/strfn"
	"github.com/gspark/gspark/planner/logical"
)

// binaryFunctions are the functions that make or read BINARY values:
// unhex, octet_length, bit_length, encode and decode (hex, base64 and
// length accept binaries where they are defined).
func binaryFunctions() []FunctionDef {
	bin := arrow.BinaryTypes.Binary
	str := arrow.BinaryTypes.String
	i32 := arrow.PrimitiveTypes.Int32
	return []FunctionDef{
		{Name: "unhex", MinArgs: 1, MaxArgs: 1, Resolve: strfnResolve(bin, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Unhex(a[0])
		})},
		{Name: "octet_length", MinArgs: 1, MaxArgs: 1, Resolve: strfnBytesResolve(strfnResolve(i32, strfnS)), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.OctetLength(a[0])
		})},
		{Name: "bit_length", MinArgs: 1, MaxArgs: 1, Resolve: strfnBytesResolve(strfnResolve(i32, strfnS)), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.BitLength(a[0])
		})},
		{Name: "encode", MinArgs: 2, MaxArgs: 2, Resolve: binaryResolveCharset(bin, false), Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			cs, err := StringLiteralArg(call.Name, call.Args[1])
			if err != nil {
				return nil, err
			}
			return strfn.Encode(a[0], cs)
		}},
		{Name: "decode", MinArgs: 2, MaxArgs: 2, Resolve: binaryResolveCharset(str, true), Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			cs, err := StringLiteralArg(call.Name, call.Args[1])
			if err != nil {
				return nil, err
			}
			return strfn.Decode(a[0], cs)
		}},
	}
}

// binaryResolveCharset types encode(str, charset) (binaryIn false) and
// decode(bin, charset) (binaryIn true): the charset must be a string
// literal; decode also takes a string, as Spark casts it to binary.
func binaryResolveCharset(t arrow.DataType, binaryIn bool) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		if _, err := StringLiteralArg(name, args[1]); err != nil {
			return nil, err
		}
		first := args[0]
		if binaryIn && first.DataType().ID() == arrow.BINARY {
			return &logical.Func{Name: name, Args: []logical.Expr{first, args[1]}, Type: t}, nil
		}
		if binaryIn && first.DataType().ID() != arrow.STRING && first.DataType().ID() != arrow.NULL {
			return nil, ArgError(name, first, "a binary argument")
		}
		s, err := strfnStringArg(name, first)
		if err != nil {
			return nil, err
		}
		return &logical.Func{Name: name, Args: []logical.Expr{s, args[1]}, Type: t}, nil
	}
}

// binaryConcatResolve types concat: a binary when every argument is a
// binary or an untyped NULL (as Spark does), otherwise as resolve types it.
func binaryConcatResolve(resolve func(string, []logical.Expr) (logical.Expr, error)) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		bins := 0
		out := make([]logical.Expr, len(args))
		for i, a := range args {
			switch a.DataType().ID() {
			case arrow.BINARY:
				bins++
				out[i] = a
			case arrow.NULL:
				out[i] = logical.CastTo(a, arrow.BinaryTypes.Binary)
			default:
				return resolve(name, args)
			}
		}
		if bins == 0 {
			return resolve(name, args)
		}
		return &logical.Func{Name: name, Args: out, Type: arrow.BinaryTypes.Binary}, nil
	}
}

// binaryConcatCompile compiles concat of binaries with the binary kernel
// and any other concat with compile.
func binaryConcatCompile(compile func(*logical.Func, []expr.Expr) (expr.Expr, error)) func(*logical.Func, []expr.Expr) (expr.Expr, error) {
	return func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
		if call.Type.ID() == arrow.BINARY {
			return strfn.ConcatBinary(a...)
		}
		return compile(call, a)
	}
}
