// Package param holds the typed, named parameters of ML stages, as Spark ML's
// Params: each stage declares its params (name, doc, optional default,
// validation) on a Params holder, which stores the values set by the user,
// explains them, copies them and encodes them as JSON for persistence.
package param

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// UID returns a new unique identifier for a stage: prefix, an underscore and
// 12 random hex digits, e.g. "StandardScaler_4b1f0e3a9c21".
func UID(prefix string) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand does not fail on supported platforms; fall back to a fixed suffix.
		return prefix + "_000000000000"
	}
	return prefix + "_" + hex.EncodeToString(b[:])
}

// ParamMap holds param values by param name, e.g. for Copy; values are
// converted to the param's type as JSON would (an int sets a float64 param).
type ParamMap map[string]any

// def is the type-erased declaration of one param.
type def struct {
	name, doc  string
	hasDefault bool
	deflt      any
	typeName   string
	convert    func(v any) (any, error) // to the param's type, validated
}

// Params is the param holder of one stage: its declared params, the values
// set and the defaults. Declarations are fixed once the stage is built;
// Copy shares them and copies the values.
type Params struct {
	uid  string
	defs map[string]*def
	vals map[string]any
	errs []error
}

// New makes an empty holder for the stage with the given uid.
func New(uid string) *Params {
	return &Params{uid: uid, defs: map[string]*def{}, vals: map[string]any{}}
}

// UID returns the uid of the owning stage.
func (ps *Params) UID() string { return ps.uid }

// Param is a typed handle of a param declared on a Params holder; it holds
// only the name, so it works on copies of the holder too.
type Param[T any] struct {
	name string
}

// Option configures a param declaration.
type Option[T any] func(*spec[T])

type spec[T any] struct {
	hasDefault bool
	deflt      T
	validators []func(T) error
}

// WithDefault gives the param a default value.
func WithDefault[T any](v T) Option[T] {
	return func(s *spec[T]) { s.hasDefault, s.deflt = true, v }
}

// WithValidator adds checks a value must pass to be set (e.g. Gt(0)).
func WithValidator[T any](fns ...func(T) error) Option[T] {
	return func(s *spec[T]) { s.validators = append(s.validators, fns...) }
}

// Define declares the param name on ps and returns its typed handle. A name
// declared twice keeps the last declaration.
func Define[T any](ps *Params, name, doc string, opts ...Option[T]) Param[T] {
	var s spec[T]
	for _, o := range opts {
		o(&s)
	}
	var zero T
	d := &def{name: name, doc: doc, hasDefault: s.hasDefault, typeName: fmt.Sprintf("%T", zero)}
	if s.hasDefault {
		d.deflt = s.deflt
	}
	validators := s.validators
	d.convert = func(v any) (any, error) {
		t, err := convertTo[T](v)
		if err != nil {
			return nil, err
		}
		for _, f := range validators {
			if err := f(t); err != nil {
				return nil, err
			}
		}
		return t, nil
	}
	ps.defs[name] = d
	return Param[T]{name: name}
}

// convertTo converts v to T: directly, or through its JSON form.
func convertTo[T any](v any) (T, error) {
	if t, ok := v.(T); ok {
		return t, nil
	}
	var t T
	if v == nil {
		return t, fmt.Errorf("value is nil, want %T", t)
	}
	data, err := EncodeValue(v)
	if err != nil {
		return t, fmt.Errorf("cannot use %v (%T) as %T", v, v, t)
	}
	if err := DecodeValue(data, &t); err != nil {
		return t, fmt.Errorf("cannot use %v (%T) as %T", v, v, t)
	}
	return t, nil
}

// Name returns the param's name.
func (p Param[T]) Name() string { return p.name }

// Get returns the param's value in ps: the value set, else the default, else T's zero value.
func (p Param[T]) Get(ps *Params) T {
	v, _ := p.GetOK(ps)
	return v
}

