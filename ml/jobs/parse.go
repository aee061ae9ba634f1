package jobs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/gspark/gspark/internal/suggest"
	"github.com/gspark/gspark/ml/registry"
)

// Pos is a place in a job file: file:line:col.
type Pos struct {
	File      string
	Line, Col int
}

// String formats p as file:line:col.
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Error is a problem found in a job file, at a place in it.
type Error struct {
	Pos Pos
	Msg string
}

// Error implements error.
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Text is a string of a job file with its place.
type Text struct {
	S   string
	Pos Pos
}

// Setting is one name: value pair of a params mapping.
type Setting struct {
	Name     string
	Value    any
	NamePos  Pos
	ValuePos Pos
}

// StageSpec is one stage of a fit step's pipeline.
type StageSpec struct {
	Class  Text
	Name   Text
	Params []Setting
	Pos    Pos
}

// ClassSpec names an evaluator or validator class with its params.
type ClassSpec struct {
	Class  Text
	Params []Setting
	Pos    Pos
}

// GridSpec is one grid entry: the values tried for a param of a stage.
type GridSpec struct {
	Stage, Param string
	Values       []any
	Pos          Pos
}

// TuneSpec is a fit step's model selection.
type TuneSpec struct {
	Validator ClassSpec
	Evaluator ClassSpec
	Grid      []GridSpec
	Pos       Pos
}

// OutputSpec is where a transform step writes.
type OutputSpec struct {
	Path    Text
	Format  Text
	Mode    Text
	Options map[string]string
}

// Step kinds.
const (
	KindSQL       = "sql"
	KindSplit     = "split"
	KindFit       = "fit"
	KindEvaluate  = "evaluate"
	KindTransform = "transform"
	KindSave      = "save"
)

var kinds = []string{KindSQL, KindSplit, KindFit, KindEvaluate, KindTransform, KindSave}

// Step is one named step of a job. Which fields are used depends on Kind.
type Step struct {
	Name string
	Kind string
	Pos  Pos
	// sql
	Statements []Text
	// split
	Weights []float64
	Seed    int64
	Into    []Text
	// fit, evaluate, transform, split: a query or a view name
	Input Text
	// fit
	Stages []StageSpec
	Tune   *TuneSpec
	// evaluate, transform, save: a fit step's name or a saved model's path
	Model Text
	// evaluate
	Evaluators []ClassSpec
	// transform
	Drop   []Text
	Select []Text
	Output OutputSpec
	// save: to a path, or as a new version of a registered model
	Path      Text
	Overwrite bool
	Register  Text
	ModelsDir Text
}

// Job is a parsed job file.
type Job struct {
	// File is the job file's name as given; SHA256 the hex digest of its bytes.
	File, SHA256 string
	// Name is the job's name (default: the file's).
	Name string
	// Params are the parameter values after overrides.
	Params map[string]string
	// Partitions is the session's partition count (0: the session's default).
	Partitions int
	// Steps run in order.
	Steps []*Step
}

// parser walks a YAML document and collects errors with their places.
type parser struct {
	file   string
	params map[string]string
	errs   []error
}

func (p *parser) pos(n *yaml.Node) Pos { return Pos{File: p.file, Line: n.Line, Col: n.Column} }

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &Error{Pos: p.pos(n), Msg: fmt.Sprintf(format, args...)})
}

