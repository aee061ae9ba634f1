package functions

import (
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/strfn"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// stringFunctions are the built-in string functions (upper, lower and
// substring are core functions).
func stringFunctions() []FunctionDef {
	str := arrow.BinaryTypes.String
	i32 := arrow.PrimitiveTypes.Int32
	return []FunctionDef{
		{Name: "concat", MinArgs: 0, MaxArgs: -1, Resolve: binaryConcatResolve(strfnResolve(str, strfnS)), Compile: binaryConcatCompile(strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Concat(a...)
		}))},
		{Name: "concat_ws", MinArgs: 1, MaxArgs: -1, Resolve: strfnResolve(str, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.ConcatWs(a[0], a[1:]...)
		})},
		{Name: "length", Aliases: []string{"char_length", "character_length", "len"}, MinArgs: 1, MaxArgs: 1, Resolve: strfnBytesResolve(strfnResolve(i32, strfnS)), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			if a[0].DataType().ID() == arrow.BINARY {
				return strfn.BinaryLength(a[0]) // bytes, as Spark counts a binary
			}
			return strfn.Length(a[0])
		})},
		strfnTrimDef("trim", strfn.TrimBoth),
		strfnTrimDef("btrim", strfn.TrimBoth),
		strfnTrimDef("ltrim", strfn.TrimLeading),
		strfnTrimDef("rtrim", strfn.TrimTrailing),
		{Name: "lpad", MinArgs: 2, MaxArgs: 3, Resolve: strfnResolve(str, strfnSIS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Lpad(a[0], a[1], strfnOpt(a, 2))
		})},
		{Name: "rpad", MinArgs: 2, MaxArgs: 3, Resolve: strfnResolve(str, strfnSIS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Rpad(a[0], a[1], strfnOpt(a, 2))
		})},
		{Name: "instr", MinArgs: 2, MaxArgs: 2, Resolve: strfnResolve(i32, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Instr(a[0], a[1])
		})},
		{Name: "locate", Aliases: []string{"position"}, MinArgs: 2, MaxArgs: 3, Resolve: strfnResolve(i32, strfnSSI), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Locate(a[0], a[1], strfnOpt(a, 2))
		})},
		{Name: "replace", MinArgs: 2, MaxArgs: 3, Resolve: strfnResolve(str, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Replace(a[0], a[1], strfnOpt(a, 2))
		})},
		{Name: "initcap", MinArgs: 1, MaxArgs: 1, Resolve: strfnResolve(str, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.InitCap(a[0])
		})},
		{Name: "reverse", MinArgs: 1, MaxArgs: 1, Resolve: strfnResolve(str, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Reverse(a[0])
		})},
		{Name: "repeat", MinArgs: 2, MaxArgs: 2, Resolve: strfnResolve(str, strfnSIS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Repeat(a[0], a[1])
		})},
		{Name: "left", MinArgs: 2, MaxArgs: 2, Resolve: resolveLeft, Compile: compileLeft},
		{Name: "right", MinArgs: 2, MaxArgs: 2, Resolve: strfnResolve(str, strfnSIS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Right(a[0], a[1])
		})},
		{Name: "ascii", MinArgs: 1, MaxArgs: 1, Resolve: strfnResolve(i32, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Ascii(a[0])
		})},
		{Name: "translate", MinArgs: 3, MaxArgs: 3, Resolve: strfnResolveLits(str, 1, 2), Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			if null, ok := strfnNullLit(call, str, 1, 2); ok {
				return null, nil
			}
			from, _ := StringLiteralArg(call.Name, call.Args[1])
			to, _ := StringLiteralArg(call.Name, call.Args[2])
			return strfn.Translate(a[0], from, to)
		}},
		{Name: "regexp_replace", MinArgs: 3, MaxArgs: 4, Resolve: strfnResolveLits(str, 1, 2, 3), Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			if null, ok := strfnNullLit(call, str, 1, 2, 3); ok {
				return null, nil
			}
			pattern, _ := StringLiteralArg(call.Name, call.Args[1])
			rep, _ := StringLiteralArg(call.Name, call.Args[2])
			pos := int64(1)
			if len(call.Args) > 3 {
				pos, _ = IntLiteralArg(call.Name, call.Args[3])
			}
			return strfn.RegexpReplace(a[0], pattern, rep, int(pos))
		}},
		{Name: "regexp_extract", MinArgs: 2, MaxArgs: 3, Resolve: strfnResolveLits(str, 1, 2), Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			if null, ok := strfnNullLit(call, str, 1, 2); ok {
				return null, nil
			}
			pattern, _ := StringLiteralArg(call.Name, call.Args[1])
			idx := int64(1)
			if len(call.Args) > 2 {
				idx, _ = IntLiteralArg(call.Name, call.Args[2])
			}
			return strfn.RegexpExtract(a[0], pattern, int(idx))
		}},
		{Name: "rlike", Aliases: []string{"regexp", "regexp_like"}, MinArgs: 2, MaxArgs: 2, Resolve: strfnResolveLits(arrow.FixedWidthTypes.Boolean, 1), Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			if null, ok := strfnNullLit(call, arrow.FixedWidthTypes.Boolean, 1); ok {
				return null, nil
			}
			pattern, _ := StringLiteralArg(call.Name, call.Args[1])
			return strfn.RLike(a[0], pattern)
		}},
		{Name: "split_part", MinArgs: 3, MaxArgs: 3, Resolve: strfnResolve(str, strfnSSI), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.SplitPart(a[0], a[1], a[2])
		})},
		{Name: "substring_index", MinArgs: 3, MaxArgs: 3, Resolve: strfnResolve(str, strfnSSI), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.SubstringIndex(a[0], a[1], a[2])
		})},
		{Name: "find_in_set", MinArgs: 2, MaxArgs: 2, Resolve: strfnResolve(i32, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.FindInSet(a[0], a[1])
		})},
		{Name: "elt", MinArgs: 2, MaxArgs: -1, Resolve: strfnResolve(str, "is"), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Elt(a[0], a[1:]...)
		})},
		{Name: "overlay", MinArgs: 3, MaxArgs: 4, Resolve: strfnResolve(str, strfnSSI), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Overlay(a[0], a[1], a[2], strfnOpt(a, 3))
		})},
		{Name: "soundex", MinArgs: 1, MaxArgs: 1, Resolve: strfnResolve(str, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Soundex(a[0])
		})},
		{Name: "levenshtein", MinArgs: 2, MaxArgs: 3, Resolve: strfnResolve(i32, strfnSSI), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Levenshtein(a[0], a[1], strfnOpt(a, 2))
		})},
		{Name: "luhn_check", MinArgs: 1, MaxArgs: 1, Resolve: strfnResolve(arrow.FixedWidthTypes.Boolean, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.LuhnCheck(a[0])
		})},
		{Name: "startswith", MinArgs: 2, MaxArgs: 2, Resolve: strfnBytesResolve(strfnResolve(arrow.FixedWidthTypes.Boolean, strfnS)), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.StartsWith(a[0], a[1])
		})},
		{Name: "endswith", MinArgs: 2, MaxArgs: 2, Resolve: strfnBytesResolve(strfnResolve(arrow.FixedWidthTypes.Boolean, strfnS)), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.EndsWith(a[0], a[1])
		})},
		{Name: "contains", MinArgs: 2, MaxArgs: 2, Resolve: strfnBytesResolve(strfnResolve(arrow.FixedWidthTypes.Boolean, strfnS)), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Contains(a[0], a[1])
		})},
		{Name: "chr", Aliases: []string{"char"}, MinArgs: 1, MaxArgs: 1, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			t := args[0].DataType()
			if t.ID() != arrow.NULL && !logical.IsInteger(t) && t.ID() != arrow.STRING {
				return nil, ArgError(name, args[0], "a bigint argument")
			}
			return &logical.Func{Name: name, Args: []logical.Expr{logical.CastTo(args[0], arrow.PrimitiveTypes.Int64)}, Type: str}, nil
		}, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return strfn.Chr(a[0])
		}},
		{Name: "base64", MinArgs: 1, MaxArgs: 1, Resolve: strfnBytesResolve(strfnResolve(str, strfnS)), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Base64(a[0])
		})},
		{Name: "unbase64", MinArgs: 1, MaxArgs: 1, Resolve: strfnResolve(arrow.BinaryTypes.Binary, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.Unbase64(a[0])
		})},
		{Name: "mask", MinArgs: 1, MaxArgs: 5, Resolve: strfnResolveMask, Compile: compileMask, Params: maskParams()},
		strfnLikeDef("like", false),
		strfnLikeDef("ilike", true),
		{Name: "format_string", Aliases: []string{"printf"}, MinArgs: 1, MaxArgs: -1, Resolve: strfnResolveFormatString, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return strfn.FormatString(a[0], a[1:]...)
		}},
		{Name: "to_number", MinArgs: 2, MaxArgs: 2, Resolve: strfnResolveToNumber, Compile: strfnCompileNumFormat},
		{Name: "try_to_number", MinArgs: 2, MaxArgs: 2, Resolve: strfnResolveToNumber, Compile: strfnCompileNumFormat},
		{Name: "to_char", Aliases: []string{"to_varchar"}, MinArgs: 2, MaxArgs: 2, Resolve: strfnResolveToChar, Compile: strfnCompileNumFormat},
		{Name: "sentences", MinArgs: 1, MaxArgs: 3, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			out := make([]logical.Expr, len(args))
			for i, a := range args {
				var err error
				if out[i], err = strfnStringArg(name, a); err != nil {
					return nil, err
				}
			}
			return &logical.Func{Name: name, Args: out, Type: arrow.ListOf(arrow.ListOf(str))}, nil
		}, Compile: func(_ *logical.Func, a []expr.Expr) (expr.Expr, error) {
			return strfn.Sentences(a[0]) // the language and country select the US rules only
		}},
		{Name: "format_number", MinArgs: 2, MaxArgs: 2, Resolve: strfnResolveFormatNumber, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			if p, err := StringLiteralArg(call.Name, call.Args[1]); err == nil {
				return strfn.FormatNumberPattern(a[0], p)
			}
			return strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
				return strfn.FormatNumber(a[0], a[1])
			})(call, a)
		}},
	}
}

