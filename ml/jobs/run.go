package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/all"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/monitor"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/registry"
	"github.com/gspark/gspark/ml/tracking"
	"github.com/gspark/gspark/ml/tuning"
	"github.com/gspark/gspark/planner/sql"
)

// Recorder receives what a run measures, for experiment tracking; the
// runner calls it when set (nil: no tracking). Keys: every stage's params
// as "<stage-name>.<param>" (a tuned param: the value chosen), evaluate
// steps' metrics as "<step>.<metricName>", a tuned fit's average metric of
// each param map as "cv.<metricName>" (step: the map's index) and its
// per-fold metrics as "cv.fold<k>.<metricName>" ("tvs.<metricName>" for a
// TrainValidationSplit; a job with several tuned fit steps prefixes these
// with "<step>."); tags "gspark.job.file" and
// "gspark.job.sha256"; saved models as artifacts under "models/<step>"
// (registered ones too, with the tag "gspark.registered.<step>" naming the
// version, NAME/vN);
// an evaluate step's ROC and PR curves and confusion matrix as the JSON
// artifact "evaluation/<step>.json" and a fit step's coefficients or
// feature importances as "model/<step>.json" (tracking.EvaluationArtifact
// and tracking.ModelArtifact).
type Recorder interface {
	LogParam(key, value string) error
	LogMetric(key string, value float64, step int64) error
	SetTag(key, value string) error
	LogArtifact(localPath, artifactPath string) error
}

// Options configure Run.
type Options struct {
	// Session runs the job (default: a new session with the job's partitions).
	Session *frame.Session
	// Progress receives one line per step (default: discarded).
	Progress io.Writer
	// Recorder, when set, receives params, metrics, tags and artifacts.
	Recorder Recorder
	// ModelsDir is the model registry of save steps with register: and no
	// models_dir: (default: DefaultModelsDir).
	ModelsDir string
}

// DefaultModelsDir is the model registry a job registers models in when
// neither Options.ModelsDir nor the save step's models_dir: names one.
const DefaultModelsDir = "models"

// Result is what a run produced.
type Result struct {
	// Metrics holds evaluate steps' metrics by "<step>.<metricName>" and a
	// tuned fit's best average metric by "cv.<metricName>" (as Recorder
	// names them).
	Metrics map[string]float64
	// Models holds the fitted models by fit step name.
	Models map[string]ml.Model
	// Registered holds the versions save steps registered, by step name.
	Registered map[string]registry.Version
}

// RunFile reads, parses, validates and runs the job file at path.
func RunFile(ctx context.Context, path string, params map[string]string, opts Options) (*Result, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading job file: %w", err)
	}
	job, err := Parse(path, src, params)
	if err != nil {
		return nil, err
	}
	return Run(ctx, job, opts)
}

// Validate checks the whole job without running it: each step's inputs are
// analyzed (SQL statements that write are only parsed), each stage class,
// param name and value type checked, each grid key resolved, and each
// pipeline's TransformSchema run on its input's schema, in a scratch
// session. It reads no data beyond what schema inference of a source needs.
func Validate(ctx context.Context, job *Job) error {
	r := newRunner(job, frame.NewSession(sessionOpts(job)...), Options{}, true)
	return r.run(ctx)
}

// Run validates the job, then runs its steps in order. A failing step stops
// the run; what earlier steps wrote stays (every write is atomic).
func Run(ctx context.Context, job *Job, opts Options) (*Result, error) {
	s := opts.Session
	if s == nil {
		s = frame.NewSession(sessionOpts(job)...)
	}
	// Validate in the session that runs the job, so views it already has
	// count; the views validation defines are the ones the run redefines.
	if err := newRunner(job, s, Options{}, true).run(ctx); err != nil {
		return nil, err
	}
	r := newRunner(job, s, opts, false)
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	return &Result{Metrics: r.metrics, Models: r.fitted, Registered: r.registered}, nil
}

func sessionOpts(job *Job) []frame.Option {
	if job.Partitions > 0 {
		return []frame.Option{frame.WithPartitions(job.Partitions)}
	}
	return nil
}

// runner walks the steps; dry runs check schemas instead of data.
type runner struct {
	job     *Job
	s       *frame.Session
	opts    Options
	dry     bool
	classes *stageClasses
	// models by fit step name: the pipeline (dry) or the fitted model.
	models map[string]ml.Stage
	// saved holds the models save steps write, by path.
	saved   map[string]ml.Stage
	fitted  map[string]ml.Model
	metrics map[string]float64
	// registered holds the versions save steps registered, by step name.
	registered map[string]registry.Version
	// profiles holds the fitted models' training profiles by fit step name.
	profiles map[string]*monitor.Profile
}

