package logical

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Lambda is a lambda function passed to a higher-order function
// (transform(xs, x -> x + 1)). The parser fills Params and Body; the
// analyzer binds each parameter to a LambdaVar (Vars) typed by the
// function it is passed to and resolves Body, where the parameters shadow
// columns of the same name.
type Lambda struct {
	Params []string
	Vars   []*LambdaVar
	Body   Expr
}

func (e *Lambda) String() string {
	names := make([]string, len(e.Params))
	for i, p := range e.Params {
		names[i] = p
		if i < len(e.Vars) {
			names[i] = e.Vars[i].String()
		}
	}
	if len(names) == 1 {
		return fmt.Sprintf("%s -> %s", names[0], e.Body)
	}
	return fmt.Sprintf("(%s) -> %s", strings.Join(names, ", "), e.Body)
}

// Children is the body only: the parameters are bound by the lambda.
func (e *Lambda) Children() []Expr { return []Expr{e.Body} }

func (e *Lambda) WithChildren(c []Expr) Expr {
	return &Lambda{Params: e.Params, Vars: e.Vars, Body: c[0]}
}

// DataType is the type of the body (nil before analysis).
func (e *Lambda) DataType() arrow.DataType {
	if e.Body == nil {
		return nil
	}
	return e.Body.DataType()
}

func (e *Lambda) Nullable() bool { return e.Body.Nullable() }

// LambdaVar is a parameter of a Lambda, as its body reads it. The ID is
// unique in the query, as attribute IDs are.
type LambdaVar struct {
	Name string
	ID   int64
	Type arrow.DataType
	Null bool
}

func (e *LambdaVar) String() string { return fmt.Sprintf("%s#%d", e.Name, e.ID) }

func (e *LambdaVar) Children() []Expr { return nil }

func (e *LambdaVar) WithChildren([]Expr) Expr { return e }

func (e *LambdaVar) DataType() arrow.DataType { return e.Type }

func (e *LambdaVar) Nullable() bool { return e.Null }

// HasLambda reports whether any argument of f is a lambda.
func HasLambda(args []Expr) bool {
	for _, a := range args {
		if _, ok := a.(*Lambda); ok {
			return true
		}
	}
	return false
}