// strfnResolveFormatNumber types format_number(x, d): integers widen to
// bigint, float to double and strings cast to double; decimals stay. The
// result is null when d is negative. d may instead be a DecimalFormat
// pattern given as a string literal.
func strfnResolveFormatNumber(name string, args []logical.Expr) (logical.Expr, error) {
	x, d := args[0], args[1]
	switch t := x.DataType(); {
	case logical.IsInteger(t):
		x = logical.CastTo(x, arrow.PrimitiveTypes.Int64)
	case logical.IsFloat(t) || t.ID() == arrow.STRING || t.ID() == arrow.NULL:
		x = logical.CastTo(x, arrow.PrimitiveTypes.Float64)
	case logical.IsDecimal(t):
	default:
		return nil, ArgError(name, args[0], "a numeric argument")
	}
	switch t := d.DataType(); {
	case logical.IsInteger(t) || t.ID() == arrow.NULL:
		d = logical.CastTo(d, arrow.PrimitiveTypes.Int32)
	case t.ID() == arrow.STRING:
		if _, err := StringLiteralArg(name, d); err != nil {
			return nil, logical.AnalysisErr("format_number needs its format pattern as a string literal, got %s", logical.StripIDs(d.String()))
		}
	default:
		return nil, ArgError(name, args[1], "an integer argument")
	}
	return &logical.Func{Name: name, Args: []logical.Expr{x, d}, Type: arrow.BinaryTypes.String, MayBeNull: true}, nil
}