// Parse parses the job file named file with contents src; overrides replace
// the defaults of its params: section (a name it does not declare is an
// error). It checks the file's structure and ${param} references; Validate
// checks the rest.
func Parse(file string, src []byte, overrides map[string]string) (*Job, error) {
	sum := sha256.Sum256(src)
	job := &Job{File: file, SHA256: hex.EncodeToString(sum[:]), Params: map[string]string{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("%s: malformed YAML: %w", file, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: a job file is a YAML mapping with steps:", file)
	}
	p := &parser{file: file, params: job.Params}
	required := map[string]Pos{}
	top := p.fields(doc.Content[0], "name", "params", "partitions", "steps")
	if n := top["params"]; n != nil {
		if n.Kind != yaml.MappingNode {
			p.errorf(n, "params: want a mapping of name: default")
		} else {
			// Defaults may use the built-in params only.
			p.params = builtins(file)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Kind != yaml.ScalarNode {
					p.errorf(v, "param %s: want a scalar default", k.Value)
					continue
				}
				if v.Tag == "!!null" {
					required[k.Value] = p.pos(k)
					job.Params[k.Value] = ""
					continue
				}
				p.substitute(v)
				job.Params[k.Value] = v.Value
			}
			p.params = job.Params
		}
	}
	names := slices.Sorted(maps.Keys(job.Params))
	for _, k := range slices.Sorted(maps.Keys(overrides)) {
		if _, ok := job.Params[k]; !ok {
			p.errs = append(p.errs, fmt.Errorf("%s: --param %s: the job declares no such param (params: %s)%s", file, k, strings.Join(names, ", "), suggestion(k, names)))
			continue
		}
		job.Params[k] = overrides[k]
		delete(required, k)
	}
	for _, k := range slices.Sorted(maps.Keys(required)) {
		p.errs = append(p.errs, &Error{Pos: required[k], Msg: fmt.Sprintf("param %s has no default: pass --param %s=…", k, k)})
	}
	for k, v := range builtins(file) {
		job.Params[k] = v
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	// Substitute ${param} in every scalar but the params section.
	for _, k := range []string{"name", "partitions", "steps"} {
		if n := top[k]; n != nil {
			p.substitute(n)
		}
	}
	job.Name = strings.TrimSuffix(file, ".yaml")
	if n := top["name"]; n != nil {
		job.Name = n.Value
	}
	if n := top["partitions"]; n != nil {
		if err := n.Decode(&job.Partitions); err != nil || job.Partitions < 1 {
			p.errorf(n, "partitions: want a positive integer, got %q", n.Value)
		}
	}
	steps := top["steps"]
	switch {
	case steps == nil:
		p.errorf(doc.Content[0], "the job has no steps:")
	case steps.Kind != yaml.SequenceNode:
		p.errorf(steps, "steps: want a list of steps")
	default:
		seen := map[string]Pos{}
		for _, n := range steps.Content {
			st := p.step(n)
			if st == nil {
				continue
			}
			if prev, ok := seen[st.Name]; ok {
				p.errorf(n, "step name %q is already used at %s", st.Name, prev)
			}
			seen[st.Name] = st.Pos
			job.Steps = append(job.Steps, st)
		}
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return job, nil
}

// builtins are the params every job has: job.dir, the absolute directory
// of the job file (so a job can name files next to it).
func builtins(file string) map[string]string {
	dir, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		dir = filepath.Dir(file)
	}
	return map[string]string{"job.dir": dir}
}

var paramRef = regexp.MustCompile(`\$\{([^}]*)\}`)

// substitute replaces ${name} in the scalars under n.
func (p *parser) substitute(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode {
		if !strings.Contains(n.Value, "${") {
			return
		}
		n.Value = paramRef.ReplaceAllStringFunc(n.Value, func(m string) string {
			name := m[2 : len(m)-1]
			v, ok := p.params[name]
			if !ok {
				names := slices.Sorted(maps.Keys(p.params))
				p.errorf(n, "unknown param ${%s} (params: %s)%s", name, strings.Join(names, ", "), suggestion(name, names))
				return m
			}
			return v
		})
		// A substituted value is a string unless it reads as a number or bool.
		if n.Tag == "!!str" && n.Style == 0 {
			n.Tag = ""
		}
		return
	}
	for i, c := range n.Content {
		if n.Kind == yaml.MappingNode && i%2 == 0 {
			continue
		}
		p.substitute(c)
	}
}

// fields returns the values of mapping n by key, reporting keys not in allowed.
func (p *parser) fields(n *yaml.Node, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "want a mapping with keys %s", strings.Join(allowed, ", "))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			p.errorf(k, "unknown key %q (want one of %s)%s", k.Value, strings.Join(allowed, ", "), suggestion(k.Value, allowed))
			continue
		}
		if _, dup := out[k.Value]; dup {
			p.errorf(k, "key %q given twice", k.Value)
		}
		out[k.Value] = v
	}
	return out
}

func suggestion(name string, candidates []string) string {
	if c := suggest.Closest(name, candidates); c != "" {
		return fmt.Sprintf("; did you mean %s?", c)
	}
	return ""
}

func (p *parser) text(n *yaml.Node, what string) Text {
	if n == nil {
		return Text{}
	}
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, "%s: want a string", what)
		return Text{Pos: p.pos(n)}
	}
	return Text{S: n.Value, Pos: p.pos(n)}
}

