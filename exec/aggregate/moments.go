package aggregate

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// momentsAcc keeps, per group, the row count, the means and the sums of
// squared deviations (and of co-deviations for two inputs), updated row by
// row with Welford's recurrence and merged with Chan et al.'s formula.
type momentsAcc struct {
	f        Func
	merge    bool
	two      bool // covariance or correlation
	corr     bool
	n        []float64
	xavg, xm []float64
	yavg, ym []float64
	ck       []float64
}

func (a *momentsAcc) grow(n int) {
	a.n, a.xavg, a.xm = growTo(a.n, n), growTo(a.xavg, n), growTo(a.xm, n)
	if a.two {
		a.yavg, a.ck = growTo(a.yavg, n), growTo(a.ck, n)
		if a.corr {
			a.ym = growTo(a.ym, n)
		}
	}
}

func float64Col(f Func, c arrow.Array) ([]float64, error) {
	if _, ok := c.(*array.Float64); !ok {
		return nil, fmt.Errorf("%s: input type %s, expected double (the planner casts numeric inputs)", f, c.DataType())
	}
	return kernels.FixedValues[float64](c), nil
}

func (a *momentsAcc) update(gids []uint32, cols []arrow.Array) error {
	if a.merge {
		return a.mergeStates(gids, cols)
	}
	xs, err := float64Col(a.f, cols[0])
	if err != nil {
		return err
	}
	if !a.two {
		c := cols[0]
		noNulls := c.NullN() == 0
		n, avg, m2 := a.n, a.xavg, a.xm
		for i, g := range gids {
			if noNulls || c.IsValid(i) {
				x := xs[i]
				n1 := n[g] + 1
				d := x - avg[g]
				avg[g] += d / n1
				m2[g] += d * (x - avg[g])
				n[g] = n1
			}
		}
		return nil
	}
	ys, err := float64Col(a.f, cols[1])
	if err != nil {
		return err
	}
	cx, cy := cols[0], cols[1]
	noNulls := cx.NullN() == 0 && cy.NullN() == 0
	n, xavg, yavg, ck := a.n, a.xavg, a.yavg, a.ck
	for i, g := range gids {
		if noNulls || (cx.IsValid(i) && cy.IsValid(i)) {
			x, y := xs[i], ys[i]
			n1 := n[g] + 1
			dx, dy := x-xavg[g], y-yavg[g]
			xavg[g] += dx / n1
			yavg[g] += dy / n1
			ck[g] += dx * (y - yavg[g])
			if a.corr {
				a.xm[g] += dx * (x - xavg[g])
				a.ym[g] += dy * (y - yavg[g])
			}
			n[g] = n1
		}
	}
	return nil
}

// mergeStates folds partial states (columns in the order of stateFields)
// into the groups.
func (a *momentsAcc) mergeStates(gids []uint32, cols []arrow.Array) error {
	vals := make([][]float64, len(cols))
	for k, c := range cols {
		v, err := float64Col(a.f, c)
		if err != nil {
			return err
		}
		vals[k] = v
	}
	cn := cols[0]
	for i, g := range gids {
		if !cn.IsValid(i) {
			continue
		}
		n2 := vals[0][i]
		if n2 == 0 {
			continue
		}
		n1 := a.n[g]
		if n1 == 0 {
			a.n[g] = n2
			a.xavg[g] = vals[1][i]
			if a.two {
				a.yavg[g], a.ck[g] = vals[2][i], vals[3][i]
				if a.corr {
					a.xm[g], a.ym[g] = vals[4][i], vals[5][i]
				}
			} else {
				a.xm[g] = vals[2][i]
			}
			continue
		}
		n := n1 + n2
		w := n1 * n2 / n
		dx := vals[1][i] - a.xavg[g]
		a.xavg[g] += dx * n2 / n
		a.n[g] = n
		if !a.two {
			a.xm[g] += vals[2][i] + dx*dx*w
			continue
		}
		dy := vals[2][i] - a.yavg[g]
		a.yavg[g] += dy * n2 / n
		a.ck[g] += vals[3][i] + dx*dy*w
		if a.corr {
			a.xm[g] += vals[4][i] + dx*dx*w
			a.ym[g] += vals[5][i] + dy*dy*w
		}
	}
	return nil
}

func (a *momentsAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	f64 := arrow.PrimitiveTypes.Float64
	n := hi - lo
	out := []arrow.Array{kernels.NewFixedArray(mem, f64, a.n[lo:hi], n, nil), kernels.NewFixedArray(mem, f64, a.xavg[lo:hi], n, nil)}
	if !a.two {
		return append(out, kernels.NewFixedArray(mem, f64, a.xm[lo:hi], n, nil)), nil
	}
	out = append(out, kernels.NewFixedArray(mem, f64, a.yavg[lo:hi], n, nil), kernels.NewFixedArray(mem, f64, a.ck[lo:hi], n, nil))
	if a.corr {
		out = append(out, kernels.NewFixedArray(mem, f64, a.xm[lo:hi], n, nil), kernels.NewFixedArray(mem, f64, a.ym[lo:hi], n, nil))
	}
	return out, nil
}

// result follows Spark: no rows → null; the sample statistics of one row →
// null; correlation with a zero variance → NaN (0/0).
func (a *momentsAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	if isRegr(a.f) {
		return a.regrResult(mem, lo, hi), nil
	}
	out := make([]float64, hi-lo)
	valid := make([]bool, hi-lo)
	for i := range out {
		g := lo + i
		n := a.n[g]
		if n == 0 {
			continue
		}
		samp := a.f == StddevSamp || a.f == VarSamp || a.f == CovarSamp
		if samp && n == 1 {
			continue
		}
		if a.f == Corr && n == 1 {
			continue
		}
		valid[i] = true
		switch a.f {
		case StddevSamp:
			out[i] = math.Sqrt(a.xm[g] / (n - 1))
		case StddevPop:
			out[i] = math.Sqrt(a.xm[g] / n)
		case VarSamp:
			out[i] = a.xm[g] / (n - 1)
		case VarPop:
			out[i] = a.xm[g] / n
		case CovarSamp:
			out[i] = a.ck[g] / (n - 1)
		case CovarPop:
			out[i] = a.ck[g] / n
		case Corr:
			out[i] = a.ck[g] / math.Sqrt(a.xm[g]*a.ym[g])
		}
	}
	return kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Float64, out, hi-lo, validFromSeen(valid)), nil
}
