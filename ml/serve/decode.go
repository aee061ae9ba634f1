package serve

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"slices"
	"strconv"
	"strings"

	"github.com/gspark/gspark/ml"
)

// The JSON request formats of MLflow's scoring protocol: exactly one of
// these fields is at the top level of the body.
const (
	formatSplit     = "dataframe_split"
	formatRecords   = "dataframe_records"
	formatInstances = "instances"
	formatInputs    = "inputs"
)

var jsonFormats = []string{formatSplit, formatRecords, formatInstances, formatInputs}

// Request is a decoded scoring request: the records to score, keyed by the
// signature's input names, and the output columns asked for.
type Request struct {
	// Records holds one map per record with every input column of the
	// signature (nil for a null value). Values are float64 (double), int
	// (bigint and the other integer types), string, bool, []float64
	// (vector) and []any (arrays).
	Records []map[string]any
	// Outputs are the output columns asked for with params.outputs, in
	// order; nil asks for the default (the prediction column's values).
	Outputs []string
	// Params holds the request's "params" object (JSON only), numbers as
	// json.Number.
	Params map[string]any
}

// RequestError is a request the server cannot score: a malformed body, or a
// record with a missing field or a value of the wrong type. The server
// answers it with 400 Bad Request.
type RequestError struct {
	// Record is the 0-based index of the record in the request, or -1 when
	// the error is not about one record.
	Record int
	// Line is the line of the record in a CSV body (1-based), or 0.
	Line int
	// Field is the input column concerned, or "".
	Field string
	// Reason says what is wrong.
	Reason string
}

// Error implements error: `record 3 (line 5), field "age": expected double, got "old"`.
func (e *RequestError) Error() string {
	var b strings.Builder
	if e.Record >= 0 {
		fmt.Fprintf(&b, "record %d", e.Record)
		if e.Line > 0 {
			fmt.Fprintf(&b, " (line %d)", e.Line)
		}
		b.WriteString(", ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, ", e.Line)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// badRequest is a RequestError about the whole request.
func badRequest(format string, args ...any) *RequestError {
	return &RequestError{Record: -1, Reason: fmt.Sprintf(format, args...)}
}

// UnsupportedMediaTypeError is a body whose Content-Type the server does not
// read (415 Unsupported Media Type).
type UnsupportedMediaTypeError struct {
	ContentType string
}

// Error implements error.
func (e *UnsupportedMediaTypeError) Error() string {
	return fmt.Sprintf("content type %q is not supported: use application/json or text/csv (charset utf-8)", e.ContentType)
}

// Decode decodes a scoring request body by its Content-Type: application/json
// (DecodeJSON) or text/csv (DecodeCSV). A charset other than utf-8 is an
// *UnsupportedMediaTypeError.
func Decode(contentType string, body []byte, sig *ml.Signature) (*Request, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, &UnsupportedMediaTypeError{ContentType: contentType}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, &UnsupportedMediaTypeError{ContentType: contentType}
	}
	switch mt {
	case "application/json":
		return DecodeJSON(body, sig)
	case "text/csv":
		return DecodeCSV(body, sig)
	}
	return nil, &UnsupportedMediaTypeError{ContentType: contentType}
}

// DecodeJSON decodes a JSON scoring request in one of MLflow's formats:
//
//	{"dataframe_split": {"columns": ["a", "b"], "data": [[1, "x"], [2, "y"]]}}
//	{"dataframe_records": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]}
//	{"instances": [{"a": 1, "b": "x"}]}  or  {"instances": {"a": [1, 2], "b": ["x", "y"]}}
//	{"inputs": ...}                      (the same shapes as instances)
//
// with an optional "params" object. dataframe_split without "columns", and
// instances/inputs given as a list of lists, take the values in the order of
// the signature's inputs; a model with one input also takes a list of its
// values. Fields that are not inputs of the signature are ignored; a
// missing input or a value of the wrong type is a *RequestError naming the
// record and the field.
func DecodeJSON(body []byte, sig *ml.Signature) (*Request, error) {
	top, ok, err := decodeObject(body)
	if err != nil {
		return nil, badRequest("the body is not valid JSON: %v", err)
	}
	if !ok {
		return nil, badRequest("the body must be a JSON object with exactly one of the fields %s", strings.Join(jsonFormats, ", "))
	}
	var found []string
	for _, f := range jsonFormats {
		if _, ok := top[f]; ok {
			found = append(found, f)
		}
	}
	if len(found) != 1 {
		keys := make([]string, 0, len(top))
		for k := range top {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return nil, badRequest("the body must be a JSON object with exactly one of the fields %s; it has %q",
			strings.Join(jsonFormats, ", "), keys)
	}
	req := &Request{}
	if raw, ok := top["params"]; ok {
		if err := decodeParams(raw, req); err != nil {
			return nil, err
		}
	}
	d := decoder{sig: sig}
	v, err := decodeValue(top[found[0]])
	if err != nil {
		return nil, badRequest("%s: %v", found[0], err)
	}
	switch found[0] {
	case formatSplit:
		req.Records, err = d.split(v)
	case formatRecords:
		list, ok := v.([]any)
		if !ok {
			return nil, badRequest("dataframe_records must be a list of records, got %s", jsonKind(v))
		}
		req.Records, err = d.list(list, formatRecords)
	default:
		switch x := v.(type) {
		case []any:
			req.Records, err = d.list(x, found[0])
		case map[string]any:
			req.Records, err = d.columns(x, found[0])
		default:
			return nil, badRequest("%s must be a list of records or an object of columns, got %s", found[0], jsonKind(v))
		}
	}
	if err != nil {
		return nil, err
	}
	return req, nil
}

// decodeObject decodes body as a JSON object of raw fields; ok is false when
// body is valid JSON but not an object.
func decodeObject(body []byte) (map[string]json.RawMessage, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, false, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false, errors.New("data after the top-level value")
	}
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, false, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, false, err
	}
	return top, true, nil
}

