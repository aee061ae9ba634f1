package jobs

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/all"
	"github.com/gspark/gspark/ml/param"
)

// stageClasses makes stages by their Spark class names (e.g.
// "LogisticRegression"), from the loaders ml/all registers: a stage whose
// state is only its params loads from metadata with no directory.
type stageClasses struct {
	reg   *ml.Registry
	full  map[string]string // short name → registered class
	names []string
}

// notBuildable are registered classes a job file does not name as stages:
// fitted models come from fit steps or saved paths, pipelines and
// validators from the fit step's own structure.
func notBuildable(short string) bool {
	return strings.HasSuffix(short, "Model") || short == "Pipeline" || short == "CrossValidator" || short == "TrainValidationSplit"
}

func newStageClasses() *stageClasses {
	c := &stageClasses{reg: all.Registry(), full: map[string]string{}}
	for _, class := range c.reg.Classes() {
		short := class[strings.LastIndex(class, ".")+1:]
		// Spark's class names load Spark's files into the same stages.
		if notBuildable(short) || strings.HasPrefix(class, "org.apache.spark.") {
			continue
		}
		c.full[short] = class
		c.names = append(c.names, short)
	}
	slices.Sort(c.names)
	return c
}

// make returns a new stage of the class named short, with its defaults.
func (c *stageClasses) make(ctx context.Context, short string) (ml.Stage, error) {
	class, ok := c.full[short]
	if !ok {
		return nil, fmt.Errorf("unknown stage class %q%s", short, suggestion(short, c.names))
	}
	l, ok := c.reg.Loader(class)
	if !ok {
		return nil, fmt.Errorf("unknown stage class %q", short)
	}
	st, err := l(ctx, "", &ml.Metadata{Class: class, UID: param.UID(short)}, c.reg)
	if err != nil {
		return nil, fmt.Errorf("making a %s: %w", short, err)
	}
	return st, nil
}
