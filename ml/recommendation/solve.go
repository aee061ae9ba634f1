package recommendation

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// normalEq accumulates the normal equations AᵀA x = Aᵀb of one factor
// (Spark's NormalEquation): add(y, b, c) adds c·y·yᵀ to AᵀA and b·y to Aᵀb.
type normalEq struct {
	k   int
	ata []float64 // k×k, full
	atb []float64
}

func newNormalEq(k int) *normalEq {
	return &normalEq{k: k, ata: make([]float64, k*k), atb: make([]float64, k)}
}

func (ne *normalEq) reset() {
	clear(ne.ata)
	clear(ne.atb)
}

func (ne *normalEq) add(y []float64, b, c float64) {
	k := ne.k
	if c != 0 {
		for i := 0; i < k; i++ {
			ci := c * y[i]
			row := ne.ata[i*k : i*k+k]
			for j := 0; j <= i; j++ {
				row[j] += ci * y[j]
			}
		}
	}
	if b != 0 {
		for i, v := range y {
			ne.atb[i] += b * v
		}
	}
}

// addMatrix adds the lower triangle of the k×k matrix m (e.g. YᵀY) to AᵀA.
func (ne *normalEq) addMatrix(m []float64) {
	k := ne.k
	for i := 0; i < k; i++ {
		for j := 0; j <= i; j++ {
			ne.ata[i*k+j] += m[i*k+j]
		}
	}
}

// system returns AᵀA + lambda·I as a symmetric matrix and Aᵀb.
func (ne *normalEq) system(lambda float64) (*mat.SymDense, []float64) {
	k := ne.k
	a := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := 0; j <= i; j++ {
			v := ne.ata[i*k+j]
			if i == j {
				v += lambda
			}
			a.SetSym(i, j, v)
		}
	}
	return a, append([]float64(nil), ne.atb...)
}

// solveCholesky solves (AᵀA + lambda·I) x = Aᵀb.
func (ne *normalEq) solveCholesky(lambda float64) ([]float64, error) {
	a, b := ne.system(lambda)
	var ch mat.Cholesky
	if ok := ch.Factorize(a); !ok {
		return nil, fmt.Errorf("the normal equations are not positive definite (try a larger regParam)")
	}
	x := mat.NewVecDense(ne.k, nil)
	if err := ch.SolveVecTo(x, mat.NewVecDense(ne.k, b)); err != nil {
		return nil, err
	}
	return x.RawVector().Data, nil
}

// solveNNLS minimizes ½xᵀQx − bᵀx subject to x ≥ 0, with Q = AᵀA + lambda·I,
// by Lawson and Hanson's active-set method on the normal equations.
func (ne *normalEq) solveNNLS(lambda float64) ([]float64, error) {
	a, b := ne.system(lambda)
	k := ne.k
	x := make([]float64, k)
	passive := make([]bool, k)
	grad := func() []float64 { // b − Qx
		w := make([]float64, k)
		for i := 0; i < k; i++ {
			s := b[i]
			for j := 0; j < k; j++ {
				s -= a.At(i, j) * x[j]
			}
			w[i] = s
		}
		return w
	}
	scale := 0.0
	for _, v := range b {
		scale = math.Max(scale, math.Abs(v))
	}
	tol := 1e-14 * math.Max(scale, 1)
	for outer := 0; outer < 3*k+10; outer++ {
		w := grad()
		best, bj := tol, -1
		for j := 0; j < k; j++ {
			if !passive[j] && w[j] > best {
				best, bj = w[j], j
			}
		}
		if bj < 0 {
			return x, nil
		}
		passive[bj] = true
		for inner := 0; inner < 3*k+10; inner++ {
			s, err := solvePassive(a, b, passive)
			if err != nil {
				return nil, err
			}
			feasible := true
			for j := 0; j < k; j++ {
				if passive[j] && s[j] <= 0 {
					feasible = false
				}
			}
			if feasible {
				copy(x, s)
				break
			}
			alpha := math.Inf(1)
			for j := 0; j < k; j++ {
				if passive[j] && s[j] <= 0 {
					alpha = math.Min(alpha, x[j]/(x[j]-s[j]))
				}
			}
			for j := 0; j < k; j++ {
				x[j] += alpha * (s[j] - x[j])
				if passive[j] && x[j] <= tol {
					passive[j], x[j] = false, 0
				}
			}
		}
	}
	return x, nil
}

// solvePassive solves Q_PP s_P = b_P over the passive set P (s is 0 elsewhere).
func solvePassive(a *mat.SymDense, b []float64, passive []bool) ([]float64, error) {
	var idx []int
	for j, p := range passive {
		if p {
			idx = append(idx, j)
		}
	}
	s := make([]float64, len(passive))
	if len(idx) == 0 {
		return s, nil
	}
	sub := mat.NewSymDense(len(idx), nil)
	rhs := mat.NewVecDense(len(idx), nil)
	for i, r := range idx {
		rhs.SetVec(i, b[r])
		for j := 0; j <= i; j++ {
			sub.SetSym(i, j, a.At(r, idx[j]))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(sub) {
		return nil, fmt.Errorf("the normal equations are not positive definite (try a larger regParam)")
	}
	x := mat.NewVecDense(len(idx), nil)
	if err := ch.SolveVecTo(x, rhs); err != nil {
		return nil, err
	}
	for i, r := range idx {
		s[r] = x.AtVec(i)
	}
	return s, nil
}
