package frame

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/sql"
	"github.com/gspark/gspark/values"
)

// cachedEntry is a table CACHE TABLE replaced by its cached copy: UNCACHE
// TABLE puts the original back and frees the copy.
type cachedEntry struct {
	original tableEntry
	had      bool // original was in the catalog (not CACHE TABLE … AS query)
	copy     *DataFrame
}

// syntaxStatement runs SHOW COLUMNS, CACHE TABLE, UNCACHE TABLE and the
// session-variable statements; it reports false for other statements.
func (s *Session) syntaxStatement(ctx context.Context, st sql.Statement) (*DataFrame, bool) {
	fail := func(err error) (*DataFrame, bool) { return &DataFrame{s: s, err: err}, true }
	switch x := st.(type) {
	case *sql.ShowColumns:
		df := s.Table(x.Table)
		if df.err != nil {
			return df, true
		}
		var rows [][]string
		for _, f := range df.Schema().Fields() {
			rows = append(rows, []string{f.Name})
		}
		return s.memFrame("columns", []string{"col_name"}, rows), true
	case *sql.CacheTable:
		if err := s.cacheTable(ctx, x); err != nil {
			return fail(err)
		}
		return s.memFrame("result", nil, nil), true
	case *sql.UncacheTable:
		if err := s.uncacheTable(x); err != nil {
			return fail(err)
		}
		return s.memFrame("result", nil, nil), true
	case *sql.DeclareVariable:
		if err := s.declareVariable(ctx, x); err != nil {
			return fail(err)
		}
		return s.memFrame("result", nil, nil), true
	case *sql.SetVariable:
		if err := s.setVariables(ctx, x); err != nil {
			return fail(err)
		}
		return s.memFrame("result", nil, nil), true
	case *sql.DropVariable:
		s.mu.Lock()
		_, ok := s.vars[x.Name]
		delete(s.vars, x.Name)
		s.mu.Unlock()
		if !ok && !x.IfExists {
			return fail(fmt.Errorf("%w: variable %s does not exist", logical.ErrAnalysis, x.Name))
		}
		return s.memFrame("result", nil, nil), true
	}
	return nil, false
}