// GetOK is Get that also reports whether a value was set or a default exists.
func (p Param[T]) GetOK(ps *Params) (T, bool) {
	v, ok := ps.Get(p.name)
	if !ok {
		var zero T
		return zero, false
	}
	t, _ := v.(T)
	return t, true
}

// Set sets the param's value in ps after validating it. An invalid value is
// also remembered in ps (see Params.Err), so chained setters report it later.
func (p Param[T]) Set(ps *Params, v T) error { return ps.Set(p.name, v) }

// IsSet reports whether a value was explicitly set in ps.
func (p Param[T]) IsSet(ps *Params) bool { return ps.IsSet(p.name) }

// Set sets param name to v (converted to the param's type and validated).
// An error is returned and also remembered for Err.
func (ps *Params) Set(name string, v any) error {
	d, ok := ps.defs[name]
	if !ok {
		err := fmt.Errorf("%s: unknown param %q", ps.uid, name)
		ps.errs = append(ps.errs, err)
		return err
	}
	t, err := d.convert(v)
	if err != nil {
		err = fmt.Errorf("%s: param %s: %w", ps.uid, name, err)
		ps.errs = append(ps.errs, err)
		return err
	}
	ps.vals[name] = t
	return nil
}

// SetDefault changes the default of a declared param (as Spark's setDefault).
func (ps *Params) SetDefault(name string, v any) error {
	d, ok := ps.defs[name]
	if !ok {
		return fmt.Errorf("%s: unknown param %q", ps.uid, name)
	}
	t, err := d.convert(v)
	if err != nil {
		return fmt.Errorf("%s: default of param %s: %w", ps.uid, name, err)
	}
	nd := *d
	nd.hasDefault, nd.deflt = true, t
	ps.defs[name] = &nd
	return nil
}

// Err returns the errors of invalid Set calls, joined, or nil.
func (ps *Params) Err() error { return errors.Join(ps.errs...) }

// Get returns param name's value: the value set, else the default; ok is
// false when it has neither (or is not declared).
func (ps *Params) Get(name string) (any, bool) {
	if v, ok := ps.vals[name]; ok {
		return v, true
	}
	if d, ok := ps.defs[name]; ok && d.hasDefault {
		return d.deflt, true
	}
	return nil, false
}

// IsSet reports whether param name was explicitly set.
func (ps *Params) IsSet(name string) bool {
	_, ok := ps.vals[name]
	return ok
}

// IsDefined reports whether param name is declared.
func (ps *Params) IsDefined(name string) bool {
	_, ok := ps.defs[name]
	return ok
}

// HasDefault reports whether param name has a default value.
func (ps *Params) HasDefault(name string) bool {
	d, ok := ps.defs[name]
	return ok && d.hasDefault
}

// Default returns the default of param name, if it has one.
func (ps *Params) Default(name string) (any, bool) {
	d, ok := ps.defs[name]
	if !ok || !d.hasDefault {
		return nil, false
	}
	return d.deflt, true
}

// Clear removes the value set for param name, so its default applies again.
func (ps *Params) Clear(name string) { delete(ps.vals, name) }

// Doc returns the documentation of param name.
func (ps *Params) Doc(name string) string {
	if d, ok := ps.defs[name]; ok {
		return d.doc
	}
	return ""
}

// Names returns the declared param names, sorted.
func (ps *Params) Names() []string {
	names := make([]string, 0, len(ps.defs))
	for n := range ps.defs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ExplainParam explains one param as Spark does: "name: doc (default: x, current: y)".
func (ps *Params) ExplainParam(name string) string {
	d, ok := ps.defs[name]
	if !ok {
		return fmt.Sprintf("%s: undefined", name)
	}
	var parts []string
	if d.hasDefault {
		parts = append(parts, "default: "+formatValue(d.deflt))
	}
	if v, ok := ps.vals[name]; ok {
		parts = append(parts, "current: "+formatValue(v))
	}
	s := name + ": " + d.doc
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	} else {
		s += " (undefined)"
	}
	return s
}