// decodeValue decodes a JSON value with numbers kept as json.Number.
func decodeValue(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the value")
	}
	return v, nil
}

// decodeParams reads the "params" object; its "outputs" field (a list of
// column names or one comma-separated string) selects the output columns.
func decodeParams(raw json.RawMessage, req *Request) error {
	v, err := decodeValue(raw)
	if err != nil {
		return badRequest("params: %v", err)
	}
	if v == nil {
		return nil
	}
	p, ok := v.(map[string]any)
	if !ok {
		return badRequest("params must be an object, got %s", jsonKind(v))
	}
	req.Params = p
	out, ok := p["outputs"]
	if !ok || out == nil {
		return nil
	}
	switch x := out.(type) {
	case string:
		req.Outputs = SplitOutputs(x)
	case []any:
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return badRequest("params.outputs[%d] must be a column name, got %s", i, jsonKind(e))
			}
			req.Outputs = append(req.Outputs, s)
		}
	default:
		return badRequest("params.outputs must be a list of column names, got %s", jsonKind(out))
	}
	return nil
}

// SplitOutputs splits a comma-separated list of output columns (the
// ?outputs= query parameter), dropping blanks.
func SplitOutputs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// jsonKind names the kind of a decoded JSON value for error messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// decoder turns decoded JSON values into records typed by a signature.
type decoder struct {
	sig *ml.Signature
}

func (d decoder) inputs() []ml.ColumnSpec {
	if d.sig == nil {
		return nil
	}
	return d.sig.Inputs
}

