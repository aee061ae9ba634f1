package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
)

// FormatVersion is the version of the profile's JSON layout, recorded in
// its "formatVersion" field; ReadProfile refuses other versions.
const FormatVersion = 1

// ProfileFile is the profile's file name at the root of a model directory.
const ProfileFile = "profile.json"

// Defaults of ProfileOptions.
const (
	// DefaultSampleSize is the number of values kept per numeric column
	// for the two-sample Kolmogorov–Smirnov statistic.
	DefaultSampleSize = 250
	// DefaultTopK is the number of most frequent values kept per
	// categorical column.
	DefaultTopK = 50
	// binCount is the number of PSI bins of a numeric column: its deciles.
	binCount = 10
)

// ErrNoSignature is returned by BuildProfile for a model whose input
// columns cannot be worked out (ml.InferSignature fails).
var ErrNoSignature = errors.New("the model has no signature (its input columns cannot be worked out)")

// Kind is how a column is profiled.
type Kind string

// The kinds of profiled columns.
const (
	// Numeric columns (integers, floating point, decimals) have summary
	// statistics, decile bins and a sample.
	Numeric Kind = "numeric"
	// Categorical columns (strings, booleans) have their most frequent values.
	Categorical Kind = "categorical"
	// Other columns (vectors, arrays, dates, …) have counts and nulls only.
	Other Kind = "other"
)

// Role is why a column is profiled.
type Role string

// The roles of profiled columns.
const (
	// Input is a column of the model's signature inputs.
	Input Role = "input"
	// Output is a column the model adds (prediction, predicted label, …).
	Output Role = "output"
	// Label is the training label column.
	Label Role = "label"
)

// ProfileOptions are the choices of BuildProfile.
type ProfileOptions struct {
	// LabelCol is the label column to profile too ("" for none; a name
	// missing from the training data is an error).
	LabelCol string
	// SampleSize is the size of each numeric column's sample (0: DefaultSampleSize).
	SampleSize int
	// TopK is the number of categories kept per categorical column (0: DefaultTopK).
	TopK int
}

// Profile summarizes the training data of a model: one ColumnProfile per
// input column of its signature, per numeric or categorical output column
// and for the label column. It is a few kilobytes of JSON per column
// (mostly the numeric samples) and deterministic for given data.
type Profile struct {
	// FormatVersion is the JSON layout's version (FormatVersion).
	FormatVersion int `json:"formatVersion"`
	// Rows is the number of training rows.
	Rows int64 `json:"rows"`
	// LabelCol is the profiled label column, if any.
	LabelCol string `json:"labelCol,omitempty"`
	// SampleSize is the numeric samples' maximum size.
	SampleSize int `json:"sampleSize"`
	// TopK is the categorical columns' maximum number of categories.
	TopK int `json:"topK"`
	// Columns are the profiled columns: inputs, then outputs, then the label.
	Columns []ColumnProfile `json:"columns"`
}

// ColumnProfile is the training summary of one column.
type ColumnProfile struct {
	// Name is the column name.
	Name string `json:"name"`
	// Role is input, output or label.
	Role Role `json:"role"`
	// Type is the column's type as ml.TypeName spells it.
	Type string `json:"type"`
	// Kind is numeric, categorical or other.
	Kind Kind `json:"kind"`
	// Nulls is the number of null values (for numbers: with NaN and ±Inf).
	Nulls int64 `json:"nulls"`
	// Numeric is set for numeric columns.
	Numeric *NumericProfile `json:"numeric,omitempty"`
	// Categorical is set for categorical columns.
	Categorical *CategoricalProfile `json:"categorical,omitempty"`
}

// NumericProfile is the summary of a numeric column's non-null values.
type NumericProfile struct {
	// Min, Max, Mean and Std (sample standard deviation, 0 for fewer than
	// two values) of the values.
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	// Edges are the distinct deciles of the training values, ascending:
	// bin 0 is (-∞, Edges[0]], bin i is (Edges[i-1], Edges[i]], the last
	// bin (Edges[len-1], +∞).
	Edges []float64 `json:"edges"`
	// Shares are the training shares of the len(Edges)+1 bins.
	Shares []float64 `json:"shares"`
	// Sample is an ascending sample of at most SampleSize values: the
	// values themselves when there are no more, else the quantiles at
	// (i+0.5)/SampleSize.
	Sample []float64 `json:"sample"`
}

// CategoricalProfile is the summary of a categorical column's non-null values.
type CategoricalProfile struct {
	// Top are the at most TopK most frequent values, most frequent first
	// (ties by value).
	Top []Category `json:"top"`
	// OtherShare is the share of the values not in Top.
	OtherShare float64 `json:"otherShare"`
	// Distinct is the number of distinct values.
	Distinct int64 `json:"distinct"`
}

// Category is a value of a categorical column and its training share.
type Category struct {
	// Value is the category (a boolean as "true" or "false").
	Value string `json:"value"`
	// Share is its share of the column's non-null training values.
	Share float64 `json:"share"`
}

// Column returns the profile of the column named name (case-insensitive).
func (p *Profile) Column(name string) (*ColumnProfile, bool) {
	for i := range p.Columns {
		if strings.EqualFold(p.Columns[i].Name, name) {
			return &p.Columns[i], true
		}
	}
	return nil, false
}

// JSON renders the profile as compact JSON (about 1.8 KB per numeric column).
func (p *Profile) JSON() ([]byte, error) {
	b, err := json.Marshal(p) // compact: most of a profile is numbers
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	return append(b, '\n'), nil
}

