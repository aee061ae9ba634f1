package tracking

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// Names and values fixed by MLflow's FileStore.
const (
	metaFile            = "meta.yaml"
	trashFolder         = ".trash"
	modelsFolder        = "models" // the model registry's folder in the same root
	paramsFolder        = "params"
	metricsFolder       = "metrics"
	tagsFolder          = "tags"
	artifactsFolder     = "artifacts"
	defaultExperimentID = "0"
	// DefaultExperiment is the name of experiment "0", which every store has.
	DefaultExperiment = "Default"
	lifecycleActive   = "active"
	sourceTypeLocal   = 4 // mlflow.entities.SourceType.LOCAL
	experimentIDWidth = 18
	tmpPrefix         = ".tmp-"
)

// Tags MLflow's clients set on every run (mlflow/utils/mlflow_tags.py).
const (
	TagRunName    = "mlflow.runName"
	TagUser       = "mlflow.user"
	TagSourceName = "mlflow.source.name"
	TagSourceType = "mlflow.source.type"
)

// Run statuses, by MLflow's RunStatus names.
const (
	StatusRunning   = "RUNNING"
	StatusScheduled = "SCHEDULED"
	StatusFinished  = "FINISHED"
	StatusFailed    = "FAILED"
	StatusKilled    = "KILLED"
)

// statusCodes maps a status name to the number meta.yaml stores
// (mlflow/entities/run_status.py, from the RunStatus proto enum).
var statusCodes = map[string]int{StatusRunning: 1, StatusScheduled: 2, StatusFinished: 3, StatusFailed: 4, StatusKilled: 5}

func statusName(code int) (string, bool) {
	for name, c := range statusCodes {
		if c == code {
			return name, true
		}
	}
	return "", false
}

// experimentMeta is an experiment's meta.yaml; fields in sorted key order,
// as MLflow writes them.
type experimentMeta struct {
	ArtifactLocation string `yaml:"artifact_location"`
	CreationTime     int64  `yaml:"creation_time"`
	ExperimentID     string `yaml:"experiment_id"`
	LastUpdateTime   int64  `yaml:"last_update_time"`
	LifecycleStage   string `yaml:"lifecycle_stage"`
	Name             string `yaml:"name"`
}

// runMeta is a run's meta.yaml; fields in sorted key order.
type runMeta struct {
	ArtifactURI    string   `yaml:"artifact_uri"`
	EndTime        *int64   `yaml:"end_time"`
	EntryPointName string   `yaml:"entry_point_name"`
	ExperimentID   string   `yaml:"experiment_id"`
	LifecycleStage string   `yaml:"lifecycle_stage"`
	RunID          string   `yaml:"run_id"`
	RunName        string   `yaml:"run_name"`
	RunUUID        string   `yaml:"run_uuid"`
	SourceName     string   `yaml:"source_name"`
	SourceType     int      `yaml:"source_type"`
	SourceVersion  string   `yaml:"source_version"`
	StartTime      int64    `yaml:"start_time"`
	Status         int      `yaml:"status"`
	Tags           []string `yaml:"tags"`
	UserID         string   `yaml:"user_id"`
}

// Store is a directory of experiments and runs in MLflow's FileStore layout.
// Its methods are safe for concurrent use. Two processes starting the first
// run of the same new experiment at once may each create it (MLflow's
// FileStore has the same race); within one Store that cannot happen.
type Store struct {
	root string     // absolute
	mu   sync.Mutex // serializes finding-or-creating an experiment
}

// Open opens the store in dir, creating dir with the Default experiment
// (id "0") and the .trash folder when dir does not exist yet, as MLflow does.
func Open(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("tracking: %s: %w", dir, err)
	}
	s := &Store{root: abs}
	info, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, fmt.Errorf("tracking: %w", err)
		}
		if err := s.createExperiment(defaultExperimentID, DefaultExperiment); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("tracking: %w", err)
	case !info.IsDir():
		return nil, fmt.Errorf("tracking: %s is not a directory", abs)
	}
	if err := os.MkdirAll(filepath.Join(abs, trashFolder), 0o755); err != nil {
		return nil, fmt.Errorf("tracking: %w", err)
	}
	return s, nil
}

// Dir returns the store's absolute root directory.
func (s *Store) Dir() string { return s.root }

// Experiment describes one experiment.
type Experiment struct {
	ID               string
	Name             string
	ArtifactLocation string
	LifecycleStage   string
	CreationTime     time.Time
	LastUpdateTime   time.Time
}