// Argument kinds of the string functions: 's' a string, 'i' an int.
const (
	strfnS   = "s"   // every argument a string
	strfnSIS = "sis" // string, int, then strings
	strfnSSI = "ssi" // string, string, then ints
)

// strfnKind returns the kind of argument i under the pattern kinds; the last
// kind repeats.
func strfnKind(kinds string, i int) byte { return kinds[min(i, len(kinds)-1)] }

// strfnResolve types a string function returning t whose arguments are
// coerced by kinds: Spark implicitly casts numbers, booleans and datetimes
// to string, and strings or other integers to int (ANSI cast: a value out
// of the int range is an error).
func strfnResolve(t arrow.DataType, kinds string) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		out := make([]logical.Expr, len(args))
		for i, a := range args {
			var err error
			if strfnKind(kinds, i) == 'i' {
				out[i], err = strfnIntArg(name, a)
			} else {
				out[i], err = strfnStringArg(name, a)
			}
			if err != nil {
				return nil, err
			}
		}
		return &logical.Func{Name: name, Args: out, Type: t}, nil
	}
}

// strfnStringArg coerces a to string.
func strfnStringArg(name string, a logical.Expr) (logical.Expr, error) {
	t := a.DataType()
	if d, ok := t.(*arrow.DictionaryType); ok && d.ValueType.ID() == arrow.STRING {
		return a, nil // the kernels decode dictionaries
	}
	switch {
	case t.ID() == arrow.STRING:
		return a, nil
	case t.ID() == arrow.NULL || logical.IsNumeric(t) || t.ID() == arrow.BOOL || t.ID() == arrow.DATE32 || t.ID() == arrow.TIMESTAMP:
		return logical.CastTo(a, arrow.BinaryTypes.String), nil
	}
	return nil, ArgError(name, a, "a string argument")
}