func (p *parser) texts(n *yaml.Node, what string) []Text {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []Text{p.text(n, what)}
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s: want a list of strings", what)
		return nil
	}
	out := make([]Text, 0, len(n.Content))
	for _, c := range n.Content {
		out = append(out, p.text(c, what))
	}
	return out
}

func (p *parser) required(m map[string]*yaml.Node, parent *yaml.Node, kind string, keys ...string) {
	for _, k := range keys {
		if m[k] == nil {
			p.errorf(parent, "%s: %s is required", kind, k)
		}
	}
}

// settings reads a params mapping.
func (p *parser) settings(n *yaml.Node) []Setting {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "params: want a mapping of param name: value")
		return nil
	}
	var out []Setting
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var val any
		if err := v.Decode(&val); err != nil {
			p.errorf(v, "param %s: %v", k.Value, err)
			continue
		}
		out = append(out, Setting{Name: k.Value, Value: val, NamePos: p.pos(k), ValuePos: p.pos(v)})
	}
	return out
}

func (p *parser) classSpec(n *yaml.Node, what string) ClassSpec {
	if n.Kind == yaml.ScalarNode {
		return ClassSpec{Class: p.text(n, what), Pos: p.pos(n)}
	}
	f := p.fields(n, "class", "params")
	p.required(f, n, what, "class")
	return ClassSpec{Class: p.text(f["class"], what+" class"), Params: p.settings(f["params"]), Pos: p.pos(n)}
}

// step reads one step: a mapping with name and exactly one kind key.
func (p *parser) step(n *yaml.Node) *Step {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "a step is a mapping: name: and one of %s", strings.Join(kinds, ", "))
		return nil
	}
	st := &Step{Pos: p.pos(n)}
	var body *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Value == "name":
			st.Name = v.Value
		case slices.Contains(kinds, k.Value):
			if st.Kind != "" {
				p.errorf(k, "a step has one kind; this one has %s and %s", st.Kind, k.Value)
				continue
			}
			st.Kind, body = k.Value, v
		default:
			p.errorf(k, "unknown step kind %q (kinds: %s)%s", k.Value, strings.Join(kinds, ", "), suggestion(k.Value, kinds))
		}
	}
	if st.Name == "" {
		p.errorf(n, "the step has no name:")
	}
	if st.Kind == "" {
		if len(p.errs) == 0 {
			p.errorf(n, "step %s has no kind (one of %s)", st.Name, strings.Join(kinds, ", "))
		}
		return nil
	}
	switch st.Kind {
	case KindSQL:
		st.Statements = p.texts(body, "sql")
		if len(st.Statements) == 0 {
			p.errorf(body, "sql: no statements")
		}
	case KindSplit:
		f := p.fields(body, "input", "weights", "seed", "into")
		p.required(f, body, "split", "input", "weights", "into")
		st.Input = p.text(f["input"], "input")
		if w := f["weights"]; w != nil {
			if err := w.Decode(&st.Weights); err != nil {
				p.errorf(w, "weights: want a list of numbers")
			}
		}
		if s := f["seed"]; s != nil {
			if err := s.Decode(&st.Seed); err != nil {
				p.errorf(s, "seed: want an integer")
			}
		}
		st.Into = p.texts(f["into"], "into")
		if len(st.Into) != len(st.Weights) && f["into"] != nil {
			p.errorf(f["into"], "split: %d weights but %d view names", len(st.Weights), len(st.Into))
		}
	case KindFit:
		f := p.fields(body, "input", "stages", "tune")
		p.required(f, body, "fit", "input", "stages")
		st.Input = p.text(f["input"], "input")
		if s := f["stages"]; s != nil {
			if s.Kind != yaml.SequenceNode || len(s.Content) == 0 {
				p.errorf(s, "stages: want a non-empty list of stages")
			} else {
				for _, c := range s.Content {
					sf := p.fields(c, "stage", "name", "params")
					p.required(sf, c, "stage", "stage")
					spec := StageSpec{Class: p.text(sf["stage"], "stage"), Name: p.text(sf["name"], "name"), Params: p.settings(sf["params"]), Pos: p.pos(c)}
					if spec.Name.S == "" {
						spec.Name = Text{S: spec.Class.S, Pos: spec.Class.Pos}
					}
					st.Stages = append(st.Stages, spec)
				}
			}
		}
		if t := f["tune"]; t != nil {
			st.Tune = p.tune(t)
		}
	case KindEvaluate:
		f := p.fields(body, "input", "model", "evaluators")
		p.required(f, body, "evaluate", "input", "evaluators")
		st.Input = p.text(f["input"], "input")
		st.Model = p.text(f["model"], "model")
		if e := f["evaluators"]; e != nil {
			if e.Kind != yaml.SequenceNode {
				st.Evaluators = append(st.Evaluators, p.classSpec(e, "evaluator"))
			} else {
				for _, c := range e.Content {
					st.Evaluators = append(st.Evaluators, p.classSpec(c, "evaluator"))
				}
			}
		}
	case KindTransform:
		f := p.fields(body, "input", "model", "drop", "select", "output")
		p.required(f, body, "transform", "input", "model", "output")
		st.Input = p.text(f["input"], "input")
		st.Model = p.text(f["model"], "model")
		st.Drop = p.texts(f["drop"], "drop")
		st.Select = p.texts(f["select"], "select")
		if o := f["output"]; o != nil {
			of := p.fields(o, "path", "format", "mode", "options")
			p.required(of, o, "output", "path")
			st.Output = OutputSpec{Path: p.text(of["path"], "path"), Format: p.text(of["format"], "format"), Mode: p.text(of["mode"], "mode")}
			if st.Output.Format.S == "" {
				st.Output.Format = Text{S: "parquet", Pos: p.pos(o)}
			}
			if opt := of["options"]; opt != nil {
				if err := opt.Decode(&st.Output.Options); err != nil {
					p.errorf(opt, "options: want a mapping of strings")
				}
			}
		}
	case KindSave:
		f := p.fields(body, "model", "path", "overwrite", "register", "models_dir")
		p.required(f, body, "save", "model")
		st.Model = p.text(f["model"], "model")
		st.Path = p.text(f["path"], "path")
		st.Register = p.text(f["register"], "register")
		st.ModelsDir = p.text(f["models_dir"], "models_dir")
		if o := f["overwrite"]; o != nil {
			if err := o.Decode(&st.Overwrite); err != nil {
				p.errorf(o, "overwrite: want true or false")
			}
		}
		p.saveTarget(body, f)
	}
	return st
}

