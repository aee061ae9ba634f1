package join

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

var allKinds = []Kind{Inner, Left, Right, Full, LeftSemi, LeftAnti}

// refJoin is the row-at-a-time reference of every join kind: keys compare
// with == (nil matches nothing, except nil with nil on a null-safe key) and
// resid (nil: none) must hold for a pair to match.
func refJoin(l, r [][]any, lk, rk []int, nullSafe []bool, kind Kind, resid func(lr, rr []any) bool, lw, rw int) []string {
	var out []string
	rMatched := make([]bool, len(r))
	row := func(a, b []any) string { return fmt.Sprint(append(slices.Clone(a), b...)) }
	for _, lr := range l {
		matched := false
		for ri, rr := range r {
			eq := true
			for i := range lk {
				a, b := lr[lk[i]], rr[rk[i]]
				if a == nil || b == nil {
					if a == nil && b == nil && nullSafe != nil && nullSafe[i] {
						continue
					}
					eq = false
					break
				}
				if a != b {
					eq = false
					break
				}
			}
			if !eq || (resid != nil && !resid(lr, rr)) {
				continue
			}
			matched = true
			rMatched[ri] = true
			if kind != LeftSemi && kind != LeftAnti {
				out = append(out, row(lr, rr))
			}
		}
		switch {
		case !matched && (kind == Left || kind == Full):
			out = append(out, row(lr, make([]any, rw)))
		case matched && kind == LeftSemi, !matched && kind == LeftAnti:
			out = append(out, fmt.Sprint(lr))
		}
	}
	if kind == Right || kind == Full {
		for ri, rr := range r {
			if !rMatched[ri] {
				out = append(out, row(make([]any, lw), rr))
			}
		}
	}
	slices.Sort(out)
	return out
}

// collectChecked runs op with exec.Collect and returns its sorted rows,
// checking batch sizes and schemas.
func collectChecked(t *testing.T, op exec.Operator, batchSize int) []string {
	t.Helper()
	bs, err := exec.Collect(t.Context(), op)
	if err != nil {
		t.Fatal(err)
	}
	defer exec.ReleaseAll(bs)
	for _, b := range bs {
		if b.NumRows() > int64(batchSize) || b.NumRows() == 0 {
			t.Errorf("batch of %d rows, batch size %d", b.NumRows(), batchSize)
		}
		if !b.Schema().Equal(op.Schema()) {
			t.Fatalf("batch schema %s, want %s", b.Schema(), op.Schema())
		}
	}
	return rowStrings(valuesRows(bs))
}

// kindCase is a pair of inputs with keys and a residual over them.
type kindCase struct {
	name         string
	left, right  *arrow.Schema
	lgen, rgen   func(r *rand.Rand) []any
	lkeys, rkeys []int
	rdict        []int
	resid        func(t *testing.T) expr.Expr
	refResid     func(lr, rr []any) bool
	// narrowResid is resid over only the left columns residL and the right
	// columns residR (Spec.ResidualLeft and ResidualRight).
	narrowResid    func(t *testing.T) expr.Expr
	residL, residR []int
}

func asFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case float64:
		return x
	}
	panic(fmt.Sprintf("asFloat(%T)", v))
}

// less is the reference of a < b with nulls false.
func less(a, b any) bool { return a != nil && b != nil && asFloat(a) < asFloat(b) }