func newRunner(job *Job, s *frame.Session, opts Options, dry bool) *runner {
	return &runner{job: job, s: s, opts: opts, dry: dry, classes: newStageClasses(),
		models: map[string]ml.Stage{}, saved: map[string]ml.Stage{}, fitted: map[string]ml.Model{}, metrics: map[string]float64{},
		registered: map[string]registry.Version{},
		profiles:   map[string]*monitor.Profile{}}
}

func errAt(p Pos, format string, args ...any) error {
	return &Error{Pos: p, Msg: fmt.Sprintf(format, args...)}
}

// wrapAt is errAt keeping err in the chain.
func wrapAt(p Pos, err error, format string, args ...any) error {
	return fmt.Errorf("%s: %s: %w", p, fmt.Sprintf(format, args...), err)
}

func (r *runner) record(f func(Recorder) error) error {
	if r.dry || r.opts.Recorder == nil {
		return nil
	}
	if err := f(r.opts.Recorder); err != nil {
		return fmt.Errorf("tracking: %w", err)
	}
	return nil
}

func (r *runner) run(ctx context.Context) error {
	if err := r.record(func(rec Recorder) error {
		return errors.Join(rec.SetTag("gspark.job.file", r.job.File), rec.SetTag("gspark.job.sha256", r.job.SHA256))
	}); err != nil {
		return err
	}
	var errs []error
	for i, st := range r.job.Steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := time.Now()
		rows, err := r.step(ctx, st)
		if err != nil {
			if !r.dry {
				return fmt.Errorf("step %s (%s): %w", st.Name, st.Kind, err)
			}
			// Validation reports every step's problems; later steps may
			// depend on a failed one, so stop at the first failing step
			// that others could need.
			errs = append(errs, err)
			if st.Kind == KindSQL || st.Kind == KindSplit || st.Kind == KindFit {
				break
			}
			continue
		}
		if !r.dry && r.opts.Progress != nil {
			rowText := "-"
			if rows >= 0 {
				rowText = strconv.FormatInt(rows, 10)
			}
			fmt.Fprintf(r.opts.Progress, "[%d/%d] %-9s %-16s rows %-8s %s\n", i+1, len(r.job.Steps), st.Kind, st.Name, rowText, time.Since(start).Round(time.Millisecond))
		}
	}
	return errors.Join(errs...)
}

// step runs one step and returns the rows it read or wrote (-1: none).
func (r *runner) step(ctx context.Context, st *Step) (int64, error) {
	switch st.Kind {
	case KindSQL:
		return r.sql(ctx, st)
	case KindSplit:
		return r.split(ctx, st)
	case KindFit:
		return r.fit(ctx, st)
	case KindEvaluate:
		return r.evaluate(ctx, st)
	case KindTransform:
		return r.transform(ctx, st)
	case KindSave:
		return -1, r.save(st)
	}
	return -1, errAt(st.Pos, "unknown step kind %q", st.Kind)
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// input returns the DataFrame of a view name or a query.
func (r *runner) input(t Text) (*frame.DataFrame, error) {
	var df *frame.DataFrame
	if identifier.MatchString(t.S) {
		df = r.s.Table(t.S)
	} else {
		df = r.s.SQL(t.S)
	}
	if err := df.Err(); err != nil {
		return nil, wrapAt(t.Pos, err, "input")
	}
	return df, nil
}

func (r *runner) sql(ctx context.Context, st *Step) (int64, error) {
	rows := int64(-1)
	for _, t := range st.Statements {
		stmts, err := sql.Parse(t.S)
		if err != nil {
			return -1, wrapAt(t.Pos, err, "sql")
		}
		if r.dry {
			writes := false
			for _, x := range stmts {
				switch x.(type) {
				case *sql.CreateTableAs, *sql.InsertOverwriteDirectory:
					writes = true
				}
			}
			if writes {
				continue // only parsed: analyzing would run the write
			}
		}
		err = r.s.ExecSQL(ctx, t.S, func(_ string, df *frame.DataFrame) error {
			if err := df.Err(); err != nil {
				return err
			}
			if r.dry {
				return nil
			}
			n, err := df.Count(ctx)
			rows = n
			return err
		})
		if err != nil {
			return -1, wrapAt(t.Pos, err, "sql")
		}
	}
	return rows, nil
}

func (r *runner) split(ctx context.Context, st *Step) (int64, error) {
	df, err := r.input(st.Input)
	if err != nil {
		return -1, err
	}
	parts, err := df.RandomSplit(st.Weights, st.Seed)
	if err != nil {
		return -1, wrapAt(st.Pos, err, "split")
	}
	for i, p := range parts {
		if err := p.CreateOrReplaceTempView(st.Into[i].S); err != nil {
			return -1, wrapAt(st.Into[i].Pos, err, "split")
		}
	}
	if r.dry {
		return -1, nil
	}
	return df.Count(ctx)
}

// setParams sets a stage's (or evaluator's, validator's) params from the file.
func setParams(ps *param.Params, what string, settings []Setting) error {
	var errs []error
	for _, s := range settings {
		if !ps.IsDefined(s.Name) {
			errs = append(errs, errAt(s.NamePos, "%s has no param %q%s", what, s.Name, suggestion(s.Name, ps.Names())))
			continue
		}
		if err := ps.Set(s.Name, s.Value); err != nil {
			errs = append(errs, errAt(s.ValuePos, "%s: param %s: %v", what, s.Name, unwrapUID(err, ps.UID())))
		}
	}
	return errors.Join(errs...)
}

// unwrapUID drops the "<uid>: " prefix param errors carry (the file names the stage).
func unwrapUID(err error, uid string) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, uid+": ")
	return strings.TrimPrefix(msg, "param ")
}

