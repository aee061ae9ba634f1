package functions

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/planner/logical"
)

// TestInZoneIdempotent checks that rewriting an expression for the session
// zone twice (a view's plan is analyzed again where it is used) changes
// nothing the second time, and that the first rewrite inserted the
// conversions.
func TestInZoneIdempotent(t *testing.T) {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	const zone = "America/Los_Angeles"
	ts := &logical.Attribute{ID: 1, Name: "ts", Type: datefn.Timestamp}
	s := &logical.Attribute{ID: 2, Name: "s", Type: arrow.BinaryTypes.String}
	n := &logical.Attribute{ID: 3, Name: "n", Type: datefn.TimestampNTZ}
	str := func(v string) logical.Expr { return &logical.Literal{Value: v, Type: arrow.BinaryTypes.String} }
	cases := []logical.Expr{
		&logical.Cast{E: ts, To: arrow.BinaryTypes.String},
		&logical.Cast{E: s, To: datefn.Timestamp},
		&logical.Cast{E: n, To: datefn.Timestamp},
		&logical.Cast{E: ts, To: datefn.TimestampNTZ},
		&logical.Func{Name: "hour", Args: []logical.Expr{&logical.Cast{E: s, To: datefn.Timestamp}}, Type: arrow.PrimitiveTypes.Int32},
		&logical.Func{Name: "date_trunc", Args: []logical.Expr{str("DAY"), ts}, Type: datefn.Timestamp},
		&logical.Func{Name: "to_timestamp", Args: []logical.Expr{s}, Type: datefn.Timestamp},
		&logical.Func{Name: "unix_timestamp", Args: []logical.Expr{s, str("yyyy-MM-dd")}, Type: arrow.PrimitiveTypes.Int64},
		&logical.Func{Name: "from_unixtime", Args: []logical.Expr{&logical.Literal{Value: int64(0), Type: arrow.PrimitiveTypes.Int64}}, Type: arrow.BinaryTypes.String},
		&logical.Func{Name: "timestampadd", Args: []logical.Expr{str("DAY"), &logical.Literal{Value: int64(1), Type: arrow.PrimitiveTypes.Int64}, ts}, Type: datefn.Timestamp},
		&logical.Func{Name: "current_timezone", Type: arrow.BinaryTypes.String},
		&logical.Func{Name: "current_date", Type: datefn.Date},
		&logical.Func{Name: "make_timestamp", Args: []logical.Expr{s, s, s, s, s, s}, Type: datefn.Timestamp},
	}
	for _, e := range cases {
		once := InZone(e, zone, loc)
		if logical.Equal(once, e) {
			t.Errorf("%s: not rewritten", e)
		}
		if twice := InZone(once, zone, loc); !logical.Equal(twice, once) {
			t.Errorf("%s: rewritten again:\n once  %s\n twice %s", e, debugString(once), debugString(twice))
		}
	}
}

// debugString shows the internal conversions that String hides.
func debugString(e logical.Expr) string {
	f, ok := e.(*logical.Func)
	if !ok {
		return e.String()
	}
	s := f.Name + "("
	for i, a := range f.Args {
		if i > 0 {
			s += ", "
		}
		s += debugString(a)
	}
	return s + ")"
}
