package regression

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// glmEpsilon is Spark's GeneralizedLinearRegression.epsilon: fitted means
// are kept at least this far inside the family's range.
const glmEpsilon = 1e-16

// tweedieDelta is Spark's Tweedie.delta: the starting mean of a zero label
// and the floor of the label in the (compound) Poisson deviance.
const tweedieDelta = 0.1

// The families as Spark resolves them: "tweedie" with variance power 0, 1
// or 2 is the gaussian, poisson or gamma family.
const (
	famGaussian = iota
	famBinomial
	famPoisson
	famGamma
	famTweedie
)

// glmFamily is an error distribution: its kind and, for the Tweedie
// family, the power p of the variance function V(μ) = μᵖ.
type glmFamily struct {
	kind int
	p    float64
}

func (f glmFamily) name() string {
	return [...]string{"gaussian", "binomial", "poisson", "gamma", "tweedie"}[f.kind]
}

// The links: power links μᵖ (log for p = 0; identity, inverse and sqrt
// are p = 1, −1, ½) and the three binomial links.
const (
	linkPower = iota
	linkLogit
	linkProbit
	linkCLogLog
)

// glmLink is a link function g with η = g(μ).
type glmLink struct {
	kind int
	p    float64
}

func (l glmLink) name() string {
	switch l.kind {
	case linkLogit:
		return "logit"
	case linkProbit:
		return "probit"
	case linkCLogLog:
		return "cloglog"
	}
	switch l.p {
	case 1:
		return "identity"
	case 0:
		return "log"
	case -1:
		return "inverse"
	case 0.5:
		return "sqrt"
	}
	return "power"
}

var linksByName = map[string]glmLink{
	"identity": {linkPower, 1},
	"log":      {linkPower, 0},
	"inverse":  {linkPower, -1},
	"sqrt":     {linkPower, 0.5},
	"logit":    {kind: linkLogit},
	"probit":   {kind: linkProbit},
	"cloglog":  {kind: linkCLogLog},
}

// glmPairs are the family and link pairs Spark supports (other than
// tweedie, whose link is any power).
var glmPairs = map[string][]string{
	"gaussian": {"identity", "log", "inverse"},
	"binomial": {"logit", "probit", "cloglog"},
	"poisson":  {"log", "identity", "sqrt"},
	"gamma":    {"inverse", "identity", "log"},
}

// familyAndLink resolves the family and link as Spark's FamilyAndLink:
// the link param is used unless the family is tweedie, where linkPower is
// (its default 1 − variancePower); an unset link is the family's default.
func familyAndLink(family string, variancePower float64, link string, linkSet bool, lp float64, lpSet bool) (glmFamily, glmLink, error) {
	family = strings.ToLower(family)
	var f glmFamily
	switch family {
	case "gaussian":
		f = glmFamily{kind: famGaussian}
	case "binomial":
		f = glmFamily{kind: famBinomial}
	case "poisson":
		f = glmFamily{kind: famPoisson, p: 1}
	case "gamma":
		f = glmFamily{kind: famGamma, p: 2}
	case "tweedie":
		if !(variancePower == 0 || variancePower >= 1) || math.IsInf(variancePower, 0) {
			return f, glmLink{}, fmt.Errorf("variancePower %v is not supported: it must be 0 or in [1, Inf)", variancePower)
		}
		switch variancePower {
		case 0:
			f = glmFamily{kind: famGaussian}
		case 1:
			f = glmFamily{kind: famPoisson, p: 1}
		case 2:
			f = glmFamily{kind: famGamma, p: 2}
		default:
			f = glmFamily{kind: famTweedie, p: variancePower}
		}
		if lpSet {
			if math.IsNaN(lp) || math.IsInf(lp, 0) {
				return f, glmLink{}, fmt.Errorf("linkPower %v is not finite", lp)
			}
			return f, glmLink{linkPower, lp}, nil
		}
		return f, f.defaultLink(), nil
	default:
		return f, glmLink{}, fmt.Errorf("family %q is not supported (gaussian, binomial, poisson, gamma or tweedie)", family)
	}
	if !linkSet {
		return f, f.defaultLink(), nil
	}
	l, ok := linksByName[strings.ToLower(link)]
	if !ok {
		return f, glmLink{}, fmt.Errorf("link %q is not supported (identity, log, inverse, logit, probit, cloglog or sqrt)", link)
	}
	for _, name := range glmPairs[family] {
		if name == strings.ToLower(link) {
			return f, l, nil
		}
	}
	return f, glmLink{}, fmt.Errorf("generalized linear regression with the %s family does not support the %s link function (supported: %s)", family, strings.ToLower(link), strings.Join(glmPairs[family], ", "))
}

