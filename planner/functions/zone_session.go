package functions

import (
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/planner/logical"
)

// The internal conversions the session time zone inserts: each takes its
// argument and the zone name (a string literal). Their names start with
// "__reinterpret", so their text is their argument's.
const (
	toLocalName     = "__reinterpret_to_local"     // instant → wall clock (timestamp)
	fromLocalName   = "__reinterpret_from_local"   // wall clock → instant (timestamp)
	localSecsName   = "__reinterpret_local_secs"   // epoch seconds of an instant → of its wall clock
	instantSecsName = "__reinterpret_instant_secs" // epoch seconds of a wall clock → of its instant
	zoneNameName    = "__reinterpret_zone_name"    // current_timezone() → the session zone
)

// zoneShiftFunctions are the internal conversions of the session time zone.
func zoneShiftFunctions() []FunctionDef {
	internal := func(_ string, _ []logical.Expr) (logical.Expr, error) {
		return nil, logical.AnalysisErr("internal time zone conversion called directly")
	}
	def := func(name string, toLocal bool, unit int64) FunctionDef {
		return FunctionDef{Name: name, MinArgs: 2, MaxArgs: 3, Resolve: internal,
			Compile: func(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
				loc, err := datefn.ParseZone(call.Args[1].(*logical.Literal).Value.(string))
				if err != nil {
					return nil, err
				}
				if len(a) == 3 { // from a wall clock parsed from the text a[2]
					return datefn.FromLocalText(a[0], a[2], loc)
				}
				return datefn.ZoneShift(a[0], loc, toLocal, unit, call.Type)
			}}
	}
	return []FunctionDef{
		{Name: zoneNameName, MinArgs: 2, MaxArgs: 2, Resolve: internal,
			Compile: func(call *logical.Func, _ []expr.Expr) (expr.Expr, error) {
				return expr.Literal(call.Args[1].(*logical.Literal).Value, arrow.BinaryTypes.String)
			}},
		def(toLocalName, true, 1), def(fromLocalName, false, 1),
		def(localSecsName, true, 1_000_000), def(instantSecsName, false, 1_000_000),
	}
}

// isLTZ reports whether t is the session-zone timestamp type (an instant).
func isLTZ(t arrow.DataType) bool {
	ts, ok := dtValueType(t).(*arrow.TimestampType)
	return ok && ts.TimeZone == "UTC"
}

func isCalled(e logical.Expr, names ...string) bool {
	f, ok := e.(*logical.Func)
	if !ok {
		return false
	}
	for _, n := range names {
		if f.Name == n {
			return true
		}
	}
	return false
}

// zoneCall is name(x, zone) of type t.
func zoneCall(name string, x logical.Expr, zone string, t arrow.DataType) logical.Expr {
	return &logical.Func{Name: name, Type: t, Args: []logical.Expr{x, &logical.Literal{Value: zone, Type: arrow.BinaryTypes.String}}}
}

// toLocal is the wall clock in zone of an instant x (x itself when x
// already is one).
func toLocal(x logical.Expr, zone string) logical.Expr {
	if !isLTZ(x.DataType()) || isCalled(x, toLocalName) {
		return x
	}
	return zoneCall(toLocalName, x, zone, datefn.Timestamp)
}

func fromLocal(x logical.Expr, zone string) logical.Expr {
	if isCalled(x, fromLocalName) {
		return x
	}
	return zoneCall(fromLocalName, x, zone, datefn.Timestamp)
}

// InZone rewrites a typed expression for the session time zone zone (a name
// datefn.ParseZone accepts) and loc, the zone itself. TIMESTAMP (an
// instant) is computed in UTC by the kernels, so every operation Spark
// performs on the wall clock of the session zone gets its argument as that
// wall clock and, when it returns a timestamp, its result back as an
// instant: casts between timestamps and strings or dates, hour, minute,
// second, date_format, date_trunc, calendar units of timestampadd and
// timestampdiff, to_timestamp, unix_timestamp, from_unixtime, to_date,
// make_timestamp, current_date; TIMESTAMP '...' literals are read in the
// zone. The rewrite is idempotent: an expression rewritten once is left
// alone, so every expression the analyzer types can go through it whole.
// TIMESTAMP_NTZ (a wall clock) converts to and from TIMESTAMP through the
// zone too.
func InZone(e logical.Expr, zone string, loc *time.Location) logical.Expr {
	out, _ := logical.Transform(e, func(n logical.Expr) (logical.Expr, bool) {
		return inZoneNode(n, zone, loc), true
	})
	return out
}

// InZoneAbove is InZone for a caller that types an expression bottom-up:
// the expressions in done (compared by identity) are rewritten already and
// left alone, and so is everything below them; e and the nodes between it
// and them (implicit casts typing inserted) are rewritten. Applied at each
// node of a tree with done its children, the whole rewrite stays linear in
// the size of the expression, where InZone at every level of a deep tree
// (a long chain of additions) is quadratic.
func InZoneAbove(e logical.Expr, done []logical.Expr, zone string, loc *time.Location) logical.Expr {
	for _, d := range done {
		if e == d {
			return e
		}
	}
	kids := e.Children()
	if len(kids) > 0 {
		nk := make([]logical.Expr, len(kids))
		changed := false
		for i, k := range kids {
			nk[i] = InZoneAbove(k, done, zone, loc)
			changed = changed || nk[i] != k
		}
		if changed {
			e = e.WithChildren(nk)
		}
	}
	return inZoneNode(e, zone, loc)
}