// saveTarget checks that a save step writes to a path or registers a
// version, not both (two save steps do both), with the keys that go with
// each.
func (p *parser) saveTarget(body *yaml.Node, f map[string]*yaml.Node) {
	path, reg := f["path"], f["register"]
	switch {
	case path == nil && reg == nil:
		if body.Kind == yaml.MappingNode {
			p.errorf(body, "save: path: or register: is required")
		}
	case path != nil && reg != nil:
		p.errorf(reg, "save: path: and register: are exclusive; use two save steps to do both")
	case reg != nil:
		if reg.Kind == yaml.ScalarNode {
			if err := registry.ValidateName(reg.Value); err != nil {
				p.errorf(reg, "register: %v", err)
			}
		}
		if o := f["overwrite"]; o != nil {
			p.errorf(o, "overwrite: applies to path: only; register: always adds a new version")
		}
	}
	if d := f["models_dir"]; d != nil && reg == nil {
		p.errorf(d, "models_dir: applies to register: only")
	}
}

func (p *parser) tune(n *yaml.Node) *TuneSpec {
	f := p.fields(n, "validator", "evaluator", "grid")
	p.required(f, n, "tune", "validator", "evaluator")
	t := &TuneSpec{Pos: p.pos(n)}
	if v := f["validator"]; v != nil {
		t.Validator = p.classSpec(v, "validator")
	}
	if e := f["evaluator"]; e != nil {
		t.Evaluator = p.classSpec(e, "evaluator")
	}
	if g := f["grid"]; g != nil {
		if g.Kind != yaml.MappingNode {
			p.errorf(g, "grid: want a mapping of stage-name.param: [values]")
			return t
		}
		for i := 0; i+1 < len(g.Content); i += 2 {
			k, v := g.Content[i], g.Content[i+1]
			stage, name, ok := strings.Cut(k.Value, ".")
			if !ok || stage == "" || name == "" {
				p.errorf(k, "grid key %q: want stage-name.param, e.g. lr.regParam", k.Value)
				continue
			}
			var vals []any
			if v.Kind != yaml.SequenceNode || v.Decode(&vals) != nil || len(vals) == 0 {
				p.errorf(v, "grid %s: want a non-empty list of values", k.Value)
				continue
			}
			t.Grid = append(t.Grid, GridSpec{Stage: stage, Param: name, Values: vals, Pos: p.pos(k)})
		}
	}
	return t
}