// ParseProfile decodes a profile from JSON and checks it.
func ParseProfile(b []byte) (*Profile, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	if p.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("formatVersion %d is not supported (want %d)", p.FormatVersion, FormatVersion)
	}
	for _, c := range p.Columns {
		if err := c.check(); err != nil {
			return nil, fmt.Errorf("column %q: %w", c.Name, err)
		}
	}
	return &p, nil
}

func (c *ColumnProfile) check() error {
	switch c.Kind {
	case Numeric:
		if c.Numeric == nil {
			return errors.New("numeric column without numeric summary")
		}
		if len(c.Numeric.Shares) != len(c.Numeric.Edges)+1 {
			return fmt.Errorf("%d shares for %d edges (want %d)", len(c.Numeric.Shares), len(c.Numeric.Edges), len(c.Numeric.Edges)+1)
		}
	case Categorical:
		if c.Categorical == nil {
			return errors.New("categorical column without categories")
		}
	case Other:
	default:
		return fmt.Errorf("unknown kind %q", c.Kind)
	}
	return nil
}

// ReadProfile reads the profile saved in a model directory; the error wraps
// fs.ErrNotExist when the model has none.
func ReadProfile(modelDir string) (*Profile, error) {
	path := filepath.Join(modelDir, ProfileFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the training profile of model %s: %w", modelDir, err)
	}
	p, err := ParseProfile(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// SaveModel saves model at path with prof as its ProfileFile, in one atomic
// write (ml.SaveWith); a nil prof saves the model alone.
func SaveModel(model ml.Stage, path string, prof *Profile, overwrite bool) error {
	opts := ml.SaveOptions{Overwrite: overwrite}
	if prof != nil {
		b, err := prof.JSON()
		if err != nil {
			return err
		}
		opts.Files = map[string][]byte{ProfileFile: b}
	}
	return ml.SaveWith(model, path, opts)
}

// kindOf is how a column of type t is profiled.
func kindOf(t arrow.DataType) Kind {
	switch {
	case ml.IsNumeric(t):
		return Numeric
	case ml.IsString(t) || t.ID() == arrow.BOOL:
		return Categorical
	}
	if d, ok := t.(*arrow.DictionaryType); ok && ml.IsString(d.ValueType) {
		return Categorical
	}
	return Other
}

// BuildProfile profiles train, the model's training data: the model's
// input columns (from ml.InferSignature), the numeric and categorical
// columns its Transform adds, and opts.LabelCol. It runs a few aggregation
// queries over the data (counts, moments, approximate deciles and sample
// quantiles, grouped counts of categories): memory stays bounded by the
// engine's aggregation, whatever the data's size.
func BuildProfile(ctx context.Context, train *frame.DataFrame, model ml.Transformer, opts ProfileOptions) (*Profile, error) {
	if err := train.Err(); err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	sig, ok := ml.InferSignature(model)
	if !ok {
		return nil, fmt.Errorf("profile: %w", ErrNoSignature)
	}
	if opts.SampleSize <= 0 {
		opts.SampleSize = DefaultSampleSize
	}
	if opts.TopK <= 0 {
		opts.TopK = DefaultTopK
	}
	if err := ml.CheckSignature(sig, train.Schema()); err != nil {
		return nil, fmt.Errorf("profile: training data: %w", err)
	}
	scored, err := model.Transform(train)
	if err != nil {
		return nil, fmt.Errorf("profile: scoring the training data: %w", err)
	}
	if err := scored.Err(); err != nil {
		return nil, fmt.Errorf("profile: scoring the training data: %w", err)
	}
	schema := scored.Schema()
	var cols []column
	seen := map[string]bool{}
	add := func(name string, role Role) error {
		i := ml.FieldIndex(schema, name)
		if i < 0 {
			return fmt.Errorf("profile: the training data has no column %q (%s)", name, role)
		}
		f := schema.Field(i)
		if seen[strings.ToLower(f.Name)] {
			return nil
		}
		seen[strings.ToLower(f.Name)] = true
		cols = append(cols, column{name: f.Name, role: role, typ: ml.TypeName(f.Type), kind: kindOf(f.Type)})
		return nil
	}
	for _, c := range sig.Inputs {
		if err := add(c.Name, Input); err != nil {
			return nil, err
		}
	}
	for _, c := range sig.Outputs {
		i := ml.FieldIndex(schema, c.Name)
		if i >= 0 && kindOf(schema.Field(i).Type) != Other {
			if err := add(c.Name, Output); err != nil {
				return nil, err
			}
		}
	}
	if opts.LabelCol != "" {
		if err := add(opts.LabelCol, Label); err != nil {
			return nil, err
		}
	}
	p := &Profile{FormatVersion: FormatVersion, LabelCol: opts.LabelCol, SampleSize: opts.SampleSize, TopK: opts.TopK}
	rows, counts, moments, err := firstPass(ctx, scored, cols)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	p.Rows = rows
	for i, c := range cols {
		cp := ColumnProfile{Name: c.name, Role: c.role, Type: c.typ, Kind: c.kind, Nulls: rows - counts[i]}
		switch c.kind {
		case Numeric:
			cp.Numeric = moments[i]
		case Categorical:
			cp.Categorical = &CategoricalProfile{Top: []Category{}}
		}
		p.Columns = append(p.Columns, cp)
	}
	if err := numericPass(ctx, scored, p, counts); err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	for i := range p.Columns {
		c := &p.Columns[i]
		if c.Kind != Categorical {
			continue
		}
		if err := topCategories(ctx, scored, c, counts[i], opts.TopK); err != nil {
			return nil, fmt.Errorf("profile: column %q: %w", c.Name, err)
		}
	}
	return p, nil
}