// split decodes dataframe_split: {"columns": [...], "data": [[...], ...]}.
func (d decoder) split(v any) ([]map[string]any, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest("dataframe_split must be an object with columns and data, got %s", jsonKind(v))
	}
	dataV, ok := obj["data"]
	if !ok {
		return nil, badRequest("dataframe_split has no data")
	}
	data, ok := dataV.([]any)
	if !ok {
		return nil, badRequest("dataframe_split.data must be a list of rows, got %s", jsonKind(dataV))
	}
	colsV, ok := obj["columns"]
	if !ok || colsV == nil {
		return d.positional(data, formatSplit+".data")
	}
	colList, ok := colsV.([]any)
	if !ok {
		return nil, badRequest("dataframe_split.columns must be a list of names, got %s", jsonKind(colsV))
	}
	cols := make([]string, len(colList))
	for i, c := range colList {
		s, ok := c.(string)
		if !ok {
			return nil, badRequest("dataframe_split.columns[%d] must be a name, got %s", i, jsonKind(c))
		}
		cols[i] = s
	}
	recs := make([]map[string]any, len(data))
	for i, rowV := range data {
		row, ok := rowV.([]any)
		if !ok {
			return nil, &RequestError{Record: i, Reason: fmt.Sprintf("a row of dataframe_split.data must be a list, got %s", jsonKind(rowV))}
		}
		if len(row) != len(cols) {
			return nil, &RequestError{Record: i, Reason: fmt.Sprintf("has %d values for %d columns", len(row), len(cols))}
		}
		raw := make(map[string]any, len(cols))
		for j, c := range cols {
			raw[c] = row[j]
		}
		rec, err := d.record(i, raw)
		if err != nil {
			return nil, err
		}
		recs[i] = rec
	}
	return recs, nil
}

// list decodes a list of records: objects, lists of values in the order of
// the signature's inputs, or bare values when the model has one input.
func (d decoder) list(list []any, what string) ([]map[string]any, error) {
	if len(list) == 0 {
		return []map[string]any{}, nil
	}
	if _, ok := list[0].(map[string]any); ok || what == formatRecords {
		recs := make([]map[string]any, len(list))
		for i, e := range list {
			obj, ok := e.(map[string]any)
			if !ok {
				return nil, &RequestError{Record: i, Reason: fmt.Sprintf("a record of %s must be an object, got %s", what, jsonKind(e))}
			}
			rec, err := d.record(i, obj)
			if err != nil {
				return nil, err
			}
			recs[i] = rec
		}
		return recs, nil
	}
	return d.positional(list, what)
}

// positional decodes rows given without names: each a list of values in the
// order of the signature's inputs, or, for a model with one input, that
// input's value.
func (d decoder) positional(rows []any, what string) ([]map[string]any, error) {
	in := d.inputs()
	if len(in) == 0 {
		return nil, badRequest("%s gives values without column names, and the model has no signature to name them", what)
	}
	single := len(in) == 1
	recs := make([]map[string]any, len(rows))
	for i, rowV := range rows {
		raw := make(map[string]any, len(in))
		row, isList := rowV.([]any)
		switch {
		case single && (!isList || isListType(in[0].Type)):
			raw[in[0].Name] = rowV
		case !isList:
			return nil, &RequestError{Record: i, Reason: fmt.Sprintf("a row of %s must be a list of %d values (%s) or an object, got %s",
				what, len(in), inputNames(in), jsonKind(rowV))}
		case len(row) != len(in):
			return nil, &RequestError{Record: i, Reason: fmt.Sprintf("has %d values; the model's inputs are %d (%s)", len(row), len(in), inputNames(in))}
		default:
			for j, c := range in {
				raw[c.Name] = row[j]
			}
		}
		rec, err := d.record(i, raw)
		if err != nil {
			return nil, err
		}
		recs[i] = rec
	}
	return recs, nil
}

