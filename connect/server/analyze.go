package server

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	cproto "github.com/gspark/gspark/connect/proto"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/functions"
)

// analyzePlan answers AnalyzePlan: schema, explain, tree string, is-local,
// is-streaming, Spark version, DDL parsing, same-semantics and semantic hash
// (over the text of the plan gspark would run), persist and
// unpersist (accepted; gspark recomputes).
func (s *Server) analyzePlan(ctx context.Context, req cproto.Msg) (cproto.Msg, error) {
	ss, err := s.session(req.Str("session_id"))
	if err != nil {
		return cproto.Msg{}, err
	}
	resp, err := s.response("AnalyzePlanResponse", ss)
	if err != nil {
		return resp, err
	}
	kind := req.Which("analyze")
	x := req.Get(kind)
	root := func(field string) (*frame.DataFrame, error) {
		p := x.Get(field)
		if p.Which("op_type") != "root" {
			return nil, fmt.Errorf("%s: the plan is not a relation", kind)
		}
		return ss.relation(ctx, p.Get("root"))
	}
	switch kind {
	case "schema":
		df, err := root("plan")
		if err != nil {
			return resp, err
		}
		st, err := structType(s.schema, plainSchema(df.Schema()))
		if err != nil {
			return resp, err
		}
		return resp, resp.Mut("schema").Set("schema", st)
	case "explain":
		df, err := root("plan")
		if err != nil {
			return resp, err
		}
		text, err := df.Explain(x.Int("explain_mode") > 1)
		if err != nil {
			return resp, err
		}
		return resp, resp.Mut("explain").Set("explain_string", text)
	case "tree_string":
		df, err := root("plan")
		if err != nil {
			return resp, err
		}
		return resp, resp.Mut("tree_string").Set("tree_string", treeString(df.Schema(), int(x.Int("level"))))
	case "is_local":
		p := x.Get("plan")
		local := p.Which("op_type") == "root" && p.Get("root").Which("rel_type") == "local_relation"
		if _, err := root("plan"); err != nil {
			return resp, err
		}
		return resp, resp.Mut("is_local").Set("is_local", local)
	case "is_streaming":
		if _, err := root("plan"); err != nil {
			return resp, err
		}
		return resp, resp.Mut("is_streaming").Set("is_streaming", false)
	case "spark_version":
		return resp, resp.Mut("spark_version").Set("version", SparkVersion)
	case "ddl_parse":
		t, err := parseDDL(x.Str("ddl_string"))
		if err != nil {
			return resp, err
		}
		dt, err := dataType(s.schema, t)
		if err != nil {
			return resp, err
		}
		return resp, resp.Mut("ddl_parse").Set("parsed", dt)
	case "same_semantics":
		a, err := root("target_plan")
		if err != nil {
			return resp, err
		}
		b, err := root("other_plan")
		if err != nil {
			return resp, err
		}
		ka, err := semanticKey(a)
		if err != nil {
			return resp, err
		}
		kb, err := semanticKey(b)
		if err != nil {
			return resp, err
		}
		return resp, resp.Mut("same_semantics").Set("result", ka == kb)
	case "semantic_hash":
		df, err := root("plan")
		if err != nil {
			return resp, err
		}
		k, err := semanticKey(df)
		if err != nil {
			return resp, err
		}
		h := fnv.New32a()
		_, _ = h.Write([]byte(k))
		return resp, resp.Mut("semantic_hash").Set("result", int32(h.Sum32()))
	case "persist", "unpersist":
		if _, err := ss.relation(ctx, x.Get("relation")); err != nil {
			return resp, err
		}
		resp.Mut(kind)
		return resp, nil
	case "":
		return resp, fmt.Errorf("analyze: request type not set")
	}
	return resp, fmt.Errorf("%w: AnalyzePlan %s", errUnsupported, kind)
}

// parseDDL reads "a INT, b STRING" (a struct's fields) or a single type.
func parseDDL(ddl string) (arrow.DataType, error) {
	t, err := functions.ParseDDLSchema(ddl)
	if err != nil {
		return nil, fmt.Errorf("DDL %q: %w", ddl, err)
	}
	return t, nil
}

// semanticKey is the text of the plan gspark would run (EXPLAIN, which
// shows no attribute ids or output names), so two plans built apart compare
// equal when they compute the same thing the same way.
func semanticKey(df *frame.DataFrame) (string, error) {
	return df.Explain(false)
}

// treeString is Spark's printSchema text.
func treeString(sc *arrow.Schema, level int) string {
	var b strings.Builder
	b.WriteString("root\n")
	for _, f := range sc.Fields() {
		writeField(&b, f, 1, level)
	}
	return b.String()
}

func writeField(b *strings.Builder, f arrow.Field, depth, level int) {
	if level > 0 && depth > level {
		return
	}
	fmt.Fprintf(b, "%s-- %s: %s (nullable = %t)\n", strings.Repeat(" |   ", depth-1)+" |", f.Name, simpleName(f.Type), f.Nullable)
	if st, ok := f.Type.(*arrow.StructType); ok {
		for _, c := range st.Fields() {
			writeField(b, c, depth+1, level)
		}
	}
}

func simpleName(t arrow.DataType) string {
	switch x := t.(type) {
	case *arrow.DictionaryType:
		return simpleName(x.ValueType)
	case *arrow.Int8Type:
		return "byte"
	case *arrow.Int16Type:
		return "short"
	case *arrow.Int32Type:
		return "integer"
	case *arrow.Int64Type:
		return "long"
	case *arrow.Float32Type:
		return "float"
	case *arrow.Float64Type:
		return "double"
	case *arrow.StringType, *arrow.LargeStringType:
		return "string"
	case *arrow.BooleanType:
		return "boolean"
	case *arrow.BinaryType, *arrow.LargeBinaryType:
		return "binary"
	case *arrow.Date32Type:
		return "date"
	case *arrow.TimestampType:
		if x.TimeZone == "" {
			return "timestamp_ntz"
		}
		return "timestamp"
	case *arrow.Decimal128Type:
		return fmt.Sprintf("decimal(%d,%d)", x.Precision, x.Scale)
	case *arrow.ListType:
		return "array"
	case *arrow.MapType:
		return "map"
	case *arrow.StructType:
		return "struct"
	}
	return t.String()
}
