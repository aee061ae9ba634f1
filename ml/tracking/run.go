package tracking

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Logger is what a training job records into: a Run satisfies it.
type Logger interface {
	LogParam(key, value string) error
	LogMetric(key string, value float64, step int64) error
	SetTag(key, value string) error
	LogArtifact(localPath, artifactPath string) error
}

var _ Logger = (*Run)(nil)

// Run is a run being recorded. Its methods are safe for concurrent use.
type Run struct {
	dir   string
	mu    sync.Mutex
	meta  runMeta
	ended bool
}

// ID returns the run's id (32 hex digits).
func (r *Run) ID() string { return r.meta.RunID }

// ExperimentID returns the id of the run's experiment.
func (r *Run) ExperimentID() string { return r.meta.ExperimentID }

// Name returns the run's name.
func (r *Run) Name() string { return r.meta.RunName }

// Dir returns the run's directory.
func (r *Run) Dir() string { return r.dir }

func (r *Run) writeMeta() error {
	return writeYAML(r.dir, filepath.Join(r.dir, metaFile), &r.meta)
}

func (r *Run) active() error {
	if r.ended {
		return fmt.Errorf("tracking: run %s has ended", r.meta.RunID)
	}
	return nil
}

// LogParam records a param. Params are immutable, as in MLflow: logging a
// key again with the same value is allowed, with another value an error.
func (r *Run) LogParam(key, value string) error {
	if err := validateKey("param", key); err != nil {
		return err
	}
	if len(value) > maxParamValLength {
		return fmt.Errorf("tracking: param %q: value is %d bytes long, at most %d allowed", key, len(value), maxParamValLength)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.active(); err != nil {
		return err
	}
	p := filepath.Join(r.dir, paramsFolder, filepath.FromSlash(key))
	old, err := os.ReadFile(p)
	switch {
	case err == nil:
		if string(old) != value {
			return fmt.Errorf("tracking: param %q was already logged with value %q; changing it to %q is not allowed", key, old, value)
		}
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("tracking: param %q: %w", key, err)
	}
	return writeFileAtomic(r.dir, p, []byte(value))
}

// LogMetric appends a value of metric key at step, timestamped now.
func (r *Run) LogMetric(key string, value float64, step int64) error {
	return r.logMetricAt(key, value, step, time.Now())
}

func (r *Run) logMetricAt(key string, value float64, step int64, at time.Time) error {
	if err := validateKey("metric", key); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.active(); err != nil {
		return err
	}
	p := filepath.Join(r.dir, metricsFolder, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("tracking: metric %q: %w", key, err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("tracking: metric %q: %w", key, err)
	}
	line := strconv.FormatInt(at.UnixMilli(), 10) + " " + formatMetricValue(value) + " " + strconv.FormatInt(step, 10) + "\n"
	if _, err := io.WriteString(f, line); err != nil {
		_ = f.Close()
		return fmt.Errorf("tracking: metric %q: %w", key, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("tracking: metric %q: %w", key, err)
	}
	return nil
}

// SetTag sets a tag, replacing its value. Setting mlflow.runName renames
// the run, as in MLflow.
func (r *Run) SetTag(key, value string) error {
	if err := validateKey("tag", key); err != nil {
		return err
	}
	if len(value) > maxTagValLength {
		return fmt.Errorf("tracking: tag %q: value is %d bytes long, at most %d allowed", key, len(value), maxTagValLength)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.active(); err != nil {
		return err
	}
	if err := writeFileAtomic(r.dir, filepath.Join(r.dir, tagsFolder, filepath.FromSlash(key)), []byte(value)); err != nil {
		return err
	}
	if key == TagRunName && value != r.meta.RunName {
		r.meta.RunName = value
		return r.writeMeta()
	}
	return nil
}

// LogArtifact copies the file or directory localPath into the run's
// artifacts, under the folder artifactPath ("" for the top), as MLflow's
// log_artifact (a file keeps its base name: artifacts/<artifactPath>/<name>)
// and log_artifacts (a directory's contents go into
// artifacts/<artifactPath>) do. Each file is written atomically.
func (r *Run) LogArtifact(localPath, artifactPath string) error {
	if err := validateArtifactPath(artifactPath); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.active(); err != nil {
		return err
	}
	info, err := os.Stat(localPath)
	if err != nil {
		return fmt.Errorf("tracking: artifact: %w", err)
	}
	dest := filepath.Join(r.dir, artifactsFolder, filepath.FromSlash(artifactPath))
	if !info.IsDir() {
		return r.copyFile(localPath, filepath.Join(dest, filepath.Base(localPath)))
	}
	return filepath.WalkDir(localPath, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("tracking: artifact: %w", err)
		}
		rel, err := filepath.Rel(localPath, p)
		if err != nil {
			return fmt.Errorf("tracking: artifact: %w", err)
		}
		target := filepath.Join(dest, rel)
		if d.IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return fmt.Errorf("tracking: artifact: %w", err)
			}
			return nil
		}
		return r.copyFile(p, target)
	})
}

func (r *Run) copyFile(src, dst string) (err error) {
	info, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("tracking: artifact: %w", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("tracking: artifact %s is not a regular file", src)
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("tracking: artifact: %w", err)
	}
	defer func() { _ = in.Close() }()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("tracking: artifact: %w", err)
	}
	out, err := os.CreateTemp(r.dir, tmpPrefix+"*")
	if err != nil {
		return fmt.Errorf("tracking: artifact: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(out.Name())
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return fmt.Errorf("tracking: artifact %s: %w", src, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("tracking: artifact %s: %w", src, err)
	}
	if err := os.Rename(out.Name(), dst); err != nil {
		return fmt.Errorf("tracking: artifact: %w", err)
	}
	return nil
}

// End ends the run with status "FINISHED", "FAILED" or "KILLED", recording
// its end time. Nothing can be logged to the run afterwards.
func (r *Run) End(status string) error {
	code, ok := statusCodes[status]
	if !ok || status == StatusRunning || status == StatusScheduled {
		return fmt.Errorf("tracking: run %s: end status %q is not FINISHED, FAILED or KILLED", r.meta.RunID, status)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.active(); err != nil {
		return err
	}
	end := time.Now().UnixMilli()
	r.meta.Status, r.meta.EndTime = code, &end
	if err := r.writeMeta(); err != nil {
		return err
	}
	r.ended = true
	return nil
}