// sessionZoneMarker stands for the session time zone in a call resolved
// before the zone is known (convert_timezone without a source zone).
const sessionZoneMarker = "session"

func inZoneNode(e logical.Expr, zone string, loc *time.Location) logical.Expr {
	if lit, ok := e.(*logical.Literal); ok && lit.Type != nil && arrow.TypeEqual(lit.Type, datefn.SessionTimestamp) {
		if t, ok := lit.Value.(time.Time); ok {
			return &logical.Literal{Value: time.UnixMicro(datefn.LocalToUTC(t.UnixMicro(), loc)).UTC(), Type: datefn.Timestamp}
		}
		return &logical.Literal{Type: datefn.Timestamp}
	}
	if f, ok := e.(*logical.Func); ok && f.Name == "current_timezone" {
		return zoneCall(zoneNameName, f, zone, arrow.BinaryTypes.String)
	}
	if f, ok := e.(*logical.Func); ok && f.Name == "convert_timezone" && len(f.Args) == 3 {
		if l, ok := f.Args[0].(*logical.Literal); ok && l.Value == sessionZoneMarker {
			args := append([]logical.Expr{&logical.Literal{Value: zone, Type: arrow.BinaryTypes.String}}, f.Args[1:]...)
			return &logical.Func{Name: f.Name, Args: args, Type: f.Type, MayBeNull: f.MayBeNull}
		}
	}
	if c, ok := e.(*logical.Cast); ok {
		from := dtValueType(c.E.DataType())
		switch {
		case datefn.IsNTZ(from) && isLTZ(c.To): // the wall clock read in the session zone
			return fromLocal(reinterpret(c.E, datefn.Timestamp), zone)
		case isLTZ(from) && datefn.IsNTZ(c.To): // the session zone's wall clock
			return reinterpret(toLocal(c.E, zone), datefn.TimestampNTZ)
		}
	}
	if loc == time.UTC {
		return e
	}
	switch x := e.(type) {
	case *logical.Cast:
		from, to := dtValueType(x.E.DataType()), x.To
		switch {
		case isLTZ(from) && (logical.IsString(to) || to.ID() == arrow.DATE32):
			if !isCalled(x.E, toLocalName) {
				return &logical.Cast{E: toLocal(x.E, zone), To: to, Try: x.Try}
			}
		case isLTZ(to) && logical.IsString(from):
			// A text with its own zone (a trailing Z) is an instant already.
			f := zoneCall(fromLocalName, x, zone, datefn.Timestamp).(*logical.Func)
			f.Args = append(f.Args, x.E)
			return f
		case isLTZ(to) && from.ID() == arrow.DATE32:
			return fromLocal(x, zone)
		}
		return x
	case *logical.Func:
		return funcInZone(x, zone)
	}
	return e
}

// funcInZone is InZone for a function call.
func funcInZone(f *logical.Func, zone string) logical.Expr {
	args := append([]logical.Expr(nil), f.Args...)
	with := func(a []logical.Expr) *logical.Func {
		return &logical.Func{Name: f.Name, Args: a, Type: f.Type, MayBeNull: f.MayBeNull}
	}
	switch f.Name {
	case fromLocalName, instantSecsName, zoneNameName:
		if isCalled(args[0], f.Name) { // analyzed twice
			return args[0]
		}
	case "hour", "minute", "second", "date_format", "to_date", "try_to_date":
		args[0] = toLocal(args[0], zone)
		return with(args)
	case "date_part", "datepart":
		if len(args) == 2 {
			args[1] = toLocal(args[1], zone)
			return with(args)
		}
	case "date_trunc":
		if isLTZ(args[1].DataType()) && !isCalled(args[1], toLocalName) {
			args[1] = toLocal(args[1], zone)
			return fromLocal(with(args), zone)
		}
	case "timestampadd", "timestampdiff":
		u, _ := StringLiteralArg(f.Name, args[0])
		switch strings.ToUpper(u) {
		case "MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR":
			return f // exact durations: the same in every zone
		}
		changed := false
		for i := 1; i < len(args); i++ {
			if isLTZ(args[i].DataType()) && !isCalled(args[i], toLocalName) {
				args[i], changed = toLocal(args[i], zone), true
			}
		}
		if changed && f.Name == "timestampadd" {
			return fromLocal(with(args), zone)
		}
		return with(args)
	case "to_timestamp", "try_to_timestamp":
		if !isLTZ(args[0].DataType()) {
			return fromLocal(f, zone)
		}
	case "unix_timestamp", "to_unix_timestamp":
		if len(args) > 0 && !isLTZ(args[0].DataType()) {
			return zoneCall(instantSecsName, f, zone, arrow.PrimitiveTypes.Int64)
		}
	case "from_unixtime":
		if !isCalled(args[0], localSecsName) {
			args[0] = zoneCall(localSecsName, args[0], zone, arrow.PrimitiveTypes.Int64)
			return with(args)
		}
	case "make_timestamp", "try_make_timestamp":
		if len(args) == 6 {
			return with(append(args, &logical.Literal{Value: zone, Type: arrow.BinaryTypes.String}))
		}
	case "current_date":
		now := &logical.Func{Name: "current_timestamp", Type: datefn.Timestamp}
		return &logical.Cast{E: toLocal(now, zone), To: datefn.Date}
	}
	return f
}
