package frame

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/sql"
)

// TableArg is one argument of a table-valued function call: Table for a
// TABLE(name) or TABLE(query) argument, else Value, the evaluated argument
// (a Go value as Collect returns it: string, int64, float64, bool, nil…).
type TableArg struct {
	Value any
	Table *DataFrame
}

// TableFunction computes the DataFrame a table-valued function call stands
// for in SQL, FROM name(args…). ctx bounds any work done at call time
// (loading a model, say); the returned DataFrame should stay lazy.
type TableFunction func(ctx context.Context, s *Session, args []TableArg) (*DataFrame, error)

// RegisterTableFunction makes fn callable in this session's SQL as a
// table-valued function, FROM name(args…); names are case-insensitive and a
// later registration replaces an earlier one.
func (s *Session) RegisterTableFunction(name string, fn TableFunction) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tableFuncs == nil {
		s.tableFuncs = map[string]TableFunction{}
	}
	s.tableFuncs[strings.ToLower(name)] = fn
}

// TableFunctions lists the names of the registered table-valued functions, sorted.
func (s *Session) TableFunctions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.tableFuncs))
	for n := range s.tableFuncs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s *Session) tableFunction(name string) (TableFunction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn, ok := s.tableFuncs[strings.ToLower(name)]
	return fn, ok
}

// callTableFunction resolves a table function call of a SQL query to the
// analyzed plan of the DataFrame its function returns.
func (s *Session) callTableFunction(ctx context.Context, call *sql.TableFunction) (logical.Plan, error) {
	fn, ok := s.tableFunction(call.Name)
	if !ok {
		fn, ok = builtinTableFunction(call.Name)
	}
	if !ok {
		return nil, fmt.Errorf("%w: %w", logical.ErrAnalysis,
			call.Errorf("unknown table function %s%s", call.Name, logical.Suggest(call.Name, s.TableFunctions())))
	}
	args := make([]TableArg, len(call.Args))
	for i, a := range call.Args {
		if a.Table != nil {
			df := s.sqlFrame(ctx, a.Table)
			if df.err != nil {
				return nil, call.Wrap(fmt.Errorf("%s: argument %d: %w", call.Name, i+1, df.err))
			}
			args[i].Table = df
			continue
		}
		v, err := s.evalConstant(ctx, a.Expr)
		if err != nil {
			return nil, call.Wrap(fmt.Errorf("%s: argument %d: %w", call.Name, i+1, err))
		}
		args[i].Value = v
	}
	df, err := fn(ctx, s, args)
	if err == nil && df == nil {
		err = fmt.Errorf("returned no DataFrame")
	}
	if err == nil {
		err = df.err
	}
	if err != nil {
		return nil, call.Wrap(fmt.Errorf("%s: %w", call.Name, err))
	}
	return &logical.SubqueryAlias{Alias: call.Name, Child: df.plan}, nil
}

// evalConstant evaluates a constant argument expression: a literal at once,
// anything else (-1, 'a' || 'b', …) as a one-row query.
func (s *Session) evalConstant(ctx context.Context, e logical.Expr) (any, error) {
	if l, ok := e.(*logical.Literal); ok {
		return l.Value, nil
	}
	df := s.sqlFrame(ctx, &logical.Project{List: []logical.Expr{&logical.Alias{E: e, Name: "v"}},
		Child: &logical.UnresolvedRelation{Name: sql.OneRowRelation}})
	if df.err != nil {
		return nil, fmt.Errorf("a table function argument must be a constant or TABLE(…): %w", df.err)
	}
	rows, err := df.Collect(ctx)
	if err != nil {
		return nil, err
	}
	if len(rows) != 1 || len(rows[0]) != 1 {
		return nil, fmt.Errorf("argument %s is not one value", logical.StripIDs(e.String()))
	}
	return rows[0][0], nil
}
