package tracking

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Metric is one logged value of a metric.
type Metric struct {
	Key       string
	Value     float64
	Timestamp time.Time
	Step      int64
}

// RunRecord is a run as stored: its description, params, tags and the full
// history of every metric.
type RunRecord struct {
	ID             string
	Name           string
	ExperimentID   string
	Status         string // RUNNING, SCHEDULED, FINISHED, FAILED or KILLED
	UserID         string
	ArtifactURI    string
	LifecycleStage string
	StartTime      time.Time
	EndTime        time.Time // zero while the run has not ended
	Params         map[string]string
	Tags           map[string]string
	Metrics        map[string][]Metric // in logged order
	dir            string
}

// Dir returns the run's directory.
func (r *RunRecord) Dir() string { return r.dir }

// MetricKeys returns the names of the run's metrics, sorted.
func (r *RunRecord) MetricKeys() []string {
	keys := make([]string, 0, len(r.Metrics))
	for k := range r.Metrics {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Latest returns the current value of metric key as MLflow picks it: the
// value at the largest step, then the latest timestamp, then the largest
// value.
func (r *RunRecord) Latest(key string) (Metric, bool) {
	h := r.Metrics[key]
	if len(h) == 0 {
		return Metric{}, false
	}
	best := h[0]
	for _, m := range h[1:] {
		if m.Step > best.Step || m.Step == best.Step && (m.Timestamp.After(best.Timestamp) || m.Timestamp.Equal(best.Timestamp) && m.Value > best.Value) {
			best = m
		}
	}
	return best, true
}

// Runs returns the runs of the experiment named (or with id) experiment,
// or of every experiment when experiment is "", newest first.
func (s *Store) Runs(experiment string) ([]*RunRecord, error) {
	exps, err := s.Experiments()
	if err != nil {
		return nil, err
	}
	if experiment != "" {
		e, err := s.findExperiment(experiment)
		if err != nil {
			return nil, err
		}
		if e == nil {
			return nil, fmt.Errorf("tracking: no experiment named %q in %s", experiment, s.root)
		}
		exps = []Experiment{*e}
	}
	var out []*RunRecord
	for _, e := range exps {
		entries, err := os.ReadDir(filepath.Join(s.root, e.ID))
		if err != nil {
			return nil, fmt.Errorf("tracking: %w", err)
		}
		for _, d := range entries {
			if !d.IsDir() || d.Name() == tagsFolder || d.Name() == "datasets" || d.Name() == "traces" {
				continue
			}
			r, err := s.readRun(e.ID, d.Name())
			if errors.Is(err, fs.ErrNotExist) {
				continue // not a run folder
			}
			if err != nil {
				return nil, err
			}
			if r.LifecycleStage == lifecycleActive {
				out = append(out, r)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b *RunRecord) int {
		if c := b.StartTime.Compare(a.StartTime); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Run returns the run with id, or the only run whose id starts with id.
func (s *Store) Run(id string) (*RunRecord, error) {
	if id == "" {
		return nil, fmt.Errorf("tracking: empty run id")
	}
	exps, err := s.Experiments()
	if err != nil {
		return nil, err
	}
	var matches [][2]string
	for _, e := range exps {
		entries, err := os.ReadDir(filepath.Join(s.root, e.ID))
		if err != nil {
			return nil, fmt.Errorf("tracking: %w", err)
		}
		for _, d := range entries {
			if d.IsDir() && strings.HasPrefix(d.Name(), id) {
				if d.Name() == id {
					return s.readRun(e.ID, id)
				}
				matches = append(matches, [2]string{e.ID, d.Name()})
			}
		}
	}
	switch len(matches) {
	case 0:
		return nil, fmt.Errorf("tracking: no run %q in %s", id, s.root)
	case 1:
		return s.readRun(matches[0][0], matches[0][1])
	}
	return nil, fmt.Errorf("tracking: run id prefix %q matches %d runs", id, len(matches))
}

func (s *Store) readRun(expID, id string) (*RunRecord, error) {
	dir := filepath.Join(s.root, expID, id)
	p := filepath.Join(dir, metaFile)
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("tracking: run %s: %w", id, err)
	}
	var m runMeta
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("tracking: %s: %w", p, err)
	}
	if m.ExperimentID != expID {
		return nil, fmt.Errorf("tracking: %s: experiment_id is %q, not the parent folder's %q", p, m.ExperimentID, expID)
	}
	status := StatusRunning // MLflow's reading of a meta.yaml without status
	if m.Status != 0 {
		var ok bool
		if status, ok = statusName(m.Status); !ok {
			return nil, fmt.Errorf("tracking: %s: field status: unknown run status %d", p, m.Status)
		}
	}
	r := &RunRecord{
		ID: m.RunID, Name: m.RunName, ExperimentID: m.ExperimentID, Status: status, UserID: m.UserID,
		ArtifactURI: m.ArtifactURI, LifecycleStage: m.LifecycleStage, StartTime: time.UnixMilli(m.StartTime), dir: dir,
	}
	if r.ID == "" {
		r.ID = m.RunUUID
	}
	if r.LifecycleStage == "" {
		r.LifecycleStage = lifecycleActive
	}
	if m.EndTime != nil {
		r.EndTime = time.UnixMilli(*m.EndTime)
	}
	if r.Params, err = readValues(filepath.Join(dir, paramsFolder)); err != nil {
		return nil, err
	}
	if r.Tags, err = readValues(filepath.Join(dir, tagsFolder)); err != nil {
		return nil, err
	}
	if r.Name == "" {
		r.Name = r.Tags[TagRunName]
	}
	if r.Metrics, err = readMetrics(filepath.Join(dir, metricsFolder)); err != nil {
		return nil, err
	}
	return r, nil
}

// walkKeys calls fn with every file under dir and its key (the path
// relative to dir, with slashes). A missing dir has no keys.
func walkKeys(dir string, fn func(key, path string) error) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		return fn(filepath.ToSlash(rel), p)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("tracking: %w", err)
	}
	return nil
}

func readValues(dir string) (map[string]string, error) {
	out := map[string]string{}
	err := walkKeys(dir, func(key, p string) error {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[key] = string(data)
		return nil
	})
	return out, err
}

func readMetrics(dir string) (map[string][]Metric, error) {
	out := map[string][]Metric{}
	err := walkKeys(dir, func(key, p string) error {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			text := strings.TrimSpace(sc.Text())
			if text == "" {
				continue
			}
			m, err := parseMetricLine(key, text)
			if err != nil {
				return fmt.Errorf("%s:%d: %w", p, line, err)
			}
			out[key] = append(out[key], m)
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		return nil
	})
	return out, err
}

// parseMetricLine reads "timestamp value [step]" (the step is 0 when
// missing, as in MLflow's older files).
func parseMetricLine(key, line string) (Metric, error) {
	parts := strings.Split(line, " ")
	if len(parts) != 2 && len(parts) != 3 {
		return Metric{}, fmt.Errorf("metric %q: %d fields, want 2 or 3 (timestamp value step)", key, len(parts))
	}
	ts, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return Metric{}, fmt.Errorf("metric %q: field 1 (timestamp): %w", key, err)
	}
	v, err := parseMetricValue(parts[1])
	if err != nil {
		return Metric{}, fmt.Errorf("metric %q: field 2 (value): %w", key, err)
	}
	var step int64
	if len(parts) == 3 {
		if step, err = strconv.ParseInt(parts[2], 10, 64); err != nil {
			return Metric{}, fmt.Errorf("metric %q: field 3 (step): %w", key, err)
		}
	}
	return Metric{Key: key, Value: v, Timestamp: time.UnixMilli(ts), Step: step}, nil
}