// strfnIntArg coerces a to int.
func strfnIntArg(name string, a logical.Expr) (logical.Expr, error) {
	t := a.DataType()
	if t.ID() == arrow.NULL || logical.IsInteger(t) || t.ID() == arrow.STRING {
		return logical.CastTo(a, arrow.PrimitiveTypes.Int32), nil
	}
	return nil, ArgError(name, a, "an integer argument")
}

// strfnConsts wraps a Compile function so that non-null string and int
// literal arguments reach the kernels as constants read once, not as
// columns of copies.
func strfnConsts(f func(a []expr.Expr) (expr.Expr, error)) func(*logical.Func, []expr.Expr) (expr.Expr, error) {
	return func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
		args := append([]expr.Expr(nil), a...)
		for i, arg := range call.Args {
			l, ok := arg.(*logical.Literal)
			if !ok || l.Value == nil || i >= len(args) {
				continue
			}
			var err error
			switch v := l.Value.(type) {
			case string:
				if l.Type.ID() == arrow.STRING {
					args[i], err = strfn.StringConst(v)
				}
			case int32:
				if l.Type.ID() == arrow.INT32 {
					args[i], err = strfn.IntConst(v)
				}
			}
			if err != nil {
				return nil, err
			}
		}
		return f(args)
	}
}

// strfnOpt returns a[i], or nil when absent.
func strfnOpt(a []expr.Expr, i int) expr.Expr {
	if i < len(a) {
		return a[i]
	}
	return nil
}

// strfnTrimDef defines trim, ltrim and rtrim, whose two-argument form is
// (trimStr, str) as in Spark, and btrim, whose form is (str, trimStr).
func strfnTrimDef(name string, mode strfn.TrimMode) FunctionDef {
	return FunctionDef{Name: name, MinArgs: 1, MaxArgs: 2, Resolve: strfnResolve(arrow.BinaryTypes.String, strfnS), Compile: strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
		if len(a) == 2 && name != "btrim" {
			return strfn.Trim(name, mode, a[1], a[0])
		}
		return strfn.Trim(name, mode, a[0], strfnOpt(a, 1))
	})}
}

// strfnResolveLits types a function whose first argument is a string and
// whose arguments at lits are literals read when compiling (regexp
// patterns, translate maps, group indexes): strings, or the int of the
// optional last position; a NULL literal makes the result NULL.
func strfnResolveLits(t arrow.DataType, lits ...int) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		first, err := strfnStringArg(name, args[0])
		if err != nil {
			return nil, err
		}
		out := append([]logical.Expr{first}, args[1:]...)
		for _, i := range lits {
			if i >= len(args) {
				continue
			}
			a := args[i]
			if l, ok := a.(*logical.Literal); ok && l.Value == nil {
				continue
			}
			isInt := (name == "regexp_replace" && i == 3) || (name == "regexp_extract" && i == 2)
			if isInt {
				if _, err := IntLiteralArg(name, a); err != nil {
					return nil, err
				}
			} else if _, err := StringLiteralArg(name, a); err != nil {
				return nil, err
			}
		}
		return &logical.Func{Name: name, Args: out, Type: t}, nil
	}
}