// buildPipeline makes the fit step's stages.
func (r *runner) buildPipeline(ctx context.Context, st *Step) (*ml.Pipeline, map[string]ml.Stage, []string, error) {
	var errs []error
	byName := map[string]ml.Stage{}
	var names []string
	var stages []ml.Stage
	for _, spec := range st.Stages {
		stage, err := r.classes.make(ctx, spec.Class.S)
		if err != nil {
			errs = append(errs, errAt(spec.Class.Pos, "%v", err))
			continue
		}
		what := fmt.Sprintf("stage %s (%s)", spec.Name.S, spec.Class.S)
		if err := setParams(stage.Params(), what, spec.Params); err != nil {
			errs = append(errs, err)
		}
		if _, dup := byName[spec.Name.S]; dup {
			errs = append(errs, errAt(spec.Name.Pos, "stage name %q is used twice in step %s", spec.Name.S, st.Name))
		}
		byName[spec.Name.S] = stage
		names = append(names, spec.Name.S)
		stages = append(stages, stage)
	}
	if len(errs) > 0 {
		return nil, nil, nil, errors.Join(errs...)
	}
	return ml.NewPipeline(stages...), byName, names, nil
}

var missingColumn = regexp.MustCompile(`column "([^"]+)" does not exist`)

// checkSchema runs the stages' TransformSchema one by one on in and returns
// the output schema; an error points at the stage (or at the param naming
// the missing column) and suggests an existing column.
func checkSchema(st *Step, stages []ml.Stage, in *arrow.Schema) (*arrow.Schema, error) {
	s := in
	for i, stage := range stages {
		out, err := stage.TransformSchema(s)
		if err != nil {
			spec := st.Stages[i]
			pos, hint := spec.Pos, ""
			if m := missingColumn.FindStringSubmatch(err.Error()); m != nil {
				hint = suggestion(m[1], schemaNames(s))
				if p, ok := findValue(spec.Params, m[1]); ok {
					pos = p
				}
			}
			return nil, errAt(pos, "stage %s (%s): %v%s", spec.Name.S, spec.Class.S, unwrapUID(err, stage.UID()), hint)
		}
		s = out
	}
	return s, nil
}

func schemaNames(s *arrow.Schema) []string {
	out := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		out[i] = f.Name
	}
	return out
}

// findValue returns the place of the setting whose value is, or lists, v.
func findValue(settings []Setting, v string) (Pos, bool) {
	for _, s := range settings {
		switch x := s.Value.(type) {
		case string:
			if x == v {
				return s.ValuePos, true
			}
		case []any:
			for _, e := range x {
				if e == v {
					return s.ValuePos, true
				}
			}
		}
	}
	return Pos{}, false
}