// cacheTable computes the table (or the query, then registered as the
// table) and serves the name from memory until UNCACHE TABLE. It is eager,
// also for CACHE LAZY TABLE.
func (s *Session) cacheTable(ctx context.Context, x *sql.CacheTable) error {
	var df *DataFrame
	if x.Query != nil {
		df = s.sqlFrame(ctx, x.Query)
	} else {
		df = s.Table(x.Name)
	}
	if df.err != nil {
		return df.err
	}
	cached, err := df.Cache(ctx)
	if err != nil {
		return fmt.Errorf("CACHE TABLE %s: %w", x.Name, err)
	}
	key := strings.ToLower(x.Name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cached == nil {
		s.cached = map[string]cachedEntry{}
	}
	if old, ok := s.cached[key]; ok {
		old.copy.Unpersist() // cached again: keep the first original
		s.cached[key] = cachedEntry{original: old.original, had: old.had, copy: cached}
	} else {
		orig, had := s.tables[key]
		if x.Query != nil {
			// Uncached, the name stays a view of the query, as in Spark.
			orig, had = tableEntry{name: x.Name, plan: df.plan}, true
		}
		s.cached[key] = cachedEntry{original: orig, had: had, copy: cached}
	}
	s.tables[key] = tableEntry{name: x.Name, plan: &logical.SubqueryAlias{Alias: x.Name, Child: cached.plan}}
	return nil
}

func (s *Session) uncacheTable(x *sql.UncacheTable) error {
	key := strings.ToLower(x.Name)
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cached[key]
	if !ok {
		if _, exists := s.tables[key]; exists || x.IfExists {
			return nil // a table that is not cached: nothing to do, as in Spark
		}
		return fmt.Errorf("%w: table %s does not exist", logical.ErrAnalysis, x.Name)
	}
	delete(s.cached, key)
	c.copy.Unpersist()
	if c.had {
		s.tables[key] = c.original
	} else {
		delete(s.tables, key)
	}
	return nil
}

// variableValue evaluates e (cast to t when t is not nil) to a literal.
func (s *Session) variableValue(ctx context.Context, name string, e logical.Expr, t arrow.DataType) (*logical.Literal, error) {
	if e == nil {
		e = &logical.Literal{}
	}
	if t != nil {
		e = logical.CastTo(e, t)
	}
	df := s.sqlFrame(ctx, &logical.Project{List: []logical.Expr{&logical.Alias{E: e, Name: "v"}},
		Child: &logical.UnresolvedRelation{Name: sql.OneRowRelation}})
	if df.err != nil {
		return nil, fmt.Errorf("variable %s: %w", name, df.err)
	}
	bs, err := df.CollectBatches(ctx)
	if err != nil {
		return nil, fmt.Errorf("variable %s: %w", name, err)
	}
	defer exec.ReleaseAll(bs)
	var v any
	n := int64(0)
	for _, b := range bs {
		if n == 0 && b.NumRows() > 0 {
			v = values.Value(b.Column(0), 0)
		}
		n += b.NumRows()
	}
	if n != 1 {
		return nil, fmt.Errorf("variable %s: the value must be one row, got %d", name, n)
	}
	return &logical.Literal{Value: v, Type: df.Schema().Field(0).Type}, nil
}

func (s *Session) declareVariable(ctx context.Context, x *sql.DeclareVariable) error {
	s.mu.Lock()
	_, exists := s.vars[x.Name]
	s.mu.Unlock()
	if exists && !x.Replace {
		return fmt.Errorf("%w: variable %s already exists; use DECLARE OR REPLACE", logical.ErrAnalysis, x.Name)
	}
	if x.Type == nil && x.Default == nil {
		return fmt.Errorf("%w: DECLARE VARIABLE %s needs a type or a DEFAULT", logical.ErrAnalysis, x.Name)
	}
	v, err := s.variableValue(ctx, x.Name, x.Default, x.Type)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.vars == nil {
		s.vars = map[string]*logical.Literal{}
	}
	s.vars[x.Name] = v
	return nil
}

func (s *Session) setVariables(ctx context.Context, x *sql.SetVariable) error {
	vals := make([]*logical.Literal, len(x.Names))
	for i, name := range x.Names {
		s.mu.Lock()
		old, ok := s.vars[name]
		s.mu.Unlock()
		if !ok {
			return fmt.Errorf("%w: variable %s does not exist; DECLARE it first", logical.ErrAnalysis, name)
		}
		v, err := s.variableValue(ctx, name, x.Values[i], old.Type)
		if err != nil {
			return err
		}
		vals[i] = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, name := range x.Names {
		s.vars[name] = vals[i]
	}
	return nil
}

// LookupVariable implements analyzer.VariableCatalog: a session variable by
// name (v, session.v or system.session.v).
func (c catalog) LookupVariable(name string) (logical.Expr, bool) {
	n := strings.ToLower(name)
	n = strings.TrimPrefix(strings.TrimPrefix(n, "system.session."), "session.")
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	v, ok := c.s.vars[n]
	return v, ok
}

// functionNames lists the functions SHOW FUNCTIONS shows: all, or those
// matching Spark's pattern (* any text, | between alternatives, any case).
func functionNames(pattern string) ([]string, error) {
	var names []string
	for _, n := range append(append(functions.Builtins().Names(), logical.AggregateNames()...), sparkListedNames()...) {
		if !strings.HasPrefix(n, "__") { // internal helpers
			names = append(names, n)
		}
	}
	sort.Strings(names)
	names = slices.Compact(names)
	if pattern == "" {
		return names, nil
	}
	alts := strings.Split(pattern, "|")
	for i, a := range alts {
		alts[i] = strings.ReplaceAll(regexp.QuoteMeta(strings.TrimSpace(a)), `\*`, ".*")
	}
	re, err := regexp.Compile("(?i)^(?:" + strings.Join(alts, "|") + ")$")
	if err != nil {
		return nil, fmt.Errorf("SHOW FUNCTIONS pattern %q: %w", pattern, err)
	}
	var out []string
	for _, n := range names {
		if re.MatchString(n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// describeExtended is the detail section DESCRIBE EXTENDED adds after the
// columns.
func (s *Session) describeExtended(name string) [][]string {
	key := strings.ToLower(name)
	s.mu.Lock()
	t, ok := s.tables[key]
	_, cached := s.cached[key]
	s.mu.Unlock()
	rows := [][]string{{"", ""}, {"# Detailed Table Information", ""}, {"Table", name}}
	switch {
	case !ok:
		rows = append(rows, []string{"Type", "TABLE"})
	case t.plan != nil:
		rows = append(rows, []string{"Type", "VIEW"})
	default:
		rows = append(rows, []string{"Type", "TABLE"})
		if t.src != nil {
			rows = append(rows, []string{"Source", t.src.Describe()})
		}
	}
	if cached {
		rows = append(rows, []string{"Cached", "true"})
	}
	return rows
}