// strfnNullLit returns a NULL of type t when one of the literal
// arguments at lits is NULL.
func strfnNullLit(call *logical.Func, t arrow.DataType, lits ...int) (expr.Expr, bool) {
	for _, i := range lits {
		if i >= len(call.Args) {
			continue
		}
		if l, ok := call.Args[i].(*logical.Literal); ok && l.Value == nil {
			e, err := expr.Literal(nil, t)
			return e, err == nil
		}
	}
	return nil, false
}

// strfnResolveMask types mask(str[, upper[, lower[, digit[, other]]]]):
// each replacement is a literal of one character or NULL (which leaves
// its class unmasked).
func strfnResolveMask(name string, args []logical.Expr) (logical.Expr, error) {
	first, err := strfnStringArg(name, args[0])
	if err != nil {
		return nil, err
	}
	out := append([]logical.Expr{first}, args[1:]...)
	for _, a := range args[1:] {
		if l, ok := a.(*logical.Literal); ok && l.Value == nil {
			continue
		}
		s, err := StringLiteralArg(name, a)
		if err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(s) != 1 {
			return nil, logical.AnalysisErr("[INVALID_PARAMETER_VALUE] mask needs a replacement of one character, got %s", logical.StripIDs(a.String()))
		}
	}
	return &logical.Func{Name: name, Args: out, Type: arrow.BinaryTypes.String}, nil
}

// compileMask reads the literal replacements of mask; the defaults are
// X, x, n and no change for other characters.
func compileMask(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	m := []rune{'X', 'x', 'n', -1}
	for i, arg := range call.Args[1:] {
		m[i] = -1
		if s, ok := arg.(*logical.Literal).Value.(string); ok {
			m[i], _ = utf8.DecodeRuneInString(s)
		}
	}
	return strfn.Mask(a[0], strfn.MaskChars{Upper: m[0], Lower: m[1], Digit: m[2], Other: m[3]})
}

// strfnLikeDef defines like(str, pattern[, escape]) and ilike: the
// escape is a literal of one character ('\\' by default).
func strfnLikeDef(name string, fold bool) FunctionDef {
	return FunctionDef{Name: name, MinArgs: 2, MaxArgs: 3, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
		out := make([]logical.Expr, len(args))
		for i, a := range args[:2] {
			var err error
			if out[i], err = strfnStringArg(name, a); err != nil {
				return nil, err
			}
		}
		if len(args) == 3 {
			esc, err := StringLiteralArg(name, args[2])
			if err != nil {
				return nil, err
			}
			if utf8.RuneCountInString(esc) != 1 {
				return nil, logical.AnalysisErr("[INVALID_ESCAPE_CHAR] the escape of %s must be a string literal of length one, got %s", name, logical.StripIDs(args[2].String()))
			}
			out[2] = args[2]
		}
		return &logical.Func{Name: name, Args: out, Type: arrow.FixedWidthTypes.Boolean}, nil
	}, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
		esc := '\\'
		if len(call.Args) == 3 {
			esc, _ = utf8.DecodeRuneInString(call.Args[2].(*logical.Literal).Value.(string))
		}
		return strfnConsts(func(a []expr.Expr) (expr.Expr, error) {
			return strfn.LikeFunc(a[0], a[1], esc, fold)
		})(call, a)
	}}
}

// strfnResolveFormatString types format_string(format, args...): the
// format is a string; numbers, strings and booleans pass as they are,
// dates and timestamps as their text.
func strfnResolveFormatString(name string, args []logical.Expr) (logical.Expr, error) {
	out := make([]logical.Expr, len(args))
	var err error
	if out[0], err = strfnStringArg(name, args[0]); err != nil {
		return nil, err
	}
	for i, a := range args[1:] {
		switch t := a.DataType(); {
		case logical.IsNumeric(t) || logical.IsString(t) || t.ID() == arrow.BOOL || t.ID() == arrow.NULL:
			out[i+1] = a
		case t.ID() == arrow.DATE32 || t.ID() == arrow.TIMESTAMP:
			out[i+1] = logical.CastTo(a, arrow.BinaryTypes.String)
		default:
			return nil, ArgError(name, a, "a number, string, boolean or datetime argument")
		}
	}
	return &logical.Func{Name: name, Args: out, Type: arrow.BinaryTypes.String}, nil
}