// makeEvaluator builds an evaluator from its spec.
func makeEvaluator(spec ClassSpec) (evaluation.Evaluator, error) {
	ev, err := tuning.NewEvaluator(spec.Class.S)
	if err != nil {
		return nil, errAt(spec.Class.Pos, "unknown evaluator class %q%s", spec.Class.S, suggestion(spec.Class.S, tuning.EvaluatorClasses()))
	}
	if err := setParams(ev.Params(), "evaluator "+spec.Class.S, spec.Params); err != nil {
		return nil, err
	}
	return ev, nil
}

// checkColumns checks that every *Col param of ps that is set or defaulted
// to a non-empty name names a column of s.
func checkColumns(ps *param.Params, what string, pos Pos, s *arrow.Schema) error {
	for _, name := range ps.Names() {
		if !strings.HasSuffix(name, "Col") {
			continue
		}
		v, _ := ps.Get(name)
		col, ok := v.(string)
		if !ok || col == "" || s.HasField(col) || ml.FieldIndex(s, col) >= 0 {
			continue
		}
		return errAt(pos, "%s: %s %q is not a column of its input (columns: %s)%s", what, name, col, strings.Join(schemaNames(s), ", "), suggestion(col, schemaNames(s)))
	}
	return nil
}

func (r *runner) fit(ctx context.Context, st *Step) (int64, error) {
	df, err := r.input(st.Input)
	if err != nil {
		return -1, err
	}
	pipe, byName, names, err := r.buildPipeline(ctx, st)
	if err != nil {
		return -1, err
	}
	var est ml.Estimator = pipe
	var tuneEval evaluation.Evaluator
	if t := st.Tune; t != nil {
		if est, tuneEval, err = r.tuner(st, pipe, byName); err != nil {
			return -1, err
		}
	}
	out, err := checkSchema(st, pipe.Stages(), df.Schema())
	if err != nil {
		return -1, err
	}
	if tuneEval != nil {
		if _, err := est.TransformSchema(df.Schema()); err != nil {
			return -1, wrapAt(st.Tune.Pos, err, "tune")
		}
		if err := checkColumns(tuneEval.Params(), "evaluator "+st.Tune.Evaluator.Class.S, st.Tune.Evaluator.Pos, out); err != nil {
			return -1, err
		}
	}
	if r.dry {
		r.models[st.Name] = dryModel{pipe}
		return -1, nil
	}
	n, err := df.Count(ctx)
	if err != nil {
		return -1, err
	}
	m, err := est.Fit(ctx, df)
	if err != nil {
		return -1, err
	}
	if err := r.recordFit(st, m, names, byName, tuneEval); err != nil {
		return -1, err
	}
	switch x := m.(type) {
	case *tuning.CrossValidatorModel:
		m = x.BestModel()
	case *tuning.TrainValidationSplitModel:
		m = x.BestModel()
	}
	if err := r.recordModel(st, m, df.Schema()); err != nil {
		return -1, fmt.Errorf("tracking: %w", err)
	}
	if r.profiles[st.Name], err = fitProfile(ctx, df, pipe.Stages(), m); err != nil {
		return -1, wrapAt(st.Pos, err, "profiling the training data")
	}
	r.models[st.Name] = m
	r.fitted[st.Name] = m
	return n, nil
}