func (f glmFamily) defaultLink() glmLink {
	switch f.kind {
	case famGaussian:
		return glmLink{linkPower, 1}
	case famBinomial:
		return glmLink{kind: linkLogit}
	case famPoisson:
		return glmLink{linkPower, 0}
	case famGamma:
		return glmLink{linkPower, -1}
	}
	return glmLink{linkPower, 1 - f.p}
}

// initialize returns the starting mean of a row, checking the label's
// range for the family.
func (f glmFamily) initialize(y, w float64) (float64, error) {
	switch f.kind {
	case famGaussian:
		return y, nil
	case famBinomial:
		mu := (w*y + 0.5) / (w + 1)
		if !(mu > 0 && mu < 1) {
			return 0, fmt.Errorf("the label of the binomial family must be in [0, 1], got %v", y)
		}
		return mu, nil
	case famPoisson:
		if y < 0 {
			return 0, fmt.Errorf("the label of the poisson family must be non-negative, got %v", y)
		}
		return math.Max(y, tweedieDelta), nil
	case famGamma:
		if y <= 0 {
			return 0, fmt.Errorf("the label of the gamma family must be positive, got %v", y)
		}
		return y, nil
	}
	if f.p >= 1 && f.p < 2 && y < 0 {
		return 0, fmt.Errorf("the label of the tweedie(%v) family must be non-negative, got %v", f.p, y)
	}
	if f.p >= 2 && y <= 0 {
		return 0, fmt.Errorf("the label of the tweedie(%v) family must be positive, got %v", f.p, y)
	}
	if y == 0 {
		return tweedieDelta, nil
	}
	return y, nil
}

// variance is V(μ).
func (f glmFamily) variance(mu float64) float64 {
	switch f.kind {
	case famGaussian:
		return 1
	case famBinomial:
		return mu * (1 - mu)
	case famPoisson:
		return mu
	case famGamma:
		return mu * mu
	}
	return math.Pow(mu, f.p)
}

func ylogy(y, mu float64) float64 {
	if y == 0 {
		return 0
	}
	return y * math.Log(y/mu)
}

// deviance is the weighted unit deviance of one row.
func (f glmFamily) deviance(y, mu, w float64) float64 {
	switch f.kind {
	case famGaussian:
		return w * (y - mu) * (y - mu)
	case famBinomial:
		return 2 * w * (ylogy(y, mu) + ylogy(1-y, 1-mu))
	case famPoisson:
		return 2 * w * (ylogy(y, mu) - (y - mu))
	case famGamma:
		return -2 * w * (math.Log(y/mu) - (y-mu)/mu)
	}
	y1 := y
	if f.p >= 1 && f.p < 2 {
		y1 = math.Max(y, tweedieDelta)
	}
	yp := func(y, mu, p float64) float64 {
		if p == 0 {
			return math.Log(y / mu)
		}
		return (math.Pow(y, p) - math.Pow(mu, p)) / p
	}
	return 2 * w * (y*yp(y1, mu, 1-f.p) - yp(y, mu, 2-f.p))
}

// project keeps a fitted mean inside the family's range.
func (f glmFamily) project(mu float64) float64 {
	switch f.kind {
	case famGaussian:
		switch {
		case math.IsInf(mu, -1):
			return -math.MaxFloat64
		case math.IsInf(mu, 1):
			return math.MaxFloat64
		}
		return mu
	case famBinomial:
		switch {
		case mu < glmEpsilon:
			return glmEpsilon
		case mu > 1-glmEpsilon:
			return 1 - glmEpsilon
		}
		return mu
	}
	switch {
	case mu < glmEpsilon:
		return glmEpsilon
	case math.IsInf(mu, 1):
		return math.MaxFloat64
	}
	return mu
}