// strfnNumFormatArg parses the literal number format of to_number and
// to_char.
func strfnNumFormatArg(name string, a logical.Expr) (*strfn.NumberFormat, error) {
	text, err := StringLiteralArg(name, a)
	if err != nil {
		return nil, err
	}
	f, err := strfn.ParseNumberFormat(text)
	if err != nil {
		return nil, logical.AnalysisErr("%s: %v", name, err)
	}
	return f, nil
}

// strfnResolveToNumber types to_number(str, format) and try_to_number:
// DECIMAL(p, s) with the digits of the format.
func strfnResolveToNumber(name string, args []logical.Expr) (logical.Expr, error) {
	x, err := strfnStringArg(name, args[0])
	if err != nil {
		return nil, err
	}
	f, err := strfnNumFormatArg(name, args[1])
	if err != nil {
		return nil, err
	}
	if f.Precision > 38 {
		return nil, logical.AnalysisErr("%s: the format %s has more than 38 digits", name, logical.StripIDs(args[1].String()))
	}
	return &logical.Func{Name: name, Args: []logical.Expr{x, args[1]}, Type: values.DecimalType(int32(f.Precision), int32(f.Scale)), MayBeNull: name == "try_to_number"}, nil
}

// strfnResolveToChar types to_char(x, format): a number by a number
// format, or a date or timestamp by a datetime pattern (date_format).
func strfnResolveToChar(name string, args []logical.Expr) (logical.Expr, error) {
	switch t := args[0].DataType(); {
	case t.ID() == arrow.DATE32 || t.ID() == arrow.TIMESTAMP:
		return resolveDateFormat("date_format", args)
	case t.ID() == arrow.BINARY:
		f, err := StringLiteralArg(name, args[1])
		if err != nil {
			return nil, err
		}
		if err := strfn.CheckBinaryFormat(f); err != nil {
			return nil, logical.AnalysisErr("%v", err)
		}
		return &logical.Func{Name: name, Args: args, Type: arrow.BinaryTypes.String}, nil
	case logical.IsNumeric(t) || t.ID() == arrow.NULL:
	default:
		return nil, ArgError(name, args[0], "a numeric, date or timestamp argument")
	}
	if _, err := strfnNumFormatArg(name, args[1]); err != nil {
		return nil, err
	}
	return &logical.Func{Name: name, Args: args, Type: arrow.BinaryTypes.String}, nil
}

// strfnCompileNumFormat compiles to_number, try_to_number and to_char.
func strfnCompileNumFormat(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	if call.Args[0].DataType().ID() == arrow.BINARY {
		f, _ := StringLiteralArg(call.Name, call.Args[1])
		return strfn.BinaryToChar(a[0], f)
	}
	f, err := strfnNumFormatArg(call.Name, call.Args[1])
	if err != nil {
		return nil, err
	}
	if call.Name == "to_char" || call.Name == "to_varchar" {
		return strfn.ToChar(a[0], f)
	}
	return strfn.ToNumber(a[0], f, call.Name == "try_to_number", call.Type)
}

// strfnBytesResolve wraps the Resolve of a function whose kernel reads
// bytes (base64, startswith, endswith, contains): BINARY arguments pass
// as they are, the others are coerced by resolve.
func strfnBytesResolve(resolve func(string, []logical.Expr) (logical.Expr, error)) func(string, []logical.Expr) (logical.Expr, error) {
	return func(name string, args []logical.Expr) (logical.Expr, error) {
		var bin []int
		rest := make([]logical.Expr, len(args))
		for i, a := range args {
			rest[i] = a
			if a.DataType().ID() == arrow.BINARY {
				bin = append(bin, i)
				rest[i] = &logical.Literal{Type: arrow.BinaryTypes.String} // typed by resolve, then put back
			}
		}
		e, err := resolve(name, rest)
		if err != nil || len(bin) == 0 {
			return e, err
		}
		f, ok := e.(*logical.Func)
		if !ok {
			return e, nil
		}
		out := *f
		out.Args = append([]logical.Expr(nil), f.Args...)
		for _, i := range bin {
			out.Args[i] = args[i]
		}
		return &out, nil
	}
}