// columns decodes an object of columns, each a list with one value per record.
func (d decoder) columns(obj map[string]any, what string) ([]map[string]any, error) {
	n := -1
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		list, ok := obj[k].([]any)
		if !ok {
			return nil, &RequestError{Record: -1, Field: k, Reason: fmt.Sprintf("a column of %s must be a list of values, one per record, got %s", what, jsonKind(obj[k]))}
		}
		if n >= 0 && len(list) != n {
			return nil, &RequestError{Record: -1, Field: k, Reason: fmt.Sprintf("has %d values, column %q has %d", len(list), names[0], n)}
		}
		n = len(list)
	}
	if n < 0 {
		n = 0
	}
	recs := make([]map[string]any, n)
	for i := range recs {
		raw := make(map[string]any, len(obj))
		for _, k := range names {
			raw[k] = obj[k].([]any)[i]
		}
		rec, err := d.record(i, raw)
		if err != nil {
			return nil, err
		}
		recs[i] = rec
	}
	return recs, nil
}

// record converts the fields of one record to the signature's input types.
// Names match case-insensitively; fields that are not inputs are dropped.
// Without a signature the record is kept as it is.
func (d decoder) record(i int, raw map[string]any) (map[string]any, error) {
	in := d.inputs()
	if len(in) == 0 {
		rec := make(map[string]any, len(raw))
		for k, v := range raw {
			rec[k] = numbersToFloat(v)
		}
		return rec, nil
	}
	rec := make(map[string]any, len(in))
	for _, c := range in {
		v, ok := raw[c.Name]
		if !ok {
			for k, x := range raw {
				if strings.EqualFold(k, c.Name) {
					v, ok = x, true
					break
				}
			}
		}
		if !ok {
			return nil, &RequestError{Record: i, Field: c.Name, Reason: fmt.Sprintf("missing (the model's inputs are %s)", inputNames(in))}
		}
		cv, err := convertJSON(v, c.Type)
		if err != nil {
			return nil, &RequestError{Record: i, Field: c.Name, Reason: err.Error()}
		}
		rec[c.Name] = cv
	}
	return rec, nil
}

func inputNames(in []ml.ColumnSpec) string {
	parts := make([]string, len(in))
	for i, c := range in {
		parts[i] = c.Name + " " + c.Type
	}
	return strings.Join(parts, ", ")
}

// isListType reports whether a signature type holds a list of values.
func isListType(t string) bool {
	return t == "vector" || strings.HasPrefix(t, "array<")
}

// isIntType reports whether a signature type is an integer type.
func isIntType(t string) bool {
	switch t {
	case "bigint", "int", "smallint", "tinyint":
		return true
	}
	return false
}

// convertJSON converts a decoded JSON value to the Go type of a signature
// type; null stays nil.
func convertJSON(v any, typ string) (any, error) {
	if v == nil {
		return nil, nil
	}
	wrong := func() error { return fmt.Errorf("expected %s, got %s", typ, jsonKind(v)) }
	switch {
	case typ == "double" || typ == "float":
		n, ok := v.(json.Number)
		if !ok {
			return nil, wrong()
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return nil, fmt.Errorf("number %s is out of range for %s", n, typ)
		}
		return f, nil
	case isIntType(typ):
		n, ok := v.(json.Number)
		if !ok {
			return nil, wrong()
		}
		return parseInt(string(n), typ)
	case typ == "string":
		s, ok := v.(string)
		if !ok {
			return nil, wrong()
		}
		return s, nil
	case typ == "boolean":
		b, ok := v.(bool)
		if !ok {
			return nil, wrong()
		}
		return b, nil
	case typ == "vector":
		list, ok := v.([]any)
		if !ok {
			return nil, wrong()
		}
		out := make([]float64, len(list))
		for j, e := range list {
			n, ok := e.(json.Number)
			if !ok {
				return nil, fmt.Errorf("expected vector, element %d is %s", j, jsonKind(e))
			}
			f, err := strconv.ParseFloat(string(n), 64)
			if err != nil {
				return nil, fmt.Errorf("vector element %d: number %s is out of range", j, n)
			}
			out[j] = f
		}
		return out, nil
	case strings.HasPrefix(typ, "array<") && strings.HasSuffix(typ, ">"):
		list, ok := v.([]any)
		if !ok {
			return nil, wrong()
		}
		elem := typ[len("array<") : len(typ)-1]
		out := make([]any, len(list))
		for j, e := range list {
			c, err := convertJSON(e, elem)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", j, err)
			}
			out[j] = c
		}
		return out, nil
	}
	// A type the decoder does not know: handed on as decoded, numbers as float64.
	return numbersToFloat(v), nil
}

