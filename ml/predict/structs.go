package predict

import (
	"context"
	"fmt"
	"reflect"
	"strings"
)

// structPlan maps the exported fields of a struct type to column names: a
// field's `gspark:"name"` tag, else its name (matched ignoring case); a tag
// of "-" skips the field.
type structPlan struct {
	fields []structField
}

type structField struct {
	index []int
	name  string
}

func (p *Predictor) planFor(t reflect.Type) *structPlan {
	if sp, ok := p.structs.Load(t); ok {
		return sp.(*structPlan)
	}
	sp := &structPlan{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("gspark"); ok {
			tag, _, _ = strings.Cut(tag, ",")
			if tag == "-" {
				continue
			}
			if tag != "" {
				name = tag
			}
		}
		sp.fields = append(sp.fields, structField{index: f.Index, name: name})
	}
	p.structs.Store(t, sp)
	return sp
}

// PredictStruct scores one record held in the struct in (or a pointer to
// one) and stores the outputs in the struct out points to. Fields map to
// columns by their `gspark:"name"` tag, else by name ignoring case; out's
// fields that name no output are left alone. Numbers convert to the
// field's numeric type, vectors fill []float64 fields.
func (p *Predictor) PredictStruct(ctx context.Context, in, out any) error {
	iv := reflect.ValueOf(in)
	for iv.Kind() == reflect.Pointer && !iv.IsNil() {
		iv = iv.Elem()
	}
	if iv.Kind() != reflect.Struct {
		return fmt.Errorf("PredictStruct: input is %T, want a struct", in)
	}
	ov := reflect.ValueOf(out)
	if ov.Kind() != reflect.Pointer || ov.IsNil() || ov.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("PredictStruct: output is %T, want a pointer to a struct", out)
	}
	rec := map[string]any{}
	for _, f := range p.planFor(iv.Type()).fields {
		v := iv.FieldByIndex(f.index)
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice || v.Kind() == reflect.Interface) && v.IsNil() {
			rec[f.name] = nil
			continue
		}
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		rec[f.name] = v.Interface()
	}
	res, err := p.Predict(ctx, rec)
	if err != nil {
		return err
	}
	dst := ov.Elem()
	for _, f := range p.planFor(dst.Type()).fields {
		val, ok := lookup(res, f.name)
		if !ok {
			continue
		}
		fv := dst.FieldByIndex(f.index)
		if val == nil {
			fv.SetZero()
			continue
		}
		rv := reflect.ValueOf(val)
		switch {
		case rv.Type().AssignableTo(fv.Type()):
			fv.Set(rv)
		case isNumber(rv.Kind()) && isNumber(fv.Kind()):
			fv.Set(rv.Convert(fv.Type()))
		default:
			return fmt.Errorf("PredictStruct: output %q is %T, which field %s (%s) cannot hold", f.name, val, dst.Type().FieldByIndex(f.index).Name, fv.Type())
		}
	}
	return nil
}

func isNumber(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}