func binary(t *testing.T, op expr.BinaryOp, l, r expr.Expr) expr.Expr {
	t.Helper()
	e, err := expr.Binary(op, l, r)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func kindCases() []kindCase {
	i64, i32, f64 := arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Float64
	str := arrow.BinaryTypes.String
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: str}
	f := func(name string, t arrow.DataType) arrow.Field {
		return arrow.Field{Name: name, Type: t, Nullable: true}
	}
	sch := func(fs ...arrow.Field) *arrow.Schema { return arrow.NewSchema(fs, nil) }
	return []kindCase{
		{
			name: "int64",
			left: sch(f("k", i64), f("v", i64), f("s", str)), right: sch(f("k", i64), f("w", i64), f("d", dict)),
			lgen: func(r *rand.Rand) []any {
				return []any{maybeNull(r, r.Int64N(8)), maybeNull(r, r.Int64N(10)), maybeNull(r, fmt.Sprint("s", r.IntN(5)))}
			},
			rgen: func(r *rand.Rand) []any {
				return []any{maybeNull(r, r.Int64N(8)), maybeNull(r, r.Int64N(10)), maybeNull(r, fmt.Sprint("d", r.IntN(5)))}
			},
			lkeys: []int{0}, rkeys: []int{0}, rdict: []int{2},
			resid: func(t *testing.T) expr.Expr {
				return binary(t, expr.Gt, expr.Column(1, "#1", i64), expr.Column(4, "#4", i64))
			},
			refResid: func(lr, rr []any) bool { return less(rr[1], lr[1]) },
			narrowResid: func(t *testing.T) expr.Expr {
				return binary(t, expr.Gt, expr.Column(0, "v", i64), expr.Column(3, "w", i64))
			},
			residL: []int{1, 2}, residR: []int{2, 1},
		},
		{
			name:  "int32+string vs dictionary",
			left:  sch(f("a", i32), f("b", str), f("x", f64)),
			right: sch(f("c", dict), f("d", i32), f("y", f64)),
			lgen: func(r *rand.Rand) []any {
				return []any{maybeNull(r, r.Int32N(3)), maybeNull(r, fmt.Sprint("k", r.IntN(3))), maybeNull(r, float64(r.IntN(10)))}
			},
			rgen: func(r *rand.Rand) []any {
				return []any{maybeNull(r, fmt.Sprint("k", r.IntN(3))), maybeNull(r, r.Int32N(3)), maybeNull(r, float64(r.IntN(10)))}
			},
			lkeys: []int{0, 1}, rkeys: []int{1, 0}, rdict: []int{0},
			resid: func(t *testing.T) expr.Expr {
				return binary(t, expr.Lt, expr.Column(2, "#2", f64), expr.Column(5, "#5", f64))
			},
			refResid: func(lr, rr []any) bool { return less(lr[2], rr[2]) },
			narrowResid: func(t *testing.T) expr.Expr {
				return binary(t, expr.Lt, expr.Column(1, "x", f64), expr.Column(2, "y", f64))
			},
			residL: []int{0, 2}, residR: []int{2},
		},
	}
}

// partCombos are the (left, right) partition counts tried.
var partCombos = [][2]int{{1, 1}, {2, 7}, {7, 2}}

func TestHashJoinKindsMatchReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(7, 8))
	n := 0
	for _, kc := range kindCases() {
		for _, kind := range allKinds {
			for _, build := range []Side{BuildLeft, BuildRight} {
				for pi, pc := range partCombos {
					for _, withResid := range []bool{false, true} {
						for _, nullSafe := range []bool{false, true} {
							for _, spilling := range []bool{false, true} {
								if spilling && (pc[0] == 2 || withResid != nullSafe) {
									continue // the other combinations cover spilling
								}
								// Half the residual cases read only the columns they use.
								narrow := withResid && (pi%2 == 0) != nullSafe
								if n++; !exectest.Sampled(n, 3) {
									continue
								}
								name := fmt.Sprintf("%s/%s/build-%s/%dx%d/resid=%v/narrow=%v/nullsafe=%v/spill=%v", kc.name, kind, build, pc[0], pc[1], withResid, narrow, nullSafe, spilling)
								t.Run(name, func(t *testing.T) {
									nl, nr := r.IntN(120), r.IntN(120)
									if r.IntN(10) == 0 {
										nl = 0
									}
									if r.IntN(10) == 0 {
										nr = 0
									}
									lrows, rrows := genRows(r, nl, kc.lgen), genRows(r, nr, kc.rgen)
									left := source(t, mem, r, kc.left, lrows, pc[0], nil)
									right := source(t, mem, r, kc.right, rrows, pc[1], kc.rdict)
									env := testEnv(t, mem, 1+r.IntN(20), spilling)
									spec := Spec{LeftKeys: kc.lkeys, RightKeys: kc.rkeys, Kind: kind, Build: build}
									var refResid func(lr, rr []any) bool
									if withResid {
										spec.Residual, refResid = kc.resid(t), kc.refResid
									}
									if narrow {
										spec.Residual, spec.ResidualLeft, spec.ResidualRight = kc.narrowResid(t), kc.residL, kc.residR
									}
									if nullSafe {
										spec.NullSafe = make([]bool, len(kc.lkeys))
										for i := range spec.NullSafe {
											spec.NullSafe[i] = r.IntN(3) > 0
										}
									}
									op, err := NewHashJoinWith(env, left, right, spec)
									if err != nil {
										t.Fatal(err)
									}
									if spilling {
										op.(*hashJoin).leafBytes = []int64{0, 300, 1000}[r.IntN(3)]
									}
									want := refJoin(exectest.Rows(t, left), exectest.Rows(t, right), kc.lkeys, kc.rkeys, spec.NullSafe, kind, refResid, kc.left.NumFields(), kc.right.NumFields())
									for run := range 2 { // a second run rebuilds the table
										if got := collectChecked(t, op, env.BatchSize); !slices.Equal(got, want) {
											t.Fatalf("run %d: %d rows, want %d\ngot  %v\nwant %v", run, len(got), len(want), got, want)
										}
										buildRows := nr
										if build == BuildLeft {
											buildRows = nl
										}
										checkSpilled(t, op, env, spilling && buildRows > 0)
									}
								})
							}
						}
					}
				}
			}
		}
	}
}

func TestNestedLoopJoinMatchesReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(9, 10))
	i64, str := arrow.PrimitiveTypes.Int64, arrow.BinaryTypes.String
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: str}
	ls := arrow.NewSchema([]arrow.Field{{Name: "a", Type: i64, Nullable: true}, {Name: "s", Type: str, Nullable: true}}, nil)
	rs := arrow.NewSchema([]arrow.Field{{Name: "b", Type: i64, Nullable: true}, {Name: "d", Type: dict, Nullable: true}}, nil)
	lgen := func(r *rand.Rand) []any {
		return []any{maybeNull(r, r.Int64N(20)), maybeNull(r, fmt.Sprint("s", r.IntN(4)))}
	}
	rgen := func(r *rand.Rand) []any {
		return []any{maybeNull(r, r.Int64N(20)), maybeNull(r, fmt.Sprint("d", r.IntN(4)))}
	}
	conds := []struct {
		name string
		e    expr.Expr
		ref  func(lr, rr []any) bool
	}{
		{"cross", nil, nil},
		{"a<b", binary(t, expr.Lt, expr.Column(0, "a", i64), expr.Column(2, "b", i64)), func(lr, rr []any) bool { return less(lr[0], rr[0]) }},
		{"a+b>b", binary(t, expr.Gt, binary(t, expr.Add, expr.Column(0, "a", i64), expr.Column(2, "b", i64)), expr.Column(2, "b", i64)),
			func(lr, rr []any) bool { return lr[0] != nil && rr[0] != nil && lr[0].(int64) > 0 }},
	}
	for _, kind := range allKinds {
		for _, build := range []Side{BuildLeft, BuildRight} {
			for _, pc := range partCombos {
				for _, c := range conds {
					t.Run(fmt.Sprintf("%s/build-%s/%dx%d/%s", kind, build, pc[0], pc[1], c.name), func(t *testing.T) {
						nl, nr := r.IntN(40), r.IntN(40)
						if r.IntN(8) == 0 {
							nl = 0
						}
						if r.IntN(8) == 0 {
							nr = 0
						}
						left := source(t, mem, r, ls, genRows(r, nl, lgen), pc[0], nil)
						right := source(t, mem, r, rs, genRows(r, nr, rgen), pc[1], []int{1})
						env := &exec.Env{Mem: mem, BatchSize: 1 + r.IntN(30)}
						op, err := NewNestedLoopJoin(env, left, right, kind, c.e, build)
						if err != nil {
							t.Fatal(err)
						}
						want := refJoin(exectest.Rows(t, left), exectest.Rows(t, right), nil, nil, nil, kind, c.ref, 2, 2)
						for run := range 2 {
							if got := collectChecked(t, op, env.BatchSize); !slices.Equal(got, want) {
								t.Fatalf("run %d: %d rows, want %d\ngot  %v\nwant %v", run, len(got), len(want), got, want)
							}
						}
					})
				}
			}
		}
	}
}