// parseInt parses an integer of a signature integer type; a number with a
// zero fraction (3.0) is accepted.
func parseInt(s, typ string) (any, error) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return int(i), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
		return nil, fmt.Errorf("expected %s, got %s", typ, s)
	}
	return int(f), nil
}

// numbersToFloat replaces json.Number values, recursively, by float64.
func numbersToFloat(v any) any {
	switch x := v.(type) {
	case json.Number:
		if f, err := strconv.ParseFloat(string(x), 64); err == nil {
			return f
		}
		return string(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = numbersToFloat(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = numbersToFloat(e)
		}
		return out
	}
	return v
}

// DecodeCSV decodes a CSV scoring request: a header line naming the columns,
// then one record per line. Values are converted by the signature's column
// types (an empty field is null; vector and array values are written as
// JSON lists, "[1,2,3]"); columns that are not inputs are ignored. A CSV
// body has no params.
func DecodeCSV(body []byte, sig *ml.Signature) (*Request, error) {
	r := csv.NewReader(bytes.NewReader(body))
	r.ReuseRecord = false
	header, err := r.Read()
	if err == io.EOF {
		return nil, badRequest("the CSV body is empty: it needs a header line")
	}
	if err != nil {
		return nil, csvError(err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	idx := map[string]int{}
	for i, h := range header {
		idx[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var in []ml.ColumnSpec
	if sig != nil {
		in = sig.Inputs
	}
	if len(in) == 0 { // no signature: every column, as strings
		for _, h := range header {
			in = append(in, ml.ColumnSpec{Name: strings.TrimSpace(h), Type: "string"})
		}
	}
	pos := make([]int, len(in))
	for j, c := range in {
		i, ok := idx[strings.ToLower(c.Name)]
		if !ok {
			return nil, &RequestError{Record: -1, Line: 1, Field: c.Name,
				Reason: fmt.Sprintf("missing from the CSV header (the model's inputs are %s)", inputNames(in))}
		}
		pos[j] = i
	}
	recs := []map[string]any{}
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := r.FieldPos(0)
		i := len(recs)
		rec := make(map[string]any, len(in))
		for j, c := range in {
			v, err := convertCSV(row[pos[j]], c.Type)
			if err != nil {
				return nil, &RequestError{Record: i, Line: line, Field: c.Name, Reason: err.Error()}
			}
			rec[c.Name] = v
		}
		recs = append(recs, rec)
	}
	return &Request{Records: recs}, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &RequestError{Record: -1, Line: pe.Line, Reason: fmt.Sprintf("malformed CSV at column %d: %v", pe.Column, pe.Err)}
	}
	return badRequest("malformed CSV: %v", err)
}

// convertCSV converts one CSV field to the Go type of a signature type.
func convertCSV(s, typ string) (any, error) {
	if s == "" {
		return nil, nil
	}
	switch {
	case typ == "double" || typ == "float":
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return nil, fmt.Errorf("expected %s, got %q", typ, s)
		}
		return f, nil
	case isIntType(typ):
		return parseInt(strings.TrimSpace(s), typ)
	case typ == "boolean":
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("expected boolean (true or false), got %q", s)
	case isListType(typ):
		v, err := decodeValue(json.RawMessage(s))
		if err != nil {
			return nil, fmt.Errorf("expected %s written as a JSON list, got %q", typ, s)
		}
		return convertJSON(v, typ)
	}
	return s, nil
}