// ExplainParams explains every param, one per line, sorted by name.
func (ps *Params) ExplainParams() string {
	names := ps.Names()
	lines := make([]string, len(names))
	for i, n := range names {
		lines[i] = ps.ExplainParam(n)
	}
	return strings.Join(lines, "\n")
}

func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return formatFloat(x)
	case []float64:
		parts := make([]string, len(x))
		for i, f := range x {
			parts[i] = formatFloat(f)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		return "[" + strings.Join(x, ", ") + "]"
	}
	return fmt.Sprint(v)
}

func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return fmt.Sprintf("%.1f", f)
	}
	return fmt.Sprint(f)
}

// Copy returns a holder for the stage uid with the same declarations and
// defaults, the values set in ps, and then the values of extra applied.
func (ps *Params) Copy(uid string, extra ParamMap) (*Params, error) {
	c := &Params{uid: uid, defs: make(map[string]*def, len(ps.defs)), vals: make(map[string]any, len(ps.vals)+len(extra))}
	for k, d := range ps.defs {
		c.defs[k] = d
	}
	for k, v := range ps.vals {
		c.vals[k] = v
	}
	c.errs = append(c.errs, ps.errs...)
	names := make([]string, 0, len(extra))
	for k := range extra {
		names = append(names, k)
	}
	slices.Sort(names)
	var errs []error
	for _, k := range names {
		if !c.IsDefined(k) {
			continue // a ParamMap may carry params of other stages
		}
		if err := c.Set(k, extra[k]); err != nil {
			errs = append(errs, err)
		}
	}
	return c, errors.Join(errs...)
}