// Experiments returns the store's active experiments, newest first (ties by
// id), as MLflow lists them. Folders without a meta.yaml are not experiments
// and are skipped.
func (s *Store) Experiments() ([]Experiment, error) {
	entries, err := os.ReadDir(s.root)
	if err != nil {
		return nil, fmt.Errorf("tracking: %w", err)
	}
	var out []Experiment
	for _, e := range entries {
		if !e.IsDir() || e.Name() == trashFolder || e.Name() == modelsFolder {
			continue
		}
		m, err := s.readExperiment(e.Name())
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if m.LifecycleStage != lifecycleActive {
			continue
		}
		out = append(out, Experiment{
			ID: m.ExperimentID, Name: m.Name, ArtifactLocation: m.ArtifactLocation, LifecycleStage: m.LifecycleStage,
			CreationTime: time.UnixMilli(m.CreationTime), LastUpdateTime: time.UnixMilli(m.LastUpdateTime),
		})
	}
	slices.SortFunc(out, func(a, b Experiment) int {
		if c := b.CreationTime.Compare(a.CreationTime); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func (s *Store) readExperiment(id string) (*experimentMeta, error) {
	p := filepath.Join(s.root, id, metaFile)
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("tracking: experiment %s: %w", id, err)
	}
	var m experimentMeta
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("tracking: %s: %w", p, err)
	}
	if m.ExperimentID != id {
		return nil, fmt.Errorf("tracking: %s: experiment_id is %q, not the folder's name %q", p, m.ExperimentID, id)
	}
	return &m, nil
}

// findExperiment returns the active experiment whose name or id is ref.
func (s *Store) findExperiment(ref string) (*Experiment, error) {
	exps, err := s.Experiments()
	if err != nil {
		return nil, err
	}
	for i := range exps {
		if exps[i].Name == ref {
			return &exps[i], nil
		}
	}
	for i := range exps {
		if exps[i].ID == ref {
			return &exps[i], nil
		}
	}
	return nil, nil
}

func (s *Store) createExperiment(id, name string) error {
	dir := filepath.Join(s.root, id)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return fmt.Errorf("tracking: experiment %q: %w", name, err)
	}
	now := time.Now().UnixMilli()
	m := experimentMeta{
		ArtifactLocation: fileURI(dir), CreationTime: now, ExperimentID: id,
		LastUpdateTime: now, LifecycleStage: lifecycleActive, Name: name,
	}
	return writeYAML(dir, filepath.Join(dir, metaFile), &m)
}

// newExperimentID returns an 18-digit decimal id without a leading zero,
// the shape of MLflow's _generate_unique_integer_id.
func newExperimentID() (string, error) {
	lo := new(big.Int).Exp(big.NewInt(10), big.NewInt(experimentIDWidth-1), nil)
	span := new(big.Int).Mul(lo, big.NewInt(9))
	n, err := rand.Int(rand.Reader, span)
	if err != nil {
		return "", fmt.Errorf("tracking: experiment id: %w", err)
	}
	return n.Add(n, lo).String(), nil
}

// newRunID returns a random (version 4) UUID as 32 lowercase hex digits.
func newRunID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("tracking: run id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return hex.EncodeToString(b[:]), nil
}

// StartRun starts a run named runName (a generated name when empty) in the
// experiment named experimentName ("Default" when empty), creating the
// experiment when it does not exist. The run is RUNNING until End; a run
// never ended (its process crashed) stays RUNNING, as in MLflow.
func (s *Store) StartRun(ctx context.Context, experimentName, runName string) (*Run, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if experimentName == "" {
		experimentName = DefaultExperiment
	}
	expID, err := s.experimentID(experimentName)
	if err != nil {
		return nil, err
	}
	id, err := newRunID()
	if err != nil {
		return nil, err
	}
	if runName == "" {
		runName = "run-" + id[:8]
	}
	dir := filepath.Join(s.root, expID, id)
	for _, sub := range []string{"", metricsFolder, paramsFolder, artifactsFolder, tagsFolder} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("tracking: run %s: %w", id, err)
		}
	}
	userName := currentUser()
	r := &Run{dir: dir, meta: runMeta{
		ArtifactURI: fileURI(filepath.Join(dir, artifactsFolder)), ExperimentID: expID,
		LifecycleStage: lifecycleActive, RunID: id, RunName: runName, RunUUID: id,
		SourceType: sourceTypeLocal, StartTime: time.Now().UnixMilli(),
		Status: statusCodes[StatusRunning], Tags: []string{}, UserID: userName,
	}}
	if err := r.writeMeta(); err != nil {
		return nil, err
	}
	source := ""
	if len(os.Args) > 0 {
		source = os.Args[0]
	}
	for _, t := range [][2]string{{TagRunName, runName}, {TagUser, userName}, {TagSourceName, source}, {TagSourceType, "LOCAL"}} {
		if err := r.SetTag(t[0], t[1]); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// experimentID returns the id of the active experiment named name,
// creating the experiment when there is none.
func (s *Store) experimentID(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, err := s.findExperiment(name)
	if err != nil {
		return "", err
	}
	if exp != nil && exp.Name == name {
		return exp.ID, nil
	}
	id, err := newExperimentID()
	if err != nil {
		return "", err
	}
	return id, s.createExperiment(id, name)
}

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

// fileURI returns the file: URI of an absolute local path, as MLflow's
// path_to_local_file_uri makes it (file:///abs/path).
func fileURI(p string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String()
}

// writeYAML marshals v and writes it to dst atomically, its temporary
// file in tmpDir.
func writeYAML(tmpDir, dst string, v any) error {
	data, err := yaml.Marshal(v)
	if err != nil {
		return fmt.Errorf("tracking: %s: %w", dst, err)
	}
	return writeFileAtomic(tmpDir, dst, data)
}

// writeFileAtomic writes data to a temporary file in tmpDir (on the same
// file system as dst) and renames it to dst, so a reader sees the old file
// or the new one, never a part.
func writeFileAtomic(tmpDir, dst string, data []byte) (err error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("tracking: %w", err)
	}
	f, err := os.CreateTemp(tmpDir, tmpPrefix+"*")
	if err != nil {
		return fmt.Errorf("tracking: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return fmt.Errorf("tracking: %s: %w", dst, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("tracking: %s: %w", dst, err)
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return fmt.Errorf("tracking: %w", err)
	}
	return nil
}
