package functions

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/fmtfn"
	"github.com/gspark/gspark/planner/logical"
)

// csvFunctions are from_csv, to_csv and schema_of_csv.
func csvFunctions() []FunctionDef {
	str := arrow.BinaryTypes.String
	return []FunctionDef{
		{Name: "from_csv", MinArgs: 2, MaxArgs: 3, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			call, err := resolveFromText(true)(name, args)
			if err != nil {
				return nil, err
			}
			if err := checkCSVFields(name, call.(*logical.Func).Type); err != nil {
				return nil, err
			}
			return call, nil
		}, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			o, err := textOptions(call, 2, true)
			if err != nil {
				return nil, err
			}
			return fmtfn.FromCSV(a[0], call.Type.(*arrow.StructType), o), nil
		}},
		{Name: "to_csv", MinArgs: 1, MaxArgs: 2, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			if _, ok := args[0].DataType().(*arrow.StructType); !ok {
				return nil, ArgError(name, args[0], "a struct")
			}
			if err := checkCSVFields(name, args[0].DataType()); err != nil {
				return nil, err
			}
			args, err := optionsLiteral(name, args, 1, true)
			if err != nil {
				return nil, err
			}
			return &logical.Func{Name: name, Args: args, Type: str, MayBeNull: true}, nil
		}, Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
			o, err := textOptions(call, 1, true)
			if err != nil {
				return nil, err
			}
			return fmtfn.ToCSV(a[0], o), nil
		}},
		{Name: "schema_of_csv", MinArgs: 1, MaxArgs: 2, Resolve: func(name string, args []logical.Expr) (logical.Expr, error) {
			text, err := StringLiteralArg(name, args[0])
			if err != nil {
				return nil, logical.AnalysisErr("schema_of_csv needs a foldable, non-null string argument, got %s", logical.StripIDs(args[0].String()))
			}
			opt, err := optionsLiteral(name, args, 1, true)
			if err != nil {
				return nil, err
			}
			o, err := textOptions(&logical.Func{Name: name, Args: opt}, 1, true)
			if err != nil {
				return nil, err
			}
			return &logical.Literal{Value: fmtfn.SchemaOfCSV(text, o), Type: str}, nil
		}, Compile: func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
			return nil, logical.AnalysisErr("%s is resolved to a literal", call.Name)
		}},
	}
}

// checkCSVFields rejects struct fields the CSV functions cannot read or
// write (arrays, maps, structs).
func checkCSVFields(name string, t arrow.DataType) error {
	st, ok := t.(*arrow.StructType)
	if !ok {
		return nil
	}
	for _, f := range st.Fields() {
		if !fmtfn.CSVFieldTypeOK(f.Type) {
			return logical.AnalysisErr("%s does not support the field %s of type %s: CSV fields are scalars", name, f.Name, logical.TypeName(f.Type))
		}
	}
	return nil
}