// glmAICRow is one row of the data AIC reads.
type glmAICRow struct{ y, mu, w float64 }

// aic is Spark's family part of the AIC (the summary adds 2·rank):
// gaussian n(log(2π·deviance/n)+1)+2−Σlog w; binomial −2Σ log
// Binomial(round(w), μ) at round(y·w) (weights count trials); poisson
// −2Σ w·log Poisson(μ) at ⌊y⌋; gamma −2Σ w·log Gamma(1/φ, μφ) at y + 2 with
// φ = deviance/Σw. Spark has none for the other Tweedie families.
func (f glmFamily) aic(rows func(func(glmAICRow)), deviance, n, weightSum float64) (float64, error) {
	s := 0.0
	switch f.kind {
	case famGaussian:
		rows(func(r glmAICRow) { s += math.Log(r.w) })
		return n*(math.Log(deviance/n*2*math.Pi)+1) + 2 - s, nil
	case famBinomial:
		rows(func(r glmAICRow) {
			wt := math.Round(r.w)
			if wt == 0 {
				return
			}
			k := math.Round(r.y * r.w)
			lg1, _ := math.Lgamma(wt + 1)
			lg2, _ := math.Lgamma(k + 1)
			lg3, _ := math.Lgamma(wt - k + 1)
			s += lg1 - lg2 - lg3 + xlogy(k, r.mu) + xlogy(wt-k, 1-r.mu)
		})
		return -2 * s, nil
	case famPoisson:
		rows(func(r glmAICRow) {
			k := math.Trunc(r.y)
			lg, _ := math.Lgamma(k + 1)
			s += r.w * (xlogy(k, r.mu) - r.mu - lg)
		})
		return -2 * s, nil
	case famGamma:
		disp := deviance / weightSum
		shape := 1 / disp
		rows(func(r glmAICRow) {
			scale := r.mu * disp
			lg, _ := math.Lgamma(shape)
			s += r.w * ((shape-1)*math.Log(r.y) - r.y/scale - lg - shape*math.Log(scale))
		})
		return -2*s + 2, nil
	}
	return math.NaN(), ErrNoTweedieAIC
}

// xlogy is x·log(y), 0 when x is 0.
func xlogy(x, y float64) float64 {
	if x == 0 {
		return 0
	}
	return x * math.Log(y)
}

// link is g(μ).
func (l glmLink) link(mu float64) float64 {
	switch l.kind {
	case linkLogit:
		return math.Log(mu / (1 - mu))
	case linkProbit:
		return distuv.UnitNormal.Quantile(mu)
	case linkCLogLog:
		return math.Log(-math.Log1p(-mu))
	}
	switch l.p {
	case 1:
		return mu
	case 0:
		return math.Log(mu)
	case -1:
		return 1 / mu
	case 0.5:
		return math.Sqrt(mu)
	}
	return math.Pow(mu, l.p)
}

// deriv is g′(μ).
func (l glmLink) deriv(mu float64) float64 {
	switch l.kind {
	case linkLogit:
		return 1 / (mu * (1 - mu))
	case linkProbit:
		return 1 / distuv.UnitNormal.Prob(distuv.UnitNormal.Quantile(mu))
	case linkCLogLog:
		return 1 / ((mu - 1) * math.Log1p(-mu))
	}
	switch l.p {
	case 1:
		return 1
	case 0:
		return 1 / mu
	case -1:
		return -1 / (mu * mu)
	case 0.5:
		return 1 / (2 * math.Sqrt(mu))
	}
	return l.p * math.Pow(mu, l.p-1)
}

// unlink is g⁻¹(η).
func (l glmLink) unlink(eta float64) float64 {
	switch l.kind {
	case linkLogit:
		return 1 / (1 + math.Exp(-eta))
	case linkProbit:
		return distuv.UnitNormal.CDF(eta)
	case linkCLogLog:
		return 1 - math.Exp(-math.Exp(eta))
	}
	switch l.p {
	case 1:
		return eta
	case 0:
		return math.Exp(eta)
	case -1:
		return 1 / eta
	case 0.5:
		return eta * eta
	}
	return math.Pow(eta, 1/l.p)
}