// tuner wraps the pipeline in the step's validator with its grid.
func (r *runner) tuner(st *Step, pipe *ml.Pipeline, byName map[string]ml.Stage) (ml.Estimator, evaluation.Evaluator, error) {
	t := st.Tune
	ev, err := makeEvaluator(t.Evaluator)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	gb := tuning.NewParamGridBuilder()
	stageNames := slices.Sorted(maps.Keys(byName))
	for _, g := range t.Grid {
		stage, ok := byName[g.Stage]
		if !ok {
			errs = append(errs, errAt(g.Pos, "grid %s.%s: step %s has no stage named %q%s", g.Stage, g.Param, st.Name, g.Stage, suggestion(g.Stage, stageNames)))
			continue
		}
		ps := stage.Params()
		if !ps.IsDefined(g.Param) {
			errs = append(errs, errAt(g.Pos, "grid %s.%s: stage %s (%s) has no param %q%s", g.Stage, g.Param, g.Stage, stage.ClassName(), g.Param, suggestion(g.Param, ps.Names())))
			continue
		}
		tmp, err := ps.Copy(ps.UID(), nil)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, v := range g.Values {
			if err := tmp.Set(g.Param, v); err != nil {
				errs = append(errs, errAt(g.Pos, "grid %s.%s: value %v: %v", g.Stage, g.Param, v, unwrapUID(err, ps.UID())))
			}
		}
		gb.AddGridFor(stage, g.Param, g.Values...)
	}
	var est ml.Estimator
	vs := t.Validator
	switch vs.Class.S {
	case "CrossValidator":
		cv := tuning.NewCrossValidator().SetEstimator(pipe).SetEstimatorParamMaps(gb.Build())
		if ev != nil {
			cv.SetEvaluator(ev)
		}
		est = cv
	case "TrainValidationSplit":
		tvs := tuning.NewTrainValidationSplit().SetEstimator(pipe).SetEstimatorParamMaps(gb.Build())
		if ev != nil {
			tvs.SetEvaluator(ev)
		}
		est = tvs
	default:
		errs = append(errs, errAt(vs.Class.Pos, "unknown validator %q (CrossValidator or TrainValidationSplit)%s", vs.Class.S, suggestion(vs.Class.S, []string{"CrossValidator", "TrainValidationSplit"})))
	}
	if est != nil {
		if err := setParams(est.Params(), "validator "+vs.Class.S, vs.Params); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return est, ev, nil
}

func (r *runner) recordFit(st *Step, m ml.Model, names []string, byName map[string]ml.Stage, ev evaluation.Evaluator) error {
	var bestMap param.ParamMap
	var avg []float64
	var folds [][]float64
	var maps []param.ParamMap
	switch x := m.(type) {
	case *tuning.CrossValidatorModel:
		avg, folds = x.AvgMetrics(), x.FoldMetrics()
		maps = r.gridMaps(st, byName)
		if len(maps) > x.BestIndex() {
			bestMap = maps[x.BestIndex()]
		}
	case *tuning.TrainValidationSplitModel:
		avg = x.ValidationMetrics()
		maps = r.gridMaps(st, byName)
		if len(maps) > x.BestIndex() {
			bestMap = maps[x.BestIndex()]
		}
	}
	metric, prefix := "", "cv."
	if _, ok := m.(*tuning.TrainValidationSplitModel); ok {
		prefix = "tvs."
	}
	if r.tunedFits() > 1 {
		prefix = st.Name + "." + prefix
	}
	if ev != nil {
		if v, ok := ev.Params().Get("metricName"); ok {
			metric = fmt.Sprint(v)
		}
		if len(avg) > 0 {
			best := avg[0]
			for _, v := range avg {
				if (ev.IsLargerBetter() && v > best) || (!ev.IsLargerBetter() && v < best) {
					best = v
				}
			}
			r.metrics[prefix+metric] = best
		}
	}
	return r.record(func(rec Recorder) error {
		var errs []error
		for _, n := range names {
			ps := byName[n].Params()
			for _, p := range ps.Names() {
				v, ok := ps.Get(p)
				if bv, set := bestMap[byName[n].UID()+"."+p]; set {
					v, ok = bv, true
				}
				if !ok {
					continue
				}
				errs = append(errs, rec.LogParam(n+"."+p, formatValue(v)))
			}
		}
		for i, v := range avg {
			errs = append(errs, rec.LogMetric(prefix+metric, v, int64(i)))
		}
		for k, fm := range folds {
			for i, v := range fm {
				errs = append(errs, rec.LogMetric(fmt.Sprintf("%sfold%d.%s", prefix, k, metric), v, int64(i)))
			}
		}
		// The objective per iteration of the final model's solver stages
		// (the best model's, when tuned), as "<stage-name>.objectiveHistory".
		uidName := map[string]string{}
		for _, n := range names {
			uidName[byName[n].UID()] = n
		}
		for _, s := range fittedStages(m) {
			if n, ok := uidName[s.UID()]; ok {
				errs = append(errs, tracking.LogObjectiveHistory(rec, n+".objectiveHistory", tracking.ObjectiveHistory(s)))
			}
		}
		return errors.Join(errs...)
	})
}

// fittedStages are the stages of a fitted model: a pipeline's, the best
// model's of a validator, or the model itself.
func fittedStages(m ml.Stage) []ml.Stage {
	switch x := m.(type) {
	case *tuning.CrossValidatorModel:
		return fittedStages(x.BestModel())
	case *tuning.TrainValidationSplitModel:
		return fittedStages(x.BestModel())
	case *ml.PipelineModel:
		var out []ml.Stage
		for _, s := range x.Stages() {
			out = append(out, fittedStages(s)...)
		}
		return out
	}
	return []ml.Stage{m}
}

// tunedFits counts the job's fit steps with a tune: section.
func (r *runner) tunedFits() int {
	n := 0
	for _, st := range r.job.Steps {
		if st.Kind == KindFit && st.Tune != nil {
			n++
		}
	}
	return n
}

// gridMaps rebuilds the step's grid keyed by "<uid>.<param>", in the order
// the validator tried the maps.
func (r *runner) gridMaps(st *Step, byName map[string]ml.Stage) []param.ParamMap {
	gb := tuning.NewParamGridBuilder()
	for _, g := range st.Tune.Grid {
		gb.AddGridFor(byName[g.Stage], g.Param, g.Values...)
	}
	return gb.Build()
}

func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	b, err := param.EncodeValue(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// model returns the model a step names: a fit step's, or one saved at a path.
func (r *runner) model(ctx context.Context, t Text) (ml.Stage, error) {
	if m, ok := r.models[t.S]; ok {
		return m, nil
	}
	if m, ok := r.saved[t.S]; ok && r.dry {
		return m, nil
	}
	if _, err := os.Stat(t.S); err != nil {
		names := slices.Sorted(maps.Keys(r.models))
		return nil, errAt(t.Pos, "model %q is neither an earlier fit step nor a saved model%s", t.S, suggestion(t.S, names))
	}
	// A registered model's directory stands for its latest version.
	dir, _, err := registry.Resolve(t.S)
	if err != nil {
		return nil, wrapAt(t.Pos, err, "model")
	}
	st, err := all.Load(ctx, dir)
	if err != nil {
		return nil, wrapAt(t.Pos, err, "model")
	}
	if _, ok := st.(ml.Transformer); !ok {
		return nil, errAt(t.Pos, "the stage saved at %s is a %s, not a model", t.S, st.ClassName())
	}
	return st, nil
}

// scored returns the model's output on the step's input (a schema-only
// frame in dry runs: the model's TransformSchema of the input's schema).
func (r *runner) scored(ctx context.Context, st *Step) (*frame.DataFrame, *arrow.Schema, error) {
	df, err := r.input(st.Input)
	if err != nil {
		return nil, nil, err
	}
	m, err := r.model(ctx, st.Model)
	if err != nil {
		return nil, nil, err
	}
	if st.Model.S == "" {
		return df, df.Schema(), nil
	}
	out, err := m.TransformSchema(df.Schema())
	if err != nil {
		return nil, nil, wrapAt(st.Model.Pos, err, "model %s on input", st.Model.S)
	}
	if r.dry {
		return nil, out, nil
	}
	scored, err := m.(ml.Transformer).Transform(df)
	if err != nil {
		return nil, nil, wrapAt(st.Model.Pos, err, "model %s", st.Model.S)
	}
	return scored, out, nil
}

func (r *runner) evaluate(ctx context.Context, st *Step) (int64, error) {
	df, schema, err := r.scoredOrInput(ctx, st)
	if err != nil {
		return -1, err
	}
	var evs []evaluation.Evaluator
	var errs []error
	for _, spec := range st.Evaluators {
		ev, err := makeEvaluator(spec)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := checkColumns(ev.Params(), "evaluator "+spec.Class.S, spec.Pos, schema); err != nil {
			errs = append(errs, err)
		}
		evs = append(evs, ev)
	}
	if len(errs) > 0 || r.dry {
		return -1, errors.Join(errs...)
	}
	for _, ev := range evs {
		v, err := ev.Evaluate(ctx, df)
		if err != nil {
			return -1, err
		}
		name, _ := ev.Params().Get("metricName")
		key := fmt.Sprintf("%s.%v", st.Name, name)
		r.metrics[key] = v
		if err := r.record(func(rec Recorder) error { return rec.LogMetric(key, v, 0) }); err != nil {
			return -1, err
		}
	}
	if err := r.recordEvaluation(ctx, st, df, evs); err != nil {
		return -1, fmt.Errorf("tracking: %w", err)
	}
	return df.Count(ctx)
}

func (r *runner) scoredOrInput(ctx context.Context, st *Step) (*frame.DataFrame, *arrow.Schema, error) {
	if st.Model.S == "" {
		df, err := r.input(st.Input)
		if err != nil {
			return nil, nil, err
		}
		return df, df.Schema(), nil
	}
	return r.scored(ctx, st)
}

func (r *runner) transform(ctx context.Context, st *Step) (int64, error) {
	df, schema, err := r.scored(ctx, st)
	if err != nil {
		return -1, err
	}
	names := schemaNames(schema)
	var errs []error
	for _, t := range append(append([]Text(nil), st.Drop...), st.Select...) {
		if !schema.HasField(t.S) {
			errs = append(errs, errAt(t.Pos, "column %q is not in the model's output (columns: %s)%s", t.S, strings.Join(names, ", "), suggestion(t.S, names)))
		}
	}
	o := st.Output
	format := strings.ToLower(o.Format.S)
	if format != "parquet" && format != "csv" && format != "json" {
		errs = append(errs, errAt(o.Format.Pos, "output format %q: want parquet, csv or json", o.Format.S))
	}
	mode := o.Mode.S
	if mode == "" {
		mode = "errorifexists"
	}
	switch strings.ToLower(mode) {
	case "error", "errorifexists":
		if _, err := os.Stat(o.Path.S); err == nil {
			errs = append(errs, errAt(o.Path.Pos, "output %s exists (set mode: overwrite to replace it)", o.Path.S))
		}
	case "overwrite", "ignore":
	default:
		errs = append(errs, errAt(o.Mode.Pos, "output mode %q: want errorifexists, overwrite or ignore", o.Mode.S))
	}
	if len(errs) > 0 {
		return -1, errors.Join(errs...)
	}
	if r.dry {
		return -1, r.probeWriter(ctx, st, written(schema, st), format)
	}
	if len(st.Select) > 0 {
		cols := make([]string, len(st.Select))
		for i, t := range st.Select {
			cols[i] = t.S
		}
		df = df.SelectCols(cols...)
	}
	if len(st.Drop) > 0 {
		cols := make([]string, len(st.Drop))
		for i, t := range st.Drop {
			cols[i] = t.S
		}
		df = df.Drop(cols...)
	}
	n, err := df.Count(ctx)
	if err != nil {
		return -1, err
	}
	w := df.Write().Mode(mode)
	for k, v := range o.Options {
		w = w.Option(k, v)
	}
	switch format {
	case "parquet":
		err = w.Parquet(ctx, o.Path.S)
	case "csv":
		err = w.CSV(ctx, o.Path.S)
	case "json":
		err = w.JSON(ctx, o.Path.S)
	}
	if err != nil {
		return -1, wrapAt(o.Path.Pos, err, "writing")
	}
	return n, nil
}

func (r *runner) save(st *Step) error {
	m, ok := r.models[st.Model.S]
	if !ok {
		names := slices.Sorted(maps.Keys(r.models))
		return errAt(st.Model.Pos, "save: %q is not an earlier fit step%s", st.Model.S, suggestion(st.Model.S, names))
	}
	if st.Register.S != "" {
		// The version carries the model's training profile too.
		var files map[string][]byte
		if prof := r.profiles[st.Model.S]; prof != nil && !r.dry {
			b, err := prof.JSON()
			if err != nil {
				return wrapAt(st.Register.Pos, err, "save")
			}
			files = map[string][]byte{monitor.ProfileFile: b}
		}
		return r.register(st, m, files)
	}
	if r.dry {
		if _, err := os.Stat(st.Path.S); err == nil && !st.Overwrite {
			return errAt(st.Path.Pos, "save: %s exists (set overwrite: true to replace it)", st.Path.S)
		}
		r.saved[st.Path.S] = m
		return nil
	}
	// The model's training profile (from its fit step) goes with it.
	if err := monitor.SaveModel(m, st.Path.S, r.profiles[st.Model.S], st.Overwrite); err != nil {
		return wrapAt(st.Path.Pos, err, "save")
	}
	return r.record(func(rec Recorder) error { return rec.LogArtifact(st.Path.S, "models/"+st.Name) })
}

// register saves m as the next version of the registered model the step
// names, with files as extra files of the version, recording the job, the
// tracking run and the metrics so far with it.
func (r *runner) register(st *Step, m ml.Stage, files map[string][]byte) error {
	root, pos := st.ModelsDir.S, st.ModelsDir.Pos
	if root == "" {
		root, pos = r.opts.ModelsDir, st.Register.Pos
		if root == "" {
			root = DefaultModelsDir
		}
	}
	name := st.Register.S
	if r.dry {
		if err := registry.CanRegister(root, name); err != nil {
			return errAt(pos, "save: %v", err)
		}
		r.saved[filepath.Join(root, name)] = m
		return nil
	}
	tags := map[string]string{"gspark.job.file": r.job.File, "gspark.job.sha256": r.job.SHA256, "gspark.job.step": st.Name}
	if run, ok := r.opts.Recorder.(interface{ ID() string }); ok {
		tags["run_id"] = run.ID()
	}
	metrics := map[string]float64{}
	for k, v := range r.metrics {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			metrics[k] = v
		}
	}
	v, err := registry.RegisterWith(root, name, m, registry.RegisterOptions{Files: files, Tags: tags, Metrics: metrics})
	if err != nil {
		return wrapAt(pos, err, "save")
	}
	r.registered[st.Name] = v
	if r.opts.Progress != nil {
		fmt.Fprintf(r.opts.Progress, "registered %s in %s\n", v, v.Dir)
	}
	return r.record(func(rec Recorder) error {
		return errors.Join(rec.SetTag("gspark.registered."+st.Name, v.String()), rec.LogArtifact(v.Dir, "models/"+st.Name))
	})
}

// dryModel stands for a fit step's model while validating: its
// TransformSchema is the pipeline's with the columns only fitting reads
// (the estimators' labelCol and weightCol) supplied when neither the input
// nor an earlier stage has them, since the fitted model does not read them.
type dryModel struct {
	*ml.Pipeline
}

// TransformSchema implements ml.Stage.
func (d dryModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	var added []string
	cur := in
	for _, st := range d.Stages() {
		if _, ok := st.(ml.Estimator); ok {
			fields := cur.Fields()
			for _, name := range []string{"labelCol", "weightCol"} {
				v, _ := st.Params().Get(name)
				col, _ := v.(string)
				if col == "" || ml.FieldIndex(cur, col) >= 0 {
					continue
				}
				added = append(added, col)
				fields = append(fields, arrow.Field{Name: col, Type: arrow.PrimitiveTypes.Float64, Nullable: true})
			}
			cur = arrow.NewSchema(fields, nil)
		}
		out, err := st.TransformSchema(cur)
		if err != nil {
			return nil, ml.StageErr(st.UID(), err)
		}
		cur = out
	}
	if len(added) == 0 {
		return cur, nil
	}
	var keep []arrow.Field
	for _, f := range cur.Fields() {
		if !slices.Contains(added, f.Name) {
			keep = append(keep, f)
		}
	}
	return arrow.NewSchema(keep, nil), nil
}

// written is the schema a transform step writes: its select list, less its drop list.
func written(s *arrow.Schema, st *Step) *arrow.Schema {
	fields := s.Fields()
	if len(st.Select) > 0 {
		fields = fields[:0:0]
		for _, t := range st.Select {
			fields = append(fields, s.Field(s.FieldIndices(t.S)[0]))
		}
	}
	var keep []arrow.Field
	for _, f := range fields {
		if !slices.ContainsFunc(st.Drop, func(t Text) bool { return t.S == f.Name }) {
			keep = append(keep, f)
		}
	}
	return arrow.NewSchema(keep, nil)
}

// probeWriter checks that the step's writer takes the written schema (some
// column types, e.g. vectors, a format may not write) by writing no rows
// into a scratch directory, which it removes.
func (r *runner) probeWriter(ctx context.Context, st *Step, schema *arrow.Schema, format string) error {
	// One row of nulls: some writers check a column's type only per value.
	cols := make([]arrow.Array, schema.NumFields())
	for i, f := range schema.Fields() {
		cols[i] = array.MakeArrayOfNull(memory.DefaultAllocator, f.Type, 1)
		defer cols[i].Release()
	}
	rec := array.NewRecordBatch(schema, cols, 1)
	defer rec.Release()
	df, err := r.s.FromBatches(schema, [][]arrow.RecordBatch{{rec}})
	if err != nil {
		return errAt(st.Output.Path.Pos, "output: %v", err)
	}
	dir, err := os.MkdirTemp("", "gspark-job-probe-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	w := df.Write()
	for k, v := range st.Output.Options {
		w = w.Option(k, v)
	}
	out := filepath.Join(dir, "out")
	switch format {
	case "parquet":
		err = w.Parquet(ctx, out)
	case "csv":
		err = w.CSV(ctx, out)
	case "json":
		err = w.JSON(ctx, out)
	}
	if err != nil {
		var names []string
		for _, f := range schema.Fields() {
			names = append(names, f.Name+" "+f.Type.String())
		}
		return errAt(st.Output.Path.Pos, "the %s writer cannot write these columns (%s): %v; drop the columns it cannot write (drop: [...]) or list the ones to keep (select: [...])",
			format, strings.Join(names, ", "), strings.TrimPrefix(err.Error(), "writing "+out+": "))
	}
	return nil
}
