package ml

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/param"
)

// StageBase holds what every stage has, a UID and a param holder; stages
// embed it for UID, Params and ExplainParams.
type StageBase struct {
	ps *param.Params
}

// NewStageBase makes a base with an empty param holder for uid.
func NewStageBase(uid string) StageBase { return StageBase{ps: param.New(uid)} }

// UID returns the stage's UID.
func (b StageBase) UID() string { return b.ps.UID() }

// Params returns the stage's param holder.
func (b StageBase) Params() *param.Params { return b.ps }

// ExplainParams explains every param, one per line, as Spark does.
func (b StageBase) ExplainParams() string { return b.ps.ExplainParams() }

// CopyBase returns a base with the same UID and a copy of the params with extra applied.
func (b StageBase) CopyBase(extra param.ParamMap) (StageBase, error) {
	ps, err := b.ps.Copy(b.ps.UID(), extra)
	return StageBase{ps: ps}, err
}

// CheckParams returns the error of any invalid value set, or nil.
func (b StageBase) CheckParams() error { return b.ps.Err() }

const (
	pipelineClass      = "gspark.ml.Pipeline"
	pipelineModelClass = "gspark.ml.PipelineModel"
)

// Pipeline is an Estimator made of stages run in order: fitting it fits each
// Estimator on the output of the stages before it and returns a
// PipelineModel of the Transformers and fitted Models.
type Pipeline struct {
	StageBase
	stages []Stage
}

// NewPipeline makes a pipeline of the given stages.
func NewPipeline(stages ...Stage) *Pipeline {
	return &Pipeline{StageBase: NewStageBase(param.UID("Pipeline")), stages: stages}
}

// Stages returns the pipeline's stages.
func (p *Pipeline) Stages() []Stage { return append([]Stage(nil), p.stages...) }

// SetStages replaces the pipeline's stages.
func (p *Pipeline) SetStages(stages ...Stage) *Pipeline {
	p.stages = stages
	return p
}

// ClassName implements Stage.
func (p *Pipeline) ClassName() string { return pipelineClass }

// TransformSchema implements Stage: it chains every stage's TransformSchema.
func (p *Pipeline) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return chainSchemas(in, p.stages)
}

func chainSchemas[S Stage](in *arrow.Schema, stages []S) (*arrow.Schema, error) {
	s := in
	for _, st := range stages {
		out, err := st.TransformSchema(s)
		if err != nil {
			return nil, StageErr(st.UID(), err)
		}
		s = out
	}
	return s, nil
}

// Copy implements Stage; the stages are copied with extra too.
func (p *Pipeline) Copy(extra param.ParamMap) (Stage, error) {
	b, err := p.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := &Pipeline{StageBase: b, stages: make([]Stage, len(p.stages))}
	for i, st := range p.stages {
		if c.stages[i], err = st.Copy(extra); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Fit implements Estimator. It first checks the whole pipeline's schema, so
// a missing or mistyped column fails before any data is read.
func (p *Pipeline) Fit(ctx context.Context, df *frame.DataFrame) (Model, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := p.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	last := -1
	for i, st := range p.stages {
		switch st.(type) {
		case Estimator:
			last = i
		case Transformer:
		default:
			return nil, fmt.Errorf("%s: stage %s is neither an Estimator nor a Transformer", p.UID(), st.UID())
		}
	}
	cur := df
	models := make([]Transformer, 0, len(p.stages))
	for i, st := range p.stages {
		var t Transformer
		if est, ok := st.(Estimator); ok {
			m, err := est.Fit(ctx, cur)
			if err != nil {
				return nil, StageErr(st.UID(), err)
			}
			t = m
		} else {
			t = st.(Transformer)
		}
		if i < last {
			next, err := t.Transform(cur)
			if err != nil {
				return nil, StageErr(t.UID(), err)
			}
			cur = next
		}
		models = append(models, t)
	}
	return NewPipelineModel(p.UID(), models...), nil
}

// WriteData implements DataWriter: the stages go under dir/stages.
func (p *Pipeline) WriteData(dir string) error { return writeStages(dir, p.stages) }

// Save implements Stage.
func (p *Pipeline) Save(path string) error { return Save(p, path) }

func loadPipeline(ctx context.Context, dir string, md *Metadata, reg *Registry) (Stage, error) {
	p := &Pipeline{StageBase: NewStageBase(md.UID)}
	if err := md.ApplyParams(p.Params()); err != nil {
		return nil, err
	}
	dirs, err := stageDirs(dir)
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		st, err := reg.Load(ctx, d)
		if err != nil {
			return nil, err
		}
		p.stages = append(p.stages, st)
	}
	return p, nil
}

// PipelineModel is the fitted Pipeline: a Transformer that applies its
// stages in order.
type PipelineModel struct {
	StageBase
	stages []Transformer
}

// NewPipelineModel makes a pipeline model with the given uid and stages.
func NewPipelineModel(uid string, stages ...Transformer) *PipelineModel {
	return &PipelineModel{StageBase: NewStageBase(uid), stages: stages}
}

// Stages returns the model's stages.
func (m *PipelineModel) Stages() []Transformer { return append([]Transformer(nil), m.stages...) }

// ClassName implements Stage.
func (m *PipelineModel) ClassName() string { return pipelineModelClass }

// TransformSchema implements Stage.
func (m *PipelineModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return chainSchemas(in, m.stages)
}

// Transform implements Transformer: it checks the schema of every stage,
// then chains their transforms (lazily).
func (m *PipelineModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	cur := df
	for _, t := range m.stages {
		next, err := t.Transform(cur)
		if err != nil {
			return nil, StageErr(t.UID(), err)
		}
		cur = next
	}
	return cur, nil
}

// Copy implements Stage.
func (m *PipelineModel) Copy(extra param.ParamMap) (Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := &PipelineModel{StageBase: b, stages: make([]Transformer, len(m.stages))}
	for i, st := range m.stages {
		cp, err := st.Copy(extra)
		if err != nil {
			return nil, err
		}
		t, ok := cp.(Transformer)
		if !ok {
			return nil, fmt.Errorf("%s: copy of stage %s is not a Transformer", m.UID(), st.UID())
		}
		c.stages[i] = t
	}
	return c, nil
}

// WriteData implements DataWriter: the stages go under dir/stages.
func (m *PipelineModel) WriteData(dir string) error {
	st := make([]Stage, len(m.stages))
	for i, t := range m.stages {
		st[i] = t
	}
	return writeStages(dir, st)
}

// Save implements Stage.
func (m *PipelineModel) Save(path string) error { return Save(m, path) }

func loadPipelineModel(ctx context.Context, dir string, md *Metadata, reg *Registry) (Stage, error) {
	m := &PipelineModel{StageBase: NewStageBase(md.UID)}
	if err := md.ApplyParams(m.Params()); err != nil {
		return nil, err
	}
	dirs, err := stageDirs(dir)
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		st, err := reg.Load(ctx, d)
		if err != nil {
			return nil, err
		}
		t, ok := st.(Transformer)
		if !ok {
			return nil, fmt.Errorf("stage %s of pipeline model %s is not a Transformer", st.UID(), md.UID)
		}
		m.stages = append(m.stages, t)
	}
	return m, nil
}