// CopyValuesTo sets in dst every param of ps that is set here and declared
// there (as Spark's copyValues, used to pass an estimator's params to its model).
func (ps *Params) CopyValuesTo(dst *Params) error {
	var errs []error
	for _, k := range ps.Names() {
		v, ok := ps.vals[k]
		if !ok || !dst.IsDefined(k) {
			continue
		}
		if err := dst.Set(k, v); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ParamMapJSON returns the values set, as JSON values by name (the
// "paramMap" of Spark's persisted metadata).
func (ps *Params) ParamMapJSON() (map[string]json.RawMessage, error) {
	return encodeMap(ps.vals)
}

// DefaultParamMapJSON returns the defaults, as JSON values by name (the
// "defaultParamMap" of Spark's persisted metadata).
func (ps *Params) DefaultParamMapJSON() (map[string]json.RawMessage, error) {
	m := map[string]any{}
	for k, d := range ps.defs {
		if d.hasDefault {
			m[k] = d.deflt
		}
	}
	return encodeMap(m)
}

func encodeMap(m map[string]any) (map[string]json.RawMessage, error) {
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		b, err := EncodeValue(v)
		if err != nil {
			return nil, fmt.Errorf("param %s: %w", k, err)
		}
		out[k] = b
	}
	return out, nil
}

// SetJSON sets params from JSON values by name (as read from persisted
// metadata); names not declared are ignored, as Spark ignores unknown params.
func (ps *Params) SetJSON(m map[string]json.RawMessage) error {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	var errs []error
	for _, k := range names {
		d, ok := ps.defs[k]
		if !ok {
			continue
		}
		v, err := d.convert(rawJSON(m[k]))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: param %s: %w", ps.uid, k, err))
			continue
		}
		ps.vals[k] = v
	}
	return errors.Join(errs...)
}

// SetDefaultsJSON changes the defaults of the params named in m (JSON
// values, as saved in a defaultParamMap); names not defined are ignored.
func (ps *Params) SetDefaultsJSON(m map[string]json.RawMessage) error {
	names := make([]string, 0, len(m))
	for k := range m {
		if _, ok := ps.defs[k]; ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	var errs []error
	for _, k := range names {
		if err := ps.SetDefault(k, rawJSON(m[k])); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// rawJSON marks a value already in JSON form for convertTo.
type rawJSON json.RawMessage

// EncodeValue encodes a param value as JSON; non-finite floats (also inside
// slices) are written as the strings "NaN", "Infinity" and "-Infinity", as Spark does.
func EncodeValue(v any) ([]byte, error) {
	if r, ok := v.(rawJSON); ok {
		return []byte(r), nil
	}
	return json.Marshal(finite(v))
}

func finite(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return formatFloat(x)
		}
		return x
	case []float64:
		out := make([]any, len(x))
		for i, f := range x {
			out[i] = finite(f)
		}
		return out
	case [][]float64:
		out := make([]any, len(x))
		for i, f := range x {
			out[i] = finite(f)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, f := range x {
			out[i] = finite(f)
		}
		return out
	}
	return v
}

// DecodeValue decodes JSON written by EncodeValue into *dst.
func DecodeValue(data []byte, dst any) error {
	switch d := dst.(type) {
	case *float64:
		f, err := decodeFloat(data)
		*d = f
		return err
	case *[]float64:
		var raw []json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return err
		}
		out := make([]float64, len(raw))
		for i, r := range raw {
			f, err := decodeFloat(r)
			if err != nil {
				return err
			}
			out[i] = f
		}
		*d = out
		return nil
	case *[][]float64:
		var raw []json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return err
		}
		out := make([][]float64, len(raw))
		for i, r := range raw {
			if err := DecodeValue(r, &out[i]); err != nil {
				return err
			}
		}
		*d = out
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(dst)
}

func decodeFloat(data []byte) (float64, error) {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		switch s {
		case "NaN":
			return math.NaN(), nil
		case "Infinity", "Inf", "+Infinity":
			return math.Inf(1), nil
		case "-Infinity", "-Inf":
			return math.Inf(-1), nil
		}
		return 0, fmt.Errorf("invalid number %q", s)
	}
	var f float64
	err := json.Unmarshal(data, &f)
	return f, err
}

// Gt returns a validator requiring values greater than x.
func Gt[T cmp.Ordered](x T) func(T) error {
	return func(v T) error {
		if !(v > x) {
			return fmt.Errorf("must be > %v, got %v", x, v)
		}
		return nil
	}
}

// GtEq returns a validator requiring values at least x.
func GtEq[T cmp.Ordered](x T) func(T) error {
	return func(v T) error {
		if !(v >= x) {
			return fmt.Errorf("must be >= %v, got %v", x, v)
		}
		return nil
	}
}

// Lt returns a validator requiring values less than x.
func Lt[T cmp.Ordered](x T) func(T) error {
	return func(v T) error {
		if !(v < x) {
			return fmt.Errorf("must be < %v, got %v", x, v)
		}
		return nil
	}
}

// LtEq returns a validator requiring values at most x.
func LtEq[T cmp.Ordered](x T) func(T) error {
	return func(v T) error {
		if !(v <= x) {
			return fmt.Errorf("must be <= %v, got %v", x, v)
		}
		return nil
	}
}

// InRange returns a validator requiring lo ≤ value ≤ hi.
func InRange[T cmp.Ordered](lo, hi T) func(T) error {
	return func(v T) error {
		if !(v >= lo && v <= hi) {
			return fmt.Errorf("must be in [%v, %v], got %v", lo, hi, v)
		}
		return nil
	}
}

// OneOf returns a validator requiring one of the given values (exactly, as
// Spark's ParamValidators.inArray).
func OneOf[T comparable](opts ...T) func(T) error {
	return func(v T) error {
		for _, o := range opts {
			if o == v {
				return nil
			}
		}
		return fmt.Errorf("must be one of %v, got %v", opts, v)
	}
}

// NonEmpty returns a validator requiring a non-empty slice.
func NonEmpty[T any]() func([]T) error {
	return func(v []T) error {
		if len(v) == 0 {
			return errors.New("must not be empty")
		}
		return nil
	}
}