// tailJoins are joins that emit build rows after the whole probe side.
func tailJoins(t *testing.T, env *exec.Env, left, right exec.Operator) map[string]exec.Operator {
	t.Helper()
	out := map[string]exec.Operator{}
	for _, c := range []struct {
		kind  Kind
		build Side
	}{{Full, BuildRight}, {Full, BuildLeft}, {Right, BuildRight}, {Left, BuildLeft}, {LeftSemi, BuildLeft}, {LeftAnti, BuildLeft}} {
		op, err := NewHashJoin(env, left, right, []int{0}, []int{0}, c.kind, c.build)
		if err != nil {
			t.Fatal(err)
		}
		out[op.String()] = op
		cond := binary(t, expr.Eq, expr.Column(0, "l", arrow.PrimitiveTypes.Int64), expr.Column(1, "r", arrow.PrimitiveTypes.Int64))
		op, err = NewNestedLoopJoin(env, left, right, c.kind, cond, c.build)
		if err != nil {
			t.Fatal(err)
		}
		out[op.String()] = op
	}
	return out
}

// readInterleaved opens every partition of op, then reads them round-robin
// one batch at a time, and closes them at the end.
func readInterleaved(t *testing.T, op exec.Operator) []string {
	t.Helper()
	n := op.Partitions()
	ss := make([]exec.Stream, n)
	for p := range n {
		s, err := op.Execute(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		ss[p] = s
	}
	var bs []arrow.RecordBatch
	defer func() { exec.ReleaseAll(bs) }()
	live := n
	done := make([]bool, n)
	for live > 0 {
		for p := n - 1; p >= 0; p-- {
			if done[p] {
				continue
			}
			b, err := ss[p].Next()
			if errors.Is(err, io.EOF) {
				done[p] = true
				live--
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			bs = append(bs, b)
		}
	}
	for _, s := range ss {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return rowStrings(valuesRows(bs))
}

// readSequential opens every partition, then reads them one after another in
// reverse order.
func readSequential(t *testing.T, op exec.Operator) []string {
	t.Helper()
	n := op.Partitions()
	ss := make([]exec.Stream, n)
	for p := range n {
		s, err := op.Execute(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		ss[p] = s
	}
	var mu sync.Mutex
	var bs []arrow.RecordBatch
	for p := n - 1; p >= 0; p-- {
		if err := exec.Drain(t.Context(), ss[p], func(b arrow.RecordBatch) error {
			b.Retain()
			mu.Lock()
			bs = append(bs, b)
			mu.Unlock()
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	defer exec.ReleaseAll(bs)
	return rowStrings(valuesRows(bs))
}

// readOneByOne executes, drains and closes the partitions one after another.
func readOneByOne(t *testing.T, op exec.Operator) []string {
	t.Helper()
	var bs []arrow.RecordBatch
	defer func() { exec.ReleaseAll(bs) }()
	for p := range op.Partitions() {
		s, err := op.Execute(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		if err := exec.Drain(t.Context(), s, func(b arrow.RecordBatch) error {
			b.Retain()
			bs = append(bs, b)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	return rowStrings(valuesRows(bs))
}

func TestBuildTailEmittedOnce(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(11, 12))
	ls := arrow.NewSchema([]arrow.Field{{Name: "l", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	rs := arrow.NewSchema([]arrow.Field{{Name: "r", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	gen := func(r *rand.Rand) []any { return []any{maybeNull(r, r.Int64N(30))} }
	left := source(t, mem, r, ls, genRows(r, 120, gen), 7, nil)
	right := source(t, mem, r, rs, genRows(r, 120, gen), 7, nil)
	lrows, rrows := exectest.Rows(t, left), exectest.Rows(t, right)
	for _, spilling := range []bool{false, true} {
		env := testEnv(t, mem, 8, spilling)
		for name, op := range tailJoins(t, env, left, right) {
			t.Run(fmt.Sprintf("%s/spill=%v", name, spilling), func(t *testing.T) {
				j := op.(*hashJoin)
				if testing.Short() && spilling && j.nested {
					t.Skip("a nested-loop join does not spill; -short runs it once, without a spill budget")
				}
				j.leafBytes = 200
				want := refJoin(lrows, rrows, []int{0}, []int{0}, nil, j.kind, nil, 1, 1)
				for i := range 2 {
					if got := collectChecked(t, op, env.BatchSize); !slices.Equal(got, want) {
						t.Fatalf("collect %d: %d rows, want %d", i, len(got), len(want))
					}
				}
				if got := readInterleaved(t, op); !slices.Equal(got, want) {
					t.Fatalf("interleaved: %d rows, want %d", len(got), len(want))
				}
				if got := readSequential(t, op); !slices.Equal(got, want) {
					t.Fatalf("all open, read in turn: %d rows, want %d", len(got), len(want))
				}
				if got := readOneByOne(t, op); !slices.Equal(got, want) {
					t.Fatalf("opened one after another: %d rows, want %d", len(got), len(want))
				}
				// A run of which only partition 0 is read, then a full run.
				s, err := op.Execute(t.Context(), 0)
				if err != nil {
					t.Fatal(err)
				}
				if err := exec.Drain(t.Context(), s, func(arrow.RecordBatch) error { return nil }); err != nil {
					t.Fatal(err)
				}
				if got := collectChecked(t, op, env.BatchSize); !slices.Equal(got, want) {
					t.Fatalf("after a partial run: %d rows, want %d", len(got), len(want))
				}
				checkSpilled(t, op, env, spilling && !j.nested)
			})
		}
	}
}

func TestJoinKindsHandComputed(t *testing.T) {
	mem := exectest.Alloc(t)
	ls := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "v", Type: arrow.BinaryTypes.String}}, nil)
	rs := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "w", Type: arrow.PrimitiveTypes.Int64}}, nil)
	lb := exectest.Batch(mem, ls, [][]any{{1, "a"}, {2, "b"}, {nil, "c"}, {3, "d"}})
	rb := exectest.Batch(mem, rs, [][]any{{1, 10}, {1, 11}, {nil, 12}, {4, 14}})
	left := exec.NewMemorySource(ls, [][]arrow.RecordBatch{{lb}})
	right := exec.NewMemorySource(rs, [][]arrow.RecordBatch{{rb}})
	lb.Release()
	rb.Release()
	defer left.Release()
	defer right.Release()
	env := &exec.Env{Mem: mem, BatchSize: 3}
	w11 := binary(t, expr.Gt, expr.Column(3, "#3", arrow.PrimitiveTypes.Int64), expr.Column(0, "#0", arrow.PrimitiveTypes.Int64))
	for _, c := range []struct {
		kind     Kind
		nullSafe bool
		resid    bool
		want     []string
	}{
		{Inner, false, false, []string{"[1 a 1 10]", "[1 a 1 11]"}},
		{Inner, true, false, []string{"[1 a 1 10]", "[1 a 1 11]", "[<nil> c <nil> 12]"}},
		{Full, false, false, []string{"[1 a 1 10]", "[1 a 1 11]", "[2 b <nil> <nil>]", "[3 d <nil> <nil>]", "[<nil> c <nil> <nil>]", "[<nil> <nil> <nil> 12]", "[<nil> <nil> 4 14]"}},
		{Right, false, true, []string{"[1 a 1 10]", "[1 a 1 11]", "[<nil> <nil> <nil> 12]", "[<nil> <nil> 4 14]"}},
		{LeftSemi, false, false, []string{"[1 a]"}},
		{LeftSemi, true, false, []string{"[1 a]", "[<nil> c]"}},
		{LeftAnti, false, false, []string{"[2 b]", "[3 d]", "[<nil> c]"}},
		{LeftAnti, true, false, []string{"[2 b]", "[3 d]"}},
		// The residual w > k rejects nothing with k = 1, everything for null keys.
		{LeftAnti, true, true, []string{"[2 b]", "[3 d]", "[<nil> c]"}},
	} {
		for _, build := range []Side{BuildLeft, BuildRight} {
			spec := Spec{LeftKeys: []int{0}, RightKeys: []int{0}, Kind: c.kind, Build: build}
			if c.nullSafe {
				spec.NullSafe = []bool{true}
			}
			if c.resid {
				spec.Residual = w11
			}
			op, err := NewHashJoinWith(env, left, right, spec)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(c.want)
			if got := rowStrings(exectest.Rows(t, op)); !slices.Equal(got, c.want) {
				t.Errorf("%s: got %v, want %v", op, got, c.want)
			}
		}
	}
	op, err := NewHashJoinWith(env, left, right, Spec{LeftKeys: []int{0}, RightKeys: []int{0}, Kind: Full, Build: BuildRight, Residual: w11})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := op.String(), "HashJoin(FullOuter, build=right, keys=[0]=[0], residual=(#3 > #0))"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	for i := range op.Schema().NumFields() {
		if !op.Schema().Field(i).Nullable {
			t.Errorf("full join field %d not nullable", i)
		}
	}
	op, err = NewHashJoinWith(env, left, right, Spec{LeftKeys: []int{0}, RightKeys: []int{0}, NullSafe: []bool{true}, Kind: LeftSemi, Build: BuildLeft})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := op.String(), "HashJoin(LeftSemi, build=left, keys=[0]=[0], ops=[<=>])"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if !op.Schema().Equal(ls) {
		t.Errorf("semi join schema %s, want %s", op.Schema(), ls)
	}
	op, err = NewNestedLoopJoin(env, left, right, LeftAnti, w11, BuildRight)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := op.String(), "NestedLoopJoin(LeftAnti, build=right, cond=(#3 > #0))"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	op, err = NewNestedLoopJoin(env, left, right, Inner, nil, BuildLeft)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := op.String(), "NestedLoopJoin(Inner, build=left, cross)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if n := len(exectest.Rows(t, op)); n != 16 {
		t.Errorf("cross join: %d rows, want 16", n)
	}
	// Bad specifications.
	notBool := expr.Column(3, "w", arrow.PrimitiveTypes.Int64)
	for name, spec := range map[string]Spec{
		"non-boolean residual": {LeftKeys: []int{0}, RightKeys: []int{0}, Residual: notBool},
		"null-safe length":     {LeftKeys: []int{0}, RightKeys: []int{0}, NullSafe: []bool{true, false}},
		"no keys":              {},
		"unknown kind":         {LeftKeys: []int{0}, RightKeys: []int{0}, Kind: LeftAnti + 1},
	} {
		if _, err := NewHashJoinWith(env, left, right, spec); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := NewNestedLoopJoin(env, left, right, Inner, notBool, BuildRight); err == nil {
		t.Error("nested loop with a non-boolean condition: no error")
	}
}

func TestJoinKindsEmptySides(t *testing.T) {
	mem := exectest.Alloc(t)
	s := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	b := exectest.Batch(mem, s, [][]any{{1}, {nil}, {2}})
	full := exec.NewMemorySource(s, [][]arrow.RecordBatch{{b}, nil, nil})
	empty := exec.NewMemorySource(s, [][]arrow.RecordBatch{nil, nil})
	b.Release()
	defer full.Release()
	defer empty.Release()
	env := &exec.Env{Mem: mem, BatchSize: 2}
	// Rows expected with an empty right side, with an empty left side.
	want := map[Kind][2]int{Inner: {0, 0}, Left: {3, 0}, Right: {0, 3}, Full: {3, 3}, LeftSemi: {0, 0}, LeftAnti: {3, 0}}
	for _, kind := range allKinds {
		for _, build := range []Side{BuildLeft, BuildRight} {
			for i, lr := range [][2]exec.Operator{{full, empty}, {empty, full}} {
				hj, err := NewHashJoin(env, lr[0], lr[1], []int{0}, []int{0}, kind, build)
				if err != nil {
					t.Fatal(err)
				}
				nl, err := NewNestedLoopJoin(env, lr[0], lr[1], kind, nil, build)
				if err != nil {
					t.Fatal(err)
				}
				for _, op := range []exec.Operator{hj, nl} {
					if got := len(exectest.Rows(t, op)); got != want[kind][i] {
						t.Errorf("%s, empty %s side: %d rows, want %d", op, []string{"right", "left"}[i], got, want[kind][i])
					}
				}
			}
		}
	}
}

func TestJoinKindsEarlyCloseCancelAndFailure(t *testing.T) {
	mem := exectest.Alloc(t)
	left, right := bigSources(t, mem, 3)
	for _, spilling := range []bool{false, true} {
		env := testEnv(t, mem, 16, spilling)
		nlEnv := &exec.Env{Mem: mem, BatchSize: 512}
		boom := errors.New("boom")
		resid := binary(t, expr.NotEq, expr.Column(0, "l", arrow.PrimitiveTypes.Int64), expr.Column(1, "r", arrow.PrimitiveTypes.Int64))
		badResid := expr.Column(7, "missing", arrow.FixedWidthTypes.Boolean)
		type mk func(l, r exec.Operator, res expr.Expr) (exec.Operator, error)
		makers := map[string]mk{}
		for _, kind := range allKinds {
			for _, build := range []Side{BuildLeft, BuildRight} {
				makers[fmt.Sprintf("hash/%s/%s", kind, build)] = func(l, r exec.Operator, res expr.Expr) (exec.Operator, error) {
					return NewHashJoinWith(env, l, r, Spec{LeftKeys: []int{0}, RightKeys: []int{0}, Kind: kind, Build: build, Residual: res})
				}
				makers[fmt.Sprintf("nested/%s/%s", kind, build)] = func(l, r exec.Operator, res expr.Expr) (exec.Operator, error) {
					if res == nil {
						res = resid
					}
					return NewNestedLoopJoin(nlEnv, l, r, kind, res, build)
				}
			}
		}
		for name, make := range makers {
			t.Run(fmt.Sprintf("%s/spill=%v", name, spilling), func(t *testing.T) {
				op, err := make(left, right, nil)
				if err != nil {
					t.Fatal(err)
				}
				// Every stream open, one batch read from each, then all closed.
				var ss []exec.Stream
				for p := range op.Partitions() {
					s, err := op.Execute(t.Context(), p)
					if err != nil {
						t.Fatal(err)
					}
					ss = append(ss, s)
					if b, err := s.Next(); err == nil {
						b.Release()
					} else if !errors.Is(err, io.EOF) {
						t.Fatal(err)
					}
				}
				for _, s := range ss {
					if err := s.Close(); err != nil {
						t.Fatal(err)
					}
				}
				// Cancelled before and during a run.
				ctx, cancel := context.WithCancel(t.Context())
				cancel()
				if _, err := exec.Collect(ctx, op); !errors.Is(err, context.Canceled) {
					t.Errorf("cancelled: got %v, want context.Canceled", err)
				}
				ctx, cancel = context.WithCancel(t.Context())
				s, err := op.Execute(ctx, 0)
				if err != nil {
					t.Fatal(err)
				}
				if b, err := s.Next(); err == nil {
					b.Release()
				}
				cancel()
				if _, err := s.Next(); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
					t.Errorf("cancelled mid-stream: got %v", err)
				}
				s.Close()
				// Failing inputs and a failing residual.
				for what, in := range map[string][2]exec.Operator{
					"left":  {exectest.FailAtEnd(left, boom), right},
					"right": {left, exectest.FailAtEnd(right, boom)},
				} {
					op, err := make(in[0], in[1], nil)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := exec.Collect(t.Context(), op); !errors.Is(err, boom) {
						t.Errorf("failing %s side: got %v", what, err)
					}
				}
				op, err = make(left, right, badResid)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := exec.Collect(t.Context(), op); err == nil {
					t.Error("failing residual: no error")
				}
				checkSpilled(t, op, env, spilling && strings.HasPrefix(name, "hash/"))
			})
		}
	}
}
