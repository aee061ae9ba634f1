// Package proto gives access to the Spark Connect protocol messages without
// generated code in gspark. The official Go client
// (github.com/apache/spark-connect-go) keeps its generated protobuf code in an
// internal package; importing its public sql package links that code in, which
// registers every spark.connect file descriptor in protoregistry.GlobalFiles.
// Schema finds the service and messages there by name, and Msg reads and
// builds messages through protoreflect and dynamicpb.
package proto

import (
	"fmt"

	// Linked for its side effect: the client's generated descriptors
	// register in protoregistry.GlobalFiles.
	_ "github.com/apache/spark-connect-go/spark/sql"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"
)

// ServiceName is the full name of the Spark Connect gRPC service.
const ServiceName = "spark.connect.SparkConnectService"

// Schema holds the Spark Connect service descriptor and finds message
// descriptors by name.
type Schema struct {
	Service protoreflect.ServiceDescriptor
	files   *protoregistry.Files
}

// Load finds the Spark Connect service in the linked descriptors.
func Load() (*Schema, error) {
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(ServiceName)
	if err != nil {
		return nil, fmt.Errorf("spark connect descriptors: %s not registered: %w", ServiceName, err)
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return nil, fmt.Errorf("spark connect descriptors: %s is a %T, not a service", ServiceName, d)
	}
	return &Schema{Service: sd, files: protoregistry.GlobalFiles}, nil
}

// Message returns the descriptor of the message with the full name
// "spark.connect."+name.
func (s *Schema) Message(name string) (protoreflect.MessageDescriptor, error) {
	d, err := s.files.FindDescriptorByName(protoreflect.FullName("spark.connect." + name))
	if err != nil {
		return nil, fmt.Errorf("spark connect message %s: %w", name, err)
	}
	md, ok := d.(protoreflect.MessageDescriptor)
	if !ok {
		return nil, fmt.Errorf("spark connect message %s: a %T, not a message", name, d)
	}
	return md, nil
}

// New makes an empty dynamic message of the named type.
func (s *Schema) New(name string) (Msg, error) {
	md, err := s.Message(name)
	if err != nil {
		return Msg{}, err
	}
	return Msg{M: dynamicpb.NewMessage(md)}, nil
}

// Msg is a read and write view of a protobuf message by field names. A zero
// Msg (no message) reads as empty; reading a field the message does not have
// gives the zero value.
type Msg struct {
	M protoreflect.Message
}

// Of wraps a message.
func Of(m protoreflect.Message) Msg { return Msg{M: m} }

// Valid reports whether the view holds a message.
func (m Msg) Valid() bool { return m.M != nil && m.M.IsValid() }

// Name is the message's full name, "" for none.
func (m Msg) Name() string {
	if m.M == nil {
		return ""
	}
	return string(m.M.Descriptor().FullName())
}

func (m Msg) field(name string) protoreflect.FieldDescriptor {
	if m.M == nil {
		return nil
	}
	return m.M.Descriptor().Fields().ByName(protoreflect.Name(name))
}

// Has reports whether the field is set (for a scalar without presence:
// whether it differs from its default).
func (m Msg) Has(name string) bool {
	f := m.field(name)
	return f != nil && m.M.Has(f)
}

// Which is the name of the field set in the oneof, "" when none is.
func (m Msg) Which(oneof string) string {
	if m.M == nil {
		return ""
	}
	o := m.M.Descriptor().Oneofs().ByName(protoreflect.Name(oneof))
	if o == nil {
		return ""
	}
	f := m.M.WhichOneof(o)
	if f == nil {
		return ""
	}
	return string(f.Name())
}

// Get is the message field's value (an invalid Msg when unset).
func (m Msg) Get(name string) Msg {
	f := m.field(name)
	if f == nil || f.Message() == nil || !m.M.Has(f) {
		return Msg{}
	}
	return Msg{M: m.M.Get(f).Message()}
}

// Str is a string field's value.
func (m Msg) Str(name string) string {
	f := m.field(name)
	if f == nil || f.Kind() != protoreflect.StringKind || f.IsList() {
		return ""
	}
	return m.M.Get(f).String()
}

// Int is an integer (or enum) field's value.
func (m Msg) Int(name string) int64 {
	f := m.field(name)
	if f == nil || f.IsList() {
		return 0
	}
	v := m.M.Get(f)
	switch f.Kind() {
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return v.Int()
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return int64(v.Uint())
	case protoreflect.EnumKind:
		return int64(v.Enum())
	}
	return 0
}

// Float is a float or double field's value.
func (m Msg) Float(name string) float64 {
	f := m.field(name)
	if f == nil || f.IsList() {
		return 0
	}
	switch f.Kind() {
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return m.M.Get(f).Float()
	}
	return 0
}

