package clustering

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// sparkOldLDAClass and sparkOldLDAVersion name the layout of mllib's
// DistributedLDAModel (its SaveLoadV1_0), which Spark's
// ml.clustering.DistributedLDAModel keeps under oldModel/.
const (
	sparkOldLDAClass   = "org.apache.spark.mllib.clustering.DistributedLDAModel"
	sparkOldLDAVersion = "1.0"
)

// sparkOldLDAMetadata is the metadata line of mllib's DistributedLDAModel.
type sparkOldLDAMetadata struct {
	Class              string    `json:"class"`
	Version            string    `json:"version"`
	K                  int       `json:"k"`
	VocabSize          int       `json:"vocabSize"`
	DocConcentration   []float64 `json:"docConcentration"`
	TopicConcentration float64   `json:"topicConcentration"`
	IterationTimes     []float64 `json:"iterationTimes"`
	GammaShape         float64   `json:"gammaShape"`
}

// SparkParams implements ml.SparkWriter: the params of Spark's
// DistributedLDAModel.
func (m *DistributedLDAModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "maxIter", "seed", "checkpointInterval", "k", "optimizer",
		"learningOffset", "learningDecay", "subsamplingRate", "optimizeDocConcentration", "docConcentration",
		"topicConcentration", "topicDistributionCol", "keepLastCheckpoint"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *DistributedLDAModel) SparkExtra() map[string]any { return nil }

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.clustering.DistributedLDAModel).
func (m *DistributedLDAModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// oldVectorField is a vector column as mllib's case classes give it.
func oldVectorField(name string) arrow.Field {
	return arrow.Field{Name: name, Type: ml.SparkVectorType(), Nullable: true,
		Metadata: arrow.NewMetadata([]string{ml.SparkUDTKey}, []string{ml.SparkOldVectorUDT})}
}

// WriteSparkData implements ml.SparkWriter: oldModel/ in the layout of
// mllib's DistributedLDAModel (SaveLoadV1_0): metadata/part-00000 (class,
// version, k, vocabSize, docConcentration, topicConcentration,
// iterationTimes — not recorded here, so empty — and gammaShape), and
// under data/ globalTopicTotals (Data(globalTopicTotals: Vector)),
// topicCounts (VertexData(id: Long, topicWeights: Vector): documents by
// id ≥ 0, term w as −(w+1)) and tokenCounts (EdgeData(srcId: Long, dstId:
// Long, tokenCounts: Double)).
func (m *DistributedLDAModel) WriteSparkData(dir string) error {
	old := filepath.Join(dir, "oldModel")
	md, err := json.Marshal(sparkOldLDAMetadata{Class: sparkOldLDAClass, Version: sparkOldLDAVersion, K: m.K(),
		VocabSize: m.VocabSize(), DocConcentration: m.EstimatedDocConcentration(), TopicConcentration: m.eta,
		IterationTimes: []float64{}, GammaShape: ldaGammaShape})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(old, "metadata"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(old, "metadata", "part-00000"), append(md, '\n'), 0o644); err != nil {
		return err
	}
	totals := arrow.NewSchema([]arrow.Field{oldVectorField("globalTopicTotals")}, nil)
	if err := ml.WriteSparkRows(old, "data/globalTopicTotals", totals, []any{m.counts.totals}); err != nil {
		return err
	}
	vertices := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}, oldVectorField("topicWeights")}, nil)
	var vrows, erows [][]any
	for i, d := range m.docs {
		vrows = append(vrows, []any{d.row, m.counts.doc[i]})
		for j, id := range d.ids {
			erows = append(erows, []any{d.row, -int64(id) - 1, d.cts[j]})
		}
	}
	for _, w := range m.presentTerms() {
		vrows = append(vrows, []any{-int64(w) - 1, m.counts.term[w]})
	}
	if err := ml.WriteSparkRows(old, "data/topicCounts", vertices, vrows...); err != nil {
		return err
	}
	edges := arrow.NewSchema([]arrow.Field{{Name: "srcId", Type: arrow.PrimitiveTypes.Int64},
		{Name: "dstId", Type: arrow.PrimitiveTypes.Int64}, {Name: "tokenCounts", Type: arrow.PrimitiveTypes.Float64}}, nil)
	return ml.WriteSparkRows(old, "data/tokenCounts", edges, erows...)
}

