package functions

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// FunctionDef describes a scalar function: how the analyzer checks and types
// a call, and how the physical planner compiles it. Both the DataFrame API
// (F.Call / named helpers) and SQL reach functions through this registry.
type FunctionDef struct {
	// Name is the lower-case name; Aliases are other names for it.
	Name    string
	Aliases []string
	// MinArgs and MaxArgs bound the argument count; MaxArgs < 0 means any number.
	MinArgs, MaxArgs int
	// Nondeterministic marks a function with a value per row even over
	// literal arguments (rand): constant folding leaves its calls alone.
	Nondeterministic bool
	// Resolve checks the resolved arguments, inserting casts where Spark
	// coerces implicitly, and returns the typed call (a *Func with Type set,
	// or any other expression the call rewrites to).
	Resolve func(name string, args []logical.Expr) (logical.Expr, error)
	// Compile builds the physical expression; args are the compiled
	// arguments and call is the typed logical call (for literal parameters).
	Compile func(call *logical.Func, args []expr.Expr) (expr.Expr, error)
	// Params, when set, names the parameters in order for calls with named
	// arguments, f(name => value); see BindNamedArgs.
	Params []Param
	// HiddenArgs counts arguments past MaxArgs that Resolve adds and no
	// caller can write (uuid's random tag): a typed call holding them is
	// typed again as it is, keeping the tag, when a plan is analyzed twice.
	HiddenArgs int
}

// FunctionRegistry maps function names to their definitions.
type FunctionRegistry struct {
	defs  map[string]*FunctionDef
	names []string
}

// newRegistry indexes defs by name and alias.
func newRegistry(defs ...[]FunctionDef) *FunctionRegistry {
	r := &FunctionRegistry{defs: map[string]*FunctionDef{}}
	for _, group := range defs {
		for i := range group {
			d := &group[i]
			for _, n := range append([]string{d.Name}, d.Aliases...) {
				if _, dup := r.defs[n]; dup {
					panic(fmt.Sprintf("functions: function %s registered twice", n)) // a programming error caught by every test run
				}
				r.defs[n] = d
				if isIdent(n) { // the operators &, |, ^, ~ are not called by name
					r.names = append(r.names, n)
				}
			}
		}
	}
	sort.Strings(r.names)
	return r
}

// builtins is the registry of every built-in scalar function, built once and
// read-only from then on.
var builtins = sync.OnceValue(func() *FunctionRegistry {
	return newRegistry(coreFunctions(), arrayOverloads(stringFunctions()), mathFunctions(), bitMathFunctions(), intMathFunctions(), tryFunctions(), dateFunctions(), arrayFunctions(), hofFunctions(), collectionFunctions(), generatorFunctions(), tableGeneratorFunctions(), distinctTupleFunctions(), vectorFunctions(), jsonFunctions(), urlFunctions(), csvFunctions(), xmlFunctions(), variantFunctions(), miscFunctions(), binaryFunctions(), inputFileFunctions(), shuffleFunctions(), moreFunctions(), misc2Functions(), sketchFunctions(), xmlRecordFunctions())
})

// Builtins returns the registry of built-in scalar functions. It is built on
// first use and never changes afterwards, so it is shared without locking;
// callers must not modify the definitions it returns.
func Builtins() *FunctionRegistry { return builtins() }

// Lookup returns the definition of the named function (case-insensitive).
func (r *FunctionRegistry) Lookup(name string) (*FunctionDef, bool) {
	d, ok := r.defs[strings.ToLower(name)]
	return d, ok
}

// Names lists every function name and alias SQL calls by name, sorted,
// leaving out the operator functions (&, |, ^, ~) and the internal ones
// (starting with "__") the parser produces.
func (r *FunctionRegistry) Names() []string {
	out := make([]string, 0, len(r.names))
	for _, n := range r.names {
		if !strings.HasPrefix(n, "__") {
			out = append(out, n)
		}
	}
	return out
}

// isIdent reports whether a function name is an identifier, which SQL can
// call by name.
func isIdent(n string) bool {
	for _, c := range n {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return n != ""
}

// TypeFunc checks a call of a registered scalar function and returns the
// typed call (or the expression it rewrites to); an unknown name is an
// analysis error with a suggestion.
func TypeFunc(f *logical.Func) (logical.Expr, error) {
	r := Builtins()
	d, ok := r.Lookup(f.Name)
	if !ok {
		return nil, logical.AnalysisErr("unknown function %s%s", f.Name, logical.Suggest(strings.ToLower(f.Name), r.names))
	}
	n := len(f.Args)
	if d.HiddenArgs > 0 && f.Type != nil && n == d.MaxArgs+d.HiddenArgs {
		return f, nil
	}
	if n < d.MinArgs || (d.MaxArgs >= 0 && n > d.MaxArgs) {
		want := fmt.Sprintf("%d", d.MinArgs)
		switch {
		case d.MaxArgs < 0:
			want = fmt.Sprintf("at least %d", d.MinArgs)
		case d.MaxArgs != d.MinArgs:
			want = fmt.Sprintf("%d to %d", d.MinArgs, d.MaxArgs)
		}
		return nil, logical.AnalysisErr("function %s takes %s argument(s), got %d", d.Name, want, n)
	}
	return d.Resolve(d.Name, f.Args)
}

// CompileFunc compiles a typed call with its compiled arguments.
func CompileFunc(f *logical.Func, args []expr.Expr) (expr.Expr, error) {
	d, ok := Builtins().Lookup(f.Name)
	if !ok {
		return nil, fmt.Errorf("function %s has no implementation", f.Name)
	}
	return d.Compile(f, args)
}

// ArgError reports an argument of the wrong type, naming the function, the
// argument and its type.
func ArgError(fn string, arg logical.Expr, want string) error {
	return logical.AnalysisErr("%s needs %s, %s has type %s", fn, want, logical.StripIDs(arg.String()), logical.TypeName(arg.DataType()))
}

// IntLiteralArg returns the value of an integer literal argument.
func IntLiteralArg(fn string, arg logical.Expr) (int64, error) {
	l, ok := arg.(*logical.Literal)
	if ok && l.Value != nil {
		if v, ok := logical.IntValue(l.Value); ok {
			return v, nil
		}
	}
	return 0, logical.AnalysisErr("%s needs an integer literal here, got %s", fn, logical.StripIDs(arg.String()))
}

// StringLiteralArg returns the value of a string literal argument.
func StringLiteralArg(fn string, arg logical.Expr) (string, error) {
	if l, ok := arg.(*logical.Literal); ok {
		if s, ok := l.Value.(string); ok {
			return s, nil
		}
	}
	return "", logical.AnalysisErr("%s needs a string literal here, got %s", fn, logical.StripIDs(arg.String()))
}

// LiteralFloat returns the value of a numeric literal as a float64.
func LiteralFloat(e logical.Expr) (float64, bool) {
	if c, ok := e.(*logical.Cast); ok {
		e = c.E
	}
	l, ok := e.(*logical.Literal)
	if !ok {
		return 0, false
	}
	switch v := l.Value.(type) {
	case float64:
		return v, true
	case float32:
		return float64(v), true
	case values.Decimal:
		// Through the text, for the double nearest the exact value.
		f, err := strconv.ParseFloat(v.String(), 64)
		return f, err == nil
	}
	if n, ok := logical.IntValue(l.Value); ok {
		return float64(n), true
	}
	return 0, false
}