// Bool is a bool field's value.
func (m Msg) Bool(name string) bool {
	f := m.field(name)
	if f == nil || f.Kind() != protoreflect.BoolKind || f.IsList() {
		return false
	}
	return m.M.Get(f).Bool()
}

// Bytes is a bytes field's value.
func (m Msg) Bytes(name string) []byte {
	f := m.field(name)
	if f == nil || f.Kind() != protoreflect.BytesKind || f.IsList() {
		return nil
	}
	return m.M.Get(f).Bytes()
}

// List is a repeated message field's elements.
func (m Msg) List(name string) []Msg {
	f := m.field(name)
	if f == nil || !f.IsList() || f.Message() == nil {
		return nil
	}
	l := m.M.Get(f).List()
	out := make([]Msg, l.Len())
	for i := range out {
		out[i] = Msg{M: l.Get(i).Message()}
	}
	return out
}

// Strings is a repeated string field's elements.
func (m Msg) Strings(name string) []string {
	f := m.field(name)
	if f == nil || !f.IsList() || f.Kind() != protoreflect.StringKind {
		return nil
	}
	l := m.M.Get(f).List()
	out := make([]string, l.Len())
	for i := range out {
		out[i] = l.Get(i).String()
	}
	return out
}

// Map is a map<string,string> field's entries, or the key/value pairs of a
// repeated message with key and value string fields.
func (m Msg) Map(name string) map[string]string {
	f := m.field(name)
	if f == nil {
		return nil
	}
	out := map[string]string{}
	if f.IsMap() {
		m.M.Get(f).Map().Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
			out[k.String()] = v.String()
			return true
		})
		return out
	}
	for _, e := range m.List(name) {
		out[e.Str("key")] = e.Str("value")
	}
	return out
}

// Set sets a field: a string, bool, int (for integer and enum fields),
// int32, int64, float64, []byte or Msg. It returns an error naming the field
// when the message has no such field or the value does not fit it.
func (m Msg) Set(name string, v any) error {
	f := m.field(name)
	if f == nil {
		return fmt.Errorf("%s has no field %s", m.Name(), name)
	}
	var pv protoreflect.Value
	switch x := v.(type) {
	case string:
		pv = protoreflect.ValueOfString(x)
	case bool:
		pv = protoreflect.ValueOfBool(x)
	case []byte:
		pv = protoreflect.ValueOfBytes(x)
	case float64:
		if f.Kind() == protoreflect.FloatKind {
			pv = protoreflect.ValueOfFloat32(float32(x))
		} else {
			pv = protoreflect.ValueOfFloat64(x)
		}
	case int:
		pv = intValue(f, int64(x))
	case int32:
		pv = intValue(f, int64(x))
	case int64:
		pv = intValue(f, x)
	case Msg:
		pv = protoreflect.ValueOfMessage(x.M)
	default:
		return fmt.Errorf("%s.%s: cannot set a %T", m.Name(), name, v)
	}
	if !pv.IsValid() {
		return fmt.Errorf("%s.%s: cannot set a %T", m.Name(), name, v)
	}
	m.M.Set(f, pv)
	return nil
}

func intValue(f protoreflect.FieldDescriptor, v int64) protoreflect.Value {
	switch f.Kind() {
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(v))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(v)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(v))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(v))
	case protoreflect.EnumKind:
		return protoreflect.ValueOfEnum(protoreflect.EnumNumber(v))
	}
	return protoreflect.Value{}
}

// Mut returns the message field, creating it empty when unset (and so
// selecting it in its oneof). It returns an invalid Msg when the message has
// no such message field.
func (m Msg) Mut(name string) Msg {
	f := m.field(name)
	if f == nil || f.Message() == nil || f.IsList() {
		return Msg{}
	}
	return Msg{M: m.M.Mutable(f).Message()}
}

// Append adds an element to a repeated field: a new empty message, returned,
// when v is nil, or a string.
func (m Msg) Append(name string, v any) (Msg, error) {
	f := m.field(name)
	if f == nil || !f.IsList() {
		return Msg{}, fmt.Errorf("%s has no repeated field %s", m.Name(), name)
	}
	l := m.M.Mutable(f).List()
	switch x := v.(type) {
	case nil:
		if f.Message() == nil {
			return Msg{}, fmt.Errorf("%s.%s holds no messages", m.Name(), name)
		}
		e := l.NewElement()
		l.Append(e)
		return Msg{M: e.Message()}, nil
	case string:
		l.Append(protoreflect.ValueOfString(x))
		return Msg{}, nil
	}
	return Msg{}, fmt.Errorf("%s.%s: cannot append a %T", m.Name(), name, v)
}
