package tuning

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gspark/gspark/internal/suggest"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// AddGridFor adds (or replaces) the values tried for the param name of the
// stage st only, as Spark's addGrid(stage.param, values): the grid key is
// "<uid>.<name>". A name st does not define fails the fit (and the
// validator's TransformSchema) with an error naming the param and the stage.
func (b *ParamGridBuilder) AddGridFor(st ml.Stage, name string, values ...any) *ParamGridBuilder {
	return b.AddGrid(StageParamKey(st, name), values...)
}

// StageParamKey is the grid key of the param name of stage st: "<uid>.<name>".
func StageParamKey(st ml.Stage, name string) string { return st.UID() + "." + name }

// gridStages returns the stages a grid may name: the estimator itself and,
// for a pipeline, its stages.
func gridStages(est ml.Estimator) []ml.Stage {
	stages := []ml.Stage{est}
	if p, ok := est.(*ml.Pipeline); ok {
		stages = append(stages, p.Stages()...)
	}
	return stages
}

// resolveMaps checks every key of maps against the stages of est and
// returns the maps keyed by "<uid>.<name>": a plain name must be defined by
// exactly one stage, a "<uid>.<name>" key must name a stage of est that
// defines name.
func resolveMaps(est ml.Estimator, maps []param.ParamMap) ([]param.ParamMap, error) {
	stages := gridStages(est)
	out := make([]param.ParamMap, len(maps))
	for i, pm := range maps {
		keys := make([]string, 0, len(pm))
		for k := range pm {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out[i] = make(param.ParamMap, len(pm))
		for _, k := range keys {
			st, name, err := resolveKey(stages, k)
			if err != nil {
				return nil, fmt.Errorf("param map %d: %w", i, err)
			}
			out[i][st.UID()+"."+name] = pm[k]
		}
	}
	return out, nil
}

// resolveKey finds the stage a grid key sets a param of.
func resolveKey(stages []ml.Stage, key string) (ml.Stage, string, error) {
	if uid, name, ok := strings.Cut(key, "."); ok {
		for _, st := range stages {
			if st.UID() != uid {
				continue
			}
			if !st.Params().IsDefined(name) {
				return nil, "", fmt.Errorf("grid param %q: stage %s has no param %q%s", key, uid, name, didYouMean(name, st.Params().Names()))
			}
			return st, name, nil
		}
		return nil, "", fmt.Errorf("grid param %q: the estimator has no stage %s (stages: %s)", key, uid, uids(stages))
	}
	var found []ml.Stage
	var all []string
	for _, st := range stages {
		if st.Params().IsDefined(key) {
			found = append(found, st)
		}
		all = append(all, st.Params().Names()...)
	}
	switch len(found) {
	case 0:
		return nil, "", fmt.Errorf("grid param %q: no stage defines it (stages: %s)%s", key, uids(stages), didYouMean(key, all))
	case 1:
		return found[0], key, nil
	}
	return nil, "", fmt.Errorf("grid param %q is ambiguous: stages %s all define it; name one with AddGridFor", key, uids(found))
}

func uids(stages []ml.Stage) string {
	s := make([]string, len(stages))
	for i, st := range stages {
		s[i] = st.UID()
	}
	return strings.Join(s, ", ")
}

// didYouMean returns `; did you mean "x"?` for the candidate closest to name
// (edit distance at most a third of its length, at least 2), or "".
func didYouMean(name string, candidates []string) string {
	if best := suggest.Closest(name, candidates); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// gridEstimator applies resolved maps (keyed "<uid>.<name>") to the stage
// each key names only.
type gridEstimator struct {
	ml.Estimator
}

// Copy applies each stage's share of pm to a copy of that stage.
func (g gridEstimator) Copy(pm param.ParamMap) (ml.Stage, error) {
	per := map[string]param.ParamMap{}
	for k, v := range pm {
		uid, name, _ := strings.Cut(k, ".")
		if per[uid] == nil {
			per[uid] = param.ParamMap{}
		}
		per[uid][name] = v
	}
	p, ok := g.Estimator.(*ml.Pipeline)
	if !ok {
		return g.Estimator.Copy(per[g.Estimator.UID()])
	}
	c, err := p.Copy(per[p.UID()])
	if err != nil {
		return nil, err
	}
	src := p.Stages()
	stages := make([]ml.Stage, len(src))
	for i, st := range src {
		if stages[i], err = st.Copy(per[st.UID()]); err != nil {
			return nil, err
		}
	}
	return c.(*ml.Pipeline).SetStages(stages...), nil
}

// resolved returns a copy of v whose estimator applies its param maps
// strictly, stage by stage, after checking every key.
func (v *validatorParams) resolved() (*validatorParams, error) {
	maps, err := resolveMaps(v.estimator, v.paramMaps())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v.UID(), err)
	}
	c := *v
	c.estimator, c.maps = gridEstimator{v.estimator}, maps
	return &c, nil
}
