package ml

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// Spark's class names of a pipeline and a fitted pipeline.
const (
	sparkPipelineClass      = "org.apache.spark.ml.Pipeline"
	sparkPipelineModelClass = "org.apache.spark.ml.PipelineModel"
)

// SparkClassName implements SparkWriter.
func (m *PipelineModel) SparkClassName() string { return sparkPipelineModelClass }

// SparkParams implements SparkWriter: Spark's pipeline metadata has the
// stages' uids in paramMap (stageUids) and no params of its own.
func (m *PipelineModel) SparkParams() SparkParamSpec { return sparkStageUIDParams(m.stages) }

// sparkStageUIDParams is the paramMap of Spark's pipeline metadata: the
// stages' uids as stageUids.
func sparkStageUIDParams[S Stage](stages []S) SparkParamSpec {
	uids := make([]string, len(stages))
	for i, st := range stages {
		uids[i] = st.UID()
	}
	return SparkParamSpec{Set: map[string]any{"stageUids": uids}}
}

// SparkExtra implements SparkWriter (Spark writes no extra keys).
func (m *PipelineModel) SparkExtra() map[string]any { return nil }

// sparkStageDir is the directory of stage idx of n under a pipeline's
// stages/ as Spark names it (Pipeline.scala's getStagePath): the index
// zero-padded to the digits of n, '_', the stage's uid.
func sparkStageDir(idx, n int, uid string) string {
	return fmt.Sprintf("%0*d_%s", len(strconv.Itoa(n)), idx, uid)
}

// WriteSparkData implements SparkWriter: each stage in Spark's layout
// under stages/; every stage must be a SparkWriter.
func (m *PipelineModel) WriteSparkData(dir string) error { return writeSparkStages(dir, m.stages) }

// writeSparkStages writes each stage in its Spark layout under dir/stages/,
// named as Spark names them; every stage must be a SparkWriter.
func writeSparkStages[S Stage](dir string, stages []S) error {
	for i, st := range stages {
		sw, ok := any(st).(SparkWriter)
		if !ok {
			return fmt.Errorf("stage %d (%s, %s) has no Spark layout", i, st.UID(), st.ClassName())
		}
		if err := writeSparkStage(sw, filepath.Join(dir, "stages", sparkStageDir(i, len(stages), st.UID()))); err != nil {
			return fmt.Errorf("stage %d (%s): %w", i, st.UID(), err)
		}
	}
	return nil
}

// SaveSpark writes the pipeline model to path in Apache Spark's layout
// (org.apache.spark.ml.PipelineModel, its stages under stages/ in their
// Spark layouts), atomically; it fails if a stage has no Spark layout.
func (m *PipelineModel) SaveSpark(path string) error { return SaveSpark(m, path) }

// writeSparkStage writes st's Spark-layout metadata and data into dir
// (not atomically: the enclosing save is).
func writeSparkStage(st SparkWriter, dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "metadata"), 0o755); err != nil {
		return err
	}
	b, err := sparkMetadata(st)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, metadataFile), append(b, '\n'), 0o644); err != nil {
		return err
	}
	return st.WriteSparkData(dir)
}

// SparkClassName implements SparkWriter.
func (p *Pipeline) SparkClassName() string { return sparkPipelineClass }

// SparkParams implements SparkWriter: as a fitted pipeline's, Spark's
// unfitted pipeline metadata has the stages' uids in paramMap (stageUids;
// Pipeline.scala's SharedReadWrite.saveImpl) and no params of its own.
func (p *Pipeline) SparkParams() SparkParamSpec { return sparkStageUIDParams(p.stages) }

// SparkExtra implements SparkWriter (Spark writes no extra keys).
func (p *Pipeline) SparkExtra() map[string]any { return nil }

// WriteSparkData implements SparkWriter: each stage (estimator or
// transformer) in its Spark layout under stages/; every stage must be a
// SparkWriter.
func (p *Pipeline) WriteSparkData(dir string) error { return writeSparkStages(dir, p.stages) }

// SaveSpark writes the pipeline to path in Apache Spark's layout
// (org.apache.spark.ml.Pipeline, its stages under stages/ in their Spark
// layouts), atomically; it fails if a stage has no Spark layout.
func (p *Pipeline) SaveSpark(path string) error { return SaveSpark(p, path) }

// sparkStageUIDs reads paramMap's stageUids of a Spark pipeline.
func sparkStageUIDs(md *Metadata) ([]string, error) {
	raw, ok := md.ParamMap["stageUids"]
	if !ok {
		return nil, fmt.Errorf("%s: metadata paramMap has no stageUids", md.UID)
	}
	var uids []string
	if err := json.Unmarshal(raw, &uids); err != nil {
		return nil, fmt.Errorf("%s: metadata paramMap stageUids: %w", md.UID, err)
	}
	return uids, nil
}

// loadSparkStages loads the stages named by uids from their directories
// under dir/stages, checking each one's uid.
func loadSparkStages(ctx context.Context, dir string, md *Metadata, uids []string, reg *Registry) ([]Stage, error) {
	var out []Stage
	for i, uid := range uids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, err := reg.Load(ctx, filepath.Join(dir, "stages", sparkStageDir(i, len(uids), uid)))
		if err != nil {
			return nil, err
		}
		if st.UID() != uid {
			return nil, fmt.Errorf("stage %d of pipeline %s has uid %s, stageUids says %s", i, md.UID, st.UID(), uid)
		}
		out = append(out, st)
	}
	return out, nil
}

// loadSparkPipeline reads Spark's Pipeline layout: the stages named by
// paramMap's stageUids, in order, each from its directory under stages/.
func loadSparkPipeline(ctx context.Context, dir string, md *Metadata, reg *Registry) (Stage, error) {
	uids, err := sparkStageUIDs(md)
	if err != nil {
		return nil, err
	}
	stages, err := loadSparkStages(ctx, dir, md, uids, reg)
	if err != nil {
		return nil, err
	}
	return &Pipeline{StageBase: NewStageBase(md.UID), stages: stages}, nil
}

// loadSparkPipelineModel reads Spark's PipelineModel layout: the stages
// named by paramMap's stageUids, in order, each from its directory under
// stages/.
func loadSparkPipelineModel(ctx context.Context, dir string, md *Metadata, reg *Registry) (Stage, error) {
	uids, err := sparkStageUIDs(md)
	if err != nil {
		return nil, err
	}
	stages, err := loadSparkStages(ctx, dir, md, uids, reg)
	if err != nil {
		return nil, err
	}
	m := &PipelineModel{StageBase: NewStageBase(md.UID)}
	for _, st := range stages {
		t, ok := st.(Transformer)
		if !ok {
			return nil, fmt.Errorf("stage %s of pipeline model %s is not a Transformer", st.UID(), md.UID)
		}
		m.stages = append(m.stages, t)
	}
	return m, nil
}

var (
	_ SparkWriter = (*PipelineModel)(nil)
	_ SparkWriter = (*Pipeline)(nil)
)