// readSparkOldLDAMetadata reads the metadata line of mllib's
// DistributedLDAModel in dir/metadata (the first line of its part files).
func readSparkOldLDAMetadata(dir string) (sparkOldLDAMetadata, error) {
	var md sparkOldLDAMetadata
	files, err := filepath.Glob(filepath.Join(dir, "metadata", "part-*"))
	if err != nil {
		return md, err
	}
	slices.Sort(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return md, err
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, len(b)+1)
		if !sc.Scan() || strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		if err := json.Unmarshal(sc.Bytes(), &md); err != nil {
			return md, fmt.Errorf("%s: %w", f, err)
		}
		if md.Class != sparkOldLDAClass || md.Version != sparkOldLDAVersion {
			return md, fmt.Errorf("%s: class %q version %q, want %s %s", f, md.Class, md.Version, sparkOldLDAClass, sparkOldLDAVersion)
		}
		return md, nil
	}
	return md, fmt.Errorf("%s: no metadata line", filepath.Join(dir, "metadata"))
}

// loadSparkDistributedLDAModel reads Spark's layout (metadata and
// oldModel/ as WriteSparkData describes), rows in any order across any
// part files.
func loadSparkDistributedLDAModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	m, err := readSparkDistributedLDA(ctx, md.UID, filepath.Join(dir, "oldModel"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	return m, md.ApplySparkParams(m.Params())
}

func readSparkDistributedLDA(ctx context.Context, uid, old string) (*DistributedLDAModel, error) {
	omd, err := readSparkOldLDAMetadata(old)
	if err != nil {
		return nil, err
	}
	k, vocab := omd.K, omd.VocabSize
	if k < 1 || vocab < 1 || len(omd.DocConcentration) != k {
		return nil, fmt.Errorf("oldModel metadata: k %d, vocabSize %d, %d docConcentration values", k, vocab, len(omd.DocConcentration))
	}
	for _, a := range omd.DocConcentration {
		if a != omd.DocConcentration[0] {
			return nil, fmt.Errorf("oldModel metadata: docConcentration %v is not symmetric", omd.DocConcentration)
		}
	}
	v, err := ml.ReadSparkData(ctx, old, "data/topicCounts")
	if err != nil {
		return nil, err
	}
	defer v.Release()
	term := make([][]float64, vocab)
	docCounts := map[int64][]float64{}
	for r := 0; r < v.NumRows(); r++ {
		id, err := v.Int("id", r)
		if err != nil {
			return nil, err
		}
		vec, err := v.Vector("topicWeights", r)
		if err != nil {
			return nil, err
		}
		c := vec.ToArray()
		if len(c) != k {
			return nil, fmt.Errorf("data/topicCounts row %d (id %d): %d topic weights, want k = %d", r, id, len(c), k)
		}
		switch w := -id - 1; {
		case id >= 0:
			docCounts[id] = c
		case w < int64(vocab):
			term[w] = c
		default:
			return nil, fmt.Errorf("data/topicCounts row %d: term %d outside the vocabulary of %d", r, w, vocab)
		}
	}
	for w := range term {
		if term[w] == nil {
			term[w] = make([]float64, k)
		}
	}
	e, err := ml.ReadSparkData(ctx, old, "data/tokenCounts")
	if err != nil {
		return nil, err
	}
	defer e.Release()
	byDoc := map[int64]*ldaDoc{}
	for r := 0; r < e.NumRows(); r++ {
		src, err := e.Int("srcId", r)
		if err != nil {
			return nil, err
		}
		dst, err := e.Int("dstId", r)
		if err != nil {
			return nil, err
		}
		cnt, err := e.Float64("tokenCounts", r)
		if err != nil {
			return nil, err
		}
		if src < 0 || dst >= 0 {
			return nil, fmt.Errorf("data/tokenCounts row %d: edge %d → %d is not document → term", r, src, dst)
		}
		d := byDoc[src]
		if d == nil {
			d = &ldaDoc{row: src}
			byDoc[src] = d
		}
		d.ids, d.cts = append(d.ids, int(-dst-1)), append(d.cts, cnt)
	}
	docs := make([]ldaDoc, 0, len(byDoc))
	counts := make([][]float64, 0, len(byDoc))
	for id, d := range byDoc {
		c, ok := docCounts[id]
		if !ok {
			return nil, fmt.Errorf("data/tokenCounts: document %d has no row in data/topicCounts", id)
		}
		sortTerms(d)
		docs, counts = append(docs, *d), append(counts, c)
	}
	c, err := emCountsLoaded(docs, counts, term, k)
	if err != nil {
		return nil, fmt.Errorf("oldModel data: %w", err)
	}
	return newDistributedLDAModel(uid, docs, c, omd.DocConcentration[0], omd.TopicConcentration), nil
}

// sortTerms puts a document's terms in ascending order.
func sortTerms(d *ldaDoc) {
	idx := make([]int, len(d.ids))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return d.ids[a] - d.ids[b] })
	ids, cts := make([]int, len(idx)), make([]float64, len(idx))
	for i, j := range idx {
		ids[i], cts[i] = d.ids[j], d.cts[j]
	}
	d.ids, d.cts = ids, cts
}
