package frame

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/planner/logical"
)

// sharedSubplanBytes bounds the estimated size of an aggregation's result
// that a query and its scalar subqueries share (see shareSubplans): the
// result is held in memory until the query ends.
const sharedSubplanBytes = 64 << 20

// attrRef matches an attribute's or alias's id in a plan's text (name#id).
var attrRef = regexp.MustCompile(`#-?[0-9]+`)

// subplanKey renders p's subtree with its attribute ids renumbered in order
// of appearance, so that two copies of one subplan that differ only in the
// ids the analyzer gave their columns (a view or common table expression
// read twice) have the same key. ok is false when the subtree reads an
// attribute it does not define (an outer reference), whose meaning depends
// on where the subtree stands.
func subplanKey(p logical.Plan) (key string, ok bool) {
	text, defined := renderSubplan(p)
	ok = true
	renumber := map[string]string{}
	key = attrRef.ReplaceAllStringFunc(text, func(ref string) string {
		id, err := parseRef(ref)
		if err != nil || !defined[id] {
			ok = false
		}
		r, seen := renumber[ref]
		if !seen {
			r = "#" + strconv.Itoa(len(renumber))
			renumber[ref] = r
		}
		return r
	})
	return key, ok
}

// subplanText is p's subtree as subplanKey renders it, with the attribute
// ids as they are.
func subplanText(p logical.Plan) string {
	text, _ := renderSubplan(p)
	return text
}

// renderSubplan renders p's subtree node by node with each node's depth,
// and returns the ids of the attributes the subtree defines.
func renderSubplan(p logical.Plan) (string, map[int64]bool) {
	var b strings.Builder
	defined := map[int64]bool{}
	var walk func(n logical.Plan, depth int)
	walk = func(n logical.Plan, depth int) {
		b.WriteString(strconv.Itoa(depth))
		b.WriteByte(' ')
		b.WriteString(n.String())
		b.WriteByte('\n')
		for _, a := range n.Output() {
			defined[a.ID] = true
		}
		if s, isScan := n.(*logical.Scan); isScan {
			for _, a := range s.Attrs {
				defined[a.ID] = true
			}
		}
		for _, c := range n.Children() {
			walk(c, depth+1)
		}
	}
	walk(p, 0)
	return b.String(), defined
}

// parseRef returns the id of a reference attrRef matched ("#12").
func parseRef(ref string) (int64, error) {
	return strconv.ParseInt(ref[1:], 10, 64)
}

// aggregateKeys returns the keys of the aggregations in p (not inside its
// subqueries' plans) that may be shared, each with its first node.
func aggregateKeys(p logical.Plan) map[string]*logical.Aggregate {
	out := map[string]*logical.Aggregate{}
	var walk func(n logical.Plan)
	walk = func(n logical.Plan) {
		if a, isAgg := n.(*logical.Aggregate); isAgg && logical.EstimateBytes(a) <= sharedSubplanBytes {
			if key, ok := subplanKey(a); ok {
				if _, seen := out[key]; !seen {
					out[key] = a
				}
			}
		}
		for _, c := range n.Children() {
			walk(c)
		}
	}
	walk(p)
	return out
}

// shareSubplans finds the aggregations that both p and the plan of one of
// its uncorrelated scalar subqueries compute — a common table expression read
// in the query and in a subquery, as TPC-H Q15's revenue view — runs each
// once, and reads the held result in every place: it returns p and the
// subqueries' plans (by subquery ID) with a scan of the result for each
// copy, and a function that frees the results once the query has ended.
func (s *Session) shareSubplans(ctx context.Context, p logical.Plan, subs []*logical.Subquery) (logical.Plan, map[int64]logical.Plan, func(), error) {
	plans := map[int64]logical.Plan{}
	for _, sq := range subs {
		plans[sq.ID] = sq.Plan
	}
	if len(subs) == 0 {
		return p, plans, func() {}, nil
	}
	inMain := aggregateKeys(p)
	if grouped := groupedAggregates(p); len(grouped) > 0 {
		for _, sq := range subs {
			plans[sq.ID] = rollUpAggregates(plans[sq.ID], grouped, inMain, s.ids.Next)
		}
	}
	results := map[string]*cachedTable{}
	release := func() {
		for _, t := range results {
			if t != nil {
				t.release()
			}
		}
	}
	// The largest shared aggregation of a subquery first: the replace below
	// stops at the first match going down.
	var want []string
	for _, sq := range subs {
		var walk func(n logical.Plan) bool
		walk = func(n logical.Plan) bool {
			if a, isAgg := n.(*logical.Aggregate); isAgg {
				if key, ok := subplanKey(a); ok && inMain[key] != nil {
					if _, seen := results[key]; !seen {
						results[key] = nil
						want = append(want, key)
					}
					return true
				}
			}
			for _, c := range n.Children() {
				walk(c)
			}
			return false
		}
		walk(plans[sq.ID])
	}
	if len(want) == 0 {
		return p, plans, func() {}, nil
	}
	for _, key := range want {
		t, err := s.holdResult(ctx, inMain[key])
		if err != nil {
			delete(results, key)
			release()
			return nil, nil, nil, err
		}
		results[key] = t
	}
	replace := func(q logical.Plan) (logical.Plan, error) {
		out, _, err := logical.TransformDown(q, func(n logical.Plan) (logical.Plan, bool, error) {
			a, isAgg := n.(*logical.Aggregate)
			if !isAgg {
				return n, false, nil
			}
			key, ok := subplanKey(a)
			if !ok || results[key] == nil {
				return n, false, nil
			}
			return &logical.Scan{Source: results[key], Attrs: a.Output(), Limit: -1}, true, nil
		})
		return out, err
	}
	var err error
	if p, err = replace(p); err != nil {
		release()
		return nil, nil, nil, err
	}
	for id, sp := range plans {
		if plans[id], err = replace(sp); err != nil {
			release()
			return nil, nil, nil, err
		}
	}
	return p, plans, release, nil
}

// holdResult runs the plan p and keeps its result, partition by partition,
// as a source its copies read.
func (s *Session) holdResult(ctx context.Context, p logical.Plan) (*cachedTable, error) {
	var parts [][]arrow.RecordBatch
	var schema *arrow.Schema
	err := s.newFrame(p).run(ctx, func(ctx context.Context, op exec.Operator) error {
		schema = op.Schema()
		var err error
		parts, err = collectParts(ctx, op)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("shared subplan: %w", err)
	}
	t := &cachedTable{schema: schema, parts: parts}
	for _, bs := range parts {
		for _, b := range bs {
			t.rows += b.NumRows()
		}
	}
	return t, nil
}
